/** `mvgit fetch`: downloads into the cache, each object verified against its oid before it enters. */
import { syncIfAsked, type Workspace } from '../repo/workspace.js';
import { downloadObject } from './download.js';
import { ObjectTask, runQueue } from './queue.js';
import { defaultRemoteName, openRemote } from '../repo/remotes.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { collectPointers, type Scope, type ScopedPointer } from '../history/scope.js';
import { rememberFetchFailures } from './autofetch.js';
import { fetchSmallFromFolder } from './folder-fetch.js';
import {
  type DirRef,
  emptyReport,
  failureOf,
  fileSize,
  makeInCache,
  type ObjectRef,
  readLocalManifest,
  splitPointers,
  tracker,
  type TransferOptions,
  type TransferReport,
} from './transfer.js';

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
    const fetchOne = (t: ObjectTask, onBytes: (n: number) => void): Promise<void> =>
      downloadObject(ws.store, remote, t.hex, t.path, t.size >= 0 ? t.size : undefined, onBytes);
    const download = (o: ObjectRef): ObjectTask => new ObjectTask(o, fetchOne);
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
    // Each object once, the first path that names it (a Set and one pass: at a million files a
    // Map of [hex, ref] pairs was ~100 MB more).
    seen.clear();
    const tasks: ObjectTask[] = [];
    for (const o of missingFiles) {
      if (seen.has(o.hex)) continue;
      seen.add(o.hex);
      tasks.push(download(o));
    }
    const progress = tracker('download', tasks, options.onProgress);
    progress.start();
    const queued = await fetchSmallFromFolder(ws, remote, tasks, (t, bytes) => {
      report.transferred++;
      report.bytes += bytes;
      progress.onBytes(bytes);
      progress.onTaskDone(t);
    });
    const res = await runQueue(queued, {
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
    syncIfAsked(ws);
    return report;
  } finally {
    if (!options.remoteHandle) remote.close();
  }
}
