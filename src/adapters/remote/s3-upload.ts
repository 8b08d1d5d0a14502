/**
 * Uploads to an S3 remote. An object appears under its key whole or not at all: a PutObject
 * is atomic, and a multipart upload is visible only once completed (a failed one is aborted, a
 * killed one is swept by `S3Remote.sweepTemps`). A small object is checked against its id
 * before it leaves, so a corrupt cache file is never uploaded.
 */
import fs from 'node:fs';
import { Transform } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { MvgitError } from '../../base/errors.js';
import { sha256Hex } from '../../base/hash.js';
import type { TransferHooks } from './remote.js';
import type { S3Target } from './s3-client.js';

/** Objects above this size go up in parts, several at once. */
export const MULTIPART_THRESHOLD = 64 << 20;
const MIN_PART = 8 << 20;
const PART_QUEUE = 4;
/** Objects up to this size are read into memory, checked, and sent in one buffer. */
const SMALL_BODY = 1 << 20;

/** In-memory bodies whose sha256 was checked against their object id, with it. */
const checked = new WeakMap<Uint8Array, string>();

/**
 * SigV4 signs the sha256 of the body, which the SDK would hash again for every request: a
 * checked body's sha256 is its object id, so it goes in the header as is, and S3 rejects the
 * request if the bytes that arrive do not match it.
 */
export function signWithObjectIds(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.input as { Body?: unknown }).Body;
      const hex = body instanceof Uint8Array ? checked.get(body) : undefined;
      const req = args.request as { headers?: Record<string, string> };
      if (hex !== undefined && req.headers) req.headers['x-amz-content-sha256'] = hex;
      return next(args);
    },
    { step: 'build', name: 'mvgitObjectIdPayloadHash' },
  );
}

/**
 * A small file's first `size` bytes, read whole: a stream per object (open, read, pipe through a
 * counter) costs more than the request for the many small files of a dataset, and readFile
 * takes a thread-pool round trip more (fstat) than open, read, close. Off the main thread all
 * the same: a file the page cache has dropped must not stall the other transfers meanwhile.
 */
function readWhole(file: string, size: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    fs.open(file, 'r', (err, fd) => {
      if (err) return reject(err);
      const buf = Buffer.allocUnsafe(size);
      fs.read(fd, buf, 0, size, 0, (rerr, n) => {
        fs.close(fd, () => {});
        if (rerr) reject(rerr);
        else resolve(n === size ? buf : buf.subarray(0, n));
      });
    });
  });
}

export async function putObject(
  t: S3Target,
  hex: string,
  file: string,
  size: number,
  hooks?: TransferHooks,
): Promise<void> {
  const Key = t.key(hex);
  const doing = `uploading object ${hex.slice(0, 12)}`;
  if (size <= SMALL_BODY) {
    let data: Buffer;
    try {
      data = await readWhole(file, size);
    } catch (err) {
      throw t.wrap(err, doing);
    }
    if (sha256Hex(data) !== hex)
      throw new MvgitError(
        'OBJECT_CORRUPT',
        `object ${hex.slice(0, 12)} in the local cache is corrupt (its content no longer matches its hash); not uploaded: ${file}`,
        { hint: "run 'mvgit fsck --repair' to move it aside, then 'mvgit add' the file again or pull a good copy" },
      );
    checked.set(data, hex);
    try {
      await t.client.send(
        new PutObjectCommand({
          Bucket: t.bucket,
          Key,
          Body: data,
          ContentLength: data.length,
          ContentType: 'application/octet-stream',
        }),
      );
    } catch (err) {
      throw t.wrap(err, doing);
    }
    hooks?.onBytes?.(data.length);
    return;
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
      await t.client.send(
        new PutObjectCommand({
          Bucket: t.bucket,
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
      client: t.client,
      params: { Bucket: t.bucket, Key, Body: body, ContentType: 'application/octet-stream' },
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
    throw t.wrap(err, doing);
  } finally {
    body.destroy();
  }
}
