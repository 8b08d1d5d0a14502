/**
 * `push`, `fetch` and `pull`: moving the objects of a scope of pointers between the cache and a
 * remote. A directory's files travel before its manifest, so a manifest on the remote means
 * its files are there too, and checking one manifest answers for thousands of files.
 * What the other side already has is skipped, so a run that was interrupted resumes.
 */
import fs from 'node:fs';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { downloadObject, repairHint } from './download.js';
import { MvgitError } from '../../base/errors.js';
import { objectSealed } from '../../base/object-layout.js';
import { parseManifest, type ManifestEntry } from '../pointer/manifest.js';
import { oidHex } from '../pointer/pointer.js';
import { DEFAULT_ATTEMPTS, runQueue, type QueueFailure, type QueueTask } from './queue.js';
import { withRetry } from './retry.js';
import { defaultRemoteName, openRemote } from '../repo/remotes.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { collectPointers, type Scope, type ScopedPointer } from '../history/scope.js';
import { rememberFetchFailures } from './autofetch.js';

export interface TransferOptions {
  /** A remote's name or URL; the default remote when absent. */
  remote?: string;
  /** Transfers at once (default from the core count). */
  jobs?: number;
  /** Tries per object (default 5). */
  attempts?: number;
  /** Only say what would move. */
  dryRun?: boolean;
  onProgress?: OnProgress;
}

/** One object that could not be moved. */
export interface TransferFailure {
  oid: string;
  /** The artifact, and the file inside a directory artifact. */
  path: string;
  code: string;
  reason: string;
  /** False when it was never tried, because the remote had stopped answering or refused us. */
  tried?: false;
  /** What to do about it, when the error says. */
  hint?: string;
}

/** What a push or fetch did, for `--json` and the one-line summary. */
export interface TransferReport {
  direction: 'push' | 'fetch';
  remote: string;
  url: string;
  /** Artifacts (pointer versions) in the scope. */
  artifacts: number;
  /** Objects moved. */
  transferred: number;
  /** Bytes moved. */
  bytes: number;
  /** Objects the other side already had (a directory whose manifest was there counts once). */
  present: number;
  failed: TransferFailure[];
  /** Pointers in history that could not be read, so their objects were left out. */
  skippedPointers: { pointerPath: string; reason: string }[];
  dryRun: boolean;
}

interface ObjectRef {
  hex: string;
  size: number;
  path: string;
}

/** A directory artifact: its manifest and, once read, its files. */
interface DirRef {
  manifest: ObjectRef;
  entries?: ObjectRef[];
}

function splitPointers(pointers: ScopedPointer[]): { files: Map<string, ObjectRef>; dirs: Map<string, DirRef> } {
  const files = new Map<string, ObjectRef>();
  const dirs = new Map<string, DirRef>();
  for (const p of pointers) {
    const hex = oidHex(p.pointer.oid);
    if (p.pointer.files === undefined) {
      if (!files.has(hex)) files.set(hex, { hex, size: p.pointer.size, path: p.path });
    } else if (!dirs.has(hex)) {
      // A manifest's size is not in the pointer; -1 until it is read.
      dirs.set(hex, { manifest: { hex, size: -1, path: p.path } });
    }
  }
  return { files, dirs };
}

function entriesOf(dir: DirRef, entries: ManifestEntry[]): ObjectRef[] {
  return entries.map((e) => ({ hex: e.oid, size: e.size, path: `${dir.manifest.path}/${e.path}` }));
}

function failureOf(f: QueueFailure): TransferFailure {
  const err = f.error as { code?: unknown; message?: string };
  const reason = err instanceof MvgitError ? err.message : (err?.message ?? String(f.error));
  const code = err instanceof MvgitError ? err.code : 'REMOTE_ERROR';
  if (!f.attempted)
    return {
      oid: `sha256:${f.task.hex}`,
      path: f.task.path,
      code,
      reason: 'not tried after the failure above',
      tried: false,
    };
  return {
    oid: `sha256:${f.task.hex}`,
    path: f.task.path,
    code,
    reason,
    ...(err instanceof MvgitError && err.hint ? { hint: err.hint } : {}),
  };
}

function emptyReport(
  direction: 'push' | 'fetch',
  remote: Pick<Remote, 'name' | 'url'>,
  artifacts: number,
  dryRun: boolean,
): TransferReport {
  return {
    direction,
    remote: remote.name,
    url: remote.url,
    artifacts,
    transferred: 0,
    bytes: 0,
    present: 0,
    failed: [],
    skippedPointers: [],
    dryRun,
  };
}

/** A progress reporter for one phase of a transfer. */
function tracker(phase: 'upload' | 'download', tasks: QueueTask[], onProgress?: OnProgress) {
  const totalBytes = tasks.reduce((n, t) => n + Math.max(0, t.size), 0);
  let done = 0;
  let bytes = 0;
  const emit = (path?: string): void => onProgress?.({ phase, done, total: tasks.length, bytes, totalBytes, path });
  return {
    start: () => tasks.length > 0 && emit(),
    onBytes: (n: number) => {
      bytes += n;
      emit();
    },
    onTaskDone: (t: QueueTask) => {
      done++;
      emit(t.path);
    },
  };
}

/**
 * `mvgit push`: uploads the objects of the scope's pointers that the remote lacks.
 * Default scope for the CLI: `{ head: true, workTree: true }`.
 * @example const report = await push(ws, { head: true, workTree: true }, { remote: 'origin' });
 */
export async function push(ws: Workspace, scope: Scope, options: TransferOptions = {}): Promise<TransferReport> {
  const { pointers, skipped } = await collectPointers(ws.repo, scope);
  const remote = await openRemote(ws.repo, ws.config, options.remote);
  try {
    const report = await pushPointers(ws, remote, pointers, options);
    report.skippedPointers = skipped.map((s) => ({ pointerPath: s.pointerPath, reason: s.reason }));
    return report;
  } finally {
    remote.close();
  }
}

/** Uploads what `pointers` need to `remote` (the pre-push hook calls this with its own scope). */
export async function pushPointers(
  ws: Workspace,
  remote: Remote,
  pointers: ScopedPointer[],
  options: TransferOptions = {},
): Promise<TransferReport> {
  const report = emptyReport('push', remote, pointers.length, options.dryRun === true);
  if (pointers.length === 0) return report;
  const { files, dirs } = splitPointers(pointers);
  const concurrency = options.jobs;
  const fail = (o: ObjectRef, code: string, reason: string): void => {
    report.failed.push({ oid: `sha256:${o.hex}`, path: o.path, code, reason });
  };

  // One check for every file artifact and every manifest: a manifest there answers for its files.
  options.onProgress?.({ phase: 'check', done: 0, total: files.size + dirs.size });
  const sizes = new Map<string, number>();
  for (const o of files.values()) sizes.set(o.hex, o.size);
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const topPresent = await withRetry(
    () => remote.hasMany([...files.keys(), ...dirs.keys()], { concurrency, sizes }),
    attempts,
  );
  const toUpload = new Map<string, ObjectRef>();
  for (const [hex, o] of files) {
    if (topPresent.has(hex)) report.present++;
    else toUpload.set(hex, o);
  }
  const pendingDirs: DirRef[] = [];
  for (const [hex, d] of dirs) {
    if (topPresent.has(hex)) {
      report.present++;
      continue;
    }
    if (!ws.store.has(hex)) {
      fail(
        d.manifest,
        'OBJECT_MISSING',
        `the manifest of ${d.manifest.path} is not in the local cache, so its files cannot be pushed`,
      );
      continue;
    }
    let entries: ManifestEntry[];
    try {
      const bytes = ws.store.readVerified(hex, d.manifest.path);
      d.manifest.size = bytes.length;
      entries = parseManifest(bytes, `${d.manifest.path} (${hex.slice(0, 12)})`);
    } catch (err) {
      fail(d.manifest, (err as MvgitError).code ?? 'MANIFEST_INVALID', (err as Error).message);
      continue;
    }
    d.entries = entriesOf(d, entries);
    pendingDirs.push(d);
  }
  const entryHexes = [...new Set(pendingDirs.flatMap((d) => d.entries!.map((e) => e.hex)))].filter(
    (h) => !toUpload.has(h) && !topPresent.has(h),
  );
  for (const d of pendingDirs) for (const e of d.entries!) sizes.set(e.hex, e.size);
  const entryPresent =
    entryHexes.length > 0
      ? await withRetry(() => remote.hasMany(entryHexes, { concurrency, sizes }), attempts)
      : new Set<string>();
  options.onProgress?.({ phase: 'check', done: files.size + dirs.size, total: files.size + dirs.size });
  for (const d of pendingDirs) {
    for (const e of d.entries!) {
      if (entryPresent.has(e.hex) || topPresent.has(e.hex)) continue;
      if (!toUpload.has(e.hex)) toUpload.set(e.hex, e);
    }
  }
  report.present += entryPresent.size;

  // Objects the remote lacks must come from the cache, whole and unchanged.
  const failedHexes = new Set<string>();
  const tasks: QueueTask[] = [];
  for (const o of toUpload.values()) {
    const file = ws.store.path(o.hex);
    if (!ws.store.has(o.hex)) {
      fail(o, 'OBJECT_MISSING', `object ${o.hex.slice(0, 12)} is not in the local cache (nor on the remote)`);
      failedHexes.add(o.hex);
      continue;
    }
    if (!objectSealed(file, o.size) && !ws.store.verify(o.hex)) {
      fail(
        o,
        'OBJECT_CORRUPT',
        `object ${o.hex.slice(0, 12)} in the local cache is corrupt; not uploaded (run 'mvgit fsck --repair')`,
      );
      failedHexes.add(o.hex);
      continue;
    }
    tasks.push({
      hex: o.hex,
      size: o.size,
      path: o.path,
      run: (onBytes) => remote.put(o.hex, file, o.size, { onBytes }),
    });
  }
  if (options.dryRun) {
    report.transferred = tasks.length + pendingDirs.length;
    report.bytes =
      tasks.reduce((n, t) => n + t.size, 0) + pendingDirs.reduce((n, d) => n + Math.max(0, d.manifest.size), 0);
    return report;
  }
  const progress = tracker('upload', tasks, options.onProgress);
  progress.start();
  const files1 = await runQueue(tasks, {
    concurrency,
    attempts: options.attempts,
    onBytes: progress.onBytes,
    onTaskDone: progress.onTaskDone,
  });
  for (const f of files1.failed) {
    report.failed.push(failureOf(f));
    failedHexes.add(f.task.hex);
  }
  report.transferred += files1.done.length;
  report.bytes += files1.done.reduce((n, t) => n + t.size, 0);

  // Manifests last, and only for directories whose every file is now on the remote.
  const manifestTasks: QueueTask[] = [];
  for (const d of pendingDirs) {
    const broken = d.entries!.filter((e) => failedHexes.has(e.hex));
    if (broken.length > 0) {
      fail(
        d.manifest,
        'TRANSFER_FAILED',
        `the manifest of ${d.manifest.path} was not uploaded: ${broken.length} of its files failed`,
      );
      continue;
    }
    const m = d.manifest;
    manifestTasks.push({
      hex: m.hex,
      size: m.size,
      path: m.path,
      run: (onBytes) => remote.put(m.hex, ws.store.path(m.hex), m.size, { onBytes }),
    });
  }
  const mres = await runQueue(manifestTasks, { concurrency, attempts: options.attempts });
  for (const f of mres.failed) report.failed.push(failureOf(f));
  report.transferred += mres.done.length;
  report.bytes += mres.done.reduce((n, t) => n + t.size, 0);
  return report;
}

/**
 * `mvgit fetch`: downloads the objects of the scope's pointers that the cache lacks, each
 * verified against its oid before it enters the cache. Default scope: `{ head: true }`.
 */
export async function fetch(ws: Workspace, scope: Scope, options: TransferOptions = {}): Promise<TransferReport> {
  const { pointers, skipped } = await collectPointers(ws.repo, scope);
  const report = await fetchPointers(ws, pointers, options);
  report.skippedPointers = skipped.map((s) => ({ pointerPath: s.pointerPath, reason: s.reason }));
  return report;
}

/**
 * Downloads what `pointers` need. The remote is opened only when something is missing, so a
 * fetch with nothing to do costs no connection.
 */
export async function fetchPointers(
  ws: Workspace,
  pointers: ScopedPointer[],
  options: TransferOptions & { remoteHandle?: Remote } = {},
): Promise<TransferReport> {
  const { files, dirs } = splitPointers(pointers);
  const missingFiles: ObjectRef[] = [];
  let present = 0;
  for (const o of files.values()) {
    if (ws.store.has(o.hex)) present++;
    else missingFiles.push(o);
  }
  const inCache = makeInCache(ws, dirs);
  const missingManifests: DirRef[] = [];
  for (const [hex, d] of dirs) {
    if (!ws.store.has(hex)) {
      missingManifests.push(d);
      continue;
    }
    present++;
    const entries = readLocalManifest(ws, d);
    if (!entries) continue;
    for (const e of entries) {
      if (inCache(e.hex)) present++;
      else missingFiles.push(e);
    }
  }
  if (missingFiles.length === 0 && missingManifests.length === 0) {
    const name = options.remoteHandle?.name ?? options.remote ?? defaultRemoteName(ws.config) ?? '';
    const url = options.remoteHandle?.url ?? ws.config.remotes[name]?.url ?? name;
    return { ...emptyReport('fetch', { name, url }, pointers.length, options.dryRun === true), present };
  }
  const remote = options.remoteHandle ?? (await openRemote(ws.repo, ws.config, options.remote));
  try {
    const report = emptyReport('fetch', remote, pointers.length, options.dryRun === true);
    report.present = present;
    if (options.dryRun) {
      report.transferred = missingFiles.length + missingManifests.length;
      report.bytes = missingFiles.reduce((n, o) => n + o.size, 0);
      return report;
    }
    const download = (o: ObjectRef): QueueTask => ({
      hex: o.hex,
      size: o.size,
      path: o.path,
      run: (onBytes) => downloadObject(ws.store, remote, o.hex, o.path, o.size >= 0 ? o.size : undefined, onBytes),
    });
    // Manifests first: they say which files a directory needs.
    const mres = await runQueue(
      missingManifests.map((d) => download(d.manifest)),
      { concurrency: options.jobs, attempts: options.attempts },
    );
    for (const f of mres.failed) report.failed.push(failureOf(f));
    report.transferred += mres.done.length;
    const seen = new Set(missingFiles.map((o) => o.hex));
    for (const d of missingManifests) {
      if (!ws.store.has(d.manifest.hex)) continue;
      report.bytes += fileSize(ws, d.manifest.hex);
      const entries = readLocalManifest(ws, d);
      if (!entries) continue;
      for (const e of entries) {
        if (seen.has(e.hex) || ws.store.has(e.hex)) continue;
        seen.add(e.hex);
        missingFiles.push(e);
      }
    }
    const unique = [...new Map(missingFiles.map((o) => [o.hex, o])).values()];
    const tasks = unique.map(download);
    const progress = tracker('download', tasks, options.onProgress);
    progress.start();
    const res = await runQueue(tasks, {
      concurrency: options.jobs,
      attempts: options.attempts,
      onBytes: progress.onBytes,
      onTaskDone: progress.onTaskDone,
    });
    for (const f of res.failed) report.failed.push(failureOf(f));
    report.transferred += res.done.length;
    report.bytes += res.done.reduce((n, t) => n + t.size, 0);
    rememberFetchFailures(
      ws,
      report.failed.map((f) => f.oid.slice('sha256:'.length)),
    );
    return report;
  } finally {
    if (!options.remoteHandle) remote.close();
  }
}

function fileSize(ws: Workspace, hex: string): number {
  return fs.statSync(ws.store.path(hex), { throwIfNoEntry: false })?.size ?? 0;
}

function readLocalManifest(ws: Workspace, d: DirRef): ObjectRef[] | undefined {
  if (d.entries) return d.entries;
  try {
    d.entries = entriesOf(
      d,
      parseManifest(
        ws.store.readVerified(d.manifest.hex, d.manifest.path),
        `${d.manifest.path} (${d.manifest.hex.slice(0, 12)})`,
      ),
    );
  } catch {
    // A damaged manifest is fsck's to report; the restore names it too.
    return undefined;
  }
  return d.entries;
}

/** Presence in the cache: one listing of the store beats a stat per object for big folders. */
function makeInCache(ws: Workspace, dirs: Map<string, DirRef>): (hex: string) => boolean {
  if (dirs.size === 0) return (hex) => ws.store.has(hex);
  let listed: Set<string> | undefined;
  let checks = 0;
  return (hex) => {
    if (listed) return listed.has(hex);
    if (++checks > 1000) {
      listed = ws.store.list();
      return listed.has(hex);
    }
    return ws.store.has(hex);
  };
}

/**
 * The error for a transfer with failures: names each object (up to ten) and how to retry.
 * `retry` is the command to run again.
 */
export function transferError(report: TransferReport, retry: string): MvgitError {
  const n = report.failed.length;
  const verb = report.direction === 'push' ? 'uploaded to' : 'downloaded from';
  const tried = report.failed.filter((f) => f.tried !== false);
  const untried = n - tried.length;
  const shown = tried.slice(0, 10);
  const list = shown.map((f) => `  ${f.path} (${f.oid.slice(7, 19)}): ${f.reason}`).join('\n');
  const more = [
    tried.length > shown.length ? `\n  ... and ${tried.length - shown.length} more (--json lists all)` : '',
    untried > 0 ? `\n  ${untried} more not tried after that failure` : '',
  ].join('');
  const missingOnRemote = report.direction === 'fetch' && report.failed.every((f) => f.code === 'OBJECT_MISSING');
  // Trying again fetches the same bad bytes: the remote's copy has to be replaced first.
  const corruptOnRemote =
    report.direction === 'fetch' && tried.length > 0 && tried.every((f) => f.code === 'OBJECT_CORRUPT');
  // A hint the remote gave (credentials, bucket) says more than "try again", when all agree.
  const hints = new Set(tried.map((f) => f.hint));
  const remoteHint = tried.every((f) => f.code === 'REMOTE_ERROR') && hints.size === 1 ? [...hints][0] : undefined;
  return new MvgitError(
    'TRANSFER_FAILED',
    `${n} object${n === 1 ? '' : 's'} could not be ${verb} remote '${report.remote}' (${report.url}):\n${list}${more}`,
    {
      hint: missingOnRemote
        ? `the remote lacks them: push them from a clone that has them (mvgit push), then run '${retry}' again`
        : corruptOnRemote
          ? repairHint(report.remote)
          : remoteHint && !remoteHint.startsWith('check the network')
            ? `${remoteHint}; then run '${retry}' again`
            : `run '${retry}' again: what is already there is skipped`,
      data: { failed: report.failed },
    },
  );
}
