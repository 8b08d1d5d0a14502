import type { ArtifactKind, PointerMeta } from '../core/pointer/pointer.js';
import { addPaths, addTracked, type AddedArtifact } from '../core/workspace/add.js';
import { checkout as checkoutHere, type RestoreOutcome } from '../core/workspace/checkout.js';
import { checkoutRev as checkoutAt, type CheckoutRevResult } from '../core/workspace/checkout-rev.js';
import { status as statusOf, type ArtifactStatus } from '../core/workspace/status.js';
import { addRules, removeRules } from '../core/workspace/track.js';
import { findRepo } from '../core/repo/repo.js';
import type { LinkMode, TrackingRule } from '../core/repo/config.js';
import { type CommonOptions, workspaceFor } from './session.js';

export interface AddOptions extends CommonOptions {
  /** Files and folders to record; none: everything the tracking rules match that changed. */
  paths?: string[];
  kind?: ArtifactKind;
  /** Merged into the pointer's meta: description, framework, params, metrics, inputs. */
  meta?: PointerMeta;
  /** Record content an older commit already recorded as the newest version anyway. */
  force?: boolean;
  link?: LinkMode;
}

/**
 * `mvgit add`: stores files and folders in the cache and writes their pointers.
 * @example await add({ paths: ['models/churn.pkl'], kind: 'model', meta: { metrics: { auc: 0.96 } } })
 */
export async function add(options: AddOptions = {}): Promise<AddedArtifact[]> {
  const ws = await workspaceFor(options);
  const { paths, ...rest } = options;
  return paths && paths.length > 0 ? addPaths(ws, paths, rest) : addTracked(ws, rest);
}

export interface StatusOptions extends CommonOptions {
  /** Only these artifacts (or the ones under these folders). */
  paths?: string[];
}

/** `mvgit status`: each artifact up to date, modified, missing, or not in the cache. */
export async function status(options: StatusOptions = {}): Promise<ArtifactStatus[]> {
  return statusOf(await workspaceFor(options), options);
}

export interface CheckoutOptions extends CommonOptions {
  /** Only these artifacts. */
  paths?: string[];
  /** Replace work-tree files whose content is not in the cache. Never reaches outside an artifact. */
  force?: boolean;
  link?: LinkMode;
}

/** `mvgit checkout [PATH...]`: makes the work tree hold what the pointers say, from the cache. */
export async function checkout(options: CheckoutOptions = {}): Promise<RestoreOutcome[]> {
  return checkoutHere(await workspaceFor(options), options);
}

export interface CheckoutRevOptions extends CheckoutOptions {
  /** A commit, branch or tag (anything git understands: HEAD~2, v1^{}). */
  rev: string;
  /** Write the one selected artifact here instead of in place: an old model beside today's. */
  out?: string;
}

/**
 * `mvgit checkout REV [-- PATH...] [-o OUT]`: artifacts as they were at a revision.
 * @example await checkoutRev({ rev: 'v1', paths: ['models/churn.pkl'], out: 'churn-v1.pkl' })
 */
export async function checkoutRev(options: CheckoutRevOptions): Promise<CheckoutRevResult> {
  return checkoutAt(await workspaceFor(options), options);
}

export interface TrackOptions extends CommonOptions {
  /** Glob patterns, relative to the repository's top (`models/*.pkl`). */
  patterns: string[];
  kind?: ArtifactKind;
}

/** `mvgit track`: files matching these patterns are recorded on every commit (the pre-commit hook). */
export async function track(options: TrackOptions): Promise<TrackingRule[]> {
  return addRules(findRepo(options.cwd), options.patterns, options.kind);
}

/** `mvgit untrack`: removes tracking rules; artifacts already recorded stay. */
export async function untrack(
  options: CommonOptions & { patterns: string[] },
): Promise<{ removed: string[]; unknown: string[] }> {
  return removeRules(findRepo(options.cwd), options.patterns);
}
