/**
 * `mvgit gc`: removes objects that nothing references, from the cache or from a remote.
 * Referenced means: named by a pointer in the work tree, the index, any branch, tag,
 * remote-tracking branch or stash, or any worktree's HEAD, index and files; with
 * `allCommits`, by any commit reachable from a ref. A kept directory keeps its manifest and
 * every file the manifest lists. A pointer among those that cannot be read stops gc: what it
 * keeps cannot be known.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listArtifacts } from '../history/work-tree-pointers.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { downloadObject } from './download.js';
import { getSetting } from '../repo/config-settings.js';
import { parseDuration } from '../../base/duration.js';
import { isMvgitError, MvgitError } from '../../base/errors.js';
import { failpoint } from '../../base/failpoint.js';
import { isDeadTemp, tempOwner } from '../../base/fs/temp-files.js';
import { git } from '../../adapters/git/run.js';
import { parseManifest } from '../pointer/manifest.js';
import { oidHex } from '../pointer/pointer.js';
import type { Remote } from '../../adapters/remote/remote.js';
import {
  historyPointerBlobs,
  indexPointerBlobs,
  readPointerBlobs,
  refCommits,
  stashCommits,
  treePointerBlobs,
  type PointerBlob,
  type ScopedPointer,
} from '../history/scope.js';
import { holdGcLock } from '../store/store-lock.js';

export interface GcOptions {
  /** Keep what any commit reachable from a ref references, not only the tips. */
  allCommits?: boolean;
  dryRun?: boolean;
  /** Remove unreferenced objects however new (ignore `gc.keepRecent`). */
  pruneNow?: boolean;
  onProgress?: OnProgress;
}

export interface GcReport {
  /** 'cache', or the remote's name. */
  target: string;
  url?: string;
  dryRun: boolean;
  /** Objects kept (referenced, or unreferenced but younger than `gc.keepRecent`). */
  kept: number;
  /** Unreferenced objects kept because they are younger than `keepRecentMs`: a running command may be about to name them. */
  keptRecent: number;
  keepRecentMs: number;
  /** Objects removed (or, with dryRun, that would be). */
  removed: { oid: string; size: number }[];
  bytesFreed: number;
  /** Kept directories whose manifest could not be read: files of theirs may have been removed. */
  unknownDirs: { path: string; oid: string }[];
  /** Pointers in history that could not be read: always empty, since such a pointer stops gc. */
  skippedPointers: { pointerPath: string; reason: string }[];
}

/** Leftover temp files younger than this may belong to a running command whose pid was reused. */
const TEMP_AGE_MS = 60 * 60 * 1000;

/** The default of `gc.keepRecent`, as git's gc.pruneExpire keeps loose objects for two weeks. */
export const DEFAULT_KEEP_RECENT = '1h';

interface Worktree {
  path: string;
  head?: string;
  /** A bare repository or a worktree whose folder is gone: no files to read. */
  noFiles?: boolean;
}

function worktrees(ws: Workspace): Worktree[] {
  const out: Worktree[] = [];
  let cur: Worktree | undefined;
  for (const line of git(ws.repo, ['worktree', 'list', '--porcelain'], { allowFail: true }).split('\n')) {
    if (line.startsWith('worktree ')) {
      cur = { path: line.slice('worktree '.length) };
      out.push(cur);
    } else if (line.startsWith('HEAD ') && cur) cur.head = line.slice('HEAD '.length);
    else if ((line === 'bare' || line.startsWith('prunable')) && cur) cur.noFiles = true;
  }
  return out;
}

const isCommitId = (h: string | undefined): h is string =>
  h !== undefined && /^[0-9a-f]{40,64}$/.test(h) && !/^0+$/.test(h);

/** Where a pointer blob was found, to name it when it cannot be read. */
interface Found {
  /** 'in commit <id>' for a tip, 'in the index' (of a worktree), or 'history' (its commit is looked up only for the error). */
  where: string;
  commit?: string;
}

/**
 * The error that stops gc at a pointer it cannot read: it cannot know which objects that
 * pointer keeps, and guessing "none" would delete data in use (DESIGN.md, Hostile content).
 */
function unreadablePointer(pointerPath: string, where: string, reason: string, hint: string): MvgitError {
  return new MvgitError(
    'POINTER_INVALID',
    `gc stopped before removing anything: cannot read ${pointerPath} ${where}: ${reason}`,
    {
      hint: `${hint}; gc never guesses which objects an unreadable pointer keeps`,
      data: { file: pointerPath, where },
    },
  );
}

/** A work tree's pointer files; an unreadable one stops gc, naming it. */
function workTreePointers(repo: Workspace['repo'], root: string, main: boolean): ScopedPointer[] {
  try {
    return listArtifacts({ ...repo, root });
  } catch (err) {
    if (!isMvgitError(err) || err.code !== 'POINTER_INVALID') throw err;
    const file = typeof err.data?.file === 'string' ? err.data.file : 'a pointer';
    let text = '';
    try {
      text = fs.readFileSync(path.join(root, file), 'utf8');
    } catch {
      // gone meanwhile: the parse error says enough
    }
    const conflicted = /^<{7}( |$)/m.test(text);
    const where = main ? 'in the work tree' : `in the worktree at ${root}`;
    const reason = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
    throw unreadablePointer(
      file,
      where,
      conflicted ? `it holds an unresolved merge conflict (${reason})` : reason,
      conflicted
        ? `resolve the merge conflict in ${file} (or restore it: git checkout -- ${file}), then run gc again`
        : `fix ${file} or restore it (git checkout -- ${file}), then run gc again`,
    );
  }
}

/** Every pointer that keeps its objects, by the rules in this file's comment. */
export async function referencedPointers(ws: Workspace, allCommits: boolean): Promise<ScopedPointer[]> {
  const repo = ws.repo;
  const tips = new Set(refCommits(repo, 'refs/heads', 'refs/tags', 'refs/remotes'));
  const head = git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFail: true }).trim();
  if (head) tips.add(head);
  const stashes = stashCommits(repo);
  for (const s of stashes) {
    tips.add(s);
    // A stash commit's parents hold the index (2nd) and untracked files (3rd) at stash time.
    const parents = git(repo, ['log', '--no-walk', '--format=%P', s], { allowFail: true })
      .trim()
      .split(' ')
      .filter(Boolean);
    for (const p of parents) tips.add(p);
  }
  const wts = worktrees(ws);
  for (const w of wts) if (isCommitId(w.head)) tips.add(w.head);

  const blobs: PointerBlob[] = [];
  const found = new Map<string, Found>();
  const note = (list: PointerBlob[], f: Found): void => {
    for (const b of list) if (!found.has(`${b.blob}\0${b.pointerPath}`)) found.set(`${b.blob}\0${b.pointerPath}`, f);
    blobs.push(...list);
  };
  for (const c of tips) note(treePointerBlobs(repo, c), { where: `in commit ${c.slice(0, 10)}`, commit: c });
  const pointers: ScopedPointer[] = [];
  const here = path.resolve(repo.root);
  for (const w of wts) {
    const root = path.resolve(w.path);
    if (root !== here && (w.noFiles || !fs.existsSync(root))) continue;
    note(indexPointerBlobs({ root }), {
      where: root === here ? 'in the index' : `in the index of the worktree at ${root}`,
    });
    pointers.push(...workTreePointers(repo, root, root === here));
  }
  if (wts.length === 0) {
    note(indexPointerBlobs(repo), { where: 'in the index' });
    pointers.push(...workTreePointers(repo, repo.root, true));
  }
  const historyArgs = ['--all', ...stashes, ...wts.map((w) => w.head).filter(isCommitId)];
  if (allCommits) note(historyPointerBlobs(repo, historyArgs), { where: 'history' });
  const read = readPointerBlobs(repo, blobs);
  const bad = read.skipped[0];
  if (bad) {
    const f = found.get(`${bad.blob}\0${bad.pointerPath}`) ?? { where: 'history' };
    const commit =
      f.where === 'history'
        ? git(
            repo,
            [
              'log',
              '--format=%H',
              '-1',
              '-m',
              '--root',
              '--diff-filter=d',
              `--find-object=${bad.blob}`,
              ...historyArgs,
            ],
            { allowFail: true },
          ).split('\n')[0]
        : f.commit;
    const where = f.where === 'history' ? (commit ? `in commit ${commit.slice(0, 10)}` : 'in history') : f.where;
    const label = `${bad.pointerPath} (blob ${bad.blob.slice(0, 10)}): `;
    const reason = bad.reason.startsWith(label) ? bad.reason.slice(label.length) : bad.reason;
    const hint =
      f.where === 'history'
        ? "a pointer in history cannot be fixed without rewriting it: run 'mvgit gc' without --all-commits to keep only what the tips, index and work trees reference"
        : f.commit
          ? `commit a fixed ${bad.pointerPath} (or delete the ref that points at ${f.commit.slice(0, 10)}), then run gc again`
          : `stage a good ${bad.pointerPath} (git add, or git restore --staged ${bad.pointerPath}), then run gc again`;
    throw unreadablePointer(bad.pointerPath, where, reason, hint);
  }
  return [...pointers, ...read.pointers];
}

/**
 * The objects to keep. A directory's manifest that the cache lacks is fetched from `remote`
 * when one is given (remote gc), since its files can be known no other way.
 */
export async function keptObjects(
  ws: Workspace,
  pointers: ScopedPointer[],
  remote?: Remote,
): Promise<{ keep: Set<string>; unknownDirs: GcReport['unknownDirs'] }> {
  const keep = new Set<string>();
  const unknownDirs: GcReport['unknownDirs'] = [];
  const dirsSeen = new Set<string>();
  for (const p of pointers) {
    const hex = oidHex(p.pointer.oid);
    keep.add(hex);
    if (p.pointer.files === undefined || dirsSeen.has(hex)) continue;
    dirsSeen.add(hex);
    if (!ws.store.has(hex) && remote) {
      try {
        await downloadObject(ws.store, remote, hex, p.path, undefined);
      } catch {
        // not on the remote either: reported below
      }
    }
    try {
      for (const e of parseManifest(ws.store.readVerified(hex, p.path), `${p.path} (${hex.slice(0, 12)})`))
        keep.add(e.oid);
    } catch {
      unknownDirs.push({ path: p.path, oid: p.pointer.oid });
    }
  }
  return { keep, unknownDirs };
}

/**
 * The default of `gc.remoteKeepRecent`, as git's gc.pruneExpire: an object uploaded in the last
 * two weeks may belong to a commit another clone pushed and this one has not fetched.
 */
export const DEFAULT_REMOTE_KEEP_RECENT = '14d';

/**
 * How long unreferenced objects are kept: `gc.keepRecent` in the cache, `gc.remoteKeepRecent`
 * on a remote; zero with `pruneNow`.
 */
export async function keepRecentMs(ws: Workspace, pruneNow: boolean, remote = false): Promise<number> {
  if (pruneNow) return 0;
  const key = remote ? 'gc.remoteKeepRecent' : 'gc.keepRecent';
  const value = (await getSetting(ws.repo, key)) ?? (remote ? DEFAULT_REMOTE_KEEP_RECENT : DEFAULT_KEEP_RECENT);
  return parseDuration(value, key);
}

/**
 * Removes unreferenced objects from the cache; with `dryRun`, only lists them. An object
 * younger than `gc.keepRecent` (by ctime: objects carry a fixed mtime as a seal, while
 * storing one renames it, which sets its ctime) is kept, as a command may be about to name it;
 * and gc waits for running adds, which hold a lock from storing to writing their pointer.
 * @example const report = await gc(ws, { dryRun: true });
 */
export async function gc(ws: Workspace, options: GcOptions = {}): Promise<GcReport> {
  const keepMs = await keepRecentMs(ws, options.pruneNow === true);
  const lock = options.dryRun ? undefined : await holdGcLock(ws.repo);
  try {
    const pointers = await referencedPointers(ws, options.allCommits === true);
    const { keep, unknownDirs } = await keptObjects(ws, pointers);
    const report: GcReport = {
      target: 'cache',
      dryRun: options.dryRun === true,
      kept: 0,
      keptRecent: 0,
      keepRecentMs: keepMs,
      removed: [],
      bytesFreed: 0,
      unknownDirs,
      skippedPointers: [],
    };
    const now = Date.now();
    for (const hex of [...ws.store.list()].sort()) {
      if (keep.has(hex)) {
        report.kept++;
        continue;
      }
      const st = fs.statSync(ws.store.path(hex), { throwIfNoEntry: false });
      if (!st) continue; // removed meanwhile (another gc)
      if (now - st.ctimeMs < keepMs) {
        report.kept++;
        report.keptRecent++;
        continue;
      }
      report.removed.push({ oid: `sha256:${hex}`, size: st.size });
      report.bytesFreed += st.size;
    }
    if (options.dryRun) return report;
    await failpoint('gc:before-remove');
    let done = 0;
    for (const r of report.removed) {
      ws.store.remove(r.oid.slice('sha256:'.length));
      options.onProgress?.({ phase: 'gc', done: ++done, total: report.removed.length });
    }
    clearStoreTemps(ws);
    return report;
  } finally {
    lock?.release();
  }
}

/**
 * Removes temp files of ours from the whole store: those whose process is gone, and those
 * untouched for an hour (a pid reused since a kill keeps its temps looking alive).
 */
function clearStoreTemps(ws: Workspace): void {
  const now = Date.now();
  for (const t of ws.store.listTemps()) {
    if (tempOwner(path.basename(t)) === null) continue;
    const st = fs.statSync(t, { throwIfNoEntry: false });
    if (st && (isDeadTemp(path.basename(t)) || now - st.ctimeMs > TEMP_AGE_MS)) fs.rmSync(t, { force: true });
  }
}
