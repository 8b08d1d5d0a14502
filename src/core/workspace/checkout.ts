import fs from 'node:fs';
import path from 'node:path';
import { listArtifacts, selectByUserPaths } from '../history/work-tree-pointers.js';
import { autoFetch } from '../transfer/autofetch.js';
import { type OnProgress, syncIfAsked, type Workspace } from '../repo/workspace.js';
import { ioError, isMvgitError, MvgitError } from '../../base/errors.js';
import { settlePending } from './restore-journal.js';
import { clearDeadTemps, tempPrefixFor, tmpPathBeside } from '../../base/fs/temp-files.js';
import { isJobError, type JobError, type RestoreItem, type RestoreResult } from '../store/jobs.js';
import type { ManifestEntry } from '../pointer/manifest.js';
import { oidHex, type Pointer } from '../pointer/pointer.js';
import { runPool } from '../store/pool.js';
import { absPath } from '../repo/repo.js';
import { scanWorkTree, type WorkScan } from './scan.js';
import type { ArtifactState } from '../store/stat-cache.js';
import { targetFiles } from './target.js';
import { checkIndex, checkInnerFolders, indexByArtifact, inspectPlace } from './write-guard.js';
import type { IndexEntry } from '../../adapters/git/run.js';
import { failpoint } from '../../base/failpoint.js';
import { pruneEmptyDirs, switchStep } from './version-switch.js';

/** What happened to one artifact in a checkout. */
export interface RestoreOutcome {
  path: string;
  /** up-to-date: nothing to do; restored: the work tree now matches; conflict: left alone; incomplete: some objects were missing or corrupt. */
  result: 'up-to-date' | 'restored' | 'conflict' | 'incomplete';
  restored: number;
  removed: number;
  /** Files whose content is in the work tree only: left alone unless force. */
  conflicts: string[];
  /** Objects the cache lacks (hex). */
  missing: string[];
  /** Objects whose bytes no longer match their name (hex). */
  corrupt: string[];
}

export interface RestoreRequest {
  /** The artifact's repo path: names it in results and keys its stat-cache record. */
  path: string;
  pointer: Pointer;
  /** Where to put it; the artifact's own place in the work tree by default. */
  dest?: string;
  force?: boolean;
  /** Keep the stat cache for `dest` (true for the artifact's own place, false for `-o OUT`). */
  record?: boolean;
  onProgress?: OnProgress;
  /** What the git index holds at and under `path`, when the caller asks once for many (indexByArtifact). */
  index?: () => IndexEntry[];
  /**
   * The pointer file's fingerprint (a checkout hook): kept in the record when the restore leaves
   * it whole, so the next pre-commit knows the pointer is not news. Saved with the rest, rather
   * than by a second load and save of a record that holds 20,000 files.
   */
  pointerKey?: string;
}

/**
 * Makes `dest` hold what the pointer describes, touching only files that differ. A file whose
 * content exists nowhere but the work tree (not in the cache) is never overwritten or removed
 * unless `force`: the whole artifact is left alone and the files are listed as conflicts.
 * Every write obeys src/core/workspace/write-guard.ts, `force` or not: a pointer or manifest from a
 * hostile commit cannot make this write outside the artifact's own path or into a `.git`.
 */
export async function restoreArtifact(ws: Workspace, req: RestoreRequest): Promise<RestoreOutcome> {
  const inPlace = req.dest === undefined;
  const dest = req.dest ?? absPath(ws.repo, req.path);
  const record = req.record ?? inPlace;
  const outcome: RestoreOutcome = {
    path: req.path,
    result: 'up-to-date',
    restored: 0,
    removed: 0,
    conflicts: [],
    missing: [],
    corrupt: [],
  };
  const isDir = req.pointer.files !== undefined;
  const place = inPlace ? inspectPlace(ws.repo, req.path, isDir) : { links: [] };
  // A symlink on the way: ask the index before anything is read through it.
  const indexChecked = place.links.length > 0;
  if (indexChecked) checkIndex(ws.repo, req.path, place.links, req.index?.());
  const state: ArtifactState = record ? ws.state.load(req.path) : { files: {} };
  const newHex = oidHex(req.pointer.oid);
  // A folder last recorded whole at another version (a branch switch): only the files the two
  // manifests disagree on are looked at, as git looks only at the paths a switch changes.
  const step =
    record && isDir && state.oid !== undefined && state.oid !== newHex
      ? await switchStep(ws, req, state, dest)
      : undefined;
  const scan = step?.scan ?? (await scanWorkTree(ws, req.path, dest, state, req.onProgress));
  // Nothing changed since the work tree was last seen whole at this oid: no manifest to read.
  if (
    record &&
    scan.fromCache &&
    state.oid === newHex &&
    scan.shape === (isDir ? 'dir' : 'file') &&
    scan.files.size === Object.keys(state.files).length
  ) {
    // Every file in the record was just verified by the scan: none is racy.
    if (req.pointerKey !== undefined && state.pointer?.[0] !== req.pointerKey)
      ws.state.save(req.path, { ...state, pointer: [req.pointerKey, req.pointer.oid] }, true);
    return outcome;
  }
  // autoFetch: a directory's manifest must be in the cache before its files can be listed.
  if (isDir && !step) await autoFetch(ws, [{ oid: newHex }], req.path, req.onProgress);
  let target: Map<string, ManifestEntry>;
  try {
    target = step?.target ?? targetFiles(ws, req.pointer, req.path);
  } catch (err) {
    if (isMvgitError(err, 'OBJECT_MISSING')) return { ...outcome, result: 'incomplete', missing: [newHex] };
    if (isMvgitError(err, 'OBJECT_CORRUPT')) return { ...outcome, result: 'incomplete', corrupt: [newHex] };
    throw err;
  }
  const plan = planRestore(
    scan,
    target,
    isDir,
    (hex) => req.force === true || (hex !== '' && ws.store.has(hex)),
    req.path,
  );
  const changes = plan.conflicts.length + plan.toRemove.length + plan.toRestore.length;
  // Before conflicts are listed (which invites --force), refuse what no --force may touch.
  // What the index may hold that matters: a committed link (the scan met every link inside a
  // folder), or a file git tracks at the artifact's own path, which a real folder there rules out.
  const innerLinks = scan.findings.links.map((rel) => `${req.path}/${rel}`);
  const mayBeTrackedFile = changes > 0 && !indexChecked && scan.shape !== 'dir';
  if (inPlace && (innerLinks.length > 0 || mayBeTrackedFile)) checkIndex(ws.repo, req.path, innerLinks, req.index?.());
  if (!plan.shapeOk && scan.findings.gitDirs.length > 0) throw holdsGitDir(req.path, scan.findings.gitDirs);
  if (plan.conflicts.length > 0) return { ...outcome, result: 'conflict', conflicts: plan.conflicts };
  // Added to in place: at a million files a copy of either record is hundreds of MB.
  const kept: ArtifactState['files'] = step ? Object.assign(step.untouched, plan.kept) : plan.kept;
  if (plan.toRemove.length === 0 && plan.toRestore.length === 0) {
    // An empty folder has no file to bring it back: make the folder itself.
    const emptyDir = isDir && scan.shape === 'none';
    if (emptyDir) fs.mkdirSync(dest, { recursive: true });
    if (record) ws.state.save(req.path, { oid: newHex, files: kept, pointer: pointerRecord(req, state, true) });
    return emptyDir ? { ...outcome, result: 'restored' } : outcome;
  }

  const available = await availableObjects(ws, req, plan.toRestore, req.pointer.files ?? 1, outcome);

  // Removals first: a file `a` may have to make way for a folder `a/`, or the other way round.
  if (!plan.shapeOk) {
    fs.rmSync(dest, { recursive: true, force: true });
    outcome.removed += scan.files.size;
  } else {
    checkInnerFolders(dest, req.path, plan.toRemove);
    for (const rel of plan.toRemove) {
      fs.rmSync(rel === '' ? dest : path.join(dest, rel), { force: true });
      outcome.removed++;
    }
    pruneEmptyDirs(dest, plan.toRemove);
  }
  await failpoint('checkout:after-removals');

  const written = await writeFiles(ws, req, dest, isDir && scan.shape === 'none', available, outcome);
  for (const [rel, rec] of written) kept[rel] = rec;
  const complete = outcome.missing.length === 0 && outcome.corrupt.length === 0;
  if (record)
    ws.state.save(
      req.path,
      { ...(complete ? { oid: newHex } : {}), files: kept, pointer: pointerRecord(req, state, complete) },
      new Set(available.map((e) => e.path)),
    );
  outcome.result = complete ? 'restored' : 'incomplete';
  return outcome;
}

/**
 * The entries whose objects the cache holds, after fetching the absent ones (autoFetch); the
 * rest go to `outcome.missing`. Restoring most of a folder (a fresh clone) lists the store
 * once; restoring a few of its files (a 1% branch switch) looks each one up: listing a
 * million-object store for 10,000 lookups cost seconds and a set of a million names.
 */
async function availableObjects(
  ws: Workspace,
  req: RestoreRequest,
  toRestore: ManifestEntry[],
  targetFiles: number,
  outcome: RestoreOutcome,
): Promise<ManifestEntry[]> {
  let inStore: (hex: string) => boolean;
  if (toRestore.length > 1000 && toRestore.length * 4 > targetFiles) {
    await autoFetch(ws, toRestore, req.path, req.onProgress);
    const present = ws.store.list();
    inStore = (hex) => present.has(hex);
  } else {
    const absent = toRestore.filter((e) => !ws.store.has(e.oid));
    if (absent.length > 0) await autoFetch(ws, absent, req.path, req.onProgress);
    const stillAbsent = new Set(absent.filter((e) => !ws.store.has(e.oid)).map((e) => e.oid));
    inStore = (hex) => !stillAbsent.has(hex);
  }
  return toRestore.filter((e) => {
    const ok = inStore(e.oid);
    if (!ok) outcome.missing.push(e.oid);
    return ok;
  });
}

/** The pointer record to save: the hook's fingerprint of the pointer when the record is whole. */
function pointerRecord(req: RestoreRequest, state: ArtifactState, whole: boolean): ArtifactState['pointer'] {
  return whole && req.pointerKey !== undefined ? [req.pointerKey, req.pointer.oid] : state.pointer;
}

interface RestorePlan {
  /** False when the work tree holds a file where the pointer wants a folder, or the other way round. */
  shapeOk: boolean;
  conflicts: string[];
  toRemove: string[];
  toRestore: ManifestEntry[];
  /** Stat-cache records of the files that already match. */
  kept: ArtifactState['files'];
}

/** What differs between the work tree and the pointer; `safe(hex)` says a file may be replaced. */
function planRestore(
  scan: WorkScan,
  target: Map<string, ManifestEntry>,
  isDir: boolean,
  safe: (hex: string) => boolean,
  display: string,
): RestorePlan {
  const shapeOk = scan.shape === 'none' || scan.shape === (isDir ? 'dir' : 'file');
  const plan: RestorePlan = { shapeOk, conflicts: [], toRemove: [], toRestore: [], kept: {} };
  for (const [rel, cur] of scan.files) {
    const want = shapeOk ? target.get(rel) : undefined;
    if (want && want.oid === cur.hex) {
      if (cur.key) plan.kept[rel] = [cur.key, cur.hex];
      continue;
    }
    if (!safe(cur.hex)) plan.conflicts.push(displayPath(display, rel));
    if (!want) plan.toRemove.push(rel);
  }
  for (const [rel, want] of target) {
    if (!plan.kept[rel] && !(shapeOk && scan.files.get(rel)?.hex === want.oid)) plan.toRestore.push(want);
  }
  return plan;
}

/**
 * Writes the files, on the worker pool. A folder that is not there at all (deleted, or a
 * fresh clone) is built in a staging folder beside it and renamed into place whole: files are
 * written at their names, and a kill leaves only the staging folder, which nothing mistakes
 * for the artifact; a failure (a full disk) removes it, so it holds no space.
 * Returns the stat-cache records of the files written.
 */
async function writeFiles(
  ws: Workspace,
  req: RestoreRequest,
  dest: string,
  fresh: boolean,
  available: ManifestEntry[],
  outcome: RestoreOutcome,
): Promise<Map<string, [string, string]>> {
  const written = new Map<string, [string, string]>();
  const stage = fresh && available.length > 0 ? tmpPathBeside(dest) : undefined;
  // A restore killed before its rename leaves its temp beside the file, where git shows it.
  if (stage || req.pointer.files === undefined) clearDeadTemps(path.dirname(dest), tempPrefixFor(dest));
  if (!stage)
    checkInnerFolders(
      dest,
      req.path,
      available.map((e) => e.path),
    );
  const into = stage ?? dest;
  let done = 0;
  const items: RestoreItem[] = available.map((e) => ({
    hex: e.oid,
    size: e.size,
    dest: e.path === '' ? into : path.join(into, e.path),
    x: e.x === true,
    direct: stage !== undefined,
  }));
  try {
    const results = await runPool({
      op: 'restore',
      objectsDir: ws.store.dir,
      mode: ws.mode,
      items,
      onResult: () => req.onProgress?.({ phase: 'restore', done: ++done, total: items.length, path: req.path }),
    });
    results.forEach((r, i) => {
      const e = available[i];
      if (!isJobError(r)) {
        written.set(e.path, [(r as RestoreResult).key, e.oid]);
        outcome.restored++;
        return;
      }
      const err = (r as JobError).error;
      if (err.kind === 'missing') outcome.missing.push(e.oid);
      else if (err.kind === 'corrupt') outcome.corrupt.push(e.oid);
      else
        throw (
          ioError(err, 'write', displayPath(req.path, e.path)) ??
          new Error(`could not write ${displayPath(req.path, e.path)}: ${err.message}`)
        );
    });
    // Renaming a folder changes no file's inode, size or times: the fingerprints still hold.
    if (stage) {
      await failpoint('checkout:before-stage-rename');
      fs.renameSync(stage, dest);
    }
  } catch (err) {
    if (stage) fs.rmSync(stage, { recursive: true, force: true });
    throw ioError(err, 'write', req.path) ?? err;
  }
  return written;
}

function holdsGitDir(display: string, gitDirs: string[]): MvgitError {
  return new MvgitError(
    'UNSAFE_PATH',
    `${display} holds a git repository (${gitDirs.map((d) => displayPath(display, d)).join(', ')}); mvgit never removes one`,
    {
      hint: `move ${displayPath(display, gitDirs[0])} out of the artifact's folder, then run the command again`,
      data: { path: display, gitDirs },
    },
  );
}

function displayPath(artifact: string, rel: string): string {
  return rel === '' ? artifact : `${artifact}/${rel}`;
}

export interface CheckoutOptions {
  /** Paths as a user types them, relative to `cwd` (default: the process's). */
  paths?: string[];
  cwd?: string;
  force?: boolean;
  onProgress?: OnProgress;
}

/** `mvgit checkout [PATH...]`: makes the work tree match the pointers, from the cache. */
export async function checkout(ws: Workspace, options: CheckoutOptions = {}): Promise<RestoreOutcome[]> {
  const artifacts = selectByUserPaths(ws.repo, listArtifacts(ws.repo), options.paths ?? [], options.cwd);
  const out: RestoreOutcome[] = [];
  const index = indexByArtifact(
    ws.repo,
    artifacts.map((a) => a.path),
  );
  for (const a of artifacts)
    out.push(
      await restoreArtifact(ws, {
        path: a.path,
        pointer: a.pointer,
        force: options.force,
        onProgress: options.onProgress,
        index: () => index(a.path),
      }),
    );
  // Whatever a killed checkout hook left unfinished and this run completed is done now.
  settlePending(
    ws.repo,
    out.filter((r) => r.result === 'restored' || r.result === 'up-to-date').map((r) => r.path),
  );
  syncIfAsked(ws);
  return out;
}
