import type { Scope } from '../core/history/scope.js';
import { fsck as fsckCache, type FsckReport } from '../core/store/fsck.js';
import { fsckRemote, type RemoteFsckReport } from '../core/transfer/fsck-remote.js';
import { gc as gcCache, type GcOptions as CoreGcOptions, type GcReport } from '../core/transfer/gc.js';
import { gcRemote } from '../core/transfer/gc-remote.js';
import { fetch as fetchFrom } from '../core/transfer/fetch.js';
import { push as pushTo } from '../core/transfer/push.js';
import type { TransferReport } from '../core/transfer/transfer.js';
import { pull as pullFrom, type PullResult } from '../core/workspace/pull.js';
import { type CommonOptions, workspaceFor } from './session.js';

/** Which pointers a transfer is about, and where to. */
export interface TransferOptions extends CommonOptions, Omit<Scope, 'history'> {
  /** A remote's name (default: the default remote). */
  remote?: string;
  /** How many objects move at once. */
  jobs?: number;
  /** Say what would move, move nothing. */
  dryRun?: boolean;
}

function split(options: TransferOptions): {
  scope: Scope;
  rest: { remote?: string; jobs?: number; dryRun?: boolean; onProgress?: CommonOptions['onProgress'] };
} {
  const { cwd: _cwd, remote, jobs, dryRun, onProgress, ...scope } = options;
  // With no scope given: what HEAD and the work tree point to, as the CLI does.
  const given = Object.values(scope).some((v) => v !== undefined);
  return { scope: given ? scope : { head: true, workTree: true }, rest: { remote, jobs, dryRun, onProgress } };
}

/**
 * `mvgit push`: uploads the objects the scope's pointers name, skipping what the remote has.
 * @example await push({ remote: 'team' })
 */
export async function push(options: TransferOptions = {}): Promise<TransferReport> {
  const { scope, rest } = split(options);
  return pushTo(await workspaceFor(options), scope, rest);
}

/** `mvgit fetch`: downloads into the cache what the scope's pointers name and the cache lacks; each object verified. */
export async function fetch(options: TransferOptions = {}): Promise<TransferReport> {
  const { scope, rest } = split(options);
  return fetchFrom(await workspaceFor(options), scope, rest);
}

/** `mvgit pull`: fetch, then put the files in the work tree. */
export async function pull(options: TransferOptions & { force?: boolean } = {}): Promise<PullResult> {
  const { scope, rest } = split(options);
  return pullFrom(await workspaceFor(options), scope, { ...rest, force: options.force });
}

export interface GcOptions extends CommonOptions, CoreGcOptions {
  /** Collect on this remote instead of the local cache (a dry run first, unless `yes`). */
  remote?: string;
  /** With `remote`: remove without a dry run first. */
  yes?: boolean;
}

/** `mvgit gc`: removes objects nothing references (stops on any pointer it cannot read). */
export async function gc(options: GcOptions = {}): Promise<GcReport> {
  const ws = await workspaceFor(options);
  return options.remote === undefined ? gcCache(ws, options) : gcRemote(ws, options.remote, options);
}

/** `mvgit fsck`: re-hashes every object in the cache; with `repair`, moves bad ones aside. */
export async function fsck(options: CommonOptions & { repair?: boolean } = {}): Promise<FsckReport> {
  return fsckCache(await workspaceFor(options), options);
}

/** `mvgit fsck --remote`: re-hashes the remote's copies of the scope's objects; `repair` re-uploads good ones. */
export async function fsckRemoteObjects(
  options: TransferOptions & { repair?: boolean } = {},
): Promise<RemoteFsckReport> {
  const { scope, rest } = split(options);
  return fsckRemote(await workspaceFor(options), scope, { ...rest, repair: options.repair });
}
