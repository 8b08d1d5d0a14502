import fs from 'node:fs';
import path from 'node:path';
import { memoFileIn } from '../store/stat-cache.js';
import type { Repo } from '../repo/repo.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  keyOf,
  snapshotChanges,
  type FolderSnapshot,
} from '../store/folder-snapshot.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/**
 * What the hooks and status remember of a folder artifact they found unchanged: the pointer file's
 * fingerprint and oid then, and a snapshot of the folder (every file's stats and content hash).
 * While the pointer file and the snapshot still hold, the folder is exactly what it was, which
 * was what its pointer says, so the stat cache (one large JSON per folder) need not even be
 * read. Kept beside the stat cache in `<git dir>/mvgit/hooks/`, one binary file per folder (a
 * million files' stats and hashes read without parsing); it is only a shortcut: anything odd
 * means "look properly".
 */
interface MemoHead {
  v: 2;
  path: string;
  pointer: string;
  oid: string;
  /** The object store's generation when every object of `oid` was seen in it (status reads it). */
  present?: string;
}

/**
 * More files edited in place than this are left to the full add, which walks (the memo-driven
 * add looks each one up in the manifest: record-from-memo.ts).
 */
export const MAX_EDITED = 64;

/** A folder remembered, and what a check found of it now. */
export interface RememberedFolder {
  oid: string;
  present?: string;
  /** The pointer file's fingerprint when remembered. */
  pointer: string;
  snapshot: FolderSnapshot;
  /** Indexes of the files whose stats changed since (edited in place, or only touched). */
  changed: number[];
}

function memoFile(repo: Repo, artifactPath: string): string {
  return memoFileIn(repo.dataDir, artifactPath);
}

/**
 * The remembered folder artifact, when its pointer file is as remembered and at most `limit`
 * of its files changed in place since (which ones, in `changed`); null when anything else
 * differs or nothing is remembered.
 */
export function folderAsRemembered(
  repo: Repo,
  artifactPath: string,
  abs: string,
  pointerAbs: string,
  limit = 0,
): RememberedFolder | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(memoFile(repo, artifactPath));
  } catch {
    return null;
  }
  const memo = decodeSnapshot(bytes);
  if (!memo) return null;
  const head = memo.head as Partial<MemoHead>;
  if (head.v !== 2 || head.path !== artifactPath || typeof head.oid !== 'string' || typeof head.pointer !== 'string')
    return null;
  if (keyOf(pointerAbs) !== head.pointer) return null;
  const changed = snapshotChanges(abs, memo.snap, limit);
  if (!changed) return null;
  return {
    oid: head.oid,
    pointer: head.pointer,
    snapshot: memo.snap,
    changed,
    ...(typeof head.present === 'string' ? { present: head.present } : {}),
  };
}

/**
 * Remembers a folder a hook has just checked against the stat cache and found in step with its
 * pointer (`pointer` is the pointer file's fingerprint then, `oid` its content oid).
 */
export function rememberFolder(
  repo: Repo,
  artifactPath: string,
  pointer: string,
  oid: string,
  snapshot: FolderSnapshot,
  present?: string,
): void {
  const file = memoFile(repo, artifactPath);
  const head: MemoHead = { v: 2, path: artifactPath, pointer, oid, ...(present ? { present } : {}) };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, encodeSnapshot(head, snapshot));
    // The JSON form earlier versions wrote is no longer read.
    fs.rmSync(file.replace(/\.memo$/, '.json'), { force: true });
  } catch {
    // a read-only git dir only loses the shortcut
  }
}
