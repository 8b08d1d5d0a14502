/**
 * `resolve` and `get`: an artifact of another repository, by registry reference or path, from
 * Node, as a deploy script or another project would ask for it. Neither needs a repository
 * around the caller, and neither leaves anything behind but OUT.
 */
import {
  getArtifact,
  type GetOptions,
  type GetResolution,
  type GetResult,
  type ResolveOptions,
  resolveRef,
} from '../core/registry/get.js';

export type { GetOptions, GetResolution, GetResult, ResolveOptions };

/**
 * What `ref` names in `repo`: name, version, stage, commit, pointer and remote, without downloading.
 * @example const { version, commit, pointer } = await resolve({ repo: 'https://github.com/acme/churn.git', ref: 'churn#prod' });
 */
export function resolve(options: ResolveOptions): Promise<GetResolution> {
  return resolveRef(options);
}

/**
 * Downloads the artifact `ref` names in `repo` to `out`, verified, written atomically.
 * @example await get({ repo: '../churn', ref: 'churn#prod', out: 'model.pkl' });
 */
export function get(options: GetOptions): Promise<GetResult> {
  return getArtifact(options);
}
