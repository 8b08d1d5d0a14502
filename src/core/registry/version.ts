/**
 * `mvgit version`, `deregister`, `deprecate`: the registry's version events. A version is an
 * annotated tag `NAME@vX.Y.Z` on the commit whose pointer holds it.
 */
import { MvgitError } from '../../base/errors.js';
import { catFile } from '../../adapters/git/cat-file.js';
import { type ArtifactState, readRegistry } from '../history/registry-state.js';
import { resolveRev } from '../history/revision.js';
import { lookupRegistryRef } from '../history/registry-lookup.js';
import { bumpSemVer, compareSemVer, isSemVer } from '../history/semver.js';
import { parsePointer, pointerPathFor } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import { artifactAt, recordName } from './names.js';
import { createTag, normalizeVersion, pushTags, type RegistryWrite } from './tags.js';

export interface VersionRequest {
  /** The artifact's name or path. */
  name: string;
  /** `X.Y.Z` or `vX.Y.Z`; default: v0.1.0 for the first, then the next patch. */
  version?: string;
  bump?: 'major' | 'minor' | 'patch';
  /** The commit to register (default HEAD). */
  rev?: string;
  message?: string;
  push?: boolean;
  cwd?: string;
}

export interface VersionResult extends RegistryWrite {
  name: string;
  version: string;
  path: string;
  commit: string;
  oid: string;
  /** True when this version wrote the name into .mvgit/config.yaml (commit that file). */
  namedInConfig: boolean;
}

/**
 * Registers a version of an artifact at a commit. Refuses a version that is not semver or
 * exists, and an artifact whose content a registered version holds already.
 *
 * @example
 * const v = await registerVersion(repo, { name: 'churn', bump: 'minor', message: 'retrained on May data' });
 */
export async function registerVersion(repo: Repo, req: VersionRequest): Promise<VersionResult> {
  if (req.version !== undefined && req.bump !== undefined)
    throw new MvgitError('USAGE', 'give a version or --bump, not both', { hint: 'mvgit version churn 1.0.0' });
  const revLabel = req.rev ?? 'HEAD';
  const commit = resolveRev(repo, revLabel);
  const artifact = await artifactAt(repo, req.name, commit, revLabel, req.cwd);
  const state = readRegistry(repo);
  const known = state.artifacts.get(artifact.name);
  const version = nextVersion(known, artifact.name, req);
  const oid = pointerOid(repo, commit, artifact.path);
  const same = known ? versionHolding(repo, known, artifact.path, oid) : undefined;
  if (same)
    throw new MvgitError(
      'REGISTRY_UNCHANGED',
      `${artifact.path} at ${revLabel} did not change since ${artifact.name}@${same}: it holds the same ${oid.slice(0, 19)}`,
      {
        hint: `commit a new version of ${artifact.path} first, or promote ${same}: mvgit promote ${artifact.name} ${same} STAGE`,
        data: { name: artifact.name, version: same, oid },
      },
    );
  const tag = `${artifact.name}@${version}`;
  createTag(repo, tag, commit, req.message ?? `Registering artifact ${artifact.name} version ${version}`);
  let namedInConfig = false;
  if (!artifact.mapped && !known) {
    await recordName(repo, artifact.name, artifact.path);
    namedInConfig = true;
  }
  const pushedTo = req.push ? pushTags(repo, [tag]) : undefined;
  return { tags: [tag], pushedTo, name: artifact.name, version, path: artifact.path, commit, oid, namedInConfig };
}

function nextVersion(known: ArtifactState | undefined, name: string, req: VersionRequest): string {
  if (req.version !== undefined) {
    const version = normalizeVersion(req.version);
    if (!isSemVer(version))
      throw new MvgitError('REGISTRY_BAD_VERSION', `'${req.version}' is not a semantic version`, {
        hint: 'write MAJOR.MINOR.PATCH, e.g. 1.2.0 or 1.2.0-rc.1, or use --bump major|minor|patch',
        data: { version: req.version },
      });
    const existing = known?.allVersions.get(version);
    if (existing)
      throw new MvgitError(
        'REGISTRY_VERSION_EXISTS',
        `${name}@${version} exists already${existing.active ? '' : ' (deregistered)'}, at commit ${existing.commit.slice(0, 10)}`,
        { hint: `pick another version; the latest is ${known?.latest?.version ?? 'none'}`, data: { name, version } },
      );
    return version;
  }
  // Deregistered versions keep their tags, so the next version must pass them too.
  const all = [...(known?.allVersions.keys() ?? [])].filter(isSemVer);
  const highest = all.sort(compareSemVer).pop();
  if (!highest) return req.bump ? bumpSemVer('v0.0.0', req.bump) : 'v0.1.0';
  return bumpSemVer(highest, req.bump ?? 'patch');
}

/** The oid the pointer of `path` holds at `commit`. */
function pointerOid(repo: Repo, commit: string, path: string): string {
  const pointerPath = pointerPathFor(path);
  const [object] = catFile(repo, [`${commit}:${pointerPath}`]);
  if (object?.type !== 'blob')
    throw new MvgitError('REGISTRY_ARTIFACT_MISSING', `${path} does not exist at ${commit.slice(0, 10)}`, {
      hint: `'mvgit log ${path}' lists the commits that hold it`,
    });
  return parsePointer(object.data.toString('utf8'), `${pointerPath} at ${commit.slice(0, 10)}`).oid;
}

/** The registered version whose pointer holds `oid` (one `git cat-file` for all of them). */
function versionHolding(repo: Repo, artifact: ArtifactState, path: string, oid: string): string | undefined {
  const pointerPath = pointerPathFor(path);
  const objects = catFile(
    repo,
    artifact.versions.map((v) => `${v.commit}:${pointerPath}`),
  );
  for (let i = 0; i < artifact.versions.length; i++) {
    const object = objects[i];
    if (object?.type !== 'blob') continue;
    try {
      if (parsePointer(object.data.toString('utf8'), pointerPath).oid === oid) return artifact.versions[i].version;
    } catch {
      // a damaged pointer in an old version holds nothing to compare
    }
  }
  return undefined;
}

/** `mvgit deregister NAME VERSION`: the tag `NAME@vX.Y.Z!` on the version's commit. */
export async function deregisterVersion(
  repo: Repo,
  req: { name: string; version: string; message?: string; push?: boolean },
): Promise<RegistryWrite & { name: string; version: string }> {
  const state = readRegistry(repo);
  const version = normalizeVersion(req.version);
  const hit = lookupRegistryRef(state, `${req.name}@${version}`);
  const tag = `${req.name}@${version}!`;
  createTag(repo, tag, hit.commit, req.message ?? `Deregistering artifact ${req.name} version ${version}`);
  return { tags: [tag], pushedTo: req.push ? pushTags(repo, [tag]) : undefined, name: req.name, version };
}

/** `mvgit deprecate NAME`: the tag `NAME@deprecated` on the latest version's commit. */
export async function deprecateArtifact(
  repo: Repo,
  req: { name: string; message?: string; push?: boolean },
): Promise<RegistryWrite & { name: string }> {
  const state = readRegistry(repo);
  const artifact = state.artifacts.get(req.name);
  if (!artifact) {
    lookupRegistryRef(state, `${req.name}@latest`); // throws the unknown-name error with its hint
    throw new MvgitError('INTERNAL', `no artifact ${req.name}`);
  }
  if (artifact.deprecated)
    throw new MvgitError('REGISTRY_VERSION_EXISTS', `${req.name} is deprecated already`, {
      hint: `'mvgit history ${req.name}' shows when and by whom`,
    });
  const commit = artifact.latest?.commit ?? artifact.events[artifact.events.length - 1].commit;
  const tag = `${req.name}@deprecated`;
  createTag(repo, tag, commit, req.message ?? `Deprecating artifact '${req.name}'`);
  return { tags: [tag], pushedTo: req.push ? pushTags(repo, [tag]) : undefined, name: req.name };
}
