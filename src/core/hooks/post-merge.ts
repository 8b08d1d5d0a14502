import type { OnProgress } from '../repo/workspace.js';
import { findRepo } from '../repo/repo.js';
import { revOrNull } from './changes.js';
import { syncWorkTree, type SyncResult } from './sync.js';

/**
 * The post-merge hook (after `git merge` and `git pull`, fast-forwards included): restores
 * what changed between the HEAD before the merge (ORIG_HEAD) and now. A squash merge (argument
 * 1) leaves HEAD where it was and the result in the index, so that is what is compared.
 */
export async function postMerge(
  args: string[],
  options: { cwd?: string; onProgress?: OnProgress } = {},
): Promise<SyncResult> {
  const repo = findRepo(options.cwd);
  if (args[0] === '1') return syncWorkTree(repo, revOrNull(repo, 'HEAD'), 'index', options.onProgress);
  return syncWorkTree(repo, revOrNull(repo, 'ORIG_HEAD'), 'HEAD', options.onProgress);
}
