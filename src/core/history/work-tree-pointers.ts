import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { listPointerFiles } from '../../adapters/git/run.js';
import {
  artifactPathOf,
  MAX_POINTER_BYTES,
  parsePointer,
  pointerPathFor,
  serializePointer,
  type Pointer,
} from '../pointer/pointer.js';
import { PointerCache } from './pointer-cache.js';
import { absPath, toRepoPath, type Repo } from '../repo/repo.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/** A pointer file in the work tree and the artifact it describes. */
export interface TrackedArtifact {
  /** Repo path of the pointer file. */
  pointerPath: string;
  /** Repo path of the artifact. */
  path: string;
  pointer: Pointer;
}

/** Reads and validates one pointer file of the work tree (from the pointer cache when unchanged). */
export function readPointerFile(repo: Repo, pointerPath: string, cache?: PointerCache): TrackedArtifact {
  const file = absPath(repo, pointerPath);
  const st = fs.statSync(file, { throwIfNoEntry: false, bigint: true });
  if (!st)
    throw new MvgitError('NOT_TRACKED', `${pointerPath} does not exist`, {
      hint: "track the artifact with 'mvgit add PATH'",
    });
  const cached = cache?.get(pointerPath, st);
  if (cached) return { pointerPath, path: artifactPathOf(pointerPath, cached), pointer: cached };
  if (st.size > BigInt(MAX_POINTER_BYTES))
    throw new MvgitError('POINTER_INVALID', `${pointerPath}: file is ${st.size} bytes; a pointer is a few hundred`, {
      hint: `restore it from git: git checkout -- ${pointerPath}`,
      data: { file: pointerPath },
    });
  const pointer = parsePointer(fs.readFileSync(file, 'utf8'), pointerPath);
  cache?.set(pointerPath, st, pointer);
  return { pointerPath, path: artifactPathOf(pointerPath, pointer), pointer };
}

/** The pointer of an artifact path if one exists, else null. */
export function findArtifact(repo: Repo, artifactPath: string): TrackedArtifact | null {
  const pointerPath = pointerPathFor(artifactPath);
  if (!fs.existsSync(absPath(repo, pointerPath))) return null;
  return readPointerFile(repo, pointerPath);
}

/** Every artifact in the work tree, sorted by path. A malformed pointer is an error naming it. */
export function listArtifacts(repo: Repo): TrackedArtifact[] {
  const cache = new PointerCache(repo);
  const out = listPointerFiles(repo)
    .filter((p) => fs.existsSync(absPath(repo, p)))
    .map((p) => readPointerFile(repo, p, cache));
  cache.save();
  return out;
}

/**
 * Writes a pointer file atomically in canonical form. Returns false when the file already
 * held exactly these bytes (so nothing changes for git).
 */
export function writePointerFile(repo: Repo, pointerPath: string, pointer: Pointer): boolean {
  const file = absPath(repo, pointerPath);
  const text = serializePointer(pointer);
  try {
    if (fs.readFileSync(file, 'utf8') === text) return false;
  } catch {
    // not there yet
  }
  writeFileAtomic(file, text);
  return true;
}

/**
 * Selects artifacts by paths a user typed relative to `cwd` (default: the process's), as git
 * takes them: `./m.pkl`, `models/` and, from a subfolder, `m.pkl`. The top folder selects all.
 */
export function selectByUserPaths(
  repo: Repo,
  all: TrackedArtifact[],
  userPaths: string[],
  cwd: string = process.cwd(),
): TrackedArtifact[] {
  const repoPaths: string[] = [];
  for (const p of userPaths) {
    if (path.relative(repo.root, path.resolve(cwd, p)) === '') return all;
    repoPaths.push(toRepoPath(repo, p, cwd));
  }
  return selectArtifacts(all, repoPaths, userPaths);
}

/**
 * Selects artifacts by the paths a user typed: an artifact path, its pointer's path, or a
 * folder holding artifacts. A path that matches nothing is an error naming it.
 */
export function selectArtifacts(
  all: TrackedArtifact[],
  repoPaths: string[],
  typed: string[] = repoPaths,
): TrackedArtifact[] {
  if (repoPaths.length === 0) return all;
  const out = new Set<TrackedArtifact>();
  for (const [i, p] of repoPaths.entries()) {
    const hits = all.filter((a) => a.path === p || a.pointerPath === p || a.path.startsWith(`${p}/`));
    if (hits.length === 0) {
      const t = typed[i] ?? p;
      throw new MvgitError('NOT_TRACKED', `${t} is not a tracked artifact`, {
        hint: `track it with 'mvgit add ${t}', or see 'mvgit status' for what is tracked`,
      });
    }
    for (const h of hits) out.add(h);
  }
  return [...out];
}
