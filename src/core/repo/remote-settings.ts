/**
 * `mvgit remote add | list | remove`: remotes live under `remotes:` in the committed
 * `.mvgit/config.yaml`, so every clone knows them; `core.remote` names the default.
 * Secrets are refused there: they come from the environment or AWS profiles.
 */
import fs from 'node:fs';
import { committedConfigFile, loadConfig, localConfigFile, type Config } from './config.js';
import { updateConfigFile } from './config-settings.js';
import { MvgitError } from '../../base/errors.js';
import type { Repo } from './repo.js';
import { defaultRemoteName } from './remotes.js';
import { parseRemoteUrl, secretError, settingSecretProblem, urlSecretProblem } from '../../adapters/remote/url.js';

export interface RemoteSpec {
  name: string;
  url: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  pathStyle?: boolean;
}

export interface RemoteInfo extends RemoteSpec {
  type: 'local' | 's3';
  default: boolean;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Adds a remote to the committed config; with `makeDefault`, also sets `core.remote`.
 * @example await addRemote(repo, { name: 'origin', url: 's3://models/team', region: 'eu-west-1' }, true);
 */
export async function addRemote(repo: Repo, spec: RemoteSpec, makeDefault = false): Promise<RemoteInfo> {
  if (!NAME_RE.test(spec.name)) {
    throw new MvgitError('USAGE', `'${spec.name}' is not a valid remote name`, {
      hint: 'use letters, digits, dot, dash and underscore, e.g. origin or team-s3',
    });
  }
  for (const [field, value] of Object.entries(spec)) {
    const problem = settingSecretProblem(field, value);
    if (problem) throw secretError(`remotes.${spec.name}.${field}: ${problem}`);
  }
  const loc = parseRemoteUrl(spec.url, repo.root);
  if (spec.endpoint !== undefined) {
    const secret = urlSecretProblem(spec.endpoint);
    if (secret) throw secretError(secret);
    if (!/^https?:\/\/[^/]+/.test(spec.endpoint))
      throw new MvgitError('USAGE', `--endpoint must be an http(s) URL, got '${spec.endpoint}'`, {
        hint: 'for example: --endpoint http://localhost:9000',
      });
  }
  if (loc.type === 'local' && (spec.endpoint || spec.region || spec.profile || spec.pathStyle)) {
    throw new MvgitError('USAGE', '--endpoint, --region, --profile and --path-style are for S3 remotes', {
      hint: 'a folder remote needs only its path',
    });
  }
  const config = await loadConfig(repo);
  if (config.remotes[spec.name]) {
    throw new MvgitError('REMOTE_ERROR', `remote '${spec.name}' already exists (${config.remotes[spec.name].url})`, {
      hint: `remove it first: mvgit remote remove ${spec.name}`,
    });
  }
  const entry: Record<string, unknown> = { url: spec.url };
  if (spec.endpoint !== undefined) entry.endpoint = spec.endpoint;
  if (spec.region !== undefined) entry.region = spec.region;
  if (spec.profile !== undefined) entry.profile = spec.profile;
  if (spec.pathStyle) entry.pathStyle = true;
  await updateConfigFile(committedConfigFile(repo), (doc) => {
    doc.setIn(['remotes', spec.name], doc.createNode(entry));
    if (makeDefault) doc.setIn(['core', 'remote'], spec.name);
  });
  const after = await loadConfig(repo);
  return { ...spec, type: loc.type, default: defaultRemoteName(after) === spec.name };
}

/** Removes a remote from both config files, and `core.remote` when it named it. */
export async function removeRemote(repo: Repo, name: string): Promise<void> {
  const config = await loadConfig(repo);
  if (!config.remotes[name]) {
    throw new MvgitError('REMOTE_NOT_FOUND', `there is no remote named '${name}'`, {
      hint: 'see mvgit remote list',
      data: { remote: name },
    });
  }
  const drop = (doc: import('yaml').Document): void => {
    if (doc.hasIn(['remotes', name])) doc.deleteIn(['remotes', name]);
    if (doc.getIn(['core', 'remote']) === name) doc.deleteIn(['core', 'remote']);
  };
  await updateConfigFile(committedConfigFile(repo), drop);
  // The local file may override other remotes' settings: it is checked against what remains.
  const others = Object.fromEntries(Object.entries(config.remotes).filter(([n]) => n !== name));
  if (fs.existsSync(localConfigFile(repo))) await updateConfigFile(localConfigFile(repo), drop, { remotes: others });
}

/** Every configured remote, the default marked. */
export function listRemotes(repo: Repo, config: Config): RemoteInfo[] {
  const def = defaultRemoteName(config);
  return Object.entries(config.remotes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, rc]) => {
      let type: 'local' | 's3' = 'local';
      try {
        type = parseRemoteUrl(rc.url, repo.root).type;
      } catch {
        // a bad URL is reported when the remote is used; listing still shows it
      }
      const info: RemoteInfo = { name, url: rc.url, type, default: name === def };
      if (typeof rc.endpoint === 'string') info.endpoint = rc.endpoint;
      if (typeof rc.region === 'string') info.region = rc.region;
      if (typeof rc.profile === 'string') info.profile = rc.profile;
      if (rc.pathStyle === true) info.pathStyle = true;
      return info;
    });
}

/**
 * `mvgit init --remote URL`: makes URL the default remote, adding it as `origin` unless a remote
 * with that URL exists already (as in a clone whose committed config has it).
 */
export async function useRemoteUrl(repo: Repo, url: string): Promise<RemoteInfo> {
  const config = await loadConfig(repo);
  const existing = Object.entries(config.remotes).find(([, rc]) => rc.url === url)?.[0];
  if (existing === undefined) {
    if (config.remotes.origin) {
      throw new MvgitError('REMOTE_ERROR', `a remote named 'origin' already exists (${config.remotes.origin.url})`, {
        hint: `add this one under another name: mvgit remote add NAME ${url} --default`,
      });
    }
    return addRemote(repo, { name: 'origin', url }, true);
  }
  if (config.core.remote !== existing)
    await updateConfigFile(committedConfigFile(repo), (doc) => doc.setIn(['core', 'remote'], existing));
  return listRemotes(repo, await loadConfig(repo)).find((r) => r.name === existing)!;
}
