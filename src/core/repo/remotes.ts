/**
 * Opening remotes by name (from `remotes:` in the config) or by URL. The S3 backend, and with
 * it the AWS SDK, is loaded only when an S3 remote is opened.
 */
import { type Config, newestRemoteSettings, type RemoteConfig } from './config.js';
import { MvgitError } from '../../base/errors.js';
import type { Repo } from './repo.js';
import { LocalRemote } from '../../adapters/remote/local.js';
import type { Remote } from '../../adapters/remote/remote.js';
import { parseRemoteUrl } from '../../adapters/remote/url.js';

export type { Remote, RemoteObject, TransferHooks } from '../../adapters/remote/remote.js';

/** The remote used when none is named: `core.remote`, else the only one configured. */
export function defaultRemoteName(config: Config): string | undefined {
  if (config.core.remote) return config.core.remote;
  const names = Object.keys(config.remotes);
  return names.length === 1 ? names[0] : undefined;
}

/** True when checkouts should fetch missing objects: `core.autoFetch`, on by default when a default remote exists. */
export function autoFetchEnabled(config: Config): boolean {
  return (config.core.autoFetch ?? true) && defaultRemoteName(config) !== undefined;
}

function looksLikeUrl(s: string): boolean {
  return s.includes('/') || s.includes('://') || s.startsWith('.');
}

/**
 * `config` with its remote settings completed from the newest committed config git has, when
 * it lacks the remote asked for (`name`, else a default one): a work tree checked out at a
 * commit older than `mvgit remote add` still fetches. The work tree's settings and the local
 * config win over the branch's; a URL or path needs no lookup.
 * @example const config = await withNewestRemotes(ws.repo, ws.config, 'origin');
 */
export async function withNewestRemotes(repo: Repo, config: Config, name?: string): Promise<Config> {
  const found =
    name === undefined
      ? defaultRemoteName(config) !== undefined
      : config.remotes[name] !== undefined || looksLikeUrl(name);
  if (found) return config;
  const newest = await newestRemoteSettings(repo);
  return {
    ...config,
    core: {
      remote: config.core.remote ?? newest.core.remote,
      autoFetch: config.core.autoFetch ?? newest.core.autoFetch,
    },
    remotes: { ...newest.remotes, ...config.remotes },
  };
}

/**
 * Opens a remote by name, by URL or path, or the default one when `nameOrUrl` is undefined.
 * A remote the work tree's config lacks is looked up in the newest committed config (withNewestRemotes).
 * @example const remote = await openRemote(ws.repo, ws.config, 'origin');
 */
export async function openRemote(repo: Repo, given: Config, nameOrUrl?: string): Promise<Remote> {
  const config = await withNewestRemotes(repo, given, nameOrUrl);
  const name = nameOrUrl ?? defaultRemoteName(config);
  const known = Object.keys(config.remotes);
  if (name === undefined) {
    throw new MvgitError(
      'REMOTE_NOT_FOUND',
      known.length === 0 ? 'no mvgit remote is configured' : `no default remote among ${known.join(', ')}`,
      {
        hint:
          known.length === 0
            ? 'add one: mvgit remote add origin s3://BUCKET/PREFIX --default (or a folder path)'
            : `name one with -r NAME, or set the default: mvgit config core.remote ${known[0]}`,
      },
    );
  }
  const rc = config.remotes[name];
  if (rc) return openConfigured(repo, name, rc);
  if (looksLikeUrl(name)) return openConfigured(repo, name, { url: name });
  throw new MvgitError('REMOTE_NOT_FOUND', `there is no remote named '${name}'`, {
    hint:
      known.length > 0
        ? `known remotes: ${known.join(', ')} (see mvgit remote list)`
        : 'add one: mvgit remote add NAME URL --default',
    data: { remote: name },
  });
}

/**
 * Opens a remote from its settings; a relative folder path is taken from `repo.root`.
 * `mvgit get` opens another repository's remote this way, with no work tree of its own.
 */
export async function openConfigured(repo: Pick<Repo, 'root'>, name: string, rc: RemoteConfig): Promise<Remote> {
  const loc = parseRemoteUrl(rc.url, repo.root);
  if (loc.type === 'local') return new LocalRemote(name, loc.path);
  const { S3Remote } = await import('../../adapters/remote/s3.js');
  return new S3Remote({
    name,
    bucket: loc.bucket,
    prefix: loc.prefix,
    endpoint: typeof rc.endpoint === 'string' ? rc.endpoint : undefined,
    region: typeof rc.region === 'string' ? rc.region : undefined,
    profile: typeof rc.profile === 'string' ? rc.profile : undefined,
    pathStyle: rc.pathStyle === true || String(rc.pathStyle) === 'true',
  });
}
