/**
 * autoFetch: a checkout that finds objects missing from the cache fetches them from the
 * default remote before giving up, when `core.autoFetch` is on (the default once a default
 * remote exists). Failures are not thrown: the checkout then reports the objects as missing,
 * as it would have without a remote.
 */
import type { Config } from '../repo/config.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { downloadObject } from './download.js';
import { ObjectTask, runQueue } from './queue.js';
import { autoFetchEnabled, openRemote, withNewestRemotes } from '../repo/remotes.js';
import type { Remote } from '../../adapters/remote/remote.js';

interface FetchState {
  /** The config with remote settings completed from the newest committed config, when needed. */
  config?: Promise<Config>;
  remote?: Promise<Remote | null>;
  /** Objects that already failed in this process: not asked for twice. */
  failed: Set<string>;
}

const states = new WeakMap<Workspace, FetchState>();

function stateOf(ws: Workspace): FetchState {
  let s = states.get(ws);
  if (!s) {
    s = { failed: new Set() };
    states.set(ws, s);
  }
  return s;
}

/** Marks objects a fetch could not get, so a checkout right after does not ask again. */
export function rememberFetchFailures(ws: Workspace, hexes: string[]): void {
  const s = stateOf(ws);
  for (const h of hexes) s.failed.add(h);
}

/**
 * Fetches those of `objects` that the cache lacks from the default remote, when autoFetch is
 * on. Returns how many were fetched. `what` names the artifact.
 */
export async function autoFetch(
  ws: Workspace,
  objects: { oid: string; size?: number; path?: string }[],
  what: string,
  onProgress?: OnProgress,
): Promise<number> {
  if (objects.length === 0 || ws.config.core.autoFetch === false) return 0;
  const s = stateOf(ws);
  const listed = objects.length > 1000 ? ws.store.list() : null;
  const inCache = (hex: string): boolean => (listed ? listed.has(hex) : ws.store.has(hex));
  const missing = [
    ...new Map(objects.filter((o) => !s.failed.has(o.oid) && !inCache(o.oid)).map((o) => [o.oid, o])).values(),
  ];
  if (missing.length === 0) return 0;
  // A checkout of a commit older than `mvgit remote add` finds no remote in the work tree's
  // config: the newest committed config (the default branch) names it.
  s.config ??= withNewestRemotes(ws.repo, ws.config).catch(() => ws.config);
  const config = await s.config;
  s.remote ??= autoFetchEnabled(config) ? openRemote(ws.repo, config).catch(() => null) : Promise.resolve(null);
  const remote = await s.remote;
  if (!remote) {
    for (const o of missing) s.failed.add(o.oid);
    return 0;
  }
  let done = 0;
  const download = (t: ObjectTask, onBytes: (n: number) => void): Promise<void> =>
    downloadObject(ws.store, remote, t.hex, t.path, t.size >= 0 ? t.size : undefined, onBytes);
  const { failed } = await runQueue(
    missing.map(
      (o) => new ObjectTask({ hex: o.oid, size: o.size ?? -1, path: o.path ? `${what}/${o.path}` : what }, download),
    ),
    { onTaskDone: (t) => onProgress?.({ phase: 'download', done: ++done, total: missing.length, path: t.path }) },
  );
  for (const f of failed) s.failed.add(f.task.hex);
  return missing.length - failed.length;
}
