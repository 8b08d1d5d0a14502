/**
 * `mvgit gc --remote`: removes from a remote the objects nothing references, after a dry run
 * that lists them (or with `yes`), and clears the temps of killed pushes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { MvgitError } from '../../base/errors.js';
import { sha256Hex } from '../../base/hash.js';
import { openRemote } from '../repo/remotes.js';
import { keepRecentMs, keptObjects, referencedPointers, type GcReport } from './gc.js';

export interface GcRemoteOptions {
  dryRun?: boolean;
  /** Remove without a dry run first. */
  yes?: boolean;
  /** Also remove unreferenced objects uploaded within `gc.remoteKeepRecent`. */
  pruneNow?: boolean;
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
 * Even that scope is only as fresh as this clone's last fetch: an object uploaded within
 * `gc.remoteKeepRecent` (two weeks) may be another clone's newest push, and is kept.
 */
export async function gcRemote(
  ws: Workspace,
  remoteName: string | undefined,
  options: GcRemoteOptions = {},
): Promise<GcReport> {
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
        throw new MvgitError(
          'CONFIRMATION_REQUIRED',
          `gc on remote '${remote.name}' deletes shared data; it needs a dry run first`,
          {
            hint: `run 'mvgit gc --remote ${remote.name} --dry-run', check the list, then run 'mvgit gc --remote ${remote.name}' again (or pass --yes)`,
            data: { remote: remote.name },
          },
        );
      }
    }
    const keepMs = await keepRecentMs(ws, options.pruneNow === true, true);
    const pointers = await referencedPointers(ws, true);
    const { keep, unknownDirs } = await keptObjects(ws, pointers, remote);
    const report: GcReport = {
      target: remote.name,
      url: remote.url,
      dryRun: options.dryRun === true,
      kept: 0,
      keptRecent: 0,
      keepRecentMs: keepMs,
      removed: [],
      bytesFreed: 0,
      unknownDirs,
      skippedPointers: [],
    };
    const allowed = plan ? new Set(plan.oids) : undefined;
    const doomed: { hex: string; size: number }[] = [];
    const recentAfter = Date.now() - keepMs;
    for await (const o of remote.list()) {
      if (keep.has(o.hex)) report.kept++;
      else if (keepMs > 0 && (o.uploaded === undefined || o.uploaded > recentAfter)) {
        report.kept++;
        report.keptRecent++;
      } else if (!allowed || allowed.has(o.hex)) doomed.push(o);
      else report.kept++;
    }
    if (options.dryRun) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        JSON.stringify({ url: remote.url, created: Date.now(), oids: doomed.map((d) => d.hex) } satisfies GcPlan),
      );
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
