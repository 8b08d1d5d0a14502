import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { statKey } from '../../base/fs/stat-key.js';
import { ARTIFACT_KINDS, type ArtifactKind } from '../pointer/kind.js';
import { isGitName } from '../../base/git-names.js';
import { CONFIG_DIR, CONFIG_FILE, type Repo } from './repo.js';
import { isCredentialField, REMOTE_FIELDS, secretError, urlSecretProblem } from '../../adapters/remote/url.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

export type LinkMode = 'auto' | 'reflink' | 'copy' | 'hardlink' | 'symlink';
export const LINK_MODES: readonly LinkMode[] = ['auto', 'reflink', 'copy', 'hardlink', 'symlink'];

/** A tracking rule: files and folders matching `pattern` are artifacts of `kind`. */
export interface TrackingRule {
  pattern: string;
  kind: ArtifactKind;
  /** Files read when a match is recorded (repo-relative): params, metrics, and the artifacts it was made from. */
  params?: string[];
  metrics?: string[];
  inputs?: string[];
}

/** The rule fields that name metadata sources: lists of repo-relative paths. */
export const RULE_SOURCES = ['params', 'metrics', 'inputs'] as const;

/** A remote's settings. Secrets never live here: they come from the environment or AWS profiles. */
export interface RemoteConfig {
  url: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  pathStyle?: boolean;
  [key: string]: unknown;
}

export interface Config {
  track: TrackingRule[];
  cache: { link: LinkMode; fsync: boolean };
  guard: { maxFileSize: number };
  core: { remote?: string; autoFetch?: boolean };
  remotes: Record<string, RemoteConfig>;
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** The committed config file, `.mvgit/config.yaml`. */
export function committedConfigFile(repo: Repo): string {
  return path.join(repo.configDir, CONFIG_FILE);
}

/** The local config, in the git dir: never committed, the place for machine-specific settings. */
export function localConfigFile(repo: Repo): string {
  return path.join(repo.dataDir, CONFIG_FILE);
}

export type Raw = Record<string, unknown>;

export function isMap(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function merge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k] as Raw, v) : v;
  return out;
}

/** Parses sizes written as 10485760, "10MB", "512 KiB", "1g". */
export function parseSize(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(value) : null;
  if (!m)
    throw new MvgitError('CONFIG_INVALID', `${where} must be a size such as 10MB, got ${JSON.stringify(value)}`, {
      hint: 'use a number of bytes or a size like 500KB, 10MB, 1GB; 0 turns the check off',
    });
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[
    m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'
  ];
  return Math.round(parseFloat(m[1]) * unit);
}

/**
 * A path or pattern that stays inside the repository and out of `.git`: the committed config
 * comes from someone else's commit, and the pre-commit hook writes pointers beside what its
 * rules match.
 */
function isRepoRelative(p: string): boolean {
  return (
    p !== '' &&
    !p.startsWith('/') &&
    !/^[A-Za-z]:/.test(p) &&
    !p.split(/[\\/]/).some((seg) => seg === '..' || isGitName(seg))
  );
}

/** Checks a merged raw config and gives it types; `file` names the config in errors. */
export function validateConfig(raw: Raw, file: string): Config {
  const bad = (msg: string, hint = `edit ${file}, or set it with 'mvgit config KEY VALUE'`): MvgitError =>
    new MvgitError('CONFIG_INVALID', `${file}: ${msg}`, { hint, data: { file } });
  const track: TrackingRule[] = [];
  if (raw.track !== undefined && raw.track !== null) {
    if (!Array.isArray(raw.track)) throw bad("'track' must be a list of {pattern, kind}");
    raw.track.forEach((r, i) => {
      if (!isMap(r) || typeof r.pattern !== 'string' || r.pattern === '') throw bad(`track[${i}] needs a 'pattern'`);
      if (!isRepoRelative(r.pattern))
        throw bad(
          `track[${i}].pattern must stay inside the repository (no '..', no absolute path, no .git): ${JSON.stringify(r.pattern)}`,
        );
      const kind = (r.kind ?? 'artifact') as ArtifactKind;
      if (!ARTIFACT_KINDS.includes(kind)) throw bad(`track[${i}].kind must be one of ${ARTIFACT_KINDS.join(', ')}`);
      const rule: TrackingRule = { pattern: r.pattern, kind };
      for (const key of RULE_SOURCES) {
        if (r[key] === undefined || r[key] === null) continue;
        const list = r[key];
        if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || !isRepoRelative(p)))
          throw bad(`track[${i}].${key} must be a list of paths relative to the repository's top folder`);
        if (list.length > 0) rule[key] = list as string[];
      }
      track.push(rule);
    });
  }
  const cache = isMap(raw.cache) ? raw.cache : {};
  const link = (cache.link ?? 'auto') as LinkMode;
  if (!LINK_MODES.includes(link))
    throw bad(`cache.link must be one of ${LINK_MODES.join(', ')}, got ${JSON.stringify(cache.link)}`);
  const guard = isMap(raw.guard) ? raw.guard : {};
  const core = isMap(raw.core) ? raw.core : {};
  if (core.autoFetch !== undefined && typeof core.autoFetch !== 'boolean')
    throw bad('core.autoFetch must be true or false');
  if (core.remote !== undefined && typeof core.remote !== 'string') throw bad('core.remote must be a remote name');
  const remotes: Record<string, RemoteConfig> = {};
  if (isMap(raw.remotes)) {
    for (const [name, r] of Object.entries(raw.remotes)) {
      if (!isMap(r) || typeof r.url !== 'string') throw bad(`remotes.${name} needs a 'url'`);
      remotes[name] = r as RemoteConfig;
    }
  }
  return {
    track,
    cache: { link, fsync: cache.fsync === true },
    guard: {
      maxFileSize:
        guard.maxFileSize === undefined
          ? DEFAULT_MAX_FILE_SIZE
          : parseSize(guard.maxFileSize, `${file}: guard.maxFileSize`),
    },
    core: { remote: core.remote as string | undefined, autoFetch: core.autoFetch as boolean | undefined },
    remotes,
  };
}

/**
 * Checks one config file on its own, before it is merged with the other, so an error names the
 * file that holds the problem: a remote may only have known fields, and a committed file holds
 * no credential, whether as a field, in a URL's user part or in a URL's query.
 */
export function checkConfigFile(raw: Raw, file: string, committed: boolean): void {
  if (isMap(raw.remotes)) {
    for (const [name, r] of Object.entries(raw.remotes)) {
      if (!isMap(r)) continue; // validateConfig names it
      for (const field of Object.keys(r)) {
        if (REMOTE_FIELDS.includes(field)) continue;
        const key = `remotes.${name}.${field}`;
        if (committed && isCredentialField(field)) throw secretError(`'${field}' is a credential`, { file, key });
        throw new MvgitError('CONFIG_INVALID', `${file}: unknown setting ${key}`, {
          hint: `a remote has only ${REMOTE_FIELDS.join(', ')}; credentials come from the environment or an AWS profile (mvgit config --local remotes.${name}.profile PROFILE)`,
          data: { file, key },
        });
      }
    }
  }
  if (!committed) return;
  for (const [key, value] of stringLeaves(raw)) {
    // Remote URLs and core.remote may be bare paths (`host/x?token=..`); elsewhere only URLs are read as URLs.
    const urlish =
      /^remotes\.[^.]+\.(url|endpoint)$/.test(key) || key === 'core.remote' || /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    const problem = urlish ? urlSecretProblem(value) : undefined;
    if (problem) throw secretError(problem, { file, key });
  }
}

/** Every string value in a parsed config, with its dotted key (`remotes.origin.url`, `track.0.pattern`). */
function stringLeaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Reads a config file; errors name it as `display` (relative to the repo, as the user knows it). */
export async function readYamlFile(file: string, display: string = file): Promise<Raw> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  return parseConfigText(text, display);
}

/** Parses a config's text; errors name it as `display`. */
export async function parseConfigText(text: string, display: string): Promise<Raw> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` (line ${e.linePos[0].line})` : '';
    const restore = display === '.mvgit/config.yaml' ? ', or restore it with git checkout -- .mvgit/config.yaml' : '';
    throw new MvgitError('CONFIG_INVALID', `${display}: not valid YAML${where}: ${e.message.split('\n')[0]}`, {
      hint: `fix the file by hand${restore}`,
      data: { file: display },
    });
  }
  const value = doc.toJS({ maxAliasCount: 0 });
  if (value === null || value === undefined) return {};
  if (!isMap(value))
    throw new MvgitError('CONFIG_INVALID', `${display}: expected a mapping of settings`, {
      hint: 'see the README for the config format',
      data: { file: display },
    });
  return value;
}

function fileKey(file: string): string {
  const st = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return st ? statKey(st) : '-';
}

/**
 * Loads the committed config with the local one over it. Parsing YAML means loading the yaml
 * module, which costs more than a hook with nothing to do may spend, so the merged result is
 * kept as JSON in the git dir, keyed on both files' stat fingerprints.
 */
export async function loadConfig(repo: Repo): Promise<Config> {
  const committed = committedConfigFile(repo);
  const local = localConfigFile(repo);
  // The leading version makes copies cached before the secret checks existed parse again.
  const key = `2|${fileKey(committed)}|${fileKey(local)}`;
  const cacheFile = path.join(repo.dataDir, 'config.json');
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { key: string; config: Config };
    if (cached.key === key) return cached.config;
  } catch {
    // no usable cached copy: parse the YAML
  }
  const committedName = path.relative(repo.root, committed) || committed;
  const localName = path.relative(repo.root, local);
  const committedRaw = await readYamlFile(committed, committedName);
  const localRaw = await readYamlFile(local, localName);
  checkConfigFile(committedRaw, committedName, true);
  checkConfigFile(localRaw, localName, false);
  // At a commit older than `mvgit remote add`, the local file may set a field (profile) of a
  // remote the work tree's config does not have yet: its url comes from the newest config.
  const orphans = remotesOnlyOverridden(committedRaw, localRaw);
  const newest = orphans.length > 0 ? await newestRemoteSettings(repo) : undefined;
  const base: Raw = newest
    ? { remotes: Object.fromEntries(orphans.filter((n) => newest.remotes[n]).map((n) => [n, newest.remotes[n]])) }
    : {};
  const config = validateConfig(merge(merge(base, committedRaw), localRaw), committedName);
  if (newest) return config; // it depends on a branch, not only on the two files the cache key covers
  try {
    fs.mkdirSync(repo.dataDir, { recursive: true });
    writeFileAtomic(cacheFile, JSON.stringify({ key, config }));
  } catch {
    // a read-only git dir only loses the speed-up
  }
  return config;
}

/** Remotes the local file names without a url, which the committed file does not define. */
function remotesOnlyOverridden(committedRaw: Raw, localRaw: Raw): string[] {
  if (!isMap(localRaw.remotes)) return [];
  const committedRemotes = isMap(committedRaw.remotes) ? committedRaw.remotes : {};
  return Object.entries(localRaw.remotes)
    .filter(([name, r]) => isMap(r) && r.url === undefined && committedRemotes[name] === undefined)
    .map(([name]) => name);
}

/** The remote settings of a committed config, as found at a branch. */
export type RemoteSettings = Pick<Config, 'core' | 'remotes'>;

/**
 * The remote settings of the newest committed config git has, for a work tree at a commit
 * older than `mvgit remote add`: the config at the local default branch (the one origin/HEAD
 * names), then at origin/HEAD, then at main or master. Where they disagree on a remote, the
 * earlier one wins. A branch whose config is the one HEAD has adds nothing: the work tree's
 * edits of that file (a remote just removed) win. Costs two git calls, so callers ask only
 * when the work tree's own config lacks the remote they need.
 */
export async function newestRemoteSettings(repo: Repo): Promise<RemoteSettings> {
  // Loaded here, not at the top: every hook loads this file, and only this rare case reads git.
  const [{ catFile }, { git }] = await Promise.all([
    import('../../adapters/git/cat-file.js'),
    import('../../adapters/git/run.js'),
  ]);
  const originHead = git(repo, ['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'], { allowFail: true }).trim();
  const refs = [
    ...new Set([
      ...(originHead ? [originHead.replace(/^refs\/remotes\/origin\//, 'refs/heads/'), originHead] : []),
      'refs/heads/main',
      'refs/heads/master',
    ]),
  ];
  const file = `${CONFIG_DIR}/${CONFIG_FILE}`;
  const [atHead, ...blobs] = catFile(
    repo,
    ['HEAD', ...refs].map((r) => `${r}:${file}`),
  ).map((o) => (o?.type === 'blob' ? { oid: o.oid, text: o.data.toString('utf8') } : undefined));
  const out: RemoteSettings = { core: {}, remotes: {} };
  for (let i = refs.length - 1; i >= 0; i--) {
    const blob = blobs[i];
    if (blob === undefined || blob.oid === atHead?.oid) continue;
    const display = `${file} at ${refs[i].replace(/^refs\/(heads|remotes)\//, '')}`;
    const raw = await parseConfigText(blob.text, display);
    checkConfigFile(raw, display, true);
    const c = validateConfig(raw, display);
    Object.assign(out.remotes, c.remotes);
    if (c.core.remote !== undefined) out.core.remote = c.core.remote;
    if (c.core.autoFetch !== undefined) out.core.autoFetch = c.core.autoFetch;
  }
  return out;
}
