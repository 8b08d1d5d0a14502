/**
 * What `mvgit get REPO REF` names: the commit, the pointer there, and the remote that holds
 * the bytes, read from REPO with as little as git can send (see get-source.ts). A registry
 * reference (`churn#prod`, `churn@v0.2.0`, `churn@latest`) is resolved by the one resolver
 * every command uses (history/registry-ref.ts), on the registry's tags fetched into the temp
 * repository; a PATH is read at `--rev` (default: REPO's default branch).
 */
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import { isMap, parseConfigText, checkConfigFile, validateConfig, type RemoteConfig } from '../repo/config.js';
import { CONFIG_DIR, CONFIG_FILE } from '../repo/repo.js';
import { isRegistryRef, resolveArtifactRef } from '../history/registry-ref.js';
import { isPointerPath, parsePointer, pointerPathFor, type Pointer } from '../pointer/pointer.js';
import { fetchRefs, HEAD_REF, readFiles, type SourceRepo } from './get-source.js';

/** Where `mvgit get` found an artifact. */
export interface GetResolution {
  /** REPO as given. */
  repo: string;
  /** The reference as given: `churn#prod`, `churn@v0.2.0`, or a path. */
  ref: string;
  /** Registry name, version and stage; null for a path. */
  name: string | null;
  version: string | null;
  stage: string | null;
  /** The registry tag that decided it (`churn#prod#3`), null for a path. */
  tag: string | null;
  commit: string;
  /** The artifact's path in REPO, and its pointer file's. */
  path: string;
  pointerPath: string;
  pointer: Pointer;
  /** The remote that holds the bytes: its name in REPO's config and its settings. */
  remote: { name: string } & RemoteConfig;
}

const CONFIG_PATH = `${CONFIG_DIR}/${CONFIG_FILE}`;
const REV_REF = 'refs/mvgit-get/rev';

/** Resolves `ref` (with `rev` for a path) in the opened source repository. */
export async function resolveInSource(src: SourceRepo, ref: string, rev?: string): Promise<GetResolution> {
  if (src.head === null && src.refs.size === 0) throw notMvgit(src, `${src.url} has no commits`);
  const registry = isRegistryRef(ref);
  if (registry && rev !== undefined)
    throw new MvgitError('USAGE', `--rev is for a path; ${ref} names its version itself`, {
      hint: `drop --rev, or name the file: mvgit get ${src.url} PATH --rev ${rev}`,
    });
  const refspecs = src.head ? [`${src.head}:${HEAD_REF}`] : [];
  if (registry) refspecs.push(...registryRefspecs(src, ref));
  else if (rev !== undefined) refspecs.push(`${remoteRev(src, rev)}:${REV_REF}`);
  fetchRefs(src, refspecs);

  const [headText] = src.head ? readFiles(src, HEAD_REF, [CONFIG_PATH]) : [null];
  const headRaw = headText ? await parseConfigText(headText.toString('utf8'), `${CONFIG_PATH} of ${src.url}`) : null;
  let target: Omit<GetResolution, 'repo' | 'pointer' | 'remote'>;
  if (registry) {
    if (headRaw === null) throw notMvgit(src, `${src.url} has no ${CONFIG_PATH} on its default branch`);
    const r = await resolveArtifactRef(src.dir, ref, { names: artifactNames(headRaw) });
    target = { ...r };
  } else {
    const path = ref.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    const commit = git(src.dir, ['rev-parse', '--verify', `${rev === undefined ? HEAD_REF : REV_REF}^{commit}`]).trim();
    const pointerPath = isPointerPath(path) ? path : pointerPathFor(path);
    target = { ref, name: null, version: null, stage: null, tag: null, commit, path, pointerPath };
  }
  const [pointerBytes, configBytes] = readFiles(src, target.commit, [target.pointerPath, CONFIG_PATH]);
  const at = `${target.commit.slice(0, 10)}${rev !== undefined ? ` (${rev})` : ''}`;
  if (headRaw === null && configBytes === null) throw notMvgit(src, `${src.url} has no ${CONFIG_PATH}`);
  if (pointerBytes === null) {
    throw new MvgitError('NOT_TRACKED', `${target.path} is not an artifact at ${at} in ${src.url}`, {
      hint: `name the artifact's path (its pointer file is PATH.mvgit.yaml), or another revision with --rev`,
      data: { path: target.path, commit: target.commit, repo: src.url },
    });
  }
  const pointer = parsePointer(pointerBytes.toString('utf8'), `${target.pointerPath} at ${at} in ${src.url}`);
  const commitRaw = configBytes ? await parseConfigText(configBytes.toString('utf8'), `${CONFIG_PATH} at ${at}`) : {};
  return { repo: src.url, ...target, path: target.path, pointer, remote: defaultRemote(src, headRaw ?? {}, commitRaw) };
}

/** The registry tags of the name `ref` starts with, fetched by pattern (only the patterns that match). */
function registryRefspecs(src: SourceRepo, ref: string): string[] {
  const name = /^[^@#]+/.exec(ref)?.[0] ?? ref;
  const tags = [...src.refs.keys()];
  return ['@', '#']
    .map((sep) => `refs/tags/${name}${sep}`)
    .filter((prefix) => tags.some((t) => t.startsWith(prefix) && !t.endsWith('^{}')))
    .map((prefix) => `${prefix}*:${prefix}*`);
}

/** The remote ref or commit id a `--rev` names. */
function remoteRev(src: SourceRepo, rev: string): string {
  for (const full of [rev, `refs/heads/${rev}`, `refs/tags/${rev}`]) if (src.refs.has(full)) return full;
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(rev)) return rev;
  throw new MvgitError('REV_NOT_FOUND', `revision '${rev}' is not a branch or tag of ${src.url}`, {
    hint: 'name a branch, a tag, or a full commit id (see git ls-remote URL)',
    data: { rev, repo: src.url },
  });
}

/** `artifacts:` of a config (name -> path), where it is a map of strings. */
function artifactNames(raw: Record<string, unknown>): Record<string, string> | undefined {
  if (!isMap(raw.artifacts)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.artifacts)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * The default remote: the default branch's config wins over the commit's (a remote moved since
 * the version was made is found where it is now), each checked as a committed file (no secrets).
 */
function defaultRemote(src: SourceRepo, headRaw: Record<string, unknown>, commitRaw: Record<string, unknown>) {
  const settings = [commitRaw, headRaw].map((raw, i) => {
    const display = `${CONFIG_PATH} ${i === 0 ? 'at the commit' : 'on the default branch'} of ${src.url}`;
    checkConfigFile(raw, display, true);
    return validateConfig(raw, display);
  });
  const remotes = { ...settings[0].remotes, ...settings[1].remotes };
  const names = Object.keys(remotes);
  const name = settings[1].core.remote ?? settings[0].core.remote ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined || !remotes[name]) {
    throw new MvgitError(
      'REMOTE_NOT_FOUND',
      names.length === 0
        ? `${src.url} configures no mvgit remote, so its objects are nowhere to get`
        : `${src.url} names no default remote among ${names.join(', ')}`,
      {
        hint: 'in that repository: mvgit remote add NAME URL --default, commit, push its objects (mvgit push)',
        data: { repo: src.url },
      },
    );
  }
  return { ...remotes[name], name };
}

function notMvgit(src: SourceRepo, why: string): MvgitError {
  return new MvgitError('NOT_INITIALIZED', `${why}: it does not use mvgit`, {
    hint: 'check the URL; a repository starts using mvgit with mvgit init, committed and pushed',
    data: { repo: src.url },
  });
}
