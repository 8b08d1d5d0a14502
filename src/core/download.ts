/**
 * Bringing one object from a remote into the cache. The bytes are hashed as they stream into a
 * temp file beside the object's final name; only a file whose hash matches its name is sealed
 * (read-only, fixed mtime) and renamed into place. Anything else is deleted: nothing corrupt
 * ever enters the cache.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from './cache.js';
import { errnoCode, MvgitError } from './errors.js';
import { publishObject, SEAL_SECONDS, tmpPathBeside } from './fileops.js';
import { hashFile, sha256Hex } from './hash.js';
import type { Remote } from './remote/remote.js';

/**
 * Downloads and verifies one object. `size`, when known, is checked too. `what` names the
 * artifact in errors.
 */
export async function downloadObject(store: ObjectStore, remote: Remote, hex: string, what: string, size: number | undefined, onBytes?: (n: number) => void): Promise<void> {
  const dest = store.path(hex);
  if (fs.existsSync(dest)) return;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (remote.localPath) {
    const got = await fromFolder(remote, hex, what, size, dest);
    if (got >= 0) {
      onBytes?.(got);
      return;
    }
  }
  const tmp = tmpPathBeside(dest);
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
  try {
    const source = await remote.get(hex);
    await pipeline(source, tap, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
    const got = hash.digest('hex');
    if (got !== hex || (size !== undefined && received !== size)) throw corruptOnRemote(remote, hex, what, got, received, size);
    publishObject(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Objects up to this size from a folder remote are read whole, in one call. */
const WHOLE_READ_LIMIT = 8 << 20;

/**
 * An object from a folder remote on this machine: verified where it lies, then hard-linked into
 * the cache when it is sealed and on the same file system (as push links it there: objects
 * never change, and a write through any link breaks the seal every holder checks), else
 * copied. Thousands of small files go ten times faster than through two streams. Returns the
 * bytes brought in, or -1 when the remote's file is missing (the stream path reports it).
 */
async function fromFolder(remote: Remote, hex: string, what: string, size: number | undefined, dest: string): Promise<number> {
  const src = remote.localPath!(hex);
  const st = fs.statSync(src, { throwIfNoEntry: false });
  if (!st?.isFile()) return -1;
  let data: Buffer | undefined;
  let got: string;
  if (st.size <= WHOLE_READ_LIMIT) {
    data = fs.readFileSync(src);
    got = sha256Hex(data);
  } else {
    got = (await hashFile(src)).hex;
  }
  if (got !== hex || (size !== undefined && st.size !== size)) throw corruptOnRemote(remote, hex, what, got, st.size, size);
  // The seal is the mtime: a write through any link moves it. (A chmod does not, and is undone.)
  if (Math.floor(st.mtimeMs / 1000) === SEAL_SECONDS) {
    try {
      fs.linkSync(src, dest);
      if ((st.mode & 0o222) !== 0) fs.chmodSync(dest, 0o444);
      return st.size;
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') return st.size;
      // another file system, or links not allowed: copy below
    }
  }
  const tmp = tmpPathBeside(dest);
  try {
    if (data) fs.writeFileSync(tmp, data, { mode: 0o444, flag: 'wx' });
    else await fs.promises.copyFile(src, tmp, fs.constants.COPYFILE_FICLONE | fs.constants.COPYFILE_EXCL);
    publishObject(tmp, dest);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return st.size;
}

function corruptOnRemote(remote: Remote, hex: string, what: string, got: string, received: number, size: number | undefined): MvgitError {
  return new MvgitError('OBJECT_CORRUPT', `object ${hex} for ${what} on remote '${remote.name}' (${remote.url}) is corrupt: its content ${got !== hex ? `hashes to ${got.slice(0, 12)}` : `is ${received} bytes, not ${size}`}; it was not kept`, {
    hint: `push a good copy from a clone that has it (mvgit push -r ${remote.name}), then pull again`,
    data: { oid: `sha256:${hex}`, artifact: what, remote: remote.name },
  });
}
