import { findRepo } from '../core/repo/repo.js';
import { buildReport, type Report } from '../core/review/report.js';
import { diffRevisions, type DiffResult } from '../core/review/revisions.js';
import { showArtifact, type ArtifactDetails } from '../core/review/show.js';
import type { CommonOptions } from './session.js';

export interface DiffOptions extends CommonOptions {
  /** The older side (default: HEAD). */
  from?: string;
  /** The newer side (default: the work tree's pointers). */
  to?: string;
  /** Only these artifacts or folders, relative to `cwd`. */
  paths?: string[];
}

/**
 * `mvgit diff`: every artifact added, modified, removed or renamed between two revisions (or a
 * revision and the work tree), with size, metric deltas judged by direction, params, inputs
 * and a folder's changed files. History and the cache only: it works before `mvgit init`.
 * @example
 * const { artifacts } = await diff({ from: 'main', to: 'HEAD' });
 * const worse = artifacts.flatMap((a) => a.metrics).filter((m) => m.regression);
 */
export async function diff(options: DiffOptions = {}): Promise<DiffResult> {
  const { from, to, paths, cwd } = options;
  return diffRevisions(findRepo(cwd), { from, to, paths, cwd });
}

export interface ShowOptions extends CommonOptions {
  /** The artifact (or its pointer), relative to `cwd`. */
  path: string;
  /** The revision to read its pointer at (default: the work tree). */
  rev?: string;
}

/**
 * `mvgit show PATH`: one version of an artifact with all its metadata (params flattened to
 * `a.b.c`) and the commit and tags that recorded it.
 * @example const v = await show({ path: 'models/churn.pkl', rev: 'v1.0' })
 */
export async function show(options: ShowOptions): Promise<ArtifactDetails> {
  return showArtifact(findRepo(options.cwd), options.path, { rev: options.rev, cwd: options.cwd });
}

export interface ReportOptions extends CommonOptions {
  /** Compare from here (default: the merge-base of `head` with the default remote's default branch). */
  base?: string;
  /** Compare up to here (default: HEAD). */
  head?: string;
}

/**
 * `mvgit report`: what a branch changes in its artifacts, for a pull request: counts, the
 * biggest metric change, one section per artifact and each metric's history on the head
 * branch. From pointers alone: no remote, no secrets.
 * @example
 * const r = await report({ base: 'main' });
 * console.log(`${r.summary.models} models changed`, r.summary.biggest?.metric);
 */
export async function report(options: ReportOptions = {}): Promise<Report> {
  return buildReport(findRepo(options.cwd), { base: options.base, head: options.head });
}
