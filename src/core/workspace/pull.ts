import type { Scope } from '../history/scope.js';
import type { Workspace } from '../repo/workspace.js';
import type { TransferOptions, TransferReport } from '../transfer/transfer.js';
import { fetch } from '../transfer/fetch.js';
import { checkout, type RestoreOutcome } from './checkout.js';

export interface PullResult {
  fetch: TransferReport;
  restored: RestoreOutcome[];
}

/**
 * `mvgit pull`: fetch, then make the work tree match its pointers. The work tree's own
 * pointers are fetched too, since those are the ones restored.
 */
export async function pull(
  ws: Workspace,
  scope: Scope,
  options: TransferOptions & { force?: boolean } = {},
): Promise<PullResult> {
  const report = await fetch(ws, { ...scope, workTree: true }, options);
  if (options.dryRun) return { fetch: report, restored: [] };
  const restored = await checkout(ws, { paths: scope.paths, force: options.force, onProgress: options.onProgress });
  return { fetch: report, restored };
}
