/**
 * Bringing one object from a remote into the cache. The bytes are hashed on their way into a
 * temp file (small ones in memory, before it is written); only a file whose hash matches its
 * name is sealed (read-only, fixed mtime) and renamed into place. Anything else is deleted: nothing corrupt
 * ever enters the cache.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '../store/object-store.js';
import { MvgitError } from '../../base/errors.js';
import { publishObject } from '../../base/object-layout.js';
import { fetchSmallObject, writeObjectFromBuffer } from '../store/file-ops.js';
import { tmpPathBeside } from '../../base/fs/temp-files.js';
import { hashFile, sha256Hex } from '../../base/hash.js';
import type { Remote } from '../../adapters/remote/remote.js';

/** Fan-out folders this process has made (or found). */
const madeDirs = new Set<string>();

/**
 * Downloads and verifies one object. `size`, when known, is checked too. `what` names the
 * artifact in errors.
 */
export async function downloadObject(
  store: ObjectStore,
  remote: Remote,
  hex: string,
  what: string,
  size: number | undefined,
  onBytes?: (n: number) => void,
): Promise<void> {
  const dest = store.path(hex);
  if (fs.existsSync(dest)) return;
  const dir = path.dirname(dest);
  // One mkdir per fan-out folder and process, not one per object (a fetch makes thousands).
  if (!madeDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  if (remote.localPath) {
    const got = await fromFolder(remote, hex, what, size, dest);
    if (got >= 0) {
      onBytes?.(got);
      return;
    }
  }
  if (size !== undefined && size <= SMALL_OBJECT) return fromStreamWhole(remote, hex, what, size, dest, onBytes);
  const tmp = tmpPathBeside(dest);
  try {
    const { hex: got, size: received } = await streamVerifying(remote, hex, tmp, onBytes);
    if (got !== hex || (size !== undefined && received !== size))
      throw corruptOnRemote(remote, hex, what, got, received, size);
    publishObject(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Streams an object from the remote into a new file (never over an existing one), hashing it on
 * the way: the caller compares the digest and size with what it asked for, and says what a
 * mismatch means where it is (a cache object, `mvgit get`'s output).
 */
export async function streamVerifying(
  remote: Remote,
  hex: string,
  dest: string,
  onBytes?: (n: number) => void,
): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let received = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      received += chunk.length;
      onBytes?.(chunk.length);
      cb(null, chunk);
    },
  });
  await pipeline(
    await remote.get(hex),
    tap,
    fs.createWriteStream(dest, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 20 }),
  );
  return { hex: hash.digest('hex'), size: received };
}

/** Objects up to this size from a network remote are gathered in memory, then hashed and written at once. */
const SMALL_OBJECT = 1 << 20;

/**
 * A small object: three streams (source, hash tap, file) per 4 KiB file cost more than the
 * request, so the bytes are gathered, checked, and written in one call. Never more than
 * `size` bytes are kept: a remote sending more is corrupt, and says so.
 */
async function fromStreamWhole(
  remote: Remote,
  hex: string,
  what: string,
  size: number,
  dest: string,
  onBytes?: (n: number) => void,
): Promise<void> {
  const source = await remote.get(hex);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > size) break;
      chunks.push(chunk);
    }
  } finally {
    source.destroy();
  }
  const data = Buffer.concat(chunks);
  const got = sha256Hex(data);
  if (got !== hex || received !== size) throw corruptOnRemote(remote, hex, what, got, received, size);
  writeObjectFromBuffer(dest, data, tmpPathBeside(dest));
  onBytes?.(data.length);
}

/**
 * An object from a folder remote on this machine, read (a small one, see fetchSmallObject) or
 * copied (cloned where the file system can) into a temp beside its name, never hard-linked:
 * the remote is a backup, and in hardlink mode the cache object becomes a work-tree file that
 * a write as root would change in place. What is checked is what is kept: small objects are
 * hashed in memory and written from that buffer, large ones hashed from the copy. Thousands
 * of small files go ten times faster than through two streams. Returns the bytes brought in, or -1 when the remote's file is missing
 * (the stream path reports it).
 */
async function fromFolder(
  remote: Remote,
  hex: string,
  what: string,
  size: number | undefined,
  dest: string,
): Promise<number> {
  const src = remote.localPath!(hex);
  const small = fetchSmallObject(src, dest, hex, size);
  if (small === 'missing') return -1;
  if (small !== 'large') {
    if (small.hex !== hex || (size !== undefined && small.size !== size))
      throw corruptOnRemote(remote, hex, what, small.hex, small.size, size);
    return small.size;
  }
  const tmp = tmpPathBeside(dest);
  try {
    await fs.promises.copyFile(src, tmp, fs.constants.COPYFILE_FICLONE | fs.constants.COPYFILE_EXCL);
    const got = await hashFile(tmp);
    if (got.hex !== hex || (size !== undefined && got.size !== size))
      throw corruptOnRemote(remote, hex, what, got.hex, got.size, size);
    publishObject(tmp, dest);
    return got.size;
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** What mends a corrupt copy on a remote. */
export function repairHint(remote: string): string {
  return `from a clone whose cache has a good copy, run 'mvgit fsck --remote -r ${remote} --repair', then pull again`;
}

function corruptOnRemote(
  remote: Remote,
  hex: string,
  what: string,
  got: string,
  received: number,
  size: number | undefined,
): MvgitError {
  return new MvgitError(
    'OBJECT_CORRUPT',
    `object ${hex} for ${what} on remote '${remote.name}' (${remote.url}) is corrupt: its content ${got !== hex ? `hashes to ${got.slice(0, 12)}` : `is ${received} bytes, not ${size}`}; it was not kept`,
    {
      // Push skips what the remote has, so only fsck can replace a bad copy that is there.
      hint: repairHint(remote.name),
      data: { oid: `sha256:${hex}`, artifact: what, remote: remote.name },
    },
  );
}
