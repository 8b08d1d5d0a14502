import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from './duration.js';
import { MvgitError } from './errors.js';
import { statKey, tmpPathBeside } from './fileops.js';
import { ARTIFACT_KINDS, type ArtifactKind } from './kind.js';
import { CONFIG_FILE, type Repo } from './repo.js';
import { secretError, settingSecretProblem } from './remote/url.js';

export type LinkMode = 'auto' | 'reflink' | 'copy' | 'hardlink' | 'symlink';
export const LINK_MODES: readonly LinkMode[] = ['auto', 'reflink', 'copy', 'hardlink', 'symlink'];

/** A tracking rule: files and folders matching `pattern` are artifacts of `kind`. */
export interface TrackingRule {
  pattern: string;
  kind: ArtifactKind;
}

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

type Raw = Record<string, unknown>;

function isMap(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k] as Raw, v) : v;
  return out;
}

/** Parses sizes written as 10485760, "10MB", "512 KiB", "1g". */
export function parseSize(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(value) : null;
  if (!m) throw new MvgitError('CONFIG_INVALID', `${where} must be a size such as 10MB, got ${JSON.stringify(value)}`, { hint: 'use a number of bytes or a size like 500KB, 10MB, 1GB; 0 turns the check off' });
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(parseFloat(m[1]) * unit);
}

/** Checks a merged raw config and gives it types; `file` names the config in errors. */
export function validateConfig(raw: Raw, file: string): Config {
  const bad = (msg: string, hint = `edit ${file}, or set it with 'mvgit config KEY VALUE'`): MvgitError => new MvgitError('CONFIG_INVALID', `${file}: ${msg}`, { hint, data: { file } });
  const track: TrackingRule[] = [];
  if (raw.track !== undefined && raw.track !== null) {
    if (!Array.isArray(raw.track)) throw bad("'track' must be a list of {pattern, kind}");
    raw.track.forEach((r, i) => {
      if (!isMap(r) || typeof r.pattern !== 'string' || r.pattern === '') throw bad(`track[${i}] needs a 'pattern'`);
      const kind = (r.kind ?? 'artifact') as ArtifactKind;
      if (!ARTIFACT_KINDS.includes(kind)) throw bad(`track[${i}].kind must be one of ${ARTIFACT_KINDS.join(', ')}`);
      track.push({ pattern: r.pattern, kind });
    });
  }
  const cache = isMap(raw.cache) ? raw.cache : {};
  const link = (cache.link ?? 'auto') as LinkMode;
  if (!LINK_MODES.includes(link)) throw bad(`cache.link must be one of ${LINK_MODES.join(', ')}, got ${JSON.stringify(cache.link)}`);
  const guard = isMap(raw.guard) ? raw.guard : {};
  const core = isMap(raw.core) ? raw.core : {};
  if (core.autoFetch !== undefined && typeof core.autoFetch !== 'boolean') throw bad('core.autoFetch must be true or false');
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
    guard: { maxFileSize: guard.maxFileSize === undefined ? DEFAULT_MAX_FILE_SIZE : parseSize(guard.maxFileSize, `${file}: guard.maxFileSize`) },
    core: { remote: core.remote as string | undefined, autoFetch: core.autoFetch as boolean | undefined },
    remotes,
  };
}

/** Reads a config file; errors name it as `display` (relative to the repo, as the user knows it). */
async function readYamlFile(file: string, display: string = file): Promise<Raw> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` (line ${e.linePos[0].line})` : '';
    const restore = display === '.mvgit/config.yaml' ? ', or restore it with git checkout -- .mvgit/config.yaml' : '';
    throw new MvgitError('CONFIG_INVALID', `${display}: not valid YAML${where}: ${e.message.split('\n')[0]}`, { hint: `fix the file by hand${restore}`, data: { file: display } });
  }
  const value = doc.toJS({ maxAliasCount: 0 });
  if (value === null || value === undefined) return {};
  if (!isMap(value)) throw new MvgitError('CONFIG_INVALID', `${display}: expected a mapping of settings`, { hint: 'see the README for the config format', data: { file: display } });
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
  const key = `${fileKey(committed)}|${fileKey(local)}`;
  const cacheFile = path.join(repo.dataDir, 'config.json');
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { key: string; config: Config };
    if (cached.key === key) return cached.config;
  } catch {
    // no usable cached copy: parse the YAML
  }
  const merged = merge(await readYamlFile(committed, path.relative(repo.root, committed)), await readYamlFile(local, path.relative(repo.root, local)));
  const config = validateConfig(merged, path.relative(repo.root, committed) || committed);
  try {
    fs.mkdirSync(repo.dataDir, { recursive: true });
    const tmp = tmpPathBeside(cacheFile);
    fs.writeFileSync(tmp, JSON.stringify({ key, config }));
    fs.renameSync(tmp, cacheFile);
  } catch {
    // a read-only git dir only loses the speed-up
  }
  return config;
}

/** Settings `mvgit config` accepts, with a check for each value. */
const SETTINGS: Record<string, (v: string) => unknown> = {
  'cache.link': (v) => {
    if (!LINK_MODES.includes(v as LinkMode)) throw new MvgitError('CONFIG_INVALID', `cache.link must be one of ${LINK_MODES.join(', ')}, got '${v}'`, { hint: 'for example: mvgit config cache.link hardlink' });
    return v;
  },
  'cache.fsync': (v) => parseBool('cache.fsync', v),
  'guard.maxFileSize': (v) => {
    parseSize(v, 'guard.maxFileSize');
    return /^\d+$/.test(v) ? Number(v) : v;
  },
  'core.autoFetch': (v) => parseBool('core.autoFetch', v),
  'core.remote': (v) => v,
  'gc.keepRecent': (v) => {
    parseDuration(v, 'gc.keepRecent');
    return v;
  },
};

function parseBool(key: string, v: string): boolean {
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new MvgitError('CONFIG_INVALID', `${key} must be true or false, got '${v}'`, { hint: `for example: mvgit config ${key} false` });
}

function checkKey(key: string): void {
  if (SETTINGS[key] || /^remotes\.[^.]+\.[A-Za-z]+$/.test(key)) return;
  throw new MvgitError('CONFIG_INVALID', `unknown setting '${key}'`, { hint: `known settings: ${Object.keys(SETTINGS).join(', ')}, remotes.NAME.FIELD` });
}

/** Reads one setting from the merged config (undefined when unset). */
export async function getSetting(repo: Repo, key: string): Promise<unknown> {
  checkKey(key);
  const merged = merge(await readYamlFile(committedConfigFile(repo)), await readYamlFile(localConfigFile(repo)));
  let cur: unknown = merged;
  for (const part of key.split('.')) cur = isMap(cur) ? cur[part] : undefined;
  if (key === 'cache.link' && cur === undefined) return 'auto';
  return cur;
}

/**
 * Writes one setting, keeping the file's comments and layout. `local` writes the git dir's
 * uncommitted file instead of the committed one.
 */
export async function setSetting(repo: Repo, key: string, value: string, local = false): Promise<void> {
  checkKey(key);
  const secret = !local && key.startsWith('remotes.') ? settingSecretProblem(key.split('.')[2], value) : undefined;
  if (secret) throw secretError(secret);
  const parsed = SETTINGS[key] ? SETTINGS[key](value) : value;
  // The local file only overrides the committed one (remotes.NAME.profile without a url), so it is checked merged.
  const base = local ? await readYamlFile(committedConfigFile(repo)) : {};
  await updateConfigFile(local ? localConfigFile(repo) : committedConfigFile(repo), (doc) => doc.setIn(key.split('.'), parsed), base);
}

/** Edits a config file as a YAML document (comments kept), then writes it atomically and re-validates. */
export async function updateConfigFile(file: string, edit: (doc: import('yaml').Document) => void, base: Raw = {}): Promise<void> {
  const { parseDocument } = await import('yaml');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new MvgitError('CONFIG_INVALID', `${file}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, { hint: 'fix the file by hand first' });
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  edit(doc);
  const out = doc.toString();
  validateConfig(merge(base, (doc.toJS() ?? {}) as Raw), file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = tmpPathBeside(file);
  fs.writeFileSync(tmp, out);
  fs.renameSync(tmp, file);
}
