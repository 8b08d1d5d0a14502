/**
 * A warning (not a block) for a commit that changes a model whose recorded input is not the
 * input this same commit holds: the model was trained on other data than the commit says, or
 * the data moved on after training. Both oids are named so the user can tell which.
 */
import { readPointerFile } from '../history/work-tree-pointers.js';
import { artifactPathOf, isPointerPath, pointerPathFor, type Pointer } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';

/**
 * One warning per (changed pointer, input) pair that disagree. Pointers are read from the work
 * tree, which the hook has just staged from; an unreadable pointer is the other checks' business.
 */
export function lineageWarnings(repo: Repo, changedPaths: string[]): string[] {
  const read = (p: string): Pointer | null => {
    try {
      return readPointerFile(repo, p).pointer;
    } catch {
      return null;
    }
  };
  const warnings: string[] = [];
  for (const pointerPath of [...new Set(changedPaths.filter(isPointerPath))].sort()) {
    const pointer = read(pointerPath);
    if (!pointer?.meta?.inputs) continue;
    const artifact = artifactPathOf(pointerPath, pointer);
    for (const input of pointer.meta.inputs) {
      const now = read(pointerPathFor(input.path));
      if (!now || now.oid === input.oid) continue;
      warnings.push(
        `${artifact} was recorded from ${input.path} ${short(input.oid)}, but this commit holds ${input.path} ${short(now.oid)}: train ${artifact} again on it, or record what it was made from: mvgit add ${artifact} --input ${input.path}`,
      );
    }
  }
  return warnings;
}

function short(oid: string): string {
  return oid.replace(/^sha256:/, '').slice(0, 8);
}
