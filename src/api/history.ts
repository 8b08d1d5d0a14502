import { commit as commitWith, type CommitResult } from '../core/hooks/commit.js';
import { artifactLog, type ArtifactVersion } from '../core/history/log.js';
import { findRepo } from '../core/repo/repo.js';
import type { CommonOptions } from './session.js';

export interface LogOptions extends CommonOptions {
  /** The artifact (or its pointer), relative to `cwd`. */
  path: string;
  /** At most this many versions, newest first. */
  limit?: number;
  /** Walk history from here instead of HEAD. */
  rev?: string;
}

/**
 * `mvgit log PATH`: every version of one artifact, newest first, with its commit, size,
 * params and metrics.
 * @example const [latest, previous] = await log({ path: 'models/churn.pkl', limit: 2 })
 */
export async function log(options: LogOptions): Promise<ArtifactVersion[]> {
  return artifactLog(findRepo(options.cwd), options.path, options);
}

export interface CommitOptions extends CommonOptions {
  /** Arguments for `git commit` (`['-m', 'retrain']`). */
  args: string[];
}

/** `mvgit commit`: records what the tracking rules match, then runs `git commit` with `args`. */
export async function commit(options: CommitOptions): Promise<CommitResult> {
  return commitWith(options.args, { cwd: options.cwd, onProgress: options.onProgress, stdio: 'pipe' });
}
