/**
 * A remote on S3 or an S3-compatible store (MinIO, SeaweedFS, Ceph, R2): objects under
 * `s3://bucket/prefix/objects/sha256/ab/cdef...`. This module loads the AWS SDK, so it is
 * itself imported only when an S3 remote is opened (src/core/repo/remotes.ts).
 * Credentials come from the SDK's standard chain (environment, shared files, SSO, instance
 * roles), never from mvgit's config.
 */
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MvgitError } from '../../base/errors.js';
import { isNotFound, isNotImplemented, s3Error } from './s3-errors.js';
import { notOnRemote } from './local.js';
import {
  HEX_RE,
  OBJECTS_PREFIX,
  objectKey,
  type HasManyOptions,
  type Remote,
  type RemoteObject,
  type TransferHooks,
  groupByFan,
} from './remote.js';
import { runLimited } from '../../base/concurrency.js';

export interface S3RemoteOptions {
  name: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  pathStyle?: boolean;
}

/** Objects above this size go up in parts, several at once. */
export const MULTIPART_THRESHOLD = 64 << 20;
const MIN_PART = 8 << 20;
const PART_QUEUE = 4;
/** Objects up to this size are read into memory and sent in one buffer. */
const SMALL_BODY = 1 << 20;
/** Up to this many objects, one HEAD each is never more requests than a listing could be. */
const HEAD_LIMIT = 64;
const LIST_PAGE = 1000;
/** Most pages a whole-prefix listing may take in an existence check (256 fan-out listings is the next option). */
const WHOLE_LIST_PAGES = 128;

/** An unfinished multipart upload older than this is a killed push's: a live one ends well within it. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

const SILENT = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export class S3Remote implements Remote {
  readonly name: string;
  readonly url: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly endpoint: string;

  constructor(options: S3RemoteOptions) {
    // The SDK warns on stderr that later versions will need Node 22; mvgit pins one that runs
    // on Node 20, so the warning only adds noise to every push and hook.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.name = options.name;
    this.bucket = options.bucket;
    this.prefix = options.prefix;
    this.url = `s3://${options.bucket}/${options.prefix}`.replace(/\/$/, '');
    this.endpoint = options.endpoint ?? 'AWS S3';
    const region =
      options.region ??
      process.env.AWS_REGION ??
      process.env.AWS_DEFAULT_REGION ??
      (options.endpoint ? 'us-east-1' : undefined);
    const config: S3ClientConfig = {
      // Third-party stores reject the CRC32 checksums recent SDKs send by default.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // mvgit retries whole objects itself, with a body it can re-open (src/core/transfer/retry.ts).
      maxAttempts: 1,
      // The SDK warns on the console when a streamed upload fails; the core never prints.
      logger: SILENT,
      requestHandler: {
        connectionTimeout: 10_000,
        requestTimeout: 60_000,
        httpAgent: { keepAlive: true, maxSockets: 64 },
      },
      ...(region ? { region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.pathStyle ? { forcePathStyle: true } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
    };
    this.client = new S3Client(config);
  }

  private key(hex: string): string {
    return this.prefix + objectKey(hex);
  }

  async has(hex: string, size?: number): Promise<boolean> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(hex) }));
      return size === undefined || r.ContentLength === undefined || r.ContentLength === size;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw this.wrap(err, `checking object ${hex.slice(0, 12)}`);
    }
  }

  async hasMany(hexes: string[], options: HasManyOptions = {}): Promise<Set<string>> {
    const concurrency = options.concurrency ?? 16;
    const sizes = options.sizes;
    const out = new Set<string>();
    if (hexes.length <= HEAD_LIMIT) {
      await this.headAll(hexes, out, concurrency, sizes);
      return out;
    }
    // A remote of up to 128,000 objects is listed whole in fewer requests than
    // its 256 fan-out folders (a fresh one in one request): try that first, on a budget of a
    // quarter of the HEADs it replaces, so a bigger remote wastes little before the fallback.
    const whole = await this.listWhole(Math.max(1, Math.min(WHOLE_LIST_PAGES, Math.floor(hexes.length / 4))));
    if (whole) {
      for (const h of hexes)
        if (whole.has(h) && (sizes?.get(h) === undefined || sizes.get(h) === whole.get(h))) out.add(h);
      return out;
    }
    // Listing costs one request per 1,000 keys of each fan-out folder we need; HEADs cost one
    // per object. One fan-out folder, which the listing needs anyway, tells the remote's size.
    const byFan = groupByFan(hexes);
    const fans = [...byFan.keys()];
    const sizeOk = (h: string, listed: Map<string, number>): boolean =>
      listed.has(h) && (sizes?.get(h) === undefined || sizes.get(h) === listed.get(h));
    const first = await this.listFan(fans[0]);
    for (const h of byFan.get(fans[0])!) if (sizeOk(h, first)) out.add(h);
    const rest = fans.slice(1);
    const pagesPerFan = Math.max(1, Math.ceil(first.size / LIST_PAGE));
    const listCost = rest.length * pagesPerFan;
    const headCost = hexes.length - byFan.get(fans[0])!.length;
    if (listCost <= headCost) {
      await runLimited(rest, concurrency, async (fan) => {
        const present = await this.listFan(fan);
        for (const h of byFan.get(fan)!) if (sizeOk(h, present)) out.add(h);
      });
    } else {
      await this.headAll(
        rest.flatMap((f) => byFan.get(f)!),
        out,
        concurrency,
        sizes,
      );
    }
    return out;
  }

  private async headAll(
    hexes: string[],
    out: Set<string>,
    concurrency: number,
    sizes?: ReadonlyMap<string, number>,
  ): Promise<void> {
    await runLimited(hexes, concurrency, async (h) => {
      if (await this.has(h, sizes?.get(h))) out.add(h);
    });
  }

  /** Every object with its size, or undefined when the listing needs more than `maxPages` requests. */
  private async listWhole(maxPages: number): Promise<Map<string, number> | undefined> {
    const out = new Map<string, number>();
    let token: string | undefined;
    for (let i = 0; i < maxPages; i++) {
      const page = await this.listPage(this.prefix + OBJECTS_PREFIX, token);
      for (const o of page.objects) out.set(o.hex, o.size);
      if (!page.next) return out;
      token = page.next;
    }
    return undefined;
  }

  /** The objects in one fan-out folder (`objects/sha256/ab/`), with their sizes. */
  private async listFan(fan: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for await (const o of this.listPrefix(`${this.prefix}${OBJECTS_PREFIX}${fan}/`)) out.set(o.hex, o.size);
    return out;
  }

  private async *listPrefix(prefix: string): AsyncIterable<RemoteObject> {
    let token: string | undefined;
    do {
      const page = await this.listPage(prefix, token);
      yield* page.objects;
      token = page.next;
    } while (token);
  }

  /** One page (up to 1,000 keys) of the objects under `prefix`, and the token of the next. */
  private async listPage(prefix: string, token?: string): Promise<{ objects: RemoteObject[]; next?: string }> {
    const base = this.prefix + OBJECTS_PREFIX;
    let page: ListObjectsV2CommandOutput;
    try {
      page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: LIST_PAGE }),
      );
    } catch (err) {
      throw this.wrap(err, 'listing objects');
    }
    const objects: RemoteObject[] = [];
    for (const o of page.Contents ?? []) {
      if (!o.Key?.startsWith(base)) continue;
      const hex = o.Key.slice(base.length).replace('/', '');
      if (HEX_RE.test(hex) && o.Key.length === base.length + 65)
        objects.push({ hex, size: o.Size ?? 0, ...(o.LastModified ? { uploaded: o.LastModified.getTime() } : {}) });
    }
    return { objects, next: page.IsTruncated ? page.NextContinuationToken : undefined };
  }

  async put(hex: string, file: string, size: number, hooks?: TransferHooks): Promise<void> {
    const Key = this.key(hex);
    if (size <= SMALL_BODY) {
      // Read whole: a stream per object (open, read, pipe through a counter) costs more than
      // the request itself for the many small files of a dataset.
      try {
        const data = await fs.promises.readFile(file);
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key,
            Body: data,
            ContentLength: data.length,
            ContentType: 'application/octet-stream',
          }),
        );
        hooks?.onBytes?.(data.length);
        return;
      } catch (err) {
        throw this.wrap(err, `uploading object ${hex.slice(0, 12)}`);
      }
    }
    const body = fs.createReadStream(file);
    try {
      if (size <= MULTIPART_THRESHOLD) {
        // Counted as the SDK reads it: a 'data' listener would start the flow before the SDK
        // is there to receive, and the request would go out short.
        const counted = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            hooks?.onBytes?.(chunk.length);
            cb(null, chunk);
          },
        });
        body.on('error', (err) => counted.destroy(err));
        body.pipe(counted);
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key,
            Body: counted,
            ContentLength: size,
            ContentType: 'application/octet-stream',
          }),
        );
        return;
      }
      // S3 allows 10,000 parts; lib-storage buffers queueSize x partSize bytes at most.
      const partSize = Math.max(MIN_PART, Math.ceil(size / 9000));
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key, Body: body, ContentType: 'application/octet-stream' },
        partSize,
        queueSize: PART_QUEUE,
        // A failed upload aborts its parts; a killed one leaves them for sweepTemps.
        leavePartsOnError: false,
      });
      let loaded = 0;
      upload.on('httpUploadProgress', (p) => {
        if (p.loaded !== undefined && p.loaded > loaded) {
          hooks?.onBytes?.(p.loaded - loaded);
          loaded = p.loaded;
        }
      });
      await upload.done();
    } catch (err) {
      throw this.wrap(err, `uploading object ${hex.slice(0, 12)}`);
    } finally {
      body.destroy();
    }
  }

  async get(hex: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(hex) }));
      return r.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) throw notOnRemote(this, hex);
      throw this.wrap(err, `downloading object ${hex.slice(0, 12)}`);
    }
  }

  list(): AsyncIterable<RemoteObject> {
    return this.listPrefix(this.prefix + OBJECTS_PREFIX);
  }

  async delete(hexes: string[]): Promise<void> {
    for (let i = 0; i < hexes.length; i += LIST_PAGE) {
      const batch = hexes.slice(i, i + LIST_PAGE);
      try {
        const r = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map((h) => ({ Key: this.key(h) })), Quiet: true },
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
        if (!isNotImplemented(err)) throw this.wrap(err, 'deleting objects');
        await runLimited(batch, 16, async (h) => {
          try {
            await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(h) }));
          } catch (e) {
            if (!isNotFound(e)) throw this.wrap(e, `deleting object ${h.slice(0, 12)}`);
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
        page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: this.prefix + OBJECTS_PREFIX,
            KeyMarker,
            UploadIdMarker,
          }),
        );
      } catch (err) {
        if (isNotImplemented(err)) return;
        throw this.wrap(err, 'listing unfinished uploads');
      }
      for (const u of page.Uploads ?? []) {
        if (!u.Key || !u.UploadId || !u.Initiated || Date.now() - u.Initiated.getTime() < olderThanMs) continue;
        try {
          await this.client.send(
            new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }),
          );
        } catch (err) {
          if (!isNotFound(err)) throw this.wrap(err, `aborting the unfinished upload of ${u.Key}`);
        }
      }
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (KeyMarker);
  }

  close(): void {
    this.client.destroy();
  }

  private wrap(err: unknown, doing: string): MvgitError {
    return s3Error(err, doing, { name: this.name, url: this.url, bucket: this.bucket, endpoint: this.endpoint });
  }
}
