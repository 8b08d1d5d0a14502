/**
 * A remote on S3 or an S3-compatible store (MinIO, SeaweedFS, Ceph, R2): objects under
 * `s3://bucket/prefix/objects/sha256/ab/cdef...`. This module loads the AWS SDK, so it is
 * itself imported only when an S3 remote is opened (src/core/repo/remotes.ts). Its parts, by
 * capability: the client (s3-client.ts), uploads (s3-upload.ts), listing and existence checks
 * (s3-list.ts), errors (s3-errors.ts); downloads, deletes and the sweep are here.
 */
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
} from '@aws-sdk/client-s3';
import { MvgitError } from '../../base/errors.js';
import { runLimited } from '../../base/concurrency.js';
import { isNotFound, isNotImplemented } from './s3-errors.js';
import { notOnRemote } from './local.js';
import { OBJECTS_PREFIX, type HasManyOptions, type Remote, type RemoteObject, type TransferHooks } from './remote.js';
import { openS3Target, type S3RemoteOptions, type S3Target } from './s3-client.js';
import { putObject, signWithObjectIds } from './s3-upload.js';
import { headObject, hasManyObjects, listObjects } from './s3-list.js';

export type { S3RemoteOptions } from './s3-client.js';

/** An unfinished multipart upload older than this is a killed push's: a live one ends well within it. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;
/** Most keys one DeleteObjects request takes. */
const DELETE_BATCH = 1000;

export class S3Remote implements Remote {
  readonly name: string;
  readonly url: string;
  private readonly t: S3Target;

  constructor(options: S3RemoteOptions) {
    const t = openS3Target(options);
    signWithObjectIds(t.client);
    this.t = t;
    this.name = options.name;
    this.url = t.where.url;
  }

  has(hex: string, size?: number): Promise<boolean> {
    return headObject(this.t, hex, size);
  }

  hasMany(hexes: string[], options?: HasManyOptions): Promise<Set<string>> {
    return hasManyObjects(this.t, hexes, options);
  }

  put(hex: string, file: string, size: number, hooks?: TransferHooks): Promise<void> {
    return putObject(this.t, hex, file, size, hooks);
  }

  async get(hex: string): Promise<Readable> {
    try {
      const r = await this.t.client.send(new GetObjectCommand({ Bucket: this.t.bucket, Key: this.t.key(hex) }));
      return r.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw notOnRemote(this, hex);
      throw this.t.wrap(err, `downloading object ${hex.slice(0, 12)}`);
    }
  }

  list(): AsyncIterable<RemoteObject> {
    return listObjects(this.t);
  }

  async delete(hexes: string[]): Promise<void> {
    for (let i = 0; i < hexes.length; i += DELETE_BATCH) {
      const batch = hexes.slice(i, i + DELETE_BATCH);
      try {
        const r = await this.t.client.send(
          new DeleteObjectsCommand({
            Bucket: this.t.bucket,
            Delete: { Objects: batch.map((h) => ({ Key: this.t.key(h) })), Quiet: true },
          }),
        );
        const failed = (r.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length > 0)
          throw new MvgitError(
            'REMOTE_ERROR',
            `remote '${this.name}' refused to delete ${failed.length} object(s): ${failed[0].Code} ${failed[0].Message ?? ''}`.trim(),
            { hint: 'check that your credentials allow s3:DeleteObject' },
          );
      } catch (err) {
        if (err instanceof MvgitError) throw err;
        // Some S3-compatible stores lack the batch call: fall back to one request per object.
        if (!isNotImplemented(err)) throw this.t.wrap(err, 'deleting objects');
        await runLimited(batch, 16, async (h) => {
          try {
            await this.t.client.send(new DeleteObjectCommand({ Bucket: this.t.bucket, Key: this.t.key(h) }));
          } catch (e) {
            if (!isNotFound(e)) throw this.t.wrap(e, `deleting object ${h.slice(0, 12)}`);
          }
        });
      }
    }
  }

  /**
   * Aborts the multipart uploads under our objects that were started more than `olderThanMs`
   * ago: a killed push leaves its parts on the server, billed and invisible to a listing.
   * Stores without the call are left alone.
   */
  async sweepTemps(olderThanMs = STALE_UPLOAD_MS): Promise<void> {
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      let page: ListMultipartUploadsCommandOutput;
      try {
        page = await this.t.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.t.bucket,
            Prefix: this.t.prefix + OBJECTS_PREFIX,
            KeyMarker,
            UploadIdMarker,
          }),
        );
      } catch (err) {
        if (isNotImplemented(err)) return;
        throw this.t.wrap(err, 'listing unfinished uploads');
      }
      for (const u of page.Uploads ?? []) {
        if (!u.Key || !u.UploadId || !u.Initiated || Date.now() - u.Initiated.getTime() < olderThanMs) continue;
        try {
          await this.t.client.send(
            new AbortMultipartUploadCommand({ Bucket: this.t.bucket, Key: u.Key, UploadId: u.UploadId }),
          );
        } catch (err) {
          if (!isNotFound(err)) throw this.t.wrap(err, `aborting the unfinished upload of ${u.Key}`);
        }
      }
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (KeyMarker);
  }

  close(): void {
    this.t.client.destroy();
  }
}
