/**
 * The registry's state, folded from its events the way GTO folds them (gto/base.py), so both
 * tools name the same version for a stage: a version is registered while its newest
 * register/deregister event is a registration; a stage holds, among the versions whose newest
 * event for that stage is an assignment, the one assigned most recently. A version assigned a
 * stage on a commit that no version names is known by that commit's oid, as in GTO.
 */
import type { GitDir } from '../../adapters/git/run.js';
import { compareSemVer, isSemVer } from './semver.js';
import { type RegistryEvent, type RegistryWarning, readRegistryEvents } from './registry-tags.js';

/** A registered version of an artifact. */
export interface RegisteredVersion {
  version: string;
  commit: string;
  /** The tag that registered it. */
  tag: string;
  time: number;
  author: string;
  message: string;
}

/** What a stage holds now, and the versions it held before. */
export interface StageState {
  stage: string;
  version: string;
  commit: string;
  /** The assignment tag that put the version there. */
  tag: string;
  time: number;
  /**
   * The versions the stage held, oldest first, current last: an assignment pushes, a rollback
   * pops, an unassignment takes its version out. A rollback goes to the entry under the top.
   */
  stack: string[];
  /** Every version whose newest event for this stage is an assignment, oldest first (GTO's active ones). */
  assigned: string[];
}

export interface ArtifactState {
  name: string;
  /** Registered versions, highest first (semver precedence). */
  versions: RegisteredVersion[];
  /** The highest registered version, or null. */
  latest: RegisteredVersion | null;
  /** Stages that hold a version, by stage name. */
  stages: StageState[];
  /** Every stage ever assigned, with its stack even when it holds nothing now. */
  stageHistory: Map<string, string[]>;
  deprecated: boolean;
  /** The artifact's events, oldest first. */
  events: RegistryEvent[];
  /** Every version ever registered (deregistered ones too), by version. */
  allVersions: Map<string, RegisteredVersion & { active: boolean }>;
  /** The version a commit holds (its oid when no version was registered there), as GTO names it. */
  versionAt: (commit: string) => string;
}

export interface RegistryState {
  /** By name, sorted. */
  artifacts: Map<string, ArtifactState>;
  /** All events, oldest first. */
  events: RegistryEvent[];
  warnings: RegistryWarning[];
}

/**
 * The registry of a repository (bare or not), from one `git for-each-ref` and one `git cat-file`.
 * With `prefix`, only the tags that start with it (readRegistryEvents): every artifact whose
 * tags all do is complete, and nothing else is there (but every warning with `allWarnings`).
 */
export function readRegistry(repo: GitDir, prefix?: string, allWarnings = false): RegistryState {
  const { events, warnings } = readRegistryEvents(repo, prefix, allWarnings);
  return buildRegistry(events, warnings);
}

/** Folds events (oldest first) into each artifact's state. Pure, for tests. */
export function buildRegistry(events: RegistryEvent[], warnings: RegistryWarning[] = []): RegistryState {
  const byName = new Map<string, RegistryEvent[]>();
  for (const e of events) {
    const list = byName.get(e.name);
    if (list) list.push(e);
    else byName.set(e.name, [e]);
  }
  const artifacts = new Map<string, ArtifactState>();
  for (const name of [...byName.keys()].sort()) artifacts.set(name, buildArtifact(name, byName.get(name) ?? []));
  return { artifacts, events, warnings };
}

function buildArtifact(name: string, events: RegistryEvent[]): ArtifactState {
  const allVersions = new Map<string, RegisteredVersion & { active: boolean }>();
  let deprecated = false;
  for (const e of events) {
    if (e.action === 'deprecate') deprecated = true;
    if (e.action === 'register' && e.version) {
      // A second registration of one version (a re-made tag) keeps the first's record, as GTO does.
      const known = allVersions.get(e.version);
      if (known) known.active = true;
      else
        allVersions.set(e.version, {
          version: e.version,
          commit: e.commit,
          tag: e.tag,
          time: e.time,
          author: e.author,
          message: e.message,
          active: true,
        });
    }
    if (e.action === 'deregister' && e.version) {
      const known = allVersions.get(e.version);
      if (known) known.active = false;
    }
  }
  const versionAt = versionByCommit(allVersions);
  // Per stage: the newest event of each version (assigned or not), and the stack of versions held.
  const assigned = new Map<string, Map<string, RegistryEvent | null>>();
  const stacks = new Map<string, string[]>();
  for (const e of events) {
    if ((e.action !== 'assign' && e.action !== 'unassign') || !e.stage) continue;
    const version = versionAt(e.commit);
    const perVersion = assigned.get(e.stage) ?? new Map<string, RegistryEvent | null>();
    assigned.set(e.stage, perVersion);
    const stack = stacks.get(e.stage) ?? [];
    stacks.set(e.stage, stack);
    if (e.action === 'unassign') {
      perVersion.set(version, null);
      for (let i = stack.length - 1; i >= 0; i--) if (stack[i] === version) stack.splice(i, 1);
      continue;
    }
    // A re-assignment of the version the stage holds changes nothing in the stack.
    perVersion.delete(version);
    perVersion.set(version, e);
    if (e.rollback && stack.length > 1 && stack[stack.length - 1] !== version) stack.pop();
    if (stack[stack.length - 1] !== version) stack.push(version);
  }
  const isActive = (version: string): boolean => allVersions.get(version)?.active ?? !isSemVer(version);
  const stages: StageState[] = [];
  for (const stage of [...assigned.keys()].sort()) {
    let current: [string, RegistryEvent] | null = null;
    const holders: string[] = [];
    for (const [version, e] of assigned.get(stage) ?? []) {
      // Map order is the order of each version's newest assignment, so the last one seen is the newest.
      if (e && isActive(version)) {
        current = [version, e];
        holders.push(version);
      }
    }
    if (!current) continue;
    const stack = (stacks.get(stage) ?? []).filter(isActive);
    stages.push({
      stage,
      version: current[0],
      commit: current[1].commit,
      tag: current[1].tag,
      time: current[1].time,
      stack,
      assigned: holders,
    });
  }
  const versions = [...allVersions.values()]
    .filter((v) => v.active)
    .map(({ active: _active, ...v }) => v)
    .sort((a, b) => compareSemVer(b.version, a.version));
  return {
    name,
    versions,
    latest: versions[0] ?? null,
    stages,
    stageHistory: stacks,
    deprecated,
    events,
    allVersions,
    versionAt,
  };
}

/** The version a commit holds: the active registration there, else any, else the commit itself. */
function versionByCommit(all: Map<string, RegisteredVersion & { active: boolean }>): (commit: string) => string {
  const at = new Map<string, string>();
  for (const v of [...all.values()].sort((a, b) => Number(a.active) - Number(b.active))) at.set(v.commit, v.version);
  return (commit) => at.get(commit) ?? commit;
}

/**
 * The version a rollback of `stage` assigns: the one the stage held immediately before its
 * current one, or null when it held none (still registered) before.
 */
export function rollbackTarget(artifact: ArtifactState, stage: string): string | null {
  const current = artifact.stages.find((s) => s.stage === stage);
  if (!current) return null;
  const stack = current.stack;
  // The top is the current version, unless hand-made tags moved the stage in a way no rollback recorded.
  const top = stack.lastIndexOf(current.version);
  for (let i = (top < 0 ? stack.length : top) - 1; i >= 0; i--) if (stack[i] !== current.version) return stack[i];
  return null;
}
