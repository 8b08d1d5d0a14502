/**
 * Registry references (GTO's shortcuts): `churn@v1.2.0`, `churn@latest` (or `@greatest`, the
 * highest version), `churn#prod` (the version the stage holds), resolved to a commit through the
 * tags. Synchronous, so `resolveRev` accepts them wherever a revision is accepted.
 */
import { MvgitError } from '../../base/errors.js';
import type { GitDir } from '../../adapters/git/run.js';
import { SEMVER_SOURCE } from './semver.js';
import { type ArtifactState, type RegistryState, readRegistry } from './registry-state.js';
import { registryTagPrefix } from './registry-tags.js';

const NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?';
/** gto/constants.py shortcut_re. */
const SHORTCUT_RE = new RegExp(
  `^(?<name>(?:[a-zA-Z0-9\\-_./]+:)?${NAME})(?:#(?<stage>${NAME})|@(?<version>latest|greatest|v${SEMVER_SOURCE}))$`,
);

export interface RegistryRef {
  name: string;
  /** `vX.Y.Z`, or null for a stage or latest. */
  version: string | null;
  stage: string | null;
  latest: boolean;
}

/** Reads a registry reference; null when the text is not one. */
export function parseRegistryRef(text: string): RegistryRef | null {
  const m = SHORTCUT_RE.exec(text);
  if (!m?.groups) return null;
  const { name, stage, version } = m.groups;
  const latest = version === 'latest' || version === 'greatest';
  return { name, version: version && !latest ? version : null, stage: stage ?? null, latest };
}

/** What a registry reference names. */
export interface RegistryHit {
  name: string;
  /** The version (`vX.Y.Z`); for a stage assigned to an unregistered commit, null. */
  version: string | null;
  stage: string | null;
  commit: string;
  /** The tag that decided it: the registration, or the stage's assignment. */
  tag: string;
}

/** Finds what `ref` names in `state`, or throws REGISTRY_UNKNOWN_* with a hint. */
export function lookupRegistryRef(state: RegistryState, text: string): RegistryHit {
  const ref = parseRegistryRef(text);
  if (!ref)
    throw new MvgitError('REV_NOT_FOUND', `'${text}' is not a registry reference`, {
      hint: 'write NAME@vX.Y.Z, NAME@latest or NAME#STAGE',
    });
  const artifact = state.artifacts.get(ref.name);
  if (!artifact) throw unknownName(state, ref.name);
  if (ref.stage !== null) {
    const held = artifact.stages.find((s) => s.stage === ref.stage);
    if (!held) throw unknownStage(artifact, ref.stage);
    return {
      name: ref.name,
      version: held.version.startsWith('v') ? held.version : null,
      stage: ref.stage,
      commit: held.commit,
      tag: held.tag,
    };
  }
  const version = ref.latest ? artifact.latest : artifact.versions.find((v) => v.version === ref.version);
  if (!version) throw unknownVersion(artifact, ref.latest ? 'latest' : (ref.version ?? ''));
  return { name: ref.name, version: version.version, stage: null, commit: version.commit, tag: version.tag };
}

/**
 * The registry as far as `text` (a registry reference) needs it: only its artifact's tags are
 * read (readRegistry's prefix), which is all lookupRegistryRef uses, save when the artifact is
 * unknown: then every tag, so that the error lists every known name.
 */
export function registryFor(repo: GitDir, text: string): RegistryState {
  const ref = parseRegistryRef(text);
  if (ref) {
    const state = readRegistry(repo, registryTagPrefix(ref.name));
    if (state.artifacts.has(ref.name)) return state;
  }
  return readRegistry(repo);
}

/** The commit a registry reference names in `repo`, or null when the registry knows no such name. */
export function registryCommit(repo: GitDir, text: string): string | null {
  const ref = parseRegistryRef(text);
  if (!ref) return null;
  // Only the artifact's own tags: it is in the registry exactly when it is in this part of it.
  const state = readRegistry(repo, registryTagPrefix(ref.name));
  if (!state.artifacts.has(ref.name)) return null;
  return lookupRegistryRef(state, text).commit;
}

function list(items: string[], none: string): string {
  if (items.length === 0) return none;
  return items.length > 8 ? `${items.slice(0, 8).join(', ')}, ...` : items.join(', ');
}

function unknownName(state: RegistryState, name: string): MvgitError {
  const known = [...state.artifacts.keys()];
  return new MvgitError('REGISTRY_UNKNOWN_NAME', `no artifact named '${name}' in the registry`, {
    hint:
      known.length > 0
        ? `known artifacts: ${list(known, '')} (mvgit ls)`
        : `nothing is registered yet: mvgit version ${name} registers the first version`,
    data: { name, known },
  });
}

function unknownVersion(artifact: ArtifactState, version: string): MvgitError {
  const versions = artifact.versions.map((v) => v.version);
  const gone = artifact.allVersions.get(version);
  const message =
    version === 'latest'
      ? `${artifact.name} has no registered version`
      : gone && !gone.active
        ? `${artifact.name}@${version} was deregistered`
        : `${artifact.name} has no version ${version}`;
  return new MvgitError('REGISTRY_UNKNOWN_VERSION', message, {
    hint: `its versions: ${list(versions, 'none')} (mvgit show ${artifact.name})`,
    data: { name: artifact.name, version, versions },
  });
}

function unknownStage(artifact: ArtifactState, stage: string): MvgitError {
  const stages = artifact.stages.map((s) => `${s.stage} (${s.version})`);
  return new MvgitError('REGISTRY_UNKNOWN_STAGE', `${artifact.name} has no version in stage '${stage}'`, {
    hint:
      stages.length > 0
        ? `its stages: ${list(stages, '')}; assign one with mvgit promote ${artifact.name} VERSION ${stage}`
        : `no stage is assigned yet: mvgit promote ${artifact.name} VERSION ${stage}`,
    data: { name: artifact.name, stage, stages: artifact.stages.map((s) => s.stage) },
  });
}
