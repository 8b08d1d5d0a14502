/**
 * `mvgit config KEY [VALUE]`: the settings a user may read and write, each checked before it
 * is written, and the one way a config file is edited (comments and order kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../../base/duration.js';
import { MvgitError } from '../../base/errors.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';
import {
  isCredentialField,
  REMOTE_FIELDS,
  secretError,
  settingSecretProblem,
  urlSecretProblem,
} from '../../adapters/remote/url.js';
import {
  checkConfigFile,
  committedConfigFile,
  isMap,
  LINK_MODES,
  type LinkMode,
  localConfigFile,
  merge,
  parseSize,
  type Raw,
  readYamlFile,
  validateConfig,
} from './config.js';
import { CONFIG_DIR, type Repo } from './repo.js';

/** Settings `mvgit config` accepts, with a check for each value. */
const SETTINGS: Record<string, (v: string) => unknown> = {
  'cache.link': (v) => {
    if (!LINK_MODES.includes(v as LinkMode))
      throw new MvgitError('CONFIG_INVALID', `cache.link must be one of ${LINK_MODES.join(', ')}, got '${v}'`, {
        hint: 'for example: mvgit config cache.link hardlink',
      });
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
  'gc.remoteKeepRecent': (v) => {
    parseDuration(v, 'gc.remoteKeepRecent');
    return v;
  },
};

function parseBool(key: string, v: string): boolean {
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new MvgitError('CONFIG_INVALID', `${key} must be true or false, got '${v}'`, {
    hint: `for example: mvgit config ${key} false`,
  });
}

/**
 * Refuses a key `mvgit config` does not know. A remote's field must be one of REMOTE_FIELDS;
 * one that names a credential is a REMOTE_SECRET for the committed file, and unknown for the
 * local one too (mvgit would never read it: credentials come from the AWS chain).
 */
function checkKey(key: string, local = false): void {
  if (SETTINGS[key]) return;
  // A registry name for an artifact path (mvgit config artifacts.churn models/churn.pkl).
  if (!local && /^artifacts\.[a-z0-9](?:[a-z0-9\-/]*[a-z0-9])?$/.test(key)) return;
  const remote = /^remotes\.([^.]+)\.([^.]+)$/.exec(key);
  if (remote && REMOTE_FIELDS.includes(remote[2])) return;
  if (remote && !local && isCredentialField(remote[2])) throw secretError(`'${remote[2]}' is a credential`);
  if (remote) {
    throw new MvgitError('CONFIG_INVALID', `unknown setting '${key}'`, {
      hint: `a remote has only ${REMOTE_FIELDS.join(', ')}; credentials come from the environment or an AWS profile (mvgit config --local remotes.${remote[1]}.profile PROFILE)`,
    });
  }
  throw new MvgitError('CONFIG_INVALID', `unknown setting '${key}'`, {
    hint: `known settings: ${Object.keys(SETTINGS).join(', ')}, remotes.NAME.FIELD, artifacts.NAME`,
  });
}

/** Reads one setting from the merged config (undefined when unset). */
export async function getSetting(repo: Repo, key: string): Promise<unknown> {
  checkKey(key, true);
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
  checkKey(key, local);
  const secret = local
    ? undefined
    : key.startsWith('remotes.')
      ? settingSecretProblem(key.split('.')[2], value)
      : key === 'core.remote'
        ? urlSecretProblem(value)
        : undefined;
  if (secret) throw secretError(`${key}: ${secret}`);
  const parsed = SETTINGS[key] ? SETTINGS[key](value) : value;
  // The local file only overrides the committed one (remotes.NAME.profile without a url), so it is checked merged.
  const base = local ? await readYamlFile(committedConfigFile(repo)) : {};
  await updateConfigFile(
    local ? localConfigFile(repo) : committedConfigFile(repo),
    (doc) => doc.setIn(key.split('.'), parsed),
    base,
  );
}

/** Edits a config file as a YAML document (comments kept), then writes it atomically and re-validates. */
export async function updateConfigFile(
  file: string,
  edit: (doc: import('yaml').Document) => void,
  base: Raw = {},
): Promise<void> {
  const { parseDocument } = await import('yaml');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new MvgitError('CONFIG_INVALID', `${file}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, {
      hint: 'fix the file by hand first',
    });
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  edit(doc);
  const out = doc.toString();
  const raw = (doc.toJS() ?? {}) as Raw;
  // The last guard before the disk: the committed file is `.mvgit/config.yaml`, the local one is in the git dir.
  checkConfigFile(raw, file, path.basename(path.dirname(file)) === CONFIG_DIR);
  validateConfig(merge(base, raw), file);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, out);
}
