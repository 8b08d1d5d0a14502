import {
  installHooks as installInto,
  type InstallResult,
  uninstallHooks as uninstallFrom,
  type UninstallResult,
} from '../core/hooks/install.js';
import { setHooksOptOut } from '../core/hooks/missing.js';
import { init as initRepo, type InitResult } from '../core/repo/init.js';
import {
  addRemote as addRemoteTo,
  listRemotes as listRemotesOf,
  removeRemote as removeRemoteFrom,
  type RemoteInfo,
  type RemoteSpec,
  useRemoteUrl,
} from '../core/repo/remote-settings.js';
import { findRepo } from '../core/repo/repo.js';
import { secretError, urlSecretProblem } from '../adapters/remote/url.js';
import { type CommonOptions, packageLauncher, workspaceFor } from './session.js';

export interface InitOptions extends CommonOptions {
  /** Make this URL (a folder or s3://bucket/prefix) the default remote, named origin. */
  remote?: string;
  /** Install the git hooks (default true); false records that this clone opted out. */
  hooks?: boolean;
}

export interface InitApiResult extends InitResult {
  hooks?: InstallResult;
  remote?: RemoteInfo;
}

/**
 * `mvgit init`: config, cache, and (unless `hooks: false`) the git hooks.
 * @example await init({ cwd: '/work/churn', remote: '/mnt/team/mvgit-store' })
 */
export async function init(options: InitOptions = {}): Promise<InitApiResult> {
  // Refused before anything is written, so a refused init leaves the repo as it was.
  const secret = options.remote === undefined ? undefined : urlSecretProblem(options.remote.trim());
  if (secret) throw secretError(secret);
  const result: InitApiResult = initRepo(options.cwd);
  if (options.remote !== undefined) result.remote = await useRemoteUrl(result.repo, options.remote);
  if (options.hooks === false) await setHooksOptOut(result.repo, true);
  else {
    await setHooksOptOut(result.repo, false);
    result.hooks = installInto(result.repo, packageLauncher());
  }
  return result;
}

/** `mvgit install`: the git hooks, beside any that are there already (they are chained, not replaced). */
export function installHooks(options: CommonOptions = {}): InstallResult {
  return installInto(findRepo(options.cwd), packageLauncher());
}

/** `mvgit uninstall`: removes mvgit's hooks and puts back the ones they chained. */
export function uninstallHooks(options: CommonOptions = {}): UninstallResult {
  return uninstallFrom(findRepo(options.cwd));
}

export interface AddRemoteOptions extends CommonOptions, RemoteSpec {
  /** Make it the default remote (push, pull, autoFetch). */
  default?: boolean;
}

/**
 * `mvgit remote add`: a remote in the committed config (credentials never: they come from
 * the environment or an AWS profile).
 * @example await addRemote({ name: 'team', url: 's3://ml-artifacts/churn', region: 'eu-west-1', default: true })
 */
export async function addRemote(options: AddRemoteOptions): Promise<RemoteInfo> {
  const { cwd: _cwd, onProgress: _p, default: makeDefault, ...spec } = options;
  return addRemoteTo(findRepo(options.cwd), spec, makeDefault === true);
}

/** `mvgit remote remove NAME`. */
export async function removeRemote(options: CommonOptions & { name: string }): Promise<void> {
  await removeRemoteFrom(findRepo(options.cwd), options.name);
}

/** `mvgit remote list`. */
export async function listRemotes(options: CommonOptions = {}): Promise<RemoteInfo[]> {
  const ws = await workspaceFor(options);
  return listRemotesOf(ws.repo, ws.config);
}
