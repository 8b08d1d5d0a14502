/**
 * `mvgit get REPO REF -o OUT`: one artifact from another repository, without a clone and
 * without a work tree: what a deploy job runs. REPO's refs, the pointer and its mvgit config
 * are read into a temp bare repository that is always removed (get-source.ts); the bytes go
 * from REPO's default remote straight to OUT, verified on the way (get-download.ts).
 *
 * No local cache is read or written, even when run inside a repository: the artifact belongs
 * to REPO, not to the repository around the caller, whose cache would only grow by objects
 * none of its pointers name (and `mvgit gc` would delete them); and what a deploy writes then
 * depends on REPO and its remote alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMvgitError, MvgitError } from '../../base/errors.js';
import { parseRemoteUrl } from '../../adapters/remote/url.js';
import { openConfigured } from '../repo/remotes.js';
import { downloadTo } from './get-download.js';
import { resolveInSource, type GetResolution } from './get-resolve.js';
import { openSource } from './get-source.js';
import { trackTemp } from './get-temps.js';
import { failpoint } from '../../base/failpoint.js';

export type { GetResolution };

export interface ResolveOptions {
  /** Any URL or path git can reach. */
  repo: string;
  /** `NAME#STAGE`, `NAME@vX.Y.Z`, `NAME@latest`, or the artifact's path in REPO. */
  ref: string;
  /** For a path: the branch, tag or full commit id (default: REPO's default branch). */
  rev?: string;
  /** Where a relative REPO or OUT is taken from (default: the current directory). */
  cwd?: string;
}

export interface GetOptions extends ResolveOptions {
  /** Where to write the artifact (a file, or a folder for a folder artifact). */
  out: string;
  /** Replace an existing OUT. */
  force?: boolean;
}

/** What was written where. */
export interface GetResult extends GetResolution {
  /** OUT, absolute. */
  out: string;
}

/**
 * Says what `ref` names in `repo` (version, commit, pointer, remote) without downloading it.
 * @example const r = await resolveRef({ repo: 'git@github.com:acme/churn.git', ref: 'churn#prod' });
 */
export async function resolveRef(options: ResolveOptions): Promise<GetResolution> {
  const src = openSource(options.repo, options.cwd);
  const close = trackTemp(src.close);
  try {
    return await resolveInSource(src, options.ref, options.rev);
  } finally {
    close();
  }
}

/**
 * Writes the artifact `ref` names in `repo` to `out`, whole or not at all, verified against
 * its oid. Leaves nothing else behind, on failure too.
 * @example await getArtifact({ repo: '../churn', ref: 'churn#prod', out: 'model.pkl' });
 */
export async function getArtifact(options: GetOptions): Promise<GetResult> {
  const cwd = options.cwd ?? process.cwd();
  const out = path.resolve(cwd, options.out);
  checkOut(out, options.out, options.force === true, cwd);
  const src = openSource(options.repo, cwd);
  const close = trackTemp(src.close);
  let resolution: GetResolution;
  try {
    resolution = await resolveInSource(src, options.ref, options.rev);
    await failpoint('get:after-resolve');
  } finally {
    close();
  }
  const { name: remoteName, ...settings } = resolution.remote;
  const base = remoteBase(src.localDir, settings.url, remoteName, options.repo);
  const remote = await openConfigured({ root: base }, remoteName, settings);
  if (remote.localPath && !fs.existsSync(remote.url)) {
    remote.close();
    throw new MvgitError(
      'REMOTE_ERROR',
      `remote '${remoteName}' of ${options.repo} (${remote.url}) is unreachable: the folder does not exist`,
      { hint: 'mount the share, or run where that folder is', data: { remote: remoteName, url: remote.url } },
    );
  }
  try {
    await downloadTo(remote, resolution.pointer, out, `${resolution.path} (${options.ref})`, options.force === true);
  } catch (err) {
    throw forGet(err, options.repo, resolution.commit);
  } finally {
    remote.close();
  }
  return { ...resolution, out };
}

/**
 * A remote's failure as a `get` user can act on it: the backends' hints name commands run in a
 * clone of REPO (mvgit remote list, mvgit config --local), which the caller of get is not in.
 */
function forGet(err: unknown, repo: string, commit: string): unknown {
  if (isMvgitError(err, 'OBJECT_MISSING'))
    return new MvgitError('OBJECT_MISSING', err.message, {
      hint: `that version's bytes were never pushed there: in a clone of ${repo} that has them, run mvgit push --rev ${commit.slice(0, 10)}`,
      data: { ...err.data, repo },
      cause: err,
    });
  if (!isMvgitError(err, 'REMOTE_ERROR')) return err;
  return new MvgitError('REMOTE_ERROR', err.message, {
    hint: `check the network, and the remote's settings in ${repo}'s .mvgit/config.yaml; credentials come from this environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE), never from that file`,
    data: { ...err.data, repo },
    cause: err,
  });
}

/** OUT must be in a folder that exists, and be new unless `force`: checked before anything is fetched. */
function checkOut(out: string, typed: string, force: boolean, cwd: string): void {
  const parent = path.dirname(out);
  if (!fs.statSync(parent, { throwIfNoEntry: false })?.isDirectory())
    throw new MvgitError('PATH_NOT_FOUND', `the folder of ${typed} does not exist: ${parent}`, {
      hint: `create it first (mkdir -p ${parent}), or choose another -o`,
      data: { out },
    });
  const existing = fs.lstatSync(out, { throwIfNoEntry: false });
  if (!existing) return;
  if (!force)
    throw new MvgitError('OUTPUT_EXISTS', `${typed} already exists`, {
      hint: 'pick another path, or add --force to replace it',
      data: { out },
    });
  // --force replaces OUT: never the folder the command runs in, or one around it.
  const rel = path.relative(out, cwd);
  if (existing.isDirectory() && (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))))
    throw new MvgitError('OUTPUT_EXISTS', `${typed} holds the current folder; it cannot be replaced`, {
      hint: 'write to a new file or folder, e.g. -o model.pkl',
      data: { out },
    });
}

/**
 * Where a relative folder remote is taken from: REPO's folder, as in a clone of it. Away from
 * REPO's machine such a path means nothing, so it is refused rather than guessed.
 */
function remoteBase(localDir: string | null, url: string, name: string, repo: string): string {
  if (localDir !== null) return localDir;
  const loc = parseRemoteUrl(url, '/');
  if (loc.type === 'local' && !url.startsWith('/') && !url.startsWith('file://'))
    throw new MvgitError(
      'REMOTE_ERROR',
      `remote '${name}' of ${repo} is a relative folder (${url}), which means nothing here`,
      {
        hint: 'get it where that folder is reachable, or give that repository a remote with an absolute path or s3:// URL',
        data: { remote: name },
      },
    );
  return '/';
}

/** A resolution as plain data for `--json` and the library: the pointer's fields flattened, the remote by name and URL. */
export function describeResolution(r: GetResolution | GetResult): Record<string, unknown> {
  const { pointer, remote, ...rest } = r;
  return {
    ...rest,
    kind: pointer.kind,
    oid: pointer.oid,
    size: pointer.size,
    ...(pointer.files !== undefined ? { files: pointer.files } : {}),
    remote: { name: remote.name, url: remote.url },
  };
}
