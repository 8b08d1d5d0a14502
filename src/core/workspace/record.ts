/**
 * Recording one artifact: hashing and storing its bytes (reusing the stat cache), then writing
 * its pointer and .gitignore line. add.ts decides what to record and checks it first.
 */
import fs from 'node:fs';
import { findArtifact, writePointerFile } from '../history/work-tree-pointers.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { MvgitError } from '../../base/errors.js';
import { statKey } from '../../base/fs/stat-key.js';
import { isJobError, type JobError, type StoreItem } from '../store/jobs.js';
import type { StoredFile } from '../store/file-ops.js';
import { manifestPieces, type ManifestEntry } from '../pointer/manifest.js';
import { oidHex, pointerPathFor, type ArtifactKind, type Pointer, type PointerMeta } from '../pointer/pointer.js';
import { runPool } from '../store/pool.js';
import { absPath } from '../repo/repo.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { ensureIgnored } from './track.js';
import { kindByExtension } from './framework.js';
import { fileAbs, walkArtifactDir, type FolderSeen, type WalkedFile } from './walk.js';
import { rememberFolder, type RememberedFolder } from './folder-memo.js';
import { recordFromMemo, type MemoRecord } from './record-from-memo.js';
import { snapshotOf } from '../store/folder-snapshot.js';

export interface AddOptions {
  kind?: ArtifactKind;
  /** Merged into the pointer's meta (params, metrics, inputs, description...). */
  meta?: PointerMeta;
  /** Repo paths of the artifacts these were made from: recorded with their oids as on disk (lineage.ts). */
  inputs?: string[];
  onProgress?: OnProgress;
  cwd?: string;
  /** addTracked only: records just the matches this accepts (the pre-commit hook passes the ones it found changed). */
  only?: (artifactPath: string) => boolean;
  /** Record content that an older commit already recorded (see known-version.ts) as the newest version anyway. */
  force?: boolean;
  /** addTracked only: folders whose memo the caller has just checked (folder-memo.ts), by path. */
  remembered?: ReadonlyMap<string, RememberedFolder>;
}

/** One artifact recorded by add. */
export interface AddedArtifact {
  path: string;
  pointerPath: string;
  kind: ArtifactKind;
  oid: string;
  size: number;
  files?: number;
  /** True when the pointer's bytes changed (new artifact or new content): something to commit. */
  changed: boolean;
  /** The .gitignore that gained a line, if any. */
  gitignore: string | null;
  /** Things the user should know, such as metrics unchanged for new bytes (absent when none). */
  warnings?: string[];
}

function storeFailure(path: string, r: JobError): MvgitError {
  return new MvgitError('LINK_FAILED', `could not store ${path}: ${r.error.message}`, {
    hint: 'check permissions and free disk space, then run the command again: it resumes where it stopped',
    data: { path },
  });
}

/** A folder as add listed it: its files, and what the walk saw of its folders (for the memo). */
export interface AddListing {
  files: WalkedFile[];
  seen: FolderSeen;
}

/** One artifact hashed and stored, its pointer not written yet. */
export interface Measured {
  path: string;
  isDir: boolean;
  previous: Pointer | null;
  content: Pick<Pointer, 'oid' | 'size' | 'files'>;
  nextState: ArtifactState;
  /** A folder taken from its memo: the memo to write with the pointer (instead of the stat cache). */
  memo?: MemoRecord['memo'];
}

/**
 * Hashes and stores one artifact, reusing the stat cache; a folder whose memo names its edits
 * (`memo`, from rememberedForAdd) stores just those.
 */
export async function measureArtifact(
  ws: Workspace,
  repoPath: string,
  isDir: boolean,
  options: AddOptions,
  listing?: AddListing,
  memo?: RememberedFolder | null,
): Promise<Measured> {
  const abs = absPath(ws.repo, repoPath);
  const previous = readPreviousPointer(ws, repoPath);
  if (memo && previous?.oid === `sha256:${memo.oid}`) {
    const r = await recordFromMemo(ws, repoPath, memo, previous.size, storeFailure, options.onProgress);
    if (r) return { path: repoPath, isDir, previous, ...r };
  }
  const state = ws.state.load(repoPath);
  let content: Pick<Pointer, 'oid' | 'size' | 'files'>;
  let nextState: ArtifactState;
  let folderMemo: Measured['memo'];
  if (isDir)
    ({ content, nextState, memo: folderMemo } = await recordDir(ws, repoPath, abs, state, options.onProgress, listing));
  else ({ content, nextState } = await recordFile(ws, repoPath, abs, state));
  return { path: repoPath, isDir, previous, content, nextState, ...(folderMemo ? { memo: folderMemo } : {}) };
}

/** Writes the pointer of a measured artifact and its .gitignore line. */
export function writeRecord(
  ws: Workspace,
  measured: Measured,
  kind: ArtifactKind | undefined,
  options: AddOptions,
): AddedArtifact {
  const { path: repoPath, isDir, previous, content, nextState } = measured;
  const pointer: Pointer = {
    kind: kind ?? previous?.kind ?? (isDir ? undefined : kindByExtension(repoPath)) ?? 'artifact',
    path: repoPath.slice(repoPath.lastIndexOf('/') + 1),
    ...content,
  };
  const meta = { ...carriedMeta(previous, pointer.oid), ...(options.meta ?? {}) };
  if (Object.keys(meta).length > 0) pointer.meta = meta;
  const pointerPath = pointerPathFor(repoPath);
  const changed = writePointerFile(ws.repo, pointerPath, pointer);
  const gitignore = ensureIgnored(ws.repo, repoPath, isDir);
  const pst = fs.statSync(absPath(ws.repo, pointerPath), { bigint: true });
  nextState.pointer = [statKey(pst), pointer.oid];
  if (measured.memo) {
    // The memo is the record: the stat cache only points at it (a million records not rewritten).
    rememberFolder(ws.repo, repoPath, statKey(pst), oidHex(pointer.oid), measured.memo.snapshot, measured.memo.present);
    ws.state.saveAsMemo(repoPath);
  }
  // In symlink mode the work-tree entries are links mvgit has just made: its own writes.
  else ws.state.save(repoPath, nextState, ws.mode === 'symlink' || undefined);
  return {
    path: repoPath,
    pointerPath,
    kind: pointer.kind,
    oid: pointer.oid,
    size: pointer.size,
    files: pointer.files,
    changed,
    gitignore,
  };
}

/**
 * What a new version inherits from the pointer it replaces. Description and framework still
 * hold; metrics, params and lineage described the old bytes, so a new version that is not
 * given its own (a retrained model recorded by the pre-commit hook) carries none rather
 * than someone else's.
 */
function carriedMeta(previous: Pointer | null, oid: string): PointerMeta {
  if (!previous?.meta) return {};
  if (previous.oid === oid) return previous.meta;
  const { description, framework } = previous.meta;
  return { ...(description !== undefined ? { description } : {}), ...(framework !== undefined ? { framework } : {}) };
}

function readPreviousPointer(ws: Workspace, repoPath: string): Pointer | null {
  try {
    return findArtifact(ws.repo, repoPath)?.pointer ?? null;
  } catch {
    // A damaged pointer is replaced by a good one; add is how a user repairs it.
    return null;
  }
}

async function recordFile(
  ws: Workspace,
  repoPath: string,
  abs: string,
  state: ArtifactState,
): Promise<{ content: Pick<Pointer, 'oid' | 'size'>; nextState: ArtifactState }> {
  const st = fs.statSync(abs, { bigint: true });
  const known = state.files[''];
  if (known && known[0] === statKey(st) && ws.store.has(known[1])) {
    return {
      content: { oid: `sha256:${known[1]}`, size: Number(st.size) },
      nextState: { oid: known[1], files: { '': known } },
    };
  }
  const [r] = await runPool({ op: 'store', objectsDir: ws.store.dir, mode: ws.mode, items: [{ abs }] });
  if (isJobError(r)) throw storeFailure(repoPath, r);
  const stored = r as { hex: string; size: number; key: string | null };
  const files: ArtifactState['files'] = stored.key ? { '': [stored.key, stored.hex] } : {};
  return { content: { oid: `sha256:${stored.hex}`, size: stored.size }, nextState: { oid: stored.hex, files } };
}

async function recordDir(
  ws: Workspace,
  repoPath: string,
  abs: string,
  state: ArtifactState,
  onProgress?: OnProgress,
  listing?: AddListing,
): Promise<{ content: Pick<Pointer, 'oid' | 'size' | 'files'>; nextState: ArtifactState; memo?: Measured['memo'] }> {
  const walked = listing?.files ?? walkArtifactDir(abs, ws.repo.root, repoPath, ws.store.dir);
  // A whole record whose objects were all seen at this store generation vouches for the
  // objects of unchanged files: adding one changed file to a million lists no store.
  const generation = ws.store.generation();
  const vouched = state.oid !== undefined && state.present === generation;
  // Listed only when a recorded file asks: a first add (nothing recorded) lists no store.
  let present: Set<string> | null | undefined;
  const inStore = (hex: string): boolean => {
    if (vouched) return true;
    present ??= walked.length > 1000 ? ws.store.list() : null;
    return present ? present.has(hex) : ws.store.has(hex);
  };
  const entries: ManifestEntry[] = new Array(walked.length);
  const files: ArtifactState['files'] = {};
  const toStore: number[] = [];
  let recorded = 0;
  walked.forEach((f, i) => {
    const key = f.key;
    const known = state.files[f.rel];
    if (known && known[0] === key && inStore(known[1])) {
      entries[i] = { path: f.rel, oid: known[1], size: f.size, ...(f.executable ? { x: true } : {}) };
      files[f.rel] = known;
      recorded++;
    } else {
      toStore.push(i);
    }
  });
  // Results are taken as they arrive, not gathered first: a million-file add never holds a
  // million job objects, results and absolute paths beside the entries they become.
  let done = 0;
  let failed: { rel: string; r: JobError } | undefined;
  await runPool({
    op: 'store',
    objectsDir: ws.store.dir,
    mode: ws.mode,
    items: { length: toStore.length, at: (k): StoreItem => ({ abs: fileAbs(abs, walked[toStore[k]].rel) }) },
    keepResults: false,
    onResult: (k, r) => {
      onProgress?.({ phase: 'store', done: ++done, total: toStore.length, path: repoPath });
      const f = walked[toStore[k]];
      if (isJobError(r)) {
        failed ??= { rel: f.rel, r };
        return;
      }
      const s = r as StoredFile;
      entries[toStore[k]] = { path: f.rel, oid: s.hex, size: s.size, ...(s.executable ? { x: true } : {}) };
      if (s.key) {
        files[f.rel] = [s.key, s.hex];
        recorded++;
      }
    },
  });
  if (failed) throw storeFailure(`${repoPath}/${failed.rel}`, failed.r);
  const hex = ws.store.putPieces(manifestPieces(entries));
  const size = entries.reduce((n, e) => n + e.size, 0);
  const complete = recorded === entries.length;
  // The folder as listed is the memo, and the stat cache need not hold a million records as
  // JSON (not in symlink mode, where the files just became links whose own stats no record
  // holds). As with the JSON record, only what vouched before vouches after; the first status
  // looks in the store once (status.ts).
  const seen = listing?.seen;
  if (complete && seen && !seen.links && ws.mode !== 'symlink') {
    const snapshot = snapshotOf(
      walked.length,
      (i) => ({ rel: walked[i].rel, key: files[walked[i].rel][0], hex: files[walked[i].rel][1] }),
      seen.dirs,
    );
    if (snapshot)
      return {
        content: { oid: `sha256:${hex}`, size, files: entries.length },
        nextState: { files: {} },
        memo: { snapshot, ...(vouched ? { present: generation } : {}) },
      };
  }
  return {
    content: { oid: `sha256:${hex}`, size, files: entries.length },
    // What the old record vouched for is still there (the add lock keeps gc out) and the rest was
    // just stored; a record that vouched for nothing leaves the first status to look.
    nextState: { ...(complete ? { oid: hex, ...(vouched ? { present: generation } : {}) } : {}), files },
  };
}
