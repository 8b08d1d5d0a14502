/**
 * A folder as one walk saw it, cheap to check again: each subfolder's fingerprint (an entry
 * added, removed or renamed changes its folder's) and a digest of every file's (inode, size,
 * mtime, ctime), in order. Checking it costs one stat per file, no readdir and no string
 * building, which is what lets a no-op status or pre-commit beside a million files cost less
 * than a bare walk of them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { RACY_MS, statKey } from '../../base/fs/stat-key.js';

export interface FolderSnapshot {
  dirs: Record<string, string>;
  files: string[];
  digest: string;
  /** Some files are symlinks (cache.link symlink): stat through them; else lstat, which is cheaper. */
  links: boolean;
}

/** Stat fingerprint through symlinks (as add and checkout take them), or null when absent. */
export function keyOf(abs: string): string | null {
  const st = fs.statSync(abs, { bigint: true, throwIfNoEntry: false });
  return st ? statKey(st) : null;
}

/** The per-file numbers a snapshot digests, as Node's number Stats give them. */
export function putStat(
  values: Float64Array,
  i: number,
  ino: number,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
): void {
  values[i * 4] = ino;
  values[i * 4 + 1] = size;
  values[i * 4 + 2] = mtimeMs;
  values[i * 4 + 3] = ctimeMs;
}

export function digestOf(values: Float64Array): string {
  return createHash('sha1')
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
}

const NO_THROW = { throwIfNoEntry: false } as const;

/** True when every folder and file is as the snapshot saw them, and no entry came or went. */
export function snapshotHolds(abs: string, snap: FolderSnapshot): boolean {
  for (const [rel, key] of Object.entries(snap.dirs))
    if (keyOf(rel === '' ? abs : `${abs}/${rel}`) !== key) return false;
  const values = new Float64Array(snap.files.length * 4);
  const stat = snap.links ? fs.statSync : fs.lstatSync;
  const prefix = `${abs}/`;
  for (let i = 0; i < snap.files.length; i++) {
    const st = stat(prefix + snap.files[i], NO_THROW);
    if (!st) return false;
    putStat(values, i, st.ino, st.size, st.mtimeMs, st.ctimeMs);
  }
  return digestOf(values) === snap.digest;
}

/**
 * A snapshot from fingerprints a walk already took (statKey strings: dev:ino:size:mtime:ctime),
 * so a status that found every file as recorded can remember the folder without a second walk.
 * Null when a fingerprint is too recent to vouch for its file (racy git), or is not one.
 */
export function snapshotFromKeys(
  files: { rel: string; key: string }[],
  dirs: Record<string, string>,
  now = Date.now(),
): FolderSnapshot | null {
  const racyAfter = now - RACY_MS;
  const fresh = (key: string): boolean | null => {
    const parts = key.split(':');
    if (parts.length !== 5) return null;
    return Number(parts[3]) > racyAfter || Number(parts[4]) > racyAfter;
  };
  for (const key of Object.values(dirs)) if (fresh(key) !== false) return null;
  const values = new Float64Array(files.length * 4);
  const rels = new Array<string>(files.length);
  for (let i = 0; i < files.length; i++) {
    const { rel, key } = files[i];
    const parts = key.split(':');
    if (parts.length !== 5) return null;
    const [mtime, ctime] = [Number(parts[3]), Number(parts[4])];
    if (mtime > racyAfter || ctime > racyAfter) return null;
    putStat(values, i, Number(parts[1]), Number(parts[2]), mtime, ctime);
    rels[i] = rel;
  }
  return { dirs, files: rels, digest: digestOf(values), links: false };
}
