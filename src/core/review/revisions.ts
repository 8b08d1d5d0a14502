/**
 * `mvgit diff [REV_A [REV_B]] [PATH...]`: which two sides to compare (git's rules: no revision
 * is HEAD against the work tree, one is that revision against the work tree), then the diff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { pointersAt, resolveRev } from '../history/revision.js';
import { listArtifacts } from '../history/work-tree-pointers.js';
import { isPointerPath } from '../pointer/pointer.js';
import { toRepoPath, type Repo } from '../repo/repo.js';
import { ObjectStore } from '../store/object-store.js';
import { type ArtifactDiff, diffPointers, type PointerSide } from './diff.js';
import { loadMetricRules } from './metrics.js';

export interface DiffRequest {
  /** Revisions, then paths, as typed: `['HEAD~2', 'HEAD', 'models/']`. */
  args?: string[];
  /** The older side, named outright (the library's way): never read as a path. */
  from?: string;
  /** The newer side, named outright; with `from` absent, HEAD is the older one. */
  to?: string;
  /** Paths typed after `--`: never read as revisions. */
  paths?: string[];
  /** Where typed paths are relative to. */
  cwd?: string;
}

/** One side of a comparison: a commit, or the work tree's pointer files. */
export interface DiffSide {
  /** As the user named it (`HEAD~2`), or `work tree`. */
  label: string;
  /** The commit, absent for the work tree. */
  commit?: string;
}

export interface DiffResult {
  from: DiffSide;
  to: DiffSide;
  artifacts: ArtifactDiff[];
}

const WORK_TREE = 'work tree';

function tryRev(repo: Repo, rev: string): string | undefined {
  try {
    return resolveRev(repo, rev);
  } catch {
    return undefined;
  }
}

/** Splits typed words into up to two revisions and paths; a word that is neither is an error. */
function splitArgs(repo: Repo, req: DiffRequest): { revs: DiffSide[]; paths: string[] } {
  const revs: DiffSide[] = [];
  const paths: string[] = [];
  const cwd = req.cwd ?? process.cwd();
  for (const rev of [req.from ?? (req.to !== undefined ? 'HEAD' : undefined), req.to])
    if (rev !== undefined) revs.push({ label: rev, commit: resolveRev(repo, rev) });
  for (const word of req.args ?? []) {
    const commit = paths.length === 0 && revs.length < 2 ? tryRev(repo, word) : undefined;
    if (commit) revs.push({ label: word, commit });
    else if (paths.length > 0 || isWorkTreePath(path.resolve(cwd, word))) paths.push(word);
    else
      throw new MvgitError('REV_NOT_FOUND', `revision '${word}' does not exist (nor is it a path in the work tree)`, {
        hint: "name a commit, branch or tag (see 'git log --oneline' and 'git tag'); put paths of deleted artifacts after '--'",
        data: { rev: word },
      });
  }
  return { revs, paths: [...paths, ...(req.paths ?? [])] };
}

/** An artifact, its pointer or a folder in the work tree. */
function isWorkTreePath(abs: string): boolean {
  return fs.existsSync(abs) || fs.existsSync(`${abs}.mvgit.yaml`);
}

async function sideOf(repo: Repo, side: DiffSide): Promise<PointerSide[]> {
  return side.commit ? pointersAt(repo, side.commit) : listArtifacts(repo);
}

/** Keeps the pointers under the typed paths (an artifact, its pointer, or a folder). */
function select(sides: PointerSide[], repoPaths: string[]): PointerSide[] {
  if (repoPaths.length === 0) return sides;
  return sides.filter((s) =>
    repoPaths.some((p) => p === '' || s.path === p || s.pointerPath === p || s.path.startsWith(`${p}/`)),
  );
}

/**
 * Compares two revisions' pointers, or one revision's with the work tree's.
 *
 * @example
 * const { artifacts } = await diffRevisions(repo, { args: ['HEAD~1', 'HEAD'] });
 */
export async function diffRevisions(repo: Repo, req: DiffRequest): Promise<DiffResult> {
  const { revs, paths } = splitArgs(repo, req);
  const from = revs[0] ?? { label: 'HEAD', commit: resolveRev(repo, 'HEAD') };
  const to = revs[1] ?? { label: WORK_TREE };
  const repoPaths = paths.map((p) => {
    if (path.resolve(req.cwd ?? process.cwd(), p) === repo.root) return '';
    const rel = toRepoPath(repo, p, req.cwd);
    return isPointerPath(rel) ? rel : rel.replace(/\/+$/, '');
  });
  const rules = await loadMetricRules(repo);
  const before = select(await sideOf(repo, from), repoPaths);
  const after = select(await sideOf(repo, to), repoPaths);
  for (const [i, p] of repoPaths.entries()) {
    if (select([...before, ...after], [p]).length === 0)
      throw new MvgitError('NOT_TRACKED', `${paths[i]} is not a tracked artifact in ${from.label} or ${to.label}`, {
        hint: "see 'mvgit status' for what is tracked",
        data: { path: paths[i] },
      });
  }
  const artifacts = diffPointers(before, after, {
    rules,
    store: new ObjectStore(repo),
    labels: [from.label, to.label],
  });
  return { from, to, artifacts };
}
