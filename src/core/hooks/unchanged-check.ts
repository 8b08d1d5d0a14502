/**
 * The checks a hook makes before it decides there is work: plain stats against what mvgit
 * last saw, nothing that loads YAML, isomorphic-git or a worker. A hook with nothing to do must
 * cost little more than starting Node, even beside a 20,000-file dataset.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { msOf, statKey } from '../../base/fs/stat-key.js';
import { TMP_MARK } from '../../base/fs/temp-files.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { RACY_NS } from '../../base/fs/stat-key.js';

/** A git operation that rewrites the work tree step by step; hooks that run inside one stand aside. */
export type GitOperation = 'rebase' | 'cherry-pick' | 'revert' | 'merge';

/**
 * The operation in progress in this work tree, read from the marker files git keeps in its
 * git dir (per worktree, so `repo.gitDir`, not the common dir).
 */
export function operationInProgress(
  gitDir: string,
  which: readonly GitOperation[] = ['rebase', 'cherry-pick', 'revert', 'merge'],
): GitOperation | null {
  const has = (name: string): boolean => fs.existsSync(path.join(gitDir, name));
  if (which.includes('rebase') && (has('rebase-merge') || has('rebase-apply'))) return 'rebase';
  if (which.includes('cherry-pick') && has('CHERRY_PICK_HEAD')) return 'cherry-pick';
  if (which.includes('revert') && has('REVERT_HEAD')) return 'revert';
  if (which.includes('merge') && has('MERGE_HEAD')) return 'merge';
  return null;
}

/** Stat fingerprint through symlinks (as add and checkout take them), or null when absent. */
export function keyOf(abs: string): string | null {
  const st = fs.statSync(abs, { bigint: true, throwIfNoEntry: false });
  return st ? statKey(st) : null;
}

/** True when the pointer file is the one mvgit last wrote or restored from, as far as a stat can tell. */
export function pointerAsRecorded(pointerAbs: string, state: ArtifactState): boolean {
  if (!state.pointer) return false;
  return (
    keyOf(pointerAbs) === state.pointer[0] && state.oid !== undefined && state.pointer[1] === `sha256:${state.oid}`
  );
}

/**
 * A folder as one walk saw it: each subfolder's fingerprint (an entry added, removed or renamed
 * changes its folder's) and a digest of every file's (inode, size, mtime, ctime), in order.
 * Checking it costs one stat per file and no string building, which is what lets a pre-commit
 * beside a 20,000-file dataset stay near Node's start-up time.
 */
export interface FolderSnapshot {
  dirs: Record<string, string>;
  files: string[];
  digest: string;
  /** Some files are symlinks (cache.link symlink): stat through them; else lstat, which is cheaper. */
  links: boolean;
}

/** The per-file numbers a snapshot digests, as Node's number Stats give them. */
function putStat(values: Float64Array, i: number, ino: number, size: number, mtimeMs: number, ctimeMs: number): void {
  values[i * 4] = ino;
  values[i * 4 + 1] = size;
  values[i * 4 + 2] = mtimeMs;
  values[i * 4 + 3] = ctimeMs;
}

function digestOf(values: Float64Array): string {
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

export interface WorkTreeCheck {
  /** Every file of the artifact is as the stat cache recorded it, and there are no others. */
  same: boolean;
  /** For a folder found the same: what to remember so the next check needs no walk (absent when a linked folder or a racy mtime makes it unsafe). */
  snapshot?: FolderSnapshot;
}

/** Compares an artifact in the work tree with its stat-cache record, walking a folder once. */
export function workTreeAsRecorded(abs: string, state: ArtifactState, isDir: boolean): WorkTreeCheck {
  const known = Object.entries(state.files);
  if (!isDir) {
    const st = fs.statSync(abs, { bigint: true, throwIfNoEntry: false });
    return {
      same: known.length === 1 && known[0][0] === '' && st?.isFile() === true && statKey(st) === known[0][1][0],
    };
  }
  const walked = walkStats(abs);
  if (!walked || walked.files.size !== known.length) return { same: false };
  for (const [rel, [key]] of known) {
    const st = walked.files.get(rel);
    if (!st || statKey(st) !== key) return { same: false };
  }
  const racyAfter = BigInt(Date.now()) * 1_000_000n - RACY_NS;
  const racy =
    [...walked.files.values()].some((st) => st.mtimeNs > racyAfter || st.ctimeNs > racyAfter) || walked.racyDir;
  if (walked.linkedDir || racy) return { same: true };
  const files = [...walked.files.keys()];
  const values = new Float64Array(files.length * 4);
  files.forEach((rel, i) => {
    const st = walked.files.get(rel)!;
    putStat(values, i, Number(st.ino), Number(st.size), msOf(st.mtimeNs), msOf(st.ctimeNs));
  });
  return { same: true, snapshot: { dirs: walked.dirs, files, digest: digestOf(values), links: walked.links } };
}

/**
 * Every file under `abs` with its stats (through symlinks), and every folder's fingerprint.
 * Null when the walk meets something only the full walk (walk.ts) handles: our temp files, or
 * a folder that went away meanwhile.
 */
function walkStats(abs: string): {
  files: Map<string, fs.BigIntStats>;
  dirs: Record<string, string>;
  linkedDir: boolean;
  racyDir: boolean;
  links: boolean;
} | null {
  const files = new Map<string, fs.BigIntStats>();
  const dirs: Record<string, string> = {};
  let linkedDir = false;
  let links = false;
  let racyDir = false;
  const racyAfter = BigInt(Date.now()) * 1_000_000n - RACY_NS;
  const walk = (dir: string, prefix: string): boolean => {
    const dst = fs.statSync(dir, { bigint: true, throwIfNoEntry: false });
    if (!dst) return false;
    if (dst.mtimeNs > racyAfter || dst.ctimeNs > racyAfter) racyDir = true;
    dirs[prefix.replace(/\/$/, '')] = statKey(dst);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const d of entries) {
      if (d.name.includes(TMP_MARK)) return false;
      const child = `${dir}/${d.name}`;
      const rel = prefix + d.name;
      if (d.isDirectory()) {
        if (!walk(child, `${rel}/`)) return false;
      } else if (d.isFile() || d.isSymbolicLink()) {
        if (d.isSymbolicLink()) links = true;
        const st = fs.statSync(child, { bigint: true, throwIfNoEntry: false });
        if (!st) return false;
        if (st.isDirectory()) {
          // A linked folder's content changes without touching our folders' fingerprints.
          linkedDir = true;
          if (!walk(child, `${rel}/`)) return false;
        } else if (st.isFile()) files.set(rel, st);
      }
    }
    return true;
  };
  return walk(abs, '') ? { files, dirs, linkedDir, racyDir, links } : null;
}
