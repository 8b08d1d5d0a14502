import type { OnProgress } from '../repo/workspace.js';
import { findRepo } from '../repo/repo.js';
import { revOrNull } from './changes.js';
import { syncWorkTree, type SyncResult } from './sync.js';

/**
 * The post-rewrite hook. After `git rebase` (and `git pull --rebase`) the work tree went from
 * the HEAD before the rebase (ORIG_HEAD) to the rewritten one, with the checkouts on the way
 * skipped: restore what changed between the two. After `git commit --amend` the work tree
 * already holds what was committed: nothing to do.
 */
export async function postRewrite(
  args: string[],
  options: { cwd?: string; onProgress?: OnProgress } = {},
): Promise<SyncResult> {
  if (args[0] !== 'rebase') return { skipped: args[0] ?? 'no command' };
  const repo = findRepo(options.cwd);
  return syncWorkTree(repo, revOrNull(repo, 'ORIG_HEAD'), 'HEAD', options.onProgress);
}
