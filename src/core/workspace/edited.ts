/**
 * Status of a remembered folder from its memo alone (no walk, no stat cache, no manifest): the
 * few files that changed in place are hashed and compared with the hashes remembered beside
 * their stats, so one edited file in a million-file dataset costs one stat per file, as a no-op
 * status does, plus the one hash; and a folder whose objects were not yet seen in the cache (a
 * first add) is checked there from the memo's hashes.
 */
import fs from 'node:fs';
import { hashFileSync } from '../../base/hash.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { rememberFolder, type RememberedFolder } from './folder-memo.js';
import { hashAt, restat } from '../store/folder-snapshot.js';

/**
 * The paths of the changed files whose content differs from the remembered one, in walk order
 * (empty: only touched, and the memo now holds their new stats). Null when status must look
 * properly: the changed files hold more than `maxBytes`, one went away meanwhile, or every
 * edited file's content is in the cache (the work tree may hold a known version, which only
 * the full status names).
 */
export function editedInPlace(
  ws: Workspace,
  artifactPath: string,
  abs: string,
  memo: RememberedFolder,
  maxBytes: number,
  onProgress?: OnProgress,
): string[] | null {
  const { snapshot: snap } = memo;
  const stat = snap.links ? fs.statSync : fs.lstatSync;
  const stats = memo.changed.map((i) => stat(`${abs}/${snap.files[i]}`, { throwIfNoEntry: false }));
  if (stats.reduce((n, st) => n + (st?.size ?? 0), 0) > maxBytes) return null;
  const edited: string[] = [];
  const editedHex: string[] = [];
  let touched = false;
  for (const [k, i] of memo.changed.entries()) {
    const st = stats[k];
    if (!st?.isFile()) return null;
    let hex: string;
    try {
      hex = hashFileSync(`${abs}/${snap.files[i]}`).hex;
      onProgress?.({ phase: 'hash', done: k + 1, total: memo.changed.length, path: artifactPath });
    } catch {
      return null; // gone or unreadable while we looked: the full status says what it is
    }
    if (hex === hashAt(snap, i)) touched = restat(snap, i, st) || touched;
    else {
      edited.push(snap.files[i]);
      editedHex.push(hex);
    }
  }
  if (edited.length > 0 && editedHex.every((h) => ws.store.has(h))) return null;
  if (touched) rememberFolder(ws.repo, artifactPath, memo.pointer, memo.oid, snap, memo.present);
  return edited;
}

/** The objects a remembered folder needs that the cache lacks: its manifest's, else its files'. */
export function memoNotInCache(
  ws: Workspace,
  memo: RememberedFolder,
  hex: string,
  has: (hex: string) => boolean,
): string[] {
  if (!ws.store.has(hex)) return [hex];
  const missing = new Set<string>();
  for (let i = 0; i < memo.snapshot.files.length; i++) {
    const h = hashAt(memo.snapshot, i);
    if (!has(h)) missing.add(h);
  }
  return [...missing];
}
