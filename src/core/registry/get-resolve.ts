/**
 * What `mvgit get REPO REF` names: the commit, the pointer there, and the remote that holds
 * the bytes, read from REPO with as little as git can send (see get-source.ts). A registry
 * reference (`churn#prod`, `churn@v0.2.0`, `churn@latest`) is resolved by the one resolver
 * every command uses (history/registry-ref.ts), on the registry's tags fetched into the temp
 * repository; a PATH is read at `--rev` (default: REPO's default branch).
 */
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import { checkConfigFile, parseConfigText, type Raw, type RemoteConfig, validateConfig } from '../repo/config.js';
import { CONFIG_DIR, CONFIG_FILE } from '../repo/repo.js';
import { resolveArtifactRef } from '../history/registry-ref.js';
import { lookupRegistryRef, parseRegistryRef, registryFor } from '../history/registry-lookup.js';
import { parseRegistryTag } from '../history/registry-tags.js';
import { isPointerPath, parsePointer, POINTER_SUFFIX, pointerPathFor, type Pointer } from '../pointer/pointer.js';
import { blobsAt, fetchBlobs, fetchRefs, HEAD_REF, readBlob, type SourceRepo } from './get-source.js';

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
  const registry = parseRegistryRef(ref);
  if (registry && rev !== undefined)
    throw new MvgitError('USAGE', `--rev is for a path; ${ref} names its version itself`, {
      hint: `drop --rev, or name the file: mvgit get ${src.url} PATH --rev ${rev}`,
    });
  const refs = new Map<string, string>(src.head ? [[HEAD_REF, src.head]] : []);
  if (registry) for (const tag of registryTags(src, registry.name)) refs.set(tag, tag);
  else if (rev !== undefined) refs.set(REV_REF, remoteRev(src, rev));
  fetchRefs(src, refs);

  const headConfig = src.head ? blobsAt(src, HEAD_REF, [CONFIG_PATH]).get(CONFIG_PATH) : undefined;
  let commit: string;
  let atCommit: Map<string, string>;
  let pointerPath: string | undefined;
  if (registry) {
    if (headConfig === undefined && !hasRegistryTags(src))
      throw notMvgit(src, `${src.url} has no ${CONFIG_PATH} on its default branch`);
    commit = (await inRepo(src, () => lookupRegistryRef(registryFor(src.dir, ref), ref))).commit;
    // The resolver reads the config and the pointers at the commit: all of them come in one fetch.
    atCommit = new Map([...blobsAt(src, commit)].filter(([p]) => p === CONFIG_PATH || isPointerPath(p)));
  } else {
    commit = git(src.dir, ['rev-parse', '--verify', `${rev === undefined ? HEAD_REF : REV_REF}^{commit}`]).trim();
    const path = ref.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
    pointerPath = isPointerPath(path) ? path : pointerPathFor(path);
    atCommit = blobsAt(src, commit, [pointerPath, CONFIG_PATH]);
  }
  const at = `${commit.slice(0, 10)}${rev !== undefined ? ` (${rev})` : ''}`;
  if (headConfig === undefined && !atCommit.has(CONFIG_PATH)) throw notMvgit(src, `${src.url} has no ${CONFIG_PATH}`);
  fetchBlobs(src, [...(headConfig ? [headConfig] : []), ...atCommit.values()]);

  let target: Omit<GetResolution, 'repo' | 'pointer' | 'remote'>;
  if (registry) {
    target = await inRepo(src, () => resolveArtifactRef(src.dir, ref));
    pointerPath = target.pointerPath;
  } else {
    const path = pointerPath!.slice(0, -POINTER_SUFFIX.length);
    target = { ref, name: null, version: null, stage: null, tag: null, commit, path, pointerPath: pointerPath! };
  }
  const pointerBytes = readBlob(src, atCommit.get(target.pointerPath));
  if (pointerBytes === null) {
    throw new MvgitError('NOT_TRACKED', `${target.path} is not an artifact at ${at} in ${src.url}`, {
      hint: /[@#]/.test(ref)
        ? "a registry reference is NAME#STAGE, NAME@vX.Y.Z or NAME@latest (GTO's grammar); anything else is taken as a path"
        : `name the artifact's path (its pointer file is PATH${POINTER_SUFFIX}), or another revision with --rev`,
      data: { path: target.path, commit, repo: src.url },
    });
  }
  const pointer = parsePointer(pointerBytes.toString('utf8'), `${target.pointerPath} at ${at} in ${src.url}`);
  const headRaw = await configOf(src, headConfig, `${CONFIG_PATH} on the default branch of ${src.url}`);
  const commitRaw = await configOf(src, atCommit.get(CONFIG_PATH), `${CONFIG_PATH} at ${at} in ${src.url}`);
  return { repo: src.url, ...target, pointer, remote: defaultRemote(src, headRaw, commitRaw) };
}

async function configOf(src: SourceRepo, blob: string | undefined, display: string): Promise<Raw> {
  const bytes = readBlob(src, blob);
  if (bytes === null) return {};
  const raw = await parseConfigText(bytes.toString('utf8'), display);
  checkConfigFile(raw, display, true);
  return raw;
}

/** True when REPO has any tag in the registry's grammar. */
function hasRegistryTags(src: SourceRepo): boolean {
  return [...src.refs.keys()].some((r) => r.startsWith('refs/tags/') && parseRegistryTag(r.slice(10)) !== null);
}

/**
 * Runs the registry resolver, saying in its errors which repository it read. An unknown name
 * lists the names REPO's tags hold: only the tags of the name asked for were fetched.
 */
async function inRepo<T>(src: SourceRepo, resolve: () => T | Promise<T>): Promise<T> {
  try {
    return await resolve();
  } catch (err) {
    if (!(err instanceof MvgitError) || !err.code.startsWith('REGISTRY_')) throw err;
    if (err.code !== 'REGISTRY_UNKNOWN_NAME')
      throw new MvgitError(err.code, `${err.message} in ${src.url}`, {
        hint: err.hint,
        data: { ...err.data, repo: src.url },
        cause: err,
      });
    const known = [
      ...new Set(
        [...src.refs.keys()]
          .filter((r) => r.startsWith('refs/tags/') && !r.endsWith('^{}'))
          .map((r) => parseRegistryTag(r.slice(10))?.name)
          .filter((n): n is string => n !== undefined),
      ),
    ].sort();
    const name = String(err.data?.name ?? '');
    throw new MvgitError('REGISTRY_UNKNOWN_NAME', `no artifact named '${name}' in the registry of ${src.url}`, {
      hint:
        known.length > 0
          ? `known artifacts: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''}`
          : 'that repository has no registered version yet (mvgit version NAME there)',
      data: { name, known, repo: src.url },
      cause: err,
    });
  }
}

/** REPO's tags in the registry's grammar that could belong to `name` (`NAME@...`, `NAME#...`). */
function registryTags(src: SourceRepo, name: string): string[] {
  return [...src.refs.keys()].filter(
    (t) => (t.startsWith(`refs/tags/${name}@`) || t.startsWith(`refs/tags/${name}#`)) && !t.endsWith('^{}'),
  );
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

/**
 * The default remote: the default branch's config wins over the commit's (a remote moved since
 * the version was made is found where it is now), each checked as a committed file (no secrets).
 */
function defaultRemote(src: SourceRepo, headRaw: Raw, commitRaw: Raw): GetResolution['remote'] {
  const settings = [commitRaw, headRaw].map((raw, i) =>
    validateConfig(raw, `${CONFIG_PATH} ${i === 0 ? 'at the commit' : 'on the default branch'} of ${src.url}`),
  );
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
