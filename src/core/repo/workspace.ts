import fs from 'node:fs';
import path from 'node:path';
import { ObjectStore } from '../store/object-store.js';
import { loadConfig, type Config, type LinkMode } from './config.js';
import type { ResolvedLinkMode } from '../store/file-ops.js';
import { tmpPathBeside } from '../../base/fs/temp-files.js';
import { findRepo, requireInitialized, type Repo } from './repo.js';
import { StatCache } from '../store/stat-cache.js';
import { syncFileSystems } from '../../base/fs/durable.js';

export type { OnProgress, ProgressEvent } from '../../base/progress.js';

/** Everything an operation on the work tree needs, opened once per command. */
export interface Workspace {
  repo: Repo;
  config: Config;
  store: ObjectStore;
  state: StatCache;
  /** The link mode with `auto` resolved for this file system. */
  mode: ResolvedLinkMode;
}

export interface OpenOptions {
  cwd?: string;
  /** Override cache.link for this run. */
  link?: LinkMode;
}

/** Opens the repo at `cwd` for work: finds it, checks `mvgit init` ran, loads the config. */
export async function openWorkspace(options: OpenOptions = {}): Promise<Workspace> {
  const repo = findRepo(options.cwd);
  requireInitialized(repo);
  const config = await loadConfig(repo);
  const store = new ObjectStore(repo);
  const state = new StatCache(path.join(repo.dataDir, 'state'));
  return { repo, config, store, state, mode: resolveLinkMode(options.link ?? config.cache.link, store.dir) };
}

const probed = new Map<string, ResolvedLinkMode>();

/**
 * `auto` means reflink where the file system can clone (btrfs, xfs, APFS), else copy. One clone
 * of a tiny file in the cache answers that; the answer is kept for the process.
 */
export function resolveLinkMode(mode: LinkMode, objectsDir: string): ResolvedLinkMode {
  if (mode !== 'auto') return mode;
  const known = probed.get(objectsDir);
  if (known) return known;
  let result: ResolvedLinkMode = 'copy';
  try {
    fs.mkdirSync(objectsDir, { recursive: true });
    const a = tmpPathBeside(path.join(objectsDir, 'probe'));
    const b = tmpPathBeside(path.join(objectsDir, 'probe'));
    fs.writeFileSync(a, 'x');
    try {
      fs.copyFileSync(a, b, fs.constants.COPYFILE_FICLONE_FORCE);
      result = 'reflink';
    } catch {
      result = 'copy';
    } finally {
      fs.rmSync(a, { force: true });
      fs.rmSync(b, { force: true });
    }
  } catch {
    result = 'copy';
  }
  probed.set(objectsDir, result);
  return result;
}

/**
 * With `cache.fsync` on, syncs the file systems of the cache and the work tree once, at the end
 * of a command that wrote to them (see syncFileSystems); off, the OS writes them back in its time.
 */
export function syncIfAsked(ws: Workspace): void {
  if (ws.config.cache.fsync) syncFileSystems([ws.store.dir, ws.repo.root]);
}
