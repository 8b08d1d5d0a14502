import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import type { OnProgress } from '../../base/progress.js';
import type { ResolvedLinkMode } from './file-ops.js';
import type { ObjectStore } from './object-store.js';
import { isJobError, type HashResult } from './jobs.js';
import { runPool } from './pool.js';

export interface FsckReport {
  checked: number;
  /** Objects whose bytes do not match their name; `movedTo` with repair. */
  corrupt: { oid: string; file: string; movedTo?: string }[];
  /** Temp files of killed runs that were cleared. */
  tempsRemoved: number;
}

/**
 * `mvgit fsck`: re-hashes every object in the cache on all cores. With `repair`, corrupt
 * objects are moved aside to `<cache>/corrupt/` (never deleted: a person may want them), so
 * the next pull or add can put a good copy in place.
 */
export async function fsck(
  ws: { store: ObjectStore; mode: ResolvedLinkMode },
  options: { repair?: boolean; onProgress?: OnProgress } = {},
): Promise<FsckReport> {
  const temps = ws.store.listTemps();
  for (const t of temps) fs.rmSync(t, { force: true });
  const hexes = [...ws.store.list()].sort();
  let done = 0;
  const results = await runPool({
    op: 'hash',
    objectsDir: ws.store.dir,
    mode: ws.mode,
    items: hexes.map((h) => ({ abs: ws.store.path(h) })),
    onResult: () => options.onProgress?.({ phase: 'verify', done: ++done, total: hexes.length }),
  });
  const corrupt: FsckReport['corrupt'] = [];
  results.forEach((r, i) => {
    const hex = hexes[i];
    if (!isJobError(r) && (r as HashResult).hex === hex) return;
    const entry: FsckReport['corrupt'][number] = { oid: `sha256:${hex}`, file: ws.store.path(hex) };
    if (options.repair) entry.movedTo = ws.store.quarantine(hex);
    corrupt.push(entry);
  });
  return { checked: hexes.length, corrupt, tempsRemoved: temps.length };
}

/** The error for corrupt objects found in the cache (without `repair`), or undefined when there are none. */
export function cacheFsckError(report: FsckReport): MvgitError | undefined {
  if (report.corrupt.length === 0) return undefined;
  const names = report.corrupt.map((c) => c.oid.slice('sha256:'.length, 'sha256:'.length + 12));
  return new MvgitError(
    'OBJECT_CORRUPT',
    `${names.length} corrupt object(s) in the cache: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`,
    {
      hint: "run 'mvgit fsck --repair' to move them aside, then 'mvgit pull' or 'mvgit add' to replace them",
      data: { corrupt: report.corrupt, checked: report.checked, tempsRemoved: report.tempsRemoved },
    },
  );
}
