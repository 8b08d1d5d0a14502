/**
 * Adding a folder whose memo (folder-memo.ts) names the few files edited in place since it was
 * last found in step with its pointer: only those are stored, and the new manifest is the old
 * one with their lines rewritten. Nothing came, went or was renamed (every subfolder's
 * fingerprint held), so the folder's listing is the old manifest's, which add's checks (no
 * links, no `.git`, no pointer inside) already passed. One file changed in a million then costs
 * the memo's one stat per file, the one hash, and two sequential writes (manifest, memo), not a
 * walk, a million-entry stat cache and a sorted million-entry manifest.
 */
import { RACY_MS } from '../../base/fs/stat-key.js';
import { sha256Hex } from '../../base/hash.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { absPath } from '../repo/repo.js';
import { manifestLine, manifestLinePrefix } from '../pointer/manifest.js';
import { pointerPathFor, type Pointer } from '../pointer/pointer.js';
import { recordsOf, type FolderSnapshot } from '../store/folder-snapshot.js';
import { isJobError, type JobError } from '../store/jobs.js';
import { runPool } from '../store/pool.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { folderAsRemembered, MAX_EDITED, type RememberedFolder } from './folder-memo.js';

/**
 * The folder's memo, when an add can take its files from it; null when add must walk. `checked`
 * is the memo as a caller found it a moment ago (the pre-commit hook), so the files are not
 * stat'ed twice.
 */
export function rememberedForAdd(ws: Workspace, repoPath: string, checked?: RememberedFolder): RememberedFolder | null {
  const abs = absPath(ws.repo, repoPath);
  const memo =
    checked && checked.changed.length <= MAX_EDITED
      ? checked
      : folderAsRemembered(ws.repo, repoPath, abs, absPath(ws.repo, pointerPathFor(repoPath)), MAX_EDITED);
  // Links are add's to refuse or read through (walk.ts); objects not seen at this generation
  // must be looked for in the store, which the full add does.
  if (!memo || memo.snapshot.links || memo.present !== ws.store.generation()) return null;
  return memo;
}

/** What recordFromMemo measured: the pointer's content, and the records to keep. */
export interface MemoRecord {
  content: Pick<Pointer, 'oid' | 'size' | 'files'>;
  /** The memo to write once the pointer is written; absent when an edit is too recent to vouch for (racy git). */
  memo?: { snapshot: FolderSnapshot; present?: string };
  /** The stat-cache records, when there is no memo to write. */
  nextState: ArtifactState;
}

/**
 * Stores the edited files of a remembered folder and writes its new manifest. Null when the old
 * manifest does not have the canonical line of an edited file (written by another tool): the
 * full add then does the work.
 */
export async function recordFromMemo(
  ws: Workspace,
  repoPath: string,
  memo: RememberedFolder,
  previousSize: number,
  storeFailure: (path: string, r: JobError) => Error,
  onProgress?: OnProgress,
): Promise<MemoRecord | null> {
  const { snapshot: snap, changed } = memo;
  const abs = absPath(ws.repo, repoPath);
  const old = ws.store.readVerified(memo.oid, `the manifest of ${repoPath}`);
  const lines = changed.map((i) => lineAt(old, snap.files[i]));
  if (lines.some((l) => l === null)) return null;
  let done = 0;
  const results = await runPool({
    op: 'store',
    objectsDir: ws.store.dir,
    mode: ws.mode,
    items: changed.map((i) => ({ abs: `${abs}/${snap.files[i]}` })),
    onResult: () => onProgress?.({ phase: 'store', done: ++done, total: changed.length, path: repoPath }),
  });
  const parts: Buffer[] = [];
  let at = 0;
  let size = previousSize;
  const racy: string[] = [];
  const racyAfter = Date.now() - RACY_MS;
  const order = changed.map((_, k) => k).sort((a, b) => lines[a]!.start - lines[b]!.start);
  for (const k of order) {
    const i = changed[k];
    const r = results[k];
    const rel = snap.files[i];
    if (isJobError(r)) throw storeFailure(`${repoPath}/${rel}`, r);
    const s = r as { hex: string; size: number; executable: boolean; key: string | null };
    const { start, end } = lines[k]!;
    parts.push(
      old.subarray(at, start),
      Buffer.from(manifestLine({ path: rel, oid: s.hex, size: s.size, x: s.executable })),
    );
    at = end;
    size += s.size - snap.stats[i * 4 + 1];
    const f = s.key ? s.key.split(':').map(Number) : [];
    if (f.length !== 5 || f[0] !== snap.dev || f[3] > racyAfter || f[4] > racyAfter) racy.push(rel);
    else snap.stats.set(f.slice(1), i * 4);
    Buffer.from(snap.hashes.buffer, snap.hashes.byteOffset + i * 32, 32).write(s.hex, 'hex');
  }
  parts.push(old.subarray(at));
  const bytes = Buffer.concat(parts);
  const hex = sha256Hex(bytes);
  ws.store.putBuffer(bytes);
  const content = { oid: `sha256:${hex}`, size, files: snap.files.length };
  const present = ws.store.generation();
  if (racy.length === 0) return { content, memo: { snapshot: snap, present }, nextState: { files: {} } };
  // A file edited this very moment cannot vouch for itself: the other records go to the stat
  // cache, not whole, and the next look hashes that one again.
  const files = recordsOf(snap);
  for (const rel of racy) delete files[rel];
  return { content, nextState: { files } };
}

/** Where the canonical line of `rel` sits in the manifest's bytes, or null. */
function lineAt(manifest: Buffer, rel: string): { start: number; end: number } | null {
  const prefix = manifestLinePrefix(rel);
  let start = manifest.indexOf(`\n${prefix}`);
  if (start >= 0) start += 1;
  else if (manifest.subarray(0, Buffer.byteLength(prefix)).toString() === prefix) start = 0;
  else return null;
  const end = manifest.indexOf('\n', start);
  return end < 0 ? null : { start, end: end + 1 };
}
