/** `mvgit push`: uploads, a directory's files before its manifest, skipping what the remote has. */
import type { Workspace } from '../repo/workspace.js';
import type { MvgitError } from '../../base/errors.js';
import { objectSealed } from '../../base/object-layout.js';
import { parseManifest, type ManifestEntry } from '../pointer/manifest.js';
import { DEFAULT_ATTEMPTS, ObjectTask, runQueue, type QueueTask } from './queue.js';
import { withRetry } from './retry.js';
import { openRemote } from '../repo/remotes.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { collectPointers, type Scope, type ScopedPointer } from '../history/scope.js';
import {
  type DirRef,
  emptyReport,
  entriesOf,
  failureOf,
  type ObjectRef,
  splitPointers,
  tracker,
  type TransferOptions,
  type TransferReport,
} from './transfer.js';

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
  // The cache path is made when an upload starts, not kept per task: a million are ~100 MB.
  const upload = (t: ObjectTask, onBytes: (n: number) => void): Promise<void> =>
    remote.put(t.hex, ws.store.path(t.hex), t.size, { onBytes });
  const tasks: QueueTask[] = [];
  for (const o of toUpload.values()) {
    const file = ws.store.path(o.hex);
    // One stat for the common case: a sealed object exists and is whole.
    const sealed = objectSealed(file, o.size);
    if (!sealed && !ws.store.has(o.hex)) {
      fail(o, 'OBJECT_MISSING', `object ${o.hex.slice(0, 12)} is not in the local cache (nor on the remote)`);
      failedHexes.add(o.hex);
      continue;
    }
    if (!sealed && !ws.store.verify(o.hex)) {
      fail(
        o,
        'OBJECT_CORRUPT',
        `object ${o.hex.slice(0, 12)} in the local cache is corrupt; not uploaded (run 'mvgit fsck --repair')`,
      );
      failedHexes.add(o.hex);
      continue;
    }
    tasks.push(new ObjectTask(o, upload));
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
    manifestTasks.push(new ObjectTask(m, upload));
  }
  const mres = await runQueue(manifestTasks, { concurrency, attempts: options.attempts });
  for (const f of mres.failed) report.failed.push(failureOf(f));
  report.transferred += mres.done.length;
  report.bytes += mres.done.reduce((n, t) => n + t.size, 0);
  return report;
}
