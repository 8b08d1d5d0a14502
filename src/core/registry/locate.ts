/**
 * Where each artifact is at the commit a registry event names, for listings: the work tree's
 * names are tried first with one `git cat-file` for all of them, and only an artifact they miss
 * (renamed since, or no longer in the work tree) is looked up at its commit. A listing of every
 * artifact thus costs a few git calls however many tags there are.
 */
import { catFile } from '../../adapters/git/cat-file.js';
import { listPointerFiles } from '../../adapters/git/run.js';
import { nameArtifacts } from '../history/registry-names.js';
import { pathAt } from '../history/registry-ref.js';
import { artifactPathOf, parsePointer, POINTER_SUFFIX, type Pointer, pointerPathFor } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import { workTreeArtifactsMap } from './names.js';

export interface Located {
  path: string;
  pointer: Pointer;
}

/** The path and pointer of each `{ name, commit }`, by name; null where it cannot be found or read. */
export async function locateArtifacts(
  repo: Repo,
  targets: { name: string; commit: string }[],
): Promise<Map<string, Located | null>> {
  const out = new Map<string, Located | null>();
  if (targets.length === 0) return out;
  let guesses = new Map<string, string>();
  try {
    const workPaths = listPointerFiles(repo).map((p) => p.slice(0, -POINTER_SUFFIX.length));
    guesses = nameArtifacts(workPaths, await workTreeArtifactsMap(repo));
  } catch {
    // a bad work-tree config or a name clash there: every artifact is looked up at its commit
  }
  const guessed = targets.filter((t) => guesses.has(t.name));
  const objects = catFile(
    repo,
    guessed.map((t) => `${t.commit}:${pointerPathFor(guesses.get(t.name) as string)}`),
  );
  guessed.forEach((t, i) => {
    const located = readPointer(objects[i]?.type === 'blob' ? objects[i]?.data : undefined, guesses.get(t.name));
    if (located) out.set(t.name, located);
  });
  for (const t of targets) {
    if (out.has(t.name)) continue;
    try {
      const path = await pathAt(repo, t.commit, t.name);
      const [object] = catFile(repo, [`${t.commit}:${pointerPathFor(path)}`]);
      out.set(t.name, readPointer(object?.type === 'blob' ? object.data : undefined, path));
    } catch {
      out.set(t.name, null);
    }
  }
  return out;
}

function readPointer(data: Buffer | undefined, path: string | undefined): Located | null {
  if (!data || path === undefined) return null;
  try {
    const pointerPath = pointerPathFor(path);
    const pointer = parsePointer(data.toString('utf8'), pointerPath);
    return { path: artifactPathOf(pointerPath, pointer), pointer };
  } catch {
    return null;
  }
}
