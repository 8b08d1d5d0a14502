import type { OnProgress } from '../repo/workspace.js';
import type { Repo } from '../repo/repo.js';
import { changedPointers, type PointerChanges } from './changes.js';
import { hasPending } from '../workspace/restore-journal.js';
import type { RestoreReport } from './restore.js';

/** What a checkout-side hook did: nothing (and why), or a report of the work tree changes. */
export interface SyncResult {
  /** Why the hook stood aside: a file checkout, a rebase in progress, an amend... */
  skipped?: string;
  /** Absent when no pointer changed and nothing was left unfinished. */
  report?: RestoreReport;
}

/**
 * Brings the artifacts whose pointers differ between `from` and `to` in line with the work
 * tree's pointers, and finishes whatever a killed hook left. When no pointer changed and the
 * journal is empty this costs one `git diff` and loads nothing else.
 */
export async function syncWorkTree(
  repo: Repo,
  from: string | null,
  to: string,
  onProgress?: OnProgress,
): Promise<SyncResult> {
  const changes: PointerChanges =
    from !== null && from === to ? { present: [], gone: [] } : changedPointers(repo, from, to);
  if (changes.present.length === 0 && changes.gone.length === 0 && !hasPending(repo)) return {};
  const { openWorkspace } = await import('../repo/workspace.js');
  const { restoreArtifacts } = await import('./restore.js');
  const ws = await openWorkspace({ cwd: repo.root });
  return { report: await restoreArtifacts(ws, changes, onProgress) };
}
