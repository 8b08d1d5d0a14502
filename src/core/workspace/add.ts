import fs from 'node:fs';
import { syncIfAsked, type Workspace } from '../repo/workspace.js';
import { MvgitError } from '../../base/errors.js';
import { storeTempDir } from '../store/file-ops.js';
import { clearDeadTemps } from '../../base/fs/temp-files.js';
import { failpoint } from '../../base/failpoint.js';
import { trackedPaths } from '../../adapters/git/run.js';
import { findKnownVersion, oldVersionError } from './known-version.js';
import {
  addedTogetherError,
  holdsArtifactsError,
  insideTrackedFolderError,
  nestedPair,
  pointersInside,
  trackedFolderAbove,
} from './nested.js';
import { isPointerPath, pointerPathFor } from '../pointer/pointer.js';
import { absPath, toRepoPath } from '../repo/repo.js';
import { holdAddLock } from '../store/store-lock.js';
import { matchRules, refuseControlCharacters, type RuleSources } from './track.js';
import { completeStep, type StepItem } from './lineage.js';
import { realInside, walkArtifactDir, type FolderSeen, type WalkedFile } from './walk.js';
import { rememberedForAdd } from './record-from-memo.js';
import {
  type AddListing,
  type AddedArtifact,
  type AddOptions,
  type Measured,
  measureArtifact,
  writeRecord,
} from './record.js';

export type { AddedArtifact, AddOptions };

/**
 * `mvgit add PATH...`: stores files and folders in the cache and writes their pointers.
 * Every path is checked before anything is written, so one bad path changes nothing.
 */
export async function addPaths(ws: Workspace, userPaths: string[], options: AddOptions = {}): Promise<AddedArtifact[]> {
  const targets = userPaths.map((p) => checkAddPath(ws, p, options.cwd));
  const pair = nestedPair(targets.map((t) => t.path));
  if (pair) throw addedTogetherError(...pair);
  refuseGitTracked(ws, targets);
  // Folders are listed up front: a symlink leading out of one must stop the add before any write
  // (a folder whose memo still holds needs no listing: record-from-memo.ts).
  const memos = targets.map((t) => (t.isDir ? rememberedForAdd(ws, t.path) : null));
  const listings = targets.map((t, i) => (t.isDir && !memos[i] ? listForAdd(ws, t.path) : undefined));
  for (const [i, t] of targets.entries()) refuseHeldPointers(ws, t.path, listings[i]?.files);
  // Every path is measured (hashed and stored) before any pointer is written, so a refused one
  // changes no pointer; all of it under the add lock, so no gc removes what is stored meanwhile.
  return whileAdding(ws, async () => {
    const measured: Measured[] = [];
    for (const [i, t] of targets.entries())
      measured.push(await measureArtifact(ws, t.path, t.isDir, options, listings[i], memos[i]));
    if (!options.force) measured.forEach(refuseKnownVersion(ws));
    // A path a rule with metadata sources matches reads them too, as the hook would.
    const sources = await ruleSources(ws);
    const items = measured.map((m) => {
      const found = sources.get(m.path);
      return { measured: m, kind: options.kind, ...(found ? { sources: found } : {}) };
    });
    const step = await completeStep(ws, items, options);
    await failpoint('add:after-store');
    const added = step.map((item) => writeItem(ws, item, options));
    syncIfAsked(ws);
    return added;
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
  const memos = todo.map((m) => (m.isDir ? rememberedForAdd(ws, m.path, options.remembered?.get(m.path)) : null));
  const listings = todo.map((m, i) => (m.isDir && !memos[i] ? listForAdd(ws, m.path) : undefined));
  for (const [i, m] of todo.entries()) refuseHeldPointers(ws, m.path, listings[i]?.files, true);
  return whileAdding(ws, async () => {
    const measured: Measured[] = [];
    for (const [i, m] of todo.entries())
      measured.push(await measureArtifact(ws, m.path, m.isDir, options, listings[i], memos[i]));
    // The pre-commit hook (`only`) tells a stale work tree from an edit itself (hooks/record.ts).
    if (!options.force && !options.only) measured.forEach(refuseKnownVersion(ws));
    // A rule's default kind (artifact) does not say: the pointer's kind, or the extension's, does.
    const items = measured.map((m, i) => ({
      measured: m,
      kind: todo[i].kind === 'artifact' ? undefined : todo[i].kind,
      ...(todo[i].sources ? { sources: todo[i].sources } : {}),
    }));
    const step = await completeStep(ws, items, options);
    await failpoint('add:after-store');
    const added = step.map((item) => writeItem(ws, item, options));
    syncIfAsked(ws);
    return added;
  });
}

/**
 * Lists a folder to add. Its files are stat'ed only when a stat-cache record may vouch for some
 * of them (recordDir compares keys); a first add hashes every file anyway, and the store job
 * takes each file's fingerprint itself.
 */
function listForAdd(ws: Workspace, path: string): AddListing {
  const seen: FolderSeen = { dirs: {}, links: false };
  const abs = absPath(ws.repo, path);
  const files = walkArtifactDir(abs, ws.repo.root, path, ws.store.dir, undefined, ws.state.has(path), seen);
  return { files, seen };
}

/** The metadata sources of each path a rule that names any matches (no globbing when no rule names any). */
async function ruleSources(ws: Workspace): Promise<Map<string, RuleSources>> {
  const track = ws.config.track.filter((r) => r.params || r.metrics || r.inputs);
  if (track.length === 0) return new Map();
  const matches = await matchRules(ws.repo, { ...ws.config, track });
  return new Map(matches.flatMap((m) => (m.sources ? [[m.path, m.sources] as const] : [])));
}

function writeItem(ws: Workspace, item: StepItem, options: AddOptions): AddedArtifact {
  const added = writeRecord(ws, item.measured, item.kind, { ...options, meta: item.meta });
  return item.warnings ? { ...added, warnings: item.warnings } : added;
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
