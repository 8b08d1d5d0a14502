import fs from 'node:fs';
import { findArtifact, writePointerFile } from '../history/work-tree-pointers.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { MvgitError } from '../../base/errors.js';
import { storeTempDir } from '../store/file-ops.js';
import { clearDeadTemps } from '../../base/fs/temp-files.js';
import { statKey } from '../../base/fs/stat-key.js';
import { failpoint } from '../../base/failpoint.js';
import { trackedPaths } from '../../adapters/git/run.js';
import { isJobError, type JobError, type StoreItem } from '../store/jobs.js';
import { findKnownVersion, oldVersionError } from './known-version.js';
import { buildManifest, type ManifestEntry } from '../pointer/manifest.js';
import {
  addedTogetherError,
  holdsArtifactsError,
  insideTrackedFolderError,
  nestedPair,
  pointersInside,
  trackedFolderAbove,
} from './nested.js';
import {
  isPointerPath,
  pointerPathFor,
  type ArtifactKind,
  type Pointer,
  type PointerMeta,
} from '../pointer/pointer.js';
import { runPool } from '../store/pool.js';
import { absPath, toRepoPath } from '../repo/repo.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { holdAddLock } from '../store/store-lock.js';
import { ensureIgnored, matchRules, refuseControlCharacters } from './track.js';
import { realInside, walkArtifactDir, type WalkedFile } from './walk.js';

export interface AddOptions {
  kind?: ArtifactKind;
  /** Merged into the pointer's meta (params, metrics, inputs, description...). */
  meta?: PointerMeta;
  onProgress?: OnProgress;
  cwd?: string;
  /** addTracked only: records just the matches this accepts (the pre-commit hook passes the ones it found changed). */
  only?: (artifactPath: string) => boolean;
  /** Record content that an older commit already recorded (see known-version.ts) as the newest version anyway. */
  force?: boolean;
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
}

/**
 * `mvgit add PATH...`: stores files and folders in the cache and writes their pointers.
 * Every path is checked before anything is written, so one bad path changes nothing.
 */
export async function addPaths(ws: Workspace, userPaths: string[], options: AddOptions = {}): Promise<AddedArtifact[]> {
  const targets = userPaths.map((p) => checkAddPath(ws, p, options.cwd));
  const pair = nestedPair(targets.map((t) => t.path));
  if (pair) throw addedTogetherError(...pair);
  refuseGitTracked(ws, targets);
  // Folders are listed up front: a symlink leading out of one must stop the add before any write.
  const listings = targets.map((t) =>
    t.isDir ? walkArtifactDir(absPath(ws.repo, t.path), ws.repo.root, t.path, ws.store.dir) : undefined,
  );
  for (const [i, t] of targets.entries()) refuseHeldPointers(ws, t.path, listings[i]);
  // Every path is measured (hashed and stored) before any pointer is written, so a refused one
  // changes no pointer; all of it under the add lock, so no gc removes what is stored meanwhile.
  return whileAdding(ws, async () => {
    const measured: Measured[] = [];
    for (const [i, t] of targets.entries())
      measured.push(await measureArtifact(ws, t.path, t.isDir, options, listings[i]));
    if (!options.force) measured.forEach(refuseKnownVersion(ws));
    await failpoint('add:after-store');
    return measured.map((m) => writeRecord(ws, m, options.kind, options));
  });
}

/**
 * `mvgit add` with no path, and the pre-commit hook: records every file and folder the
 * tracking rules match that is new or changed. Files git already tracks are left to git.
 */
export async function addTracked(ws: Workspace, options: AddOptions = {}): Promise<AddedArtifact[]> {
  const matches = (await matchRules(ws.repo, ws.config)).filter((m) => !options.only || options.only(m.path));
  const candidates = matches.filter((m) => !fs.existsSync(absPath(ws.repo, pointerPathFor(m.path))));
  const gitTracked =
    candidates.length > 0
      ? trackedPrefixes(
          ws,
          candidates.map((c) => c.path),
        )
      : new Set<string>();
  const todo = matches.filter((m) => !gitTracked.has(m.path));
  // A rule must not make one artifact inside another, either way round: checked before any write.
  for (const m of todo) {
    const folder = trackedFolderAbove(ws.repo, m.path);
    if (folder) throw insideTrackedFolderError(m.path, folder, { fromRules: true });
  }
  const listings = todo.map((m) =>
    m.isDir ? walkArtifactDir(absPath(ws.repo, m.path), ws.repo.root, m.path, ws.store.dir) : undefined,
  );
  for (const [i, m] of todo.entries()) refuseHeldPointers(ws, m.path, listings[i], true);
  return whileAdding(ws, async () => {
    const measured: Measured[] = [];
    for (const [i, m] of todo.entries())
      measured.push(await measureArtifact(ws, m.path, m.isDir, options, listings[i]));
    // The pre-commit hook (`only`) tells a stale work tree from an edit itself (hooks/record.ts).
    if (!options.force && !options.only) measured.forEach(refuseKnownVersion(ws));
    await failpoint('add:after-store');
    return measured.map((r, i) => writeRecord(ws, r, todo[i].kind, options));
  });
}

/** A folder about to be recorded must not hold another artifact's pointer (any `*.mvgit.yaml`). */
function refuseHeldPointers(ws: Workspace, path: string, listing: WalkedFile[] | undefined, fromRules = false): void {
  const inner = listing ? pointersInside(listing.map((f) => f.rel)) : [];
  if (inner.length > 0) throw holdsArtifactsError(ws.repo, path, inner, { fromRules });
}

/** New content that an older commit of the pointer recorded is a version to check out, not an edit to record. */
function refuseKnownVersion(ws: Workspace): (m: Measured) => void {
  return (m) => {
    if (!m.previous || m.previous.oid === m.content.oid) return;
    const known = findKnownVersion(ws.repo, pointerPathFor(m.path), m.content.oid);
    if (known) throw oldVersionError(m.path, known);
  };
}

interface AddTarget {
  path: string;
  isDir: boolean;
}

function checkAddPath(ws: Workspace, userPath: string, cwd?: string): AddTarget {
  const repoPath = toRepoPath(ws.repo, userPath, cwd);
  refuseControlCharacters(repoPath);
  if (isPointerPath(repoPath)) {
    throw new MvgitError('PATH_IS_POINTER', `${userPath} is a pointer file, not an artifact`, {
      hint: `add the artifact itself: mvgit add ${userPath.slice(0, -'.mvgit.yaml'.length)}`,
    });
  }
  if (repoPath === '.mvgit' || repoPath.startsWith('.mvgit/')) {
    throw new MvgitError('UNSUPPORTED_FILE', `${userPath} is mvgit's own config`, {
      hint: 'add models and datasets, not the .mvgit folder',
    });
  }
  const abs = absPath(ws.repo, repoPath);
  const lst = fs.lstatSync(abs, { throwIfNoEntry: false });
  if (!lst)
    throw new MvgitError('PATH_NOT_FOUND', `${userPath} does not exist`, {
      hint: 'check the path; mvgit add takes files and folders in the work tree',
    });
  // Through a symlink (the path itself or a folder above it) the data may live outside the repo.
  const real = realInside(abs, ws.repo.root, userPath, ws.store.dir);
  const st = lst.isSymbolicLink() ? fs.statSync(real) : lst;
  if (!st.isFile() && !st.isDirectory())
    throw new MvgitError('UNSUPPORTED_FILE', `${userPath} is neither a file nor a folder`, {
      hint: 'mvgit stores regular files and folders of them',
    });
  // A path inside a folder that is already an artifact belongs to that folder's pointer.
  const folder = trackedFolderAbove(ws.repo, repoPath);
  if (folder) throw insideTrackedFolderError(repoPath, folder);
  return { path: repoPath, isDir: st.isDirectory() };
}

/** Which of `paths` git tracks, itself or (for folders) any file under it. */
function trackedPrefixes(ws: Workspace, paths: string[]): Set<string> {
  return trackedPaths(ws.repo, paths);
}

function refuseGitTracked(ws: Workspace, targets: AddTarget[]): void {
  const hit = trackedPrefixes(
    ws,
    targets.map((t) => t.path),
  );
  for (const t of targets) {
    if (!hit.has(t.path)) continue;
    throw new MvgitError('PATH_TRACKED_BY_GIT', `${t.path} is already tracked by git`, {
      hint: `stop git tracking it first (the file stays on disk): git rm ${t.isDir ? '-r ' : ''}--cached ${t.path}`,
      data: { path: t.path },
    });
  }
}

function storeFailure(path: string, r: JobError): MvgitError {
  return new MvgitError('LINK_FAILED', `could not store ${path}: ${r.error.message}`, {
    hint: 'check permissions and free disk space, then run the command again: it resumes where it stopped',
    data: { path },
  });
}

/** One artifact hashed and stored, its pointer not written yet. */
interface Measured {
  path: string;
  isDir: boolean;
  previous: Pointer | null;
  content: Pick<Pointer, 'oid' | 'size' | 'files'>;
  nextState: ArtifactState;
}

/**
 * Runs store-then-write-pointer under the add lock, so a gc never removes objects stored for
 * a pointer not written yet; first clears what killed adds left in the store's temp folder
 * (the only place add writes temps).
 */
async function whileAdding<T>(ws: Workspace, record: () => Promise<T>): Promise<T> {
  const lock = await holdAddLock(ws.repo);
  try {
    clearDeadTemps(storeTempDir(ws.store.dir));
    return await record();
  } finally {
    lock.release();
  }
}

/** Hashes and stores one artifact, reusing the stat cache. */
async function measureArtifact(
  ws: Workspace,
  repoPath: string,
  isDir: boolean,
  options: AddOptions,
  listing?: WalkedFile[],
): Promise<Measured> {
  const abs = absPath(ws.repo, repoPath);
  const previous = readPreviousPointer(ws, repoPath);
  const state = ws.state.load(repoPath);
  let content: Pick<Pointer, 'oid' | 'size' | 'files'>;
  let nextState: ArtifactState;
  if (isDir) ({ content, nextState } = await recordDir(ws, repoPath, abs, state, options.onProgress, listing));
  else ({ content, nextState } = await recordFile(ws, repoPath, abs, state));
  return { path: repoPath, isDir, previous, content, nextState };
}

/** Writes the pointer of a measured artifact and its .gitignore line. */
function writeRecord(
  ws: Workspace,
  measured: Measured,
  kind: ArtifactKind | undefined,
  options: AddOptions,
): AddedArtifact {
  const { path: repoPath, isDir, previous, content, nextState } = measured;
  const pointer: Pointer = {
    kind: kind ?? previous?.kind ?? 'artifact',
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
  // In symlink mode the work-tree entries are links mvgit has just made: its own writes.
  ws.state.save(repoPath, nextState, ws.mode === 'symlink' ? new Set(Object.keys(nextState.files)) : undefined);
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
  listing?: WalkedFile[],
): Promise<{ content: Pick<Pointer, 'oid' | 'size' | 'files'>; nextState: ArtifactState }> {
  const walked = listing ?? walkArtifactDir(abs, ws.repo.root, repoPath, ws.store.dir);
  const present = walked.length > 1000 ? ws.store.list() : null;
  const inStore = (hex: string): boolean => (present ? present.has(hex) : ws.store.has(hex));
  const entries: ManifestEntry[] = new Array(walked.length);
  const files: ArtifactState['files'] = {};
  const toStore: number[] = [];
  walked.forEach((f, i) => {
    const key = f.key;
    const known = state.files[f.rel];
    if (known && known[0] === key && inStore(known[1])) {
      entries[i] = { path: f.rel, oid: known[1], size: f.size, ...(f.executable ? { x: true } : {}) };
      files[f.rel] = known;
    } else {
      toStore.push(i);
    }
  });
  let done = 0;
  const results = await runPool({
    op: 'store',
    objectsDir: ws.store.dir,
    mode: ws.mode,
    items: toStore.map((i): StoreItem => ({ abs: walked[i].abs })),
    onResult: () => onProgress?.({ phase: 'store', done: ++done, total: toStore.length, path: repoPath }),
  });
  results.forEach((r, k) => {
    const f = walked[toStore[k]];
    if (isJobError(r)) throw storeFailure(`${repoPath}/${f.rel}`, r);
    const s = r as { hex: string; size: number; executable: boolean; key: string | null };
    entries[toStore[k]] = { path: f.rel, oid: s.hex, size: s.size, ...(s.executable ? { x: true } : {}) };
    if (s.key) files[f.rel] = [s.key, s.hex];
  });
  const manifest = buildManifest(entries);
  ws.store.putBuffer(manifest.bytes);
  const size = entries.reduce((n, e) => n + e.size, 0);
  const complete = Object.keys(files).length === entries.length;
  return {
    content: { oid: `sha256:${manifest.hex}`, size, files: entries.length },
    nextState: { ...(complete ? { oid: manifest.hex } : {}), files },
  };
}
