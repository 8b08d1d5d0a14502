/**
 * The registry from Node: versions and stages of artifacts as GTO-compatible git tags.
 *
 * @example
 * import { version, promote, rollback, ls } from 'mvgit';
 * await version({ name: 'churn', message: 'retrained on May data' });   // churn@v0.1.0
 * await promote({ name: 'churn', version: '0.1.0', stage: 'prod', push: true });
 * await rollback({ name: 'churn', stage: 'prod' });
 */
import { type ResolvedArtifactRef, resolveArtifactRef } from '../core/history/registry-ref.js';
import { findRepo } from '../core/repo/repo.js';
import {
  type ArtifactRegistryView,
  type ArtifactSummary,
  checkRef as checkRefIn,
  describeArtifact,
  type HistoryEntry,
  listArtifacts,
  registryHistory,
  type TagMeaning,
} from '../core/registry/listing.js';
import {
  promote as promoteIn,
  rollback as rollbackIn,
  type StageResult,
  unassign as unassignIn,
} from '../core/registry/stages.js';
import type { RegistryWrite } from '../core/registry/tags.js';
import {
  deprecateArtifact,
  deregisterVersion,
  registerVersion,
  type VersionRequest,
  type VersionResult,
} from '../core/registry/version.js';
import type { RegistryWarning } from '../core/history/registry-tags.js';
import type { CommonOptions } from './session.js';

export type VersionOptions = CommonOptions & Omit<VersionRequest, 'cwd'>;

/** `mvgit version NAME`: registers a version (`NAME@vX.Y.Z`) of an artifact at a commit. */
export async function version(options: VersionOptions): Promise<VersionResult> {
  return registerVersion(findRepo(options.cwd), options);
}

export interface StageOptions extends CommonOptions {
  name: string;
  stage: string;
  message?: string;
  /** Push the new tags to the git remote (the pre-push hook uploads their objects). */
  push?: boolean;
}

/** `mvgit promote NAME VERSION STAGE`: assigns a stage to a registered version. */
export async function promote(options: StageOptions & { version: string }): Promise<StageResult> {
  return promoteIn(findRepo(options.cwd), options);
}

/** `mvgit rollback NAME STAGE`: assigns the stage to the version it held before (a new tag, never a deleted one). */
export async function rollback(options: StageOptions): Promise<StageResult> {
  return rollbackIn(findRepo(options.cwd), options);
}

/** `mvgit unassign NAME STAGE`: empties a stage. */
export async function unassign(options: StageOptions): Promise<StageResult> {
  return unassignIn(findRepo(options.cwd), options);
}

export interface ArtifactOptions extends CommonOptions {
  name: string;
  message?: string;
  push?: boolean;
}

/** `mvgit deregister NAME VERSION`. */
export async function deregister(
  options: ArtifactOptions & { version: string },
): Promise<RegistryWrite & { name: string; version: string }> {
  return deregisterVersion(findRepo(options.cwd), options);
}

/** `mvgit deprecate NAME`. */
export async function deprecate(options: ArtifactOptions): Promise<RegistryWrite & { name: string }> {
  return deprecateArtifact(findRepo(options.cwd), options);
}

/** `mvgit ls`: every artifact with its latest version, stages and key metrics. */
export async function ls(
  options: CommonOptions = {},
): Promise<{ artifacts: ArtifactSummary[]; warnings: RegistryWarning[] }> {
  return listArtifacts(findRepo(options.cwd));
}

/** `mvgit history [NAME]`: every registry event, newest first. */
export async function history(
  options: CommonOptions & { name?: string } = {},
): Promise<{ events: HistoryEntry[]; warnings: RegistryWarning[] }> {
  return registryHistory(findRepo(options.cwd), options.name);
}

/** `mvgit show NAME`: one artifact's versions and stages. */
export async function artifactVersions(options: CommonOptions & { name: string }): Promise<ArtifactRegistryView> {
  return describeArtifact(findRepo(options.cwd), options.name);
}

/** `mvgit check-ref TAG`: what a pushed tag means (artifact, event, version, stage). */
export async function checkRef(options: CommonOptions & { ref: string }): Promise<TagMeaning> {
  return checkRefIn(findRepo(options.cwd), options.ref);
}

/** A registry reference (`churn#prod`, `churn@v1.2.0`, `churn@latest`) in this repository: commit, version and path. */
export async function resolveRegistryRef(options: CommonOptions & { ref: string }): Promise<ResolvedArtifactRef> {
  return resolveArtifactRef(findRepo(options.cwd), options.ref);
}
