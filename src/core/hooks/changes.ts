import { git, splitZ } from '../../adapters/git/run.js';
import type { Repo } from '../repo/repo.js';

/** Every pointer file, at any depth (git pathspec magic, so one git call covers the tree). */
export const POINTER_PATHSPEC = ':(glob)**/*.mvgit.yaml';

/** Pointers that differ between two states of the repo. */
export interface PointerChanges {
  /** Pointer files added or changed: their artifacts must match them now. */
  present: string[];
  /** Pointer files that went away, with the revision that still has them (to learn the artifact's path). */
  gone: { pointerPath: string; rev: string }[];
}

/** True for git's all-zero oid (post-checkout after a clone, or a new worktree). */
export function isNullOid(oid: string): boolean {
  return /^0+$/.test(oid);
}

/**
 * Which pointer files differ between `from` and `to` (a commit, or 'index' for the staged
 * state, as a squash merge leaves it). Asking git for a diff limited to pointer files costs
 * one process and reads no blob, so a checkout that changes no pointer is nearly free.
 * `from` null (or the null oid) means "everything at `to`".
 */
export function changedPointers(repo: Repo, from: string | null, to: string): PointerChanges {
  if (from === null || isNullOid(from)) {
    const out =
      to === 'index'
        ? git(repo, ['ls-files', '-z', '--', POINTER_PATHSPEC])
        : git(repo, ['ls-tree', '-r', '-z', '--name-only', to, '--', '.']);
    return { present: splitZ(out).filter((p) => p.endsWith('.mvgit.yaml')), gone: [] };
  }
  const range = to === 'index' ? ['--cached', from] : [from, to];
  const fields = splitZ(git(repo, ['diff', '--name-status', '-z', '--no-renames', ...range, '--', POINTER_PATHSPEC]));
  const changes: PointerChanges = { present: [], gone: [] };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [status, p] = [fields[i], fields[i + 1]];
    if (status === 'D') changes.gone.push({ pointerPath: p, rev: from });
    else changes.present.push(p);
  }
  return changes;
}

/** The commit a name points to, or null (ORIG_HEAD before any merge, HEAD in an empty repo). */
export function revOrNull(repo: Repo, name: string): string | null {
  const out = git(repo, ['rev-parse', '-q', '--verify', `${name}^{commit}`], { allowFail: true }).trim();
  return /^[0-9a-f]{40,64}$/.test(out) ? out : null;
}
