import type { OnProgress } from '../repo/workspace.js';
import { findRepo } from '../repo/repo.js';
import { operationInProgress } from './unchanged-check.js';
import { syncWorkTree, type SyncResult } from './sync.js';

/**
 * The post-checkout hook: git passes the previous HEAD, the new HEAD and 1 for a branch
 * checkout (0 for `git checkout -- FILE`, which leaves pointers to the user). Stands aside
 * during a rebase, whose own checkouts are followed by post-rewrite once it is done.
 */
export async function postCheckout(
  args: string[],
  options: { cwd?: string; onProgress?: OnProgress } = {},
): Promise<SyncResult> {
  const [from, to, flag] = args;
  if (flag !== '1') return { skipped: 'file checkout' };
  const repo = findRepo(options.cwd);
  if (operationInProgress(repo.gitDir, ['rebase'])) return { skipped: 'rebase in progress' };
  return syncWorkTree(repo, from ?? null, to ?? 'HEAD', options.onProgress);
}
