import fs from 'node:fs';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { isJobError, type HashResult } from '../store/jobs.js';
import { runPool } from '../store/pool.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { fileAbs, walkArtifactDir, walked, type WalkedFile, type WalkFindings } from './walk.js';

/** A file of an artifact as it is in the work tree now. */
export interface WorkFile {
  size: number;
  executable: boolean;
  /** Content hash: from the stat cache when the fingerprint matches, else freshly hashed. */
  hex: string;
  key: string;
  /** A symlink not read through (see WalkedFile.link): its content is in no cache. */
  link?: true;
}

/** What an artifact's path holds in the work tree. */
export interface WorkScan {
  /** 'none' when nothing is there; 'file' or 'dir' otherwise. */
  shape: 'none' | 'file' | 'dir';
  /** Path inside the artifact ('' for a single file) -> file. */
  files: Map<string, WorkFile>;
  /** True when every file's hash came from the stat cache. */
  fromCache: boolean;
  /** How many files, and bytes, were hashed because the stat cache did not vouch for them. */
  hashed?: { files: number; bytes: number };
  /** Symlinks and `.git` entries met inside a folder (see WalkFindings). */
  findings: WalkFindings;
}

/**
 * Looks at an artifact's path in the work tree and finds each file's content hash, hashing
 * only files whose stat fingerprint changed since mvgit last saw them.
 */
export async function scanWorkTree(
  ws: Workspace,
  repoPath: string,
  abs: string,
  state: ArtifactState,
  onProgress?: OnProgress,
  dirs?: Record<string, string>,
): Promise<WorkScan> {
  const findings: WalkFindings = { links: [], gitDirs: [], ...(dirs ? { dirs } : {}) };
  const lst = fs.lstatSync(abs, { bigint: true, throwIfNoEntry: false });
  if (!lst) return { shape: 'none', files: new Map(), fromCache: true, findings };
  // The artifact's own path may be a link the user made (`data -> /mnt/big`): src/core/workspace/write-guard.ts decides.
  const st = lst.isSymbolicLink() ? fs.statSync(abs, { bigint: true, throwIfNoEntry: false }) : lst;
  if (!st) return { shape: 'none', files: new Map(), fromCache: true, findings };
  const listed = st.isDirectory()
    ? walkArtifactDir(abs, ws.repo.root, repoPath, ws.store.dir, findings)
    : [walked('', st)];
  const { files, fromCache, hashed } = await fingerprinted(ws, repoPath, abs, listed, state, onProgress);
  return { shape: st.isDirectory() ? 'dir' : 'file', files, fromCache, hashed, findings };
}

/**
 * Some files of a folder artifact, by path inside it, as the work tree has them now (absent
 * ones left out). Null when one of them is not a plain file or lies under a symlink: the
 * caller then walks the whole folder, which reports such links.
 */
export async function scanFiles(
  ws: Workspace,
  repoPath: string,
  abs: string,
  rels: string[],
  state: ArtifactState,
  onProgress?: OnProgress,
): Promise<WorkScan | null> {
  const listed: WalkedFile[] = [];
  const realDirs = new Map<string, boolean>();
  const underLink = (rel: string): boolean => {
    const dir = rel.slice(0, rel.lastIndexOf('/'));
    if (dir === '') return false;
    let linked = realDirs.get(dir);
    if (linked === undefined) {
      linked = underLink(dir) || fs.lstatSync(`${abs}/${dir}`, { throwIfNoEntry: false })?.isSymbolicLink() === true;
      realDirs.set(dir, linked);
    }
    return linked;
  };
  for (const rel of rels) {
    if (underLink(rel)) return null;
    let st = fs.lstatSync(`${abs}/${rel}`, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      // mvgit's own links into the store (link mode symlink) are compared through; any other is the walk's to report.
      if (!fs.readlinkSync(`${abs}/${rel}`).startsWith(`${ws.store.dir}/`)) return null;
      st = fs.statSync(`${abs}/${rel}`, { throwIfNoEntry: false });
    }
    if (!st) continue;
    if (!st.isFile()) return null;
    listed.push(walked(rel, st));
  }
  const { files, fromCache } = await fingerprinted(ws, repoPath, abs, listed, state, onProgress);
  return { shape: 'dir', files, fromCache, findings: { links: [], gitDirs: [] } };
}

/** Each listed file with its content hash: from the stat cache where the fingerprint matches, else hashed. */
async function fingerprinted(
  ws: Workspace,
  repoPath: string,
  root: string,
  listed: WalkedFile[],
  state: ArtifactState,
  onProgress?: OnProgress,
): Promise<{ files: Map<string, WorkFile>; fromCache: boolean; hashed: { files: number; bytes: number } }> {
  const files = new Map<string, WorkFile>();
  const unknown: string[] = [];
  let linked = false;
  let hashedBytes = 0;
  for (const f of listed) {
    if (f.link) {
      files.set(f.rel, { size: 0, executable: false, hex: '', key: '', link: true });
      linked = true;
      continue;
    }
    const key = f.key;
    const known = state.files[f.rel];
    const executable = f.executable;
    if (known && known[0] === key) files.set(f.rel, { size: f.size, executable, hex: known[1], key });
    else {
      unknown.push(f.rel);
      hashedBytes += f.size;
      files.set(f.rel, { size: f.size, executable, hex: '', key: '' });
    }
  }
  if (unknown.length > 0) {
    let done = 0;
    const results = await runPool({
      op: 'hash',
      objectsDir: ws.store.dir,
      mode: ws.mode,
      items: { length: unknown.length, at: (i) => ({ abs: fileAbs(root, unknown[i]) }) },
      onResult: () => onProgress?.({ phase: 'hash', done: ++done, total: unknown.length, path: repoPath }),
    });
    results.forEach((r, i) => {
      const f = files.get(unknown[i])!;
      if (isJobError(r)) {
        // Vanished or unreadable while we looked: treat as absent rather than guess its content.
        files.delete(unknown[i]);
        return;
      }
      const h = r as HashResult;
      f.hex = h.hex;
      f.key = h.key;
      f.size = h.size;
    });
  }
  return {
    files,
    fromCache: unknown.length === 0 && !linked,
    hashed: { files: unknown.length, bytes: hashedBytes },
  };
}

/** The stat-cache record of a scan; `oid` is set when the scan is known to equal that content. */
export function stateOf(scan: WorkScan, oid?: string): ArtifactState {
  const files: ArtifactState['files'] = {};
  for (const [rel, f] of scan.files) if (f.key) files[rel] = [f.key, f.hex];
  return { ...(oid ? { oid } : {}), files };
}
