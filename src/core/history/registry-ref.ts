/**
 * Resolving a registry reference to one artifact at one commit: the commit comes from the tags,
 * the path from the names in force at that commit. Works on a bare repository (a deploy job's
 * temp clone), so it reads the config and the pointer names from the commit, never the work tree.
 */
import { MvgitError } from '../../base/errors.js';
import { catFile } from '../../adapters/git/cat-file.js';
import { type GitDir, git, splitZ } from '../../adapters/git/run.js';
import { POINTER_SUFFIX, pointerPathFor } from '../pointer/pointer.js';
import { parseConfigText } from '../repo/config.js';
import { CONFIG_DIR, CONFIG_FILE } from '../repo/repo.js';
import { artifactsMap, nameArtifacts } from './registry-names.js';
import { lookupRegistryRef, parseRegistryRef, registryFor } from './registry-lookup.js';

export interface ResolvedArtifactRef {
  ref: string;
  name: string;
  version: string | null;
  stage: string | null;
  commit: string;
  tag: string | null;
  path: string;
  pointerPath: string;
}

/** True for NAME@vX.Y.Z, NAME@latest, NAME@greatest, NAME#STAGE (GTO's shortcut grammar). */
export function isRegistryRef(text: string): boolean {
  return parseRegistryRef(text) !== null;
}

/**
 * Resolves through the tags of `repo` (which may be a bare repo: GitDir.root is where git runs).
 * The artifact's path comes from `names` when given, else the `artifacts:` map of
 * .mvgit/config.yaml AT the resolved commit, else the pointers at that commit whose file name
 * derives to NAME. Throws MvgitError (REGISTRY_UNKNOWN_NAME / REGISTRY_UNKNOWN_VERSION /
 * REGISTRY_UNKNOWN_STAGE / REGISTRY_ARTIFACT_MISSING / REGISTRY_NAME_CONFLICT, with hints).
 *
 * @example
 * const hit = await resolveArtifactRef({ root: '/tmp/clone.git' }, 'churn#prod');
 * // { name: 'churn', version: 'v0.2.0', stage: 'prod', commit: '1a2b...', path: 'models/churn.pkl', ... }
 */
export async function resolveArtifactRef(
  repo: GitDir,
  ref: string,
  opts: { names?: Record<string, string> } = {},
): Promise<ResolvedArtifactRef> {
  const hit = lookupRegistryRef(registryFor(repo, ref), ref);
  const path = opts.names?.[hit.name] ?? (await pathAt(repo, hit.commit, hit.name, ref));
  const pointerPath = pointerPathFor(path);
  if (opts.names?.[hit.name] !== undefined && !artifactPathsAt(repo, hit.commit).includes(path))
    throw missingAt(ref, hit.commit, `${path} has no pointer (${pointerPath}) there`);
  return {
    ref,
    name: hit.name,
    version: hit.version,
    stage: hit.stage,
    commit: hit.commit,
    tag: hit.tag,
    path,
    pointerPath,
  };
}

/**
 * The path `name` names at `commit`: the config's map there, else a pointer whose name derives
 * to it. `ref` is what the user asked for, for the error.
 */
export async function pathAt(repo: GitDir, commit: string, name: string, ref: string = name): Promise<string> {
  const map = await artifactsMapAt(repo, commit);
  const paths = artifactPathsAt(repo, commit);
  if (map[name] !== undefined) {
    if (!paths.includes(map[name]))
      throw missingAt(
        ref,
        commit,
        `${map[name]} (named '${name}' in ${CONFIG_DIR}/${CONFIG_FILE}) has no pointer there`,
      );
    return map[name];
  }
  const path = nameArtifacts(paths, map).get(name);
  if (path === undefined)
    throw missingAt(
      ref,
      commit,
      `no artifact there is named '${name}' (by ${CONFIG_DIR}/${CONFIG_FILE} or by its file name)`,
    );
  return path;
}

/**
 * The artifact paths at `commit`, from the names of its pointer files (`X.mvgit.yaml` describes
 * `X`): no pointer is read, so a blob-less clone (a deploy job's) fetches nothing for this.
 */
export function artifactPathsAt(repo: GitDir, commit: string): string[] {
  return splitZ(git(repo, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', commit]))
    .filter((p) => p.endsWith(POINTER_SUFFIX))
    .map((p) => p.slice(0, -POINTER_SUFFIX.length));
}

/** The `artifacts:` map of the committed config at `commit` ({} when there is none). */
export async function artifactsMapAt(repo: GitDir, commit: string): Promise<Record<string, string>> {
  const [object] = catFile(repo, [`${commit}:${CONFIG_DIR}/${CONFIG_FILE}`]);
  if (object?.type !== 'blob') return {};
  const where = `${CONFIG_DIR}/${CONFIG_FILE} at ${commit.slice(0, 10)}`;
  return artifactsMap(await parseConfigText(object.data.toString('utf8'), where), where);
}

function missingAt(ref: string, commit: string, problem: string): MvgitError {
  return new MvgitError('REGISTRY_ARTIFACT_MISSING', `${ref} names commit ${commit.slice(0, 10)}, but ${problem}`, {
    hint: `list what that commit holds with 'git ls-tree -r --name-only ${commit.slice(0, 10)}'; name an artifact's path under artifacts: in ${CONFIG_DIR}/${CONFIG_FILE}`,
    data: { ref, commit },
  });
}
