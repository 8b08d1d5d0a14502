/**
 * A folder artifact switched between two versions (a branch switch, a pull): only the files
 * the two manifests disagree on are looked at, as git looks only at the paths a switch
 * changes; and the folders that removals leave empty are pruned.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { autoFetch } from '../transfer/autofetch.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { clearDeadTemps } from '../../base/fs/temp-files.js';
import { manifestChanges, type ManifestEntry } from '../pointer/manifest.js';
import { oidHex, type Pointer } from '../pointer/pointer.js';
import { scanFiles, type WorkScan } from './scan.js';
import type { ArtifactState } from '../store/stat-cache.js';

/** The artifact being switched: its repo path and its new pointer. */
export interface SwitchedArtifact {
  path: string;
  pointer: Pointer;
  onProgress?: OnProgress;
}

/**
 * For a folder whose work tree was recorded whole at the old manifest: the paths the old and
 * new manifests disagree on, scanned (stat, and hash where the stat cache cannot vouch), the
 * new manifest's entries for them, and the records of every other file (`state.files` itself,
 * the changed paths taken out of it). Undefined when the
 * old manifest is not at hand or the folder is gone: then the whole folder is looked at.
 */
export async function switchStep(
  ws: Workspace,
  req: SwitchedArtifact,
  state: ArtifactState,
  dest: string,
): Promise<{ scan: WorkScan; target: Map<string, ManifestEntry>; untouched: ArtifactState['files'] } | undefined> {
  if (!fs.statSync(dest, { throwIfNoEntry: false })?.isDirectory() || !ws.store.has(state.oid!)) return undefined;
  await autoFetch(ws, [{ oid: oidHex(req.pointer.oid) }], req.path, req.onProgress);
  // The record is whole at the old manifest (state.oid), so it says each old path's oid.
  const old = state.files;
  let changed: Set<string>;
  let target: Map<string, ManifestEntry>;
  try {
    const hex = oidHex(req.pointer.oid);
    ({ changed, target } = manifestChanges(
      // One lookup per path: what a name like `constructor` inherits is no array.
      { oidOf: (rel) => (Array.isArray(old[rel]) ? old[rel][1] : undefined), paths: () => Object.keys(old) },
      { bytes: () => verifiedPieces(ws, hex), name: `${req.path} (${hex.slice(0, 12)})` },
    ));
  } catch {
    return undefined; // a missing or damaged manifest: the full path reports it
  }

  // Null when a changed path lies under a symlink: the full walk reports it, and nothing here
  // looks through it.
  const scan = await scanFiles(ws, req.path, dest, [...changed], state, req.onProgress);
  if (!scan) return undefined;
  // The records of the files left alone are the loaded record less the changed paths: taken
  // in place, as a copy of a million records would double what the switch holds.
  const untouched = state.files;
  for (const rel of changed) delete untouched[rel];
  // A run killed mid-switch leaves temp files beside the files it was writing; the full walk
  // clears those it meets, and here only these folders are looked at.
  for (const dir of new Set([...changed].map((rel) => path.dirname(path.join(dest, rel))))) clearDeadTemps(dir);
  return { scan, target, untouched };
}

/**
 * A manifest object read in pieces (a million-file one is ~110 MB) and checked against its
 * name as it is read: the last piece throws if the bytes do not match, so what was read from
 * a damaged object is never used (the caller drops it all).
 */
function* verifiedPieces(ws: Workspace, hex: string): Generator<Buffer> {
  const fd = fs.openSync(ws.store.path(hex), 'r');
  try {
    const hash = createHash('sha256');
    for (;;) {
      const piece = Buffer.allocUnsafe(PIECE);
      const n = fs.readSync(fd, piece, 0, PIECE, null);
      if (n === 0) break;
      hash.update(piece.subarray(0, n));
      yield piece.subarray(0, n);
    }
    if (hash.digest('hex') !== hex) throw new Error(`manifest ${hex} does not match its name`);
  } finally {
    fs.closeSync(fd);
  }
}

const PIECE = 1 << 20;

/** Removes folders emptied by removals, deepest first, never `root` itself. */
export function pruneEmptyDirs(root: string, removed: string[]): void {
  const dirs = new Set<string>();
  for (const rel of removed) {
    let slash = rel.lastIndexOf('/');
    while (slash > 0) {
      dirs.add(rel.slice(0, slash));
      slash = rel.lastIndexOf('/', slash - 1);
    }
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      fs.rmdirSync(path.join(root, d));
    } catch {
      // not empty: it still holds files of the artifact
    }
  }
}
