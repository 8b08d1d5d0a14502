/**
 * Which artifact a command means: a registry name (`churn`) or a path (`models/churn.pkl`),
 * looked up in the names in force at a commit (the `artifacts:` map, the work tree's over the
 * commit's, then file names), and the map entry the first `mvgit version` writes.
 */
import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import { artifactPathsAt, artifactsMapAt, pathAt } from '../history/registry-ref.js';
import { readRegistry } from '../history/registry-state.js';
import { registryTagPrefix } from '../history/registry-tags.js';
import { listPointerFiles } from '../../adapters/git/run.js';
import { artifactsMap, deriveName, isArtifactName, nameArtifacts } from '../history/registry-names.js';
import { isPointerPath, POINTER_SUFFIX } from '../pointer/pointer.js';
import { committedConfigFile, readYamlFile } from '../repo/config.js';
import { updateConfigFile } from '../repo/config-settings.js';
import { absPath, CONFIG_DIR, CONFIG_FILE, type Repo, toRepoPath } from '../repo/repo.js';

const CONFIG = `${CONFIG_DIR}/${CONFIG_FILE}`;

/** The work tree's `artifacts:` map. */
export async function workTreeArtifactsMap(repo: Repo): Promise<Record<string, string>> {
  return artifactsMap(await readYamlFile(committedConfigFile(repo), CONFIG), CONFIG);
}

/** An artifact as a command names it. */
export interface NamedArtifact {
  name: string;
  path: string;
  /** True when the work tree's config names it; false when the name comes from the file name. */
  mapped: boolean;
}

/**
 * The artifact `nameOrPath` means at `commit`: a name from the maps (the work tree's first),
 * a path of a pointer there, or a name derived from one. REGISTRY_ARTIFACT_MISSING when the
 * work tree knows the artifact but `commit` does not hold it; REGISTRY_UNKNOWN_NAME otherwise.
 */
export async function artifactAt(
  repo: Repo,
  nameOrPath: string,
  commit: string,
  revLabel: string,
  cwd?: string,
): Promise<NamedArtifact> {
  const workMap = await workTreeArtifactsMap(repo);
  const map = { ...(await artifactsMapAt(repo, commit)), ...workMap };
  const paths = artifactPathsAt(repo, commit);
  const names = nameArtifacts(paths, map);
  const mappedPaths = new Set(Object.values(workMap));
  const found = (name: string, path: string): NamedArtifact => {
    if (!paths.includes(path))
      throw new MvgitError('REGISTRY_ARTIFACT_MISSING', `${path} (${name}) does not exist at ${revLabel}`, {
        hint: `'mvgit log ${path}' lists the commits that hold it; pass one with --rev`,
        data: { name, path, commit },
      });
    return { name, path, mapped: mappedPaths.has(path) };
  };
  const byName = names.get(nameOrPath);
  if (byName !== undefined) return found(nameOrPath, byName);
  // A path: the artifact itself or its pointer, relative to where the user is.
  let asPath: string | undefined;
  try {
    const p = toRepoPath(repo, nameOrPath, cwd);
    asPath = isPointerPath(p) ? p.slice(0, -POINTER_SUFFIX.length) : p;
  } catch {
    asPath = undefined;
  }
  if (asPath !== undefined) {
    const named = [...names].find(([, p]) => p === asPath);
    if (named) return found(named[0], named[1]);
    const derived = deriveName(asPath);
    if (paths.includes(asPath) && derived === null)
      throw new MvgitError('REGISTRY_BAD_NAME', `${asPath} gives no usable name`, {
        hint: `name it in ${CONFIG}:\n  artifacts:\n    NAME: ${asPath}`,
      });
  }
  if (map[nameOrPath] !== undefined) return found(nameOrPath, map[nameOrPath]);
  // Known to the work tree, not to that commit.
  const workPaths = listPointerFiles(repo).map((p) => p.slice(0, -POINTER_SUFFIX.length));
  const inWorkTree = nameArtifacts(workPaths, workMap).get(nameOrPath);
  if (inWorkTree !== undefined) return found(nameOrPath, inWorkTree);
  const known = [...names.keys()].sort();
  throw new MvgitError(
    'REGISTRY_UNKNOWN_NAME',
    `no artifact named '${nameOrPath}' at ${revLabel}${isArtifactName(nameOrPath) ? '' : ' (and no such tracked path)'}`,
    {
      hint:
        known.length > 0
          ? `artifacts there: ${known.join(', ')}; name one in ${CONFIG} under artifacts:`
          : `track one first: mvgit add PATH, commit, then mvgit version NAME`,
      data: { name: nameOrPath, known },
    },
  );
}

/** Writes `artifacts: { name: path }` to the work tree's config, as the first `mvgit version` does. */
export async function recordName(repo: Repo, name: string, path: string): Promise<void> {
  await updateConfigFile(committedConfigFile(repo), (doc) => doc.setIn(['artifacts', name], path));
}

/**
 * The path a registry name stands for, for commands that take a path (`mvgit log churn`): the
 * work tree's names first, then the registry's newest event for that name. Null when `text` is
 * a path in the work tree, or no artifact has that name.
 */
export async function pathForName(repo: Repo, text: string, cwd?: string): Promise<string | null> {
  if (!isArtifactName(text)) return null;
  try {
    const p = toRepoPath(repo, text, cwd);
    if (fs.existsSync(absPath(repo, p)) || fs.existsSync(absPath(repo, `${p}${POINTER_SUFFIX}`))) return null;
  } catch {
    // not a path inside the repo: only a name
  }
  try {
    const workPaths = listPointerFiles(repo).map((p) => p.slice(0, -POINTER_SUFFIX.length));
    const named = nameArtifacts(workPaths, await workTreeArtifactsMap(repo)).get(text);
    if (named !== undefined) return named;
  } catch {
    // a name clash in the work tree: the registry may still know the name
  }
  const artifact = readRegistry(repo, registryTagPrefix(text)).artifacts.get(text);
  if (!artifact) return null;
  const commit = artifact.latest?.commit ?? artifact.events[artifact.events.length - 1].commit;
  try {
    return await pathAt(repo, commit, text);
  } catch {
    return null;
  }
}
