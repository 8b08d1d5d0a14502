/**
 * A folder as one walk saw it, cheap to check again: each subfolder's fingerprint (an entry
 * added, removed or renamed changes its folder's), and each file's (inode, size, mtime, ctime)
 * and content hash, in walk order. Checking it costs one stat per file, no readdir and no
 * string building, which is what lets a no-op status or pre-commit beside a million files cost
 * less than a bare walk of them; and when a few files were edited in place, it says which, so
 * status hashes those and looks at nothing else.
 */
import fs from 'node:fs';
import { RACY_MS, statKey } from '../../base/fs/stat-key.js';

export interface FolderSnapshot {
  dirs: Record<string, string>;
  /** Paths inside the folder, in walk order. */
  files: string[];
  /** Four numbers per file, in `files` order: inode, size, mtimeMs, ctimeMs (Node's number stats). */
  stats: Float64Array;
  /** 32 bytes per file, in `files` order: the sha256 its content had, in step with the pointer then. */
  hashes: Uint8Array;
  /** Some files are symlinks (cache.link symlink): stat through them; else lstat, which is cheaper. */
  links: boolean;
  /** The device every file is on (a fingerprint's first field). */
  dev: number;
}

/** Stat fingerprint through symlinks (as add and checkout take them), or null when absent. */
export function keyOf(abs: string): string | null {
  const st = fs.statSync(abs, { bigint: true, throwIfNoEntry: false });
  return st ? statKey(st) : null;
}

/** The hex content hash the snapshot recorded for file `i`. */
export function hashAt(snap: FolderSnapshot, i: number): string {
  return Buffer.from(snap.hashes.buffer, snap.hashes.byteOffset + i * 32, 32).toString('hex');
}

const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * The files (indexes into `snap.files`) whose stats differ from the snapshot's: edited in
 * place, or touched. Null when the snapshot cannot say: a folder changed (an entry came, went
 * or was renamed), a file is gone or is no longer a plain file, or more than `limit` differ.
 */
export function snapshotChanges(abs: string, snap: FolderSnapshot, limit = Number.POSITIVE_INFINITY): number[] | null {
  for (const [rel, key] of Object.entries(snap.dirs))
    if (keyOf(rel === '' ? abs : `${abs}/${rel}`) !== key) return null;
  const changed: number[] = [];
  const v = snap.stats;
  const stat = snap.links ? fs.statSync : fs.lstatSync;
  const prefix = `${abs}/`;
  for (let i = 0; i < snap.files.length; i++) {
    const st = stat(prefix + snap.files[i], NO_THROW);
    if (!st?.isFile()) return null;
    const o = i * 4;
    if (st.ino !== v[o] || st.size !== v[o + 1] || st.mtimeMs !== v[o + 2] || st.ctimeMs !== v[o + 3]) {
      if (changed.length >= limit) return null;
      changed.push(i);
    }
  }
  return changed;
}

/** True when every folder and file is as the snapshot saw them, and no entry came or went. */
export function snapshotHolds(abs: string, snap: FolderSnapshot): boolean {
  return snapshotChanges(abs, snap, 0) !== null;
}

/**
 * A snapshot from fingerprints a walk already took (statKey strings: dev:ino:size:mtime:ctime)
 * and the content hashes recorded with them, so a status or hook that found every file as
 * recorded can remember the folder without a second walk. Null when a fingerprint is too recent
 * to vouch for its file (racy git), or is not one.
 */
export function snapshotFromKeys(
  files: { rel: string; key: string; hex: string }[],
  dirs: Record<string, string>,
  links = false,
  now = Date.now(),
): FolderSnapshot | null {
  return snapshotOf(files.length, (i) => files[i], dirs, links, now);
}

/**
 * snapshotFromKeys over `count` files given one at a time by `at`, so a million-file add need
 * not build an array of them first.
 */
export function snapshotOf(
  count: number,
  at: (i: number) => { rel: string; key: string; hex: string },
  dirs: Record<string, string>,
  links = false,
  now = Date.now(),
): FolderSnapshot | null {
  const racyAfter = now - RACY_MS;
  const fresh = (key: string): boolean | null => {
    const parts = key.split(':');
    if (parts.length !== 5) return null;
    return Number(parts[3]) > racyAfter || Number(parts[4]) > racyAfter;
  };
  for (const key of Object.values(dirs)) if (fresh(key) !== false) return null;
  const first = count > 0 ? at(0).key : '';
  const dev = count > 0 ? Number(first.slice(0, first.indexOf(':'))) : 0;
  const stats = new Float64Array(count * 4);
  const hashes = Buffer.alloc(count * 32);
  const rels = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const { rel, key, hex } = at(i);
    const parts = key.split(':');
    if (parts.length !== 5 || hex.length !== 64 || Number(parts[0]) !== dev) return null;
    const [mtime, ctime] = [Number(parts[3]), Number(parts[4])];
    if (mtime > racyAfter || ctime > racyAfter) return null;
    stats.set([Number(parts[1]), Number(parts[2]), mtime, ctime], i * 4);
    if (hashes.write(hex, i * 32, 32, 'hex') !== 32) return null;
    rels[i] = rel;
  }
  return { dirs, files: rels, stats, hashes, links, dev };
}

/**
 * Takes file `i`'s new stats after its content was found unchanged (a touch): false, and the
 * snapshot left alone, when they are too recent to vouch for it (racy git).
 */
export function restat(snap: FolderSnapshot, i: number, st: fs.Stats, now = Date.now()): boolean {
  const racyAfter = now - RACY_MS;
  if (st.mtimeMs > racyAfter || st.ctimeMs > racyAfter) return false;
  snap.stats.set([st.ino, st.size, st.mtimeMs, st.ctimeMs], i * 4);
  return true;
}

/**
 * The snapshot as bytes, in pieces for writeFileAtomic (a million files' are ~90 MB, never held
 * twice): a JSON head (folders, count), then the stats, the hashes and the names.
 */
export function* encodeSnapshot(head: object, snap: FolderSnapshot): Generator<Uint8Array> {
  const json = Buffer.from(
    JSON.stringify({ ...head, dirs: snap.dirs, links: snap.links, dev: snap.dev, n: snap.files.length }),
  );
  // The stats start on an 8-byte boundary so a read can view them without a copy.
  const first = Buffer.alloc(align8(4 + json.length));
  first.writeUInt32LE(json.length, 0);
  json.copy(first, 4);
  yield first;
  yield new Uint8Array(snap.stats.buffer, snap.stats.byteOffset, snap.stats.byteLength);
  yield snap.hashes;
  for (let i = 0; i < snap.files.length; i += NAMES_PER_PIECE) {
    const names = snap.files.slice(i, i + NAMES_PER_PIECE).join('\0');
    yield Buffer.from(i === 0 ? names : `\0${names}`, 'utf8');
  }
}

const NAMES_PER_PIECE = 65_536;

/** The head and snapshot encodeSnapshot wrote; null when the bytes are not one (damaged, or another format). */
export function decodeSnapshot(buf: Buffer): { head: Record<string, unknown>; snap: FolderSnapshot } | null {
  try {
    const len = buf.readUInt32LE(0);
    const head = JSON.parse(buf.toString('utf8', 4, 4 + len)) as Record<string, unknown>;
    const n = head.n;
    const { links, dev } = head;
    if (typeof n !== 'number' || typeof links !== 'boolean' || typeof dev !== 'number') return null;
    if (typeof head.dirs !== 'object' || !head.dirs) return null;
    const statsAt = align8(4 + len);
    const hashesAt = statsAt + n * 32;
    const namesAt = hashesAt + n * 32;
    if (namesAt > buf.length) return null;
    const off = buf.byteOffset + statsAt;
    // A small file's bytes may sit in Node's shared pool at any offset: copy when not aligned.
    const stats =
      off % 8 === 0
        ? new Float64Array(buf.buffer, off, n * 4)
        : new Float64Array(new Uint8Array(buf.subarray(statsAt, hashesAt)).buffer);
    const files = n === 0 ? [] : buf.toString('utf8', namesAt).split('\0');
    if (files.length !== n) return null;
    const snap = { dirs: head.dirs as Record<string, string>, files, stats, hashes: buf.subarray(hashesAt, namesAt) };
    return { head, snap: { ...snap, links, dev } };
  } catch {
    return null;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * The snapshot as stat-cache records (path -> [fingerprint, hex]), for the code paths that
 * compare a walk against them; the fingerprints are spelled as statKey spells number stats.
 */
export function recordsOf(snap: FolderSnapshot): Record<string, [key: string, hex: string]> {
  const files: Record<string, [string, string]> = {};
  const v = snap.stats;
  for (let i = 0; i < snap.files.length; i++) {
    const o = i * 4;
    files[snap.files[i]] = [`${snap.dev}:${v[o]}:${v[o + 1]}:${v[o + 2]}:${v[o + 3]}`, hashAt(snap, i)];
  }
  return files;
}
