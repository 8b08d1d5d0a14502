/**
 * `mvgit promote`, `rollback`, `unassign`: stage events, as GTO's `NAME#STAGE#N` and
 * `NAME#STAGE!#N` tags. A rollback is a new assignment of the version the stage held before,
 * whose message carries a marker line, so the history says who rolled back, when and why, and
 * the next rollback goes one further back.
 */
import { MvgitError } from '../../base/errors.js';
import { lookupRegistryRef } from '../history/registry-lookup.js';
import { type ArtifactState, type RegistryState, readRegistry, rollbackTarget } from '../history/registry-state.js';
import { rollbackMarker } from '../history/registry-tags.js';
import type { Repo } from '../repo/repo.js';
import { checkStage, createTag, nextCounter, normalizeVersion, pushTags, type RegistryWrite } from './tags.js';

export interface StageResult extends RegistryWrite {
  name: string;
  stage: string;
  /** The version the stage holds now (null after an unassignment). */
  version: string | null;
  /** The version it held before. */
  previous: string | null;
  commit: string | null;
}

interface StageRequest {
  name: string;
  stage: string;
  message?: string;
  push?: boolean;
}

/**
 * Assigns `stage` to a registered version.
 * @example await promote(repo, { name: 'churn', version: '0.2.0', stage: 'prod' })
 */
export async function promote(repo: Repo, req: StageRequest & { version: string }): Promise<StageResult> {
  await checkStage(repo, req.stage);
  const state = readRegistry(repo);
  const version = normalizeVersion(req.version);
  const hit = lookupRegistryRef(state, `${req.name}@${version}`);
  const artifact = state.artifacts.get(req.name) as ArtifactState;
  const held = artifact.stages.find((s) => s.stage === req.stage);
  if (held?.version === version)
    throw new MvgitError('REGISTRY_UNCHANGED', `${req.name}#${req.stage} holds ${version} already`, {
      hint: `'mvgit history ${req.name}' shows when it was assigned`,
      data: { name: req.name, stage: req.stage, version },
    });
  const tag = assignTag(state, req.name, req.stage);
  createTag(
    repo,
    tag,
    hit.commit,
    req.message ?? `Assigning stage ${req.stage} to artifact ${req.name} version ${version}`,
  );
  return {
    tags: [tag],
    pushedTo: req.push ? pushTags(repo, [tag]) : undefined,
    name: req.name,
    stage: req.stage,
    version,
    previous: held?.version ?? null,
    commit: hit.commit,
  };
}

/** Assigns `stage` to the version it held immediately before its current one. */
export async function rollback(repo: Repo, req: StageRequest): Promise<StageResult> {
  const state = readRegistry(repo);
  const artifact = heldStage(state, req.name, req.stage);
  const current = artifact.stages.find((s) => s.stage === req.stage);
  const target = rollbackTarget(artifact, req.stage);
  if (!current || !target)
    throw new MvgitError(
      'REGISTRY_NO_ROLLBACK',
      `${req.name}#${req.stage} held no other version before ${current?.version ?? 'now'}: nothing to roll back to`,
      {
        hint: `assign a version explicitly: mvgit promote ${req.name} VERSION ${req.stage} ('mvgit show ${req.name}' lists them)`,
        data: { name: req.name, stage: req.stage },
      },
    );
  const commit = artifact.allVersions.get(target)?.commit ?? target;
  const tag = assignTag(state, req.name, req.stage);
  const first =
    req.message ?? `Rolling back stage ${req.stage} of artifact ${req.name} from ${current.version} to ${target}`;
  createTag(repo, tag, commit, `${first}\n\n${rollbackMarker(current.version, target)}`);
  return {
    tags: [tag],
    pushedTo: req.push ? pushTags(repo, [tag]) : undefined,
    name: req.name,
    stage: req.stage,
    version: target,
    previous: current.version,
    commit,
  };
}

/**
 * Empties `stage`: one unassignment per version GTO counts as assigned there, so GTO too sees
 * the stage empty rather than falling back to an older assignment.
 */
export async function unassign(repo: Repo, req: StageRequest): Promise<StageResult> {
  const state = readRegistry(repo);
  const artifact = heldStage(state, req.name, req.stage);
  const current = artifact.stages.find((s) => s.stage === req.stage);
  if (!current) throw new MvgitError('INTERNAL', 'stage vanished');
  const first = nextCounter(state, req.name);
  const tags: string[] = [];
  // Newest first, so the current version's unassignment is the first event a reader meets.
  for (const [i, version] of [...current.assigned].reverse().entries()) {
    const tag = `${req.name}#${req.stage}!#${first + i}`;
    const commit = artifact.allVersions.get(version)?.commit ?? version;
    createTag(
      repo,
      tag,
      commit,
      req.message ?? `Unassigning stage '${req.stage}' to artifact '${req.name}' version '${version}'`,
    );
    tags.push(tag);
  }
  return {
    tags,
    pushedTo: req.push ? pushTags(repo, tags) : undefined,
    name: req.name,
    stage: req.stage,
    version: null,
    previous: current.version,
    commit: null,
  };
}

/** The artifact, when `stage` holds a version of it; the registry's unknown-name/stage errors otherwise. */
function heldStage(state: RegistryState, name: string, stage: string): ArtifactState {
  lookupRegistryRef(state, `${name}#${stage}`);
  return state.artifacts.get(name) as ArtifactState;
}

function assignTag(state: RegistryState, name: string, stage: string): string {
  return `${name}#${stage}#${nextCounter(state, name)}`;
}
