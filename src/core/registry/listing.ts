/**
 * Reading the registry for people and scripts: `mvgit ls` (every artifact, its latest version,
 * its stages, the latest version's key metrics), `mvgit history` (every event, newest first),
 * `mvgit show NAME` (one artifact's versions) and `mvgit check-ref TAG` (what a pushed tag means).
 */
import { MvgitError } from '../../base/errors.js';
import type { ArtifactKind } from '../pointer/pointer.js';
import { lookupRegistryRef } from '../history/registry-lookup.js';
import { type ArtifactState, type RegistryState, readRegistry } from '../history/registry-state.js';
import {
  parseRegistryTag,
  type RegistryEvent,
  type RegistryWarning,
  registryTagPrefix,
} from '../history/registry-tags.js';
import { git } from '../../adapters/git/run.js';
import type { Repo } from '../repo/repo.js';
import { locateArtifacts } from './locate.js';

export interface ArtifactSummary {
  name: string;
  kind: ArtifactKind | null;
  path: string | null;
  latest: string | null;
  /** Stage -> the version it holds. */
  stages: Record<string, string>;
  /** The latest version's metrics (as its pointer records them). */
  metrics: Record<string, unknown>;
  deprecated: boolean;
  /** How many versions are registered. */
  versions: number;
}

/** `mvgit ls`: every artifact in the registry, by name. */
export async function listArtifacts(
  repo: Repo,
): Promise<{ artifacts: ArtifactSummary[]; warnings: RegistryWarning[] }> {
  const state = readRegistry(repo);
  const all = [...state.artifacts.values()];
  const located = await locateArtifacts(
    repo,
    all.map((a) => ({ name: a.name, commit: a.latest?.commit ?? a.stages[0]?.commit ?? a.events[0].commit })),
  );
  const artifacts = all.map((a): ArtifactSummary => {
    const at = located.get(a.name) ?? null;
    return {
      name: a.name,
      kind: at?.pointer.kind ?? null,
      path: at?.path ?? null,
      latest: a.latest?.version ?? null,
      stages: Object.fromEntries(a.stages.map((s) => [s.stage, s.version])),
      metrics: (a.latest && at?.pointer.meta?.metrics) || {},
      deprecated: a.deprecated,
      versions: a.versions.length,
    };
  });
  return { artifacts, warnings: state.warnings };
}

export type HistoryEventName =
  | 'registration'
  | 'deregistration'
  | 'assignment'
  | 'unassignment'
  | 'deprecation'
  | 'rollback';

/** One line of the registry's history. */
export interface HistoryEntry {
  /** ISO 8601, UTC. */
  time: string;
  name: string;
  event: HistoryEventName;
  version: string | null;
  stage: string | null;
  commit: string;
  author: string;
  authorEmail: string;
  message: string;
  tag: string;
  /** For a rollback: the version the stage left. */
  from?: string;
}

const EVENT_NAMES: Record<RegistryEvent['action'], HistoryEventName> = {
  register: 'registration',
  deregister: 'deregistration',
  assign: 'assignment',
  unassign: 'unassignment',
  deprecate: 'deprecation',
};

/** `mvgit history [NAME]`: every event, newest first. */
export function registryHistory(repo: Repo, name?: string): { events: HistoryEntry[]; warnings: RegistryWarning[] } {
  // One artifact's history: its events only, but every warning, as the whole history lists them.
  const state = name === undefined ? readRegistry(repo) : readRegistry(repo, registryTagPrefix(name), true);
  if (name !== undefined && !state.artifacts.has(name)) lookupRegistryRef(readRegistry(repo), `${name}@latest`);
  const artifacts = name === undefined ? [...state.artifacts.values()] : [state.artifacts.get(name) as ArtifactState];
  const entries = artifacts.flatMap((a) => a.events.map((e) => historyEntry(a, e)));
  const order = new Map(state.events.map((e, i) => [e.tag, i]));
  entries.sort((x, y) => (order.get(y.tag) ?? 0) - (order.get(x.tag) ?? 0));
  return { events: entries, warnings: state.warnings };
}

function historyEntry(a: ArtifactState, e: RegistryEvent): HistoryEntry {
  const staged = e.action === 'assign' || e.action === 'unassign';
  return {
    time: new Date(e.time * 1000).toISOString().replace('.000Z', 'Z'),
    name: e.name,
    event: e.rollback ? 'rollback' : EVENT_NAMES[e.action],
    version: e.version ?? (staged ? a.versionAt(e.commit) : null),
    stage: e.stage,
    commit: e.commit,
    author: e.author,
    authorEmail: e.authorEmail,
    message: e.message,
    tag: e.tag,
    ...(e.rollback ? { from: e.rollback.from } : {}),
  };
}

/** One artifact's registry view: its versions (highest first) with the stages each holds. */
export interface ArtifactRegistryView {
  name: string;
  path: string | null;
  kind: ArtifactKind | null;
  latest: string | null;
  deprecated: boolean;
  versions: { version: string; commit: string; time: string; author: string; message: string; stages: string[] }[];
  stages: { stage: string; version: string; since: string; tag: string }[];
  warnings: RegistryWarning[];
}

/** `mvgit show NAME`: the artifact's versions and stages. */
export async function describeArtifact(repo: Repo, name: string): Promise<ArtifactRegistryView> {
  // Its own tags hold every event and every warning shown (those of tags that start with the name).
  const state = readRegistry(repo, registryTagPrefix(name));
  const a = state.artifacts.get(name);
  if (!a) {
    lookupRegistryRef(readRegistry(repo), `${name}@latest`);
    throw new MvgitError('INTERNAL', `no artifact ${name}`);
  }
  const at = (await locateArtifacts(repo, [{ name, commit: a.latest?.commit ?? a.events[0].commit }])).get(name);
  const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
  return {
    name,
    path: at?.path ?? null,
    kind: at?.pointer.kind ?? null,
    latest: a.latest?.version ?? null,
    deprecated: a.deprecated,
    versions: a.versions.map((v) => ({
      version: v.version,
      commit: v.commit,
      time: iso(v.time),
      author: v.author,
      message: v.message,
      stages: a.stages.filter((s) => s.version === v.version).map((s) => s.stage),
    })),
    stages: a.stages.map((s) => ({ stage: s.stage, version: s.version, since: iso(s.time), tag: s.tag })),
    warnings: state.warnings.filter((w) => w.tag.startsWith(name)),
  };
}

/** What a tag means, for a deploy job that a tag push started. */
export interface TagMeaning {
  tag: string;
  /** False for a tag that is not a registry tag (the job should do nothing). */
  registry: boolean;
  name?: string;
  event?: HistoryEventName;
  version?: string | null;
  stage?: string | null;
  commit?: string;
  /** For a malformed registry tag: why it was ignored. */
  problem?: string;
  /** For a rollback: the version the stage left. */
  from?: string;
}

/**
 * `mvgit check-ref TAG`: the event a tag records. Accepts `refs/tags/NAME` as CI gives it;
 * a tag that does not exist is REV_NOT_FOUND.
 */
export function checkRef(repo: Repo, ref: string, state?: RegistryState): TagMeaning {
  const tag = ref.replace(/^refs\/tags\//, '');
  // The tag's artifact is all its meaning depends on (the version a stage's commit holds): only
  // that artifact's tags are read, or only the tag itself when it is not a registry tag.
  const parsed = parseRegistryTag(tag);
  state ??= readRegistry(repo, parsed ? registryTagPrefix(parsed.name) : tag);
  const event = state.events.find((e) => e.tag === tag);
  if (event) {
    const artifact = state.artifacts.get(event.name) as ArtifactState;
    const entry = historyEntry(artifact, event);
    return {
      tag,
      registry: true,
      name: entry.name,
      event: entry.event,
      version: entry.version,
      stage: entry.stage,
      commit: entry.commit,
      ...(entry.from ? { from: entry.from } : {}),
    };
  }
  const warning = state.warnings.find((w) => w.tag === tag);
  if (warning) return { tag, registry: false, problem: warning.problem };
  const exists = git(repo, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}`], { allowFail: true }).trim();
  if (!exists)
    throw new MvgitError('REV_NOT_FOUND', `tag '${tag}' does not exist`, {
      hint: "fetch the tags first (git fetch --tags), or see 'git tag'",
      data: { tag },
    });
  return { tag, registry: false };
}
