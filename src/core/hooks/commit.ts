import { spawn, type StdioOptions } from 'node:child_process';
import type { OnProgress } from '../repo/workspace.js';
import { MvgitError } from '../../base/errors.js';
import { preCommit, type PreCommitResult } from './pre-commit.js';
import { missingHooks } from './wiring.js';
import { findRepo } from '../repo/repo.js';

export interface CommitOptions {
  cwd?: string;
  onProgress?: OnProgress;
  /** How git's own output reaches the user; 'inherit' lets git open the editor on the terminal. */
  stdio?: StdioOptions;
}

export interface CommitResult {
  /** What recording and staging did before git ran (as the pre-commit hook reports it). */
  recorded: PreCommitResult;
  /** git commit's exit status. */
  gitStatus: number;
}

/**
 * `mvgit commit [git commit options]`: records the artifacts and stages their pointers (the
 * pre-commit hook's work, so a commit whose only change is a retrained model is not dropped by
 * git), then runs `git commit` with the options untouched. The hook runs again inside git and
 * finds nothing left to do.
 *
 * @example await commit(['-am', 'retrain with more data'])
 */
export async function commit(gitArgs: string[], options: CommitOptions = {}): Promise<CommitResult> {
  // git runs next with the pointers already staged, so it sees them: no reason to stop.
  // With the pre-commit hook installed, git's run of it checks the lineage: not twice.
  const hooked = !missingHooks(findRepo(options.cwd)).includes('pre-commit');
  const recorded = await preCommit({
    cwd: options.cwd,
    onProgress: options.onProgress,
    stopDroppedCommit: false,
    checkLineage: !hooked,
  });
  const gitStatus = await new Promise<number>((resolve, reject) => {
    const child = spawn('git', ['commit', ...gitArgs], { cwd: options.cwd, stdio: options.stdio ?? 'inherit' });
    child.on('error', (err) =>
      reject(
        new MvgitError('GIT_FAILED', `could not run git: ${err.message}`, {
          hint: 'is git installed and on PATH?',
          cause: err,
        }),
      ),
    );
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  return { recorded, gitStatus };
}
