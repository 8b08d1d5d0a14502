/**
 * The checks a hook makes before it decides there is work: plain stats against what mvgit
 * last saw, nothing that loads YAML, isomorphic-git or a worker. A hook with nothing to do must
 * cost little more than starting Node, even beside a 20,000-file dataset.
 */
import fs from 'node:fs';
import path from 'node:path';
import { msOf, statKey } from '../../base/fs/stat-key.js';
import { TMP_MARK } from '../../base/fs/temp-files.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { RACY_NS } from '../../base/fs/stat-key.js';
import { keyOf, type FolderSnapshot } from '../store/folder-snapshot.js';

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

/** True when the pointer file is the one mvgit last wrote or restored from, as far as a stat can tell. */
export function pointerAsRecorded(pointerAbs: string, state: ArtifactState): boolean {
  if (!state.pointer) return false;
  return (
    keyOf(pointerAbs) === state.pointer[0] && state.oid !== undefined && state.pointer[1] === `sha256:${state.oid}`
  );
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
  const stats = new Float64Array(files.length * 4);
  const hashes = Buffer.alloc(files.length * 32);
  files.forEach((rel, i) => {
    const st = walked.files.get(rel)!;
    stats.set([Number(st.ino), Number(st.size), msOf(st.mtimeNs), msOf(st.ctimeNs)], i * 4);
    hashes.write(state.files[rel][1], i * 32, 32, 'hex');
  });
  const dev = files.length > 0 ? Number(walked.files.get(files[0])!.dev) : 0;
  if (files.some((rel) => Number(walked.files.get(rel)!.dev) !== dev)) return { same: true };
  return { same: true, snapshot: { dirs: walked.dirs, files, stats, hashes, links: walked.links, dev } };
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
