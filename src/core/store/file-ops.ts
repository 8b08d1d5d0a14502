/**
 * The per-file work of add and checkout, synchronous on purpose: it runs in worker threads
 * (src/core/store/pool-worker.ts), where a blocking loop of syscalls is the fastest thing Node can
 * do, and in the main thread for small jobs. It imports nothing but node: built-ins so a worker
 * starts in a few milliseconds.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CHUNK, hashFileSync, sha256Hex } from '../../base/hash.js';
import { tmpPathBeside } from '../../base/fs/temp-files.js';
import { statKey } from '../../base/fs/stat-key.js';
import { objectPath, objectSealed, SEAL_SECONDS, sealAndPublish } from '../../base/object-layout.js';

/** How a work-tree file is made from a cache object (`auto` is resolved before this layer). */
export type ResolvedLinkMode = 'copy' | 'reflink' | 'hardlink' | 'symlink';

/** Files up to this size are read into memory whole; larger ones are streamed in CHUNKs. */
export const WHOLE_READ_LIMIT = 8 << 20;

/**
 * Where objects are written before they are renamed to their names: one folder for the whole
 * store, so clearing what a killed add left reads one folder, not the 256 fan-out ones.
 */
export function storeTempDir(objectsDir: string): string {
  return path.join(objectsDir, 'tmp');
}

/** A temp path for a new object of the store `objectsDir`, in its temp folder. */
export function storeTempPath(objectsDir: string): string {
  return tmpPathBeside(path.join(storeTempDir(objectsDir), 'object'));
}

/** A temp path for the object file `obj` (`<objectsDir>/ab/cdef...`). */
function objectTemp(obj: string): string {
  return storeTempPath(path.dirname(path.dirname(obj)));
}

/**
 * Runs a write into `dir`, making the folder only when the write finds it missing: no extra
 * syscall per file when it exists, and no stale memory of folders removed since (a long-lived
 * library user may delete the cache or a restored folder between two calls).
 */
function intoDir<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    // Another thread may make the folder between our write and this mkdir: both are fine.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fs.mkdirSync(dir, { recursive: true });
    return write();
  }
}

/**
 * Writes an object from memory: a temp created read-only, written, sealed through its open
 * descriptor (no second path lookup), then renamed to its name. The temp is in the store's
 * temp folder, or at `tmp` when given: a temp beside the object is renamed within one folder,
 * which does not take the file system's lock on renames between folders (two threads fetching
 * 100,000 objects: kernel time 12-30 s through the temp folder, 12-15 s beside; 4 runs each).
 */
export function writeObjectFromBuffer(obj: string, data: Buffer, tmp = objectTemp(obj)): void {
  const fd = intoDir(path.dirname(tmp), () => fs.openSync(tmp, 'wx', 0o444));
  try {
    writeAll(fd, data);
    fs.futimesSync(fd, SEAL_SECONDS, SEAL_SECONDS);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  intoDir(path.dirname(obj), () => fs.renameSync(tmp, obj));
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
}

/**
 * One read buffer per thread, reused for every small file: 20,000 files of a dataset need no
 * 20,000 allocations (and their garbage collection). Only one file is in it at a time: all the
 * per-file work is synchronous.
 */
let scratch = Buffer.allocUnsafe(1 << 16);

/**
 * Reads `size` bytes of the open file into the scratch buffer; null when the file ends early
 * (it shrank while being read, which the caller's before/after fstat also sees).
 */
function readSmall(fd: number, size: number): Buffer | null {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  let got = 0;
  while (got < size) {
    const n = fs.readSync(fd, scratch, got, size - got, got);
    if (n === 0) return null;
    got += n;
  }
  return scratch.subarray(0, size);
}

/**
 * Brings object `hex` into the store at `obj` from `src`, a folder remote's copy, when that is a
 * regular file of at most WHOLE_READ_LIMIT bytes: read through one descriptor (no separate
 * stat), hashed in memory, and written from the checked bytes only when they hash to `hex` and
 * are `size` bytes (when known). Returns what the bytes hashed to, for the caller's message;
 * 'missing' when `src` is no regular file; 'large' when it is bigger than the limit (the
 * size is read before any byte, so a huge file is never read into memory).
 */
export function fetchSmallObject(
  src: string,
  obj: string,
  hex: string,
  size: number | undefined,
): { hex: string; size: number } | 'missing' | 'large' {
  let fd: number;
  try {
    // Without waiting: a FIFO where an object should be would block the open forever.
    fd = fs.openSync(src, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw err;
  }
  let data: Buffer;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return 'missing';
    if (st.size > WHOLE_READ_LIMIT) return 'large';
    // A copy that shrank while read is not the object: its empty hash says so.
    data = readSmall(fd, st.size) ?? Buffer.alloc(0);
  } finally {
    fs.closeSync(fd);
  }
  const got = { hex: sha256Hex(data), size: data.length };
  if (got.hex === hex && (size === undefined || got.size === size))
    writeObjectFromBuffer(obj, data, tmpPathBeside(obj));
  return got;
}

export interface StoredFile {
  hex: string;
  size: number;
  executable: boolean;
  /** The work-tree file's fingerprint after storing, or null when it changed while we read it. */
  key: string | null;
}

/**
 * Puts one work-tree file into the object store. A small file is read once into memory, hashed,
 * and written (copy), cloned (reflink) or hard-linked (hardlink, which makes the work file
 * read-only) into the store; a large one is copied by the kernel and the copy hashed
 * (streamIntoStore). symlink mode stores a copy and replaces the work file with a link to it.
 * The user's file is never truncated or removed: replacing it is always a rename of a complete
 * new file over it.
 */
export function storeFile(objectsDir: string, abs: string, mode: ResolvedLinkMode): StoredFile {
  // The file is looked at through one descriptor: fstat before and after the read tell whether
  // it changed meanwhile, without two more path lookups (keys are taken through symlinks, as
  // the folder walk and the hash job take them, and open follows them).
  const fd = fs.openSync(abs, 'r');
  let before: fs.Stats;
  let data: Buffer | null = null;
  let after: fs.Stats | undefined;
  try {
    before = fs.fstatSync(fd);
    if (before.size <= WHOLE_READ_LIMIT) {
      data = readSmall(fd, before.size);
      after = fs.fstatSync(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
  const executable = (before.mode & 0o100) !== 0;
  let size = before.size;
  let hex: string;
  if (data) {
    hex = createHash('sha256').update(data).digest('hex');
    const obj = objectPath(objectsDir, hex);
    if (!objectSealed(obj, data.length)) {
      if (mode === 'hardlink') linkIntoStore(abs, obj, hex, data, executable);
      else if (mode === 'reflink') cloneIntoStore(abs, obj);
      else writeObjectFromBuffer(obj, data);
    }
  } else {
    // The size the object really has, should the file have grown or shrunk while it was copied.
    ({ hex, size } = streamIntoStore(objectsDir, abs));
  }
  if (mode === 'hardlink' || mode === 'symlink') {
    replaceWithLink(objectPath(objectsDir, hex), abs, mode, executable);
    return { hex, size, executable, key: statKey(fs.statSync(abs)) };
  }
  // A large file was copied by path: its fingerprint is taken by path after the copy.
  after ??= fs.statSync(abs);
  const unchanged = data !== null || after.ino === before.ino;
  const key = statKey(after);
  return { hex, size, executable, key: unchanged && key === statKey(before) ? key : null };
}

/**
 * Makes the user's file itself the object (hardlink mode). Called when no sealed object of
 * this name exists; one whose seal is broken may have been written through another link, so
 * it is kept only if it still matches its name, and otherwise replaced: linking the user's
 * file to it would swap their content for the damaged bytes.
 */
function linkIntoStore(abs: string, obj: string, hex: string, data: Buffer, executable: boolean): void {
  if (fs.existsSync(obj) && verifyObject(obj, hex)) {
    fs.utimesSync(obj, SEAL_SECONDS, SEAL_SECONDS);
    return;
  }
  const tmp = objectTemp(obj);
  try {
    intoDir(path.dirname(tmp), () => fs.linkSync(abs, tmp));
  } catch {
    // Across devices or where links are not allowed, keep the data safe by copying instead.
    writeObjectFromBuffer(obj, data);
    return;
  }
  fs.chmodSync(tmp, executable ? 0o555 : 0o444);
  intoDir(path.dirname(obj), () => sealAndPublish(tmp, obj));
}

/**
 * A hard-linked or symlinked work file has its object's mode, so a script keeps its executable
 * bit only if the object has it. Bits are only ever added: other links may need them.
 */
function keepExecutable(obj: string, executable: boolean): void {
  if (executable && (fs.statSync(obj).mode & 0o111) !== 0o111) fs.chmodSync(obj, 0o555);
}

function cloneIntoStore(abs: string, obj: string): void {
  const tmp = objectTemp(obj);
  intoDir(path.dirname(tmp), () =>
    fs.copyFileSync(abs, tmp, fs.constants.COPYFILE_FICLONE | fs.constants.COPYFILE_EXCL),
  );
  fs.chmodSync(tmp, 0o444);
  intoDir(path.dirname(obj), () => sealAndPublish(tmp, obj));
}

/**
 * Large files: the kernel copies the file into a temp object (a reflink where the file system
 * shares blocks, else copy_file_range: no bytes pass through a user-space buffer), then the temp
 * object itself is hashed. Hashing the copy, not the source, is what keeps an object's bytes and
 * its name in step: a writer still changing the user's file can only make the copy differ from
 * what the file holds afterwards (storeFile sees that in its before/after stat and records no
 * key), never from its own name. It is the same work as hashing the source (one copy, one read
 * of 1x the bytes, warm in the page cache since they were just written), and no stat-based check
 * (size + mtime) can promise that, since a write within one clock tick leaves mtime unchanged.
 */
function streamIntoStore(objectsDir: string, abs: string): { hex: string; size: number } {
  // What a killed add left in tmpDir is cleared by the next add, before its workers start.
  const tmpDir = storeTempDir(objectsDir);
  const tmp = storeTempPath(objectsDir);
  let hex: string;
  let size: number;
  try {
    intoDir(tmpDir, () => copyInto(abs, tmp));
    ({ hex, size } = hashFileSync(tmp));
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  const obj = objectPath(objectsDir, hex);
  // An object whose seal is broken may have been damaged: the fresh copy replaces it.
  if (objectSealed(obj, size)) fs.rmSync(tmp, { force: true });
  else {
    fs.chmodSync(tmp, 0o444);
    intoDir(path.dirname(obj), () => sealAndPublish(tmp, obj));
  }
  return { hex, size };
}

/** Flags of the kernel copy, a test seam for the file systems that cannot clone (see copyInto). */
export const copyFlags = { clone: fs.constants.COPYFILE_FICLONE };

/**
 * Copies `src` to the new file `dest` in the kernel: COPYFILE_FICLONE asks for a reflink and
 * lets libuv fall back to copy_file_range (then sendfile) where the file system cannot clone.
 * Should the copy itself be refused (EXDEV, ENOTSUP, EINVAL on some network and FUSE file
 * systems), a plain read/write loop does it: slower, never wrong.
 */
export function copyInto(src: string, dest: string): void {
  try {
    fs.copyFileSync(src, dest, copyFlags.clone | fs.constants.COPYFILE_EXCL);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EINVAL' && code !== 'ENOSYS')
      throw err;
    fs.rmSync(dest, { force: true });
  }
  copyByBuffer(src, dest);
}

/** The fallback copy: one reusable buffer, so memory stays flat whatever the file's size. */
export function copyByBuffer(src: string, dest: string): void {
  const from = fs.openSync(src, 'r');
  let to = -1;
  try {
    to = fs.openSync(dest, 'wx', 0o444);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(from, buf, 0, CHUNK, null);
      if (n === 0) break;
      let off = 0;
      while (off < n) off += fs.writeSync(to, buf, off, n - off);
    }
  } finally {
    fs.closeSync(from);
    if (to >= 0) fs.closeSync(to);
  }
}

/** Replaces `dest` by a hard link or symlink to `obj`, atomically (link beside, then rename). */
function replaceWithLink(obj: string, dest: string, mode: 'hardlink' | 'symlink', executable: boolean): void {
  keepExecutable(obj, executable);
  const cur = fs.lstatSync(dest, { throwIfNoEntry: false });
  if (mode === 'hardlink') {
    const o = fs.statSync(obj);
    if (cur && cur.ino === o.ino && cur.dev === o.dev) return;
  } else if (cur?.isSymbolicLink() && fs.readlinkSync(dest) === obj) return;
  const tmp = tmpPathBeside(dest);
  if (mode === 'hardlink') fs.linkSync(obj, tmp);
  else fs.symlinkSync(obj, tmp);
  fs.renameSync(tmp, dest);
}

/** Re-hashes an object in the store; true when its bytes match its name. */
export function verifyObject(obj: string, hex: string): boolean {
  return hashFileSync(obj).hex === hex;
}

export class ObjectFault extends Error {
  constructor(
    readonly kind: 'missing' | 'corrupt',
    readonly hex: string,
    readonly objectFile: string,
  ) {
    super(`object ${hex} is ${kind}`);
  }
}

/**
 * Makes `dest` hold the object's content, atomically: the new file is written beside `dest`
 * and renamed over it, so a kill at any point leaves either the old file or the new one.
 * With `direct`, `dest` is in a staging folder nobody sees until it is renamed into place
 * whole, so the file is written at its name (one rename per folder instead of per file).
 * An object whose seal is broken is re-hashed first and refused when corrupt.
 * Returns the new file's fingerprint for the stat cache.
 */
export function restoreFile(
  objectsDir: string,
  hex: string,
  size: number,
  dest: string,
  mode: ResolvedLinkMode,
  executable: boolean,
  direct = false,
): string {
  const obj = objectPath(objectsDir, hex);
  if (mode === 'copy' && size <= WHOLE_READ_LIMIT) {
    const key = restoreSmallCopy(obj, hex, size, dest, executable, direct);
    if (key !== null) return key;
  }
  const st = fs.statSync(obj, { throwIfNoEntry: false });
  if (!st) throw new ObjectFault('missing', hex, obj);
  if (st.size !== size || st.mtimeMs !== SEAL_SECONDS * 1000) checkBrokenSeal(obj, hex);
  const target = direct ? dest : tmpPathBeside(dest);
  const dir = path.dirname(dest);
  try {
    switch (mode) {
      case 'hardlink':
        keepExecutable(obj, executable);
        intoDir(dir, () => fs.linkSync(obj, target));
        break;
      case 'symlink':
        keepExecutable(obj, executable);
        intoDir(dir, () => fs.symlinkSync(obj, target));
        break;
      default:
        intoDir(dir, () => fs.copyFileSync(obj, target, mode === 'reflink' ? fs.constants.COPYFILE_FICLONE : 0));
        // The copy inherits the object's read-only mode; a copy is the user's to edit.
        fs.chmodSync(target, executable ? 0o755 & ~umask() : 0o644 & ~umask());
    }
    if (!direct) fs.renameSync(target, dest);
  } catch (err) {
    if (!direct) fs.rmSync(target, { force: true });
    throw err;
  }
  return statKey(fs.statSync(dest));
}

/** An object whose seal is broken is re-hashed, refused when corrupt, and sealed again when sound. */
function checkBrokenSeal(obj: string, hex: string): void {
  if (!verifyObject(obj, hex)) throw new ObjectFault('corrupt', hex, obj);
  fs.utimesSync(obj, SEAL_SECONDS, SEAL_SECONDS);
}

/**
 * The common case of a copy-mode checkout, a small file, in as few syscalls as the job allows:
 * the object is opened once (its fstat checks the seal), read whole (null, and nothing written,
 * when the seal is broken), and the new file is
 * created with its final mode (umask applies: no chmod), written, and fingerprinted through its
 * own descriptor. Only outside a staging folder is it renamed into place, and then its
 * fingerprint is taken after the rename, which moves ctime.
 */
function restoreSmallCopy(
  obj: string,
  hex: string,
  size: number,
  dest: string,
  executable: boolean,
  direct: boolean,
): string | null {
  let fd: number;
  try {
    fd = fs.openSync(obj, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectFault('missing', hex, obj);
    throw err;
  }
  let data: Buffer | null = null;
  try {
    const st = fs.fstatSync(fd);
    if (st.size === size && st.mtimeMs === SEAL_SECONDS * 1000) data = readSmall(fd, size);
  } finally {
    fs.closeSync(fd);
  }
  // A broken seal (or a size other than the manifest's) takes the general path, which
  // re-hashes the object and copies all of it.
  if (!data) return null;
  const target = direct ? dest : tmpPathBeside(dest);
  const out = intoDir(path.dirname(dest), () => fs.openSync(target, 'wx', executable ? 0o755 : 0o644));
  let key: string;
  try {
    writeAll(out, data);
    key = statKey(fs.fstatSync(out));
  } catch (err) {
    fs.closeSync(out);
    if (!direct) fs.rmSync(target, { force: true });
    throw err;
  }
  fs.closeSync(out);
  if (direct) return key;
  try {
    fs.renameSync(target, dest);
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw err;
  }
  return statKey(fs.statSync(dest));
}

let cachedUmask: number | undefined;
function umask(): number {
  if (cachedUmask === undefined) {
    // process.umask() with no argument is deprecated and unavailable in workers; read it once.
    try {
      const status = fs.readFileSync('/proc/self/status', 'utf8');
      const m = /^Umask:\s*([0-7]+)/m.exec(status);
      cachedUmask = m ? parseInt(m[1], 8) : 0o022;
    } catch {
      cachedUmask = 0o022;
    }
  }
  return cachedUmask;
}
