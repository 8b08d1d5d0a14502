/**
 * `mvgit gc`: removes objects that nothing references, from the cache or from a remote.
 * Referenced means: named by a pointer in the work tree, the index, any branch, tag,
 * remote-tracking branch or stash, or any worktree's HEAD, index and files; with
 * `allCommits`, by any commit reachable from a ref. A kept directory keeps its manifest and
 * every file the manifest lists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listArtifacts } from '../history/work-tree-pointers.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { downloadObject } from './download.js';
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import { sha256Hex } from '../../base/hash.js';
import { parseManifest } from '../pointer/manifest.js';
import { oidHex } from '../pointer/pointer.js';
import { openRemote } from '../repo/remotes.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { historyPointerBlobs, indexPointerBlobs, readPointerBlobs, refCommits, stashCommits, treePointerBlobs, type PointerBlob, type ScopedPointer } from '../history/scope.js';

export interface GcOptions {
  /** Keep what any commit reachable from a ref references, not only the tips. */
  allCommits?: boolean;
  dryRun?: boolean;
  onProgress?: OnProgress;
}

export interface GcReport {
  /** 'cache', or the remote's name. */
  target: string;
  url?: string;
  dryRun: boolean;
  /** Objects kept. */
  kept: number;
  /** Objects removed (or, with dryRun, that would be). */
  removed: { oid: string; size: number }[];
  bytesFreed: number;
  /** Kept directories whose manifest could not be read: files of theirs may have been removed. */
  unknownDirs: { path: string; oid: string }[];
  /** Pointers in history that could not be read. */
  skippedPointers: { pointerPath: string; reason: string }[];
}

/** Leftover temp files younger than this may belong to a running command. */
const TEMP_AGE_MS = 60 * 60 * 1000;

interface Worktree {
  path: string;
  head?: string;
}

function worktrees(ws: Workspace): Worktree[] {
  const out: Worktree[] = [];
  let cur: Worktree | undefined;
  for (const line of git(ws.repo, ['worktree', 'list', '--porcelain'], { allowFail: true }).split('\n')) {
    if (line.startsWith('worktree ')) {
      cur = { path: line.slice('worktree '.length) };
      out.push(cur);
    } else if (line.startsWith('HEAD ') && cur) cur.head = line.slice('HEAD '.length);
  }
  return out;
}

/** Every pointer that keeps its objects, by the rules in this file's comment. */
async function referencedPointers(ws: Workspace, allCommits: boolean): Promise<{ pointers: ScopedPointer[]; skipped: GcReport['skippedPointers'] }> {
  const repo = ws.repo;
  const tips = new Set(refCommits(repo, 'refs/heads', 'refs/tags', 'refs/remotes'));
  const head = git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFail: true }).trim();
  if (head) tips.add(head);
  const stashes = stashCommits(repo);
  for (const s of stashes) {
    tips.add(s);
    // A stash commit's parents hold the index (2nd) and untracked files (3rd) at stash time.
    const parents = git(repo, ['log', '--no-walk', '--format=%P', s], { allowFail: true }).trim().split(' ').filter(Boolean);
    for (const p of parents) tips.add(p);
  }
  const wts = worktrees(ws);
  for (const w of wts) if (w.head && /^[0-9a-f]{40,64}$/.test(w.head) && !/^0+$/.test(w.head)) tips.add(w.head);

  const blobs: PointerBlob[] = [];
  for (const c of tips) blobs.push(...treePointerBlobs(repo, c));
  if (allCommits) blobs.push(...historyPointerBlobs(repo, ['--all', ...stashes, ...wts.map((w) => w.head ?? '').filter((h) => /^[0-9a-f]{40,64}$/.test(h) && !/^0+$/.test(h))]));
  const pointers: ScopedPointer[] = [];
  const here = path.resolve(repo.root);
  for (const w of wts) {
    const root = path.resolve(w.path);
    if (root !== here && !fs.existsSync(root)) continue;
    try {
      blobs.push(...indexPointerBlobs({ root }));
      for (const a of listArtifacts({ ...repo, root })) pointers.push(a);
    } catch {
      // A worktree we cannot read (bare, or removed without `git worktree prune`) has no files to keep.
    }
  }
  if (wts.length === 0) {
    blobs.push(...indexPointerBlobs(repo));
    for (const a of listArtifacts(repo)) pointers.push(a);
  }
  const read = readPointerBlobs(repo, blobs);
  return { pointers: [...pointers, ...read.pointers], skipped: read.skipped.map((s) => ({ pointerPath: s.pointerPath, reason: s.reason })) };
}

/**
 * The objects to keep. A directory's manifest that the cache lacks is fetched from `remote`
 * when one is given (remote gc), since its files can be known no other way.
 */
async function keptObjects(ws: Workspace, pointers: ScopedPointer[], remote?: Remote): Promise<{ keep: Set<string>; unknownDirs: GcReport['unknownDirs'] }> {
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
      for (const e of parseManifest(ws.store.readVerified(hex, p.path), `${p.path} (${hex.slice(0, 12)})`)) keep.add(e.oid);
    } catch {
      unknownDirs.push({ path: p.path, oid: p.pointer.oid });
    }
  }
  return { keep, unknownDirs };
}

/**
 * Removes unreferenced objects from the cache; with `dryRun`, only lists them.
 * @example const report = await gc(ws, { dryRun: true });
 */
export async function gc(ws: Workspace, options: GcOptions = {}): Promise<GcReport> {
  const { pointers, skipped } = await referencedPointers(ws, options.allCommits === true);
  const { keep, unknownDirs } = await keptObjects(ws, pointers);
  const report: GcReport = { target: 'cache', dryRun: options.dryRun === true, kept: 0, removed: [], bytesFreed: 0, unknownDirs, skippedPointers: skipped };
  const all = [...ws.store.list()].sort();
  let done = 0;
  for (const hex of all) {
    options.onProgress?.({ phase: 'gc', done: ++done, total: all.length });
    if (keep.has(hex)) {
      report.kept++;
      continue;
    }
    const size = fs.statSync(ws.store.path(hex), { throwIfNoEntry: false })?.size ?? 0;
    if (!options.dryRun) ws.store.remove(hex);
    report.removed.push({ oid: `sha256:${hex}`, size });
    report.bytesFreed += size;
  }
  if (!options.dryRun) {
    const now = Date.now();
    for (const t of ws.store.listTemps()) {
      const st = fs.statSync(t, { throwIfNoEntry: false });
      if (st && now - st.ctimeMs > TEMP_AGE_MS) fs.rmSync(t, { force: true });
    }
  }
  return report;
}

export interface GcRemoteOptions {
  dryRun?: boolean;
  /** Remove without a dry run first. */
  yes?: boolean;
  onProgress?: OnProgress;
}

/** A dry run is honoured for this long: after that the list may be stale. */
const PLAN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

interface GcPlan {
  url: string;
  created: number;
  oids: string[];
}

function planFile(ws: Workspace, url: string): string {
  return path.join(ws.repo.dataDir, 'gc', `remote-${sha256Hex(url).slice(0, 16)}.json`);
}

/**
 * Removes unreferenced objects from a remote. Only the widest scope is safe there (every
 * commit reachable from a ref), and deleting from shared storage needs a confirmation: a
 * `dryRun` first (whose list is saved and is the most that a later run removes) or `yes`.
 */
export async function gcRemote(ws: Workspace, remoteName: string | undefined, options: GcRemoteOptions = {}): Promise<GcReport> {
  const remote = await openRemote(ws.repo, ws.config, remoteName);
  try {
    const file = planFile(ws, remote.url);
    let plan: GcPlan | undefined;
    if (!options.dryRun && !options.yes) {
      try {
        plan = JSON.parse(fs.readFileSync(file, 'utf8')) as GcPlan;
      } catch {
        plan = undefined;
      }
      if (!plan || plan.url !== remote.url || Date.now() - plan.created > PLAN_MAX_AGE_MS) {
        throw new MvgitError('CONFIRMATION_REQUIRED', `gc on remote '${remote.name}' deletes shared data; it needs a dry run first`, {
          hint: `run 'mvgit gc --remote ${remote.name} --dry-run', check the list, then run 'mvgit gc --remote ${remote.name}' again (or pass --yes)`,
          data: { remote: remote.name },
        });
      }
    }
    const { pointers, skipped } = await referencedPointers(ws, true);
    const { keep, unknownDirs } = await keptObjects(ws, pointers, remote);
    const report: GcReport = { target: remote.name, url: remote.url, dryRun: options.dryRun === true, kept: 0, removed: [], bytesFreed: 0, unknownDirs, skippedPointers: skipped };
    const allowed = plan ? new Set(plan.oids) : undefined;
    const doomed: { hex: string; size: number }[] = [];
    for await (const o of remote.list()) {
      if (keep.has(o.hex)) report.kept++;
      else if (!allowed || allowed.has(o.hex)) doomed.push(o);
      else report.kept++;
    }
    if (options.dryRun) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify({ url: remote.url, created: Date.now(), oids: doomed.map((d) => d.hex) } satisfies GcPlan));
    } else {
      const BATCH = 1000;
      for (let i = 0; i < doomed.length; i += BATCH) {
        await remote.delete(doomed.slice(i, i + BATCH).map((d) => d.hex));
        options.onProgress?.({ phase: 'gc', done: Math.min(i + BATCH, doomed.length), total: doomed.length });
      }
      fs.rmSync(file, { force: true });
      await remote.sweepTemps?.();
    }
    for (const d of doomed) {
      report.removed.push({ oid: `sha256:${d.hex}`, size: d.size });
      report.bytesFreed += d.size;
    }
    return report;
  } finally {
    remote.close();
  }
}
