import fs from 'node:fs';
import { formatBytes, quote } from '../../base/format.js';
import { MvgitError } from '../../base/errors.js';
import { git, gitAsync, splitZ } from '../../adapters/git/run.js';
import { POINTER_SUFFIX } from '../pointer/kind.js';
import { absPath, type Repo } from '../repo/repo.js';
import type { RuleMatch } from '../workspace/track.js';

/** One path the index changes against HEAD. */
export interface StagedChange {
  /** A, M, T or D (renames are split into D and A); U while unmerged. */
  status: string;
  /** The new mode; 160000 is a submodule. */
  mode: string;
  /** The staged blob's oid (all zeros for a deletion). */
  oid: string;
  path: string;
}

/** What one `git status` says about the index the commit is made from. */
export interface IndexStatus {
  /** What the index changes against HEAD (also on an unborn branch): what git would commit. */
  staged: StagedChange[];
  /** Tracked paths whose work-tree file differs from the index. */
  unstaged: Set<string>;
  /** Untracked paths; a folder with nothing tracked shows as `dir/`. */
  untracked: string[];
}

/**
 * Asks git once, in the background, for everything the pre-commit hook needs from the index:
 * staged changes (the guard, "nothing to commit") and which pointers are not staged. Spawning
 * git costs a hook more than any of the answers, so it is one process, not three.
 * GIT_INDEX_FILE comes from `env`: with `-a` it is git's temporary index.
 */
export async function indexStatus(repo: Repo, env: NodeJS.ProcessEnv): Promise<IndexStatus> {
  const out = await gitAsync(
    repo,
    [
      '--no-optional-locks',
      'status',
      '--porcelain=v2',
      '-z',
      '--no-renames',
      '--untracked-files=normal',
      '--ignore-submodules=all',
    ],
    { env },
  );
  const status: IndexStatus = { staged: [], unstaged: new Set(), untracked: [] };
  for (const entry of splitZ(out)) {
    if (entry.startsWith('? ')) {
      status.untracked.push(entry.slice(2));
      continue;
    }
    const ordinary = entry.startsWith('1 ');
    if (!ordinary && !entry.startsWith('u ')) continue;
    const fields = entry.split(' ');
    const xy = fields[1];
    const filePath = fields.slice(ordinary ? 8 : 10).join(' ');
    if (ordinary && xy[0] !== '.')
      status.staged.push({ status: xy[0], mode: fields[4], oid: fields[7], path: filePath });
    if (!ordinary) status.staged.push({ status: 'U', mode: fields[6], oid: '0'.repeat(40), path: filePath });
    if (xy[1] !== '.') status.unstaged.add(filePath);
  }
  return status;
}

/**
 * The FILE_TOO_LARGE error for staged files over `max` bytes, or null. The work tree's size
 * screens cheaply; only files that look large (or are gone) have their staged blob's size
 * asked of git, so the usual commit costs no extra process.
 */
export function largeFileError(
  repo: Repo,
  staged: StagedChange[],
  max: number,
  matches: RuleMatch[],
): MvgitError | null {
  if (max <= 0) return null;
  const suspects = staged.filter((c) => {
    if (c.status === 'D' || c.status === 'U' || c.mode === '160000' || c.path.endsWith(POINTER_SUFFIX)) return false;
    const st = fs.statSync(absPath(repo, c.path), { throwIfNoEntry: false });
    return !st || st.size > max;
  });
  if (suspects.length === 0) return null;
  const sizes = git(repo, ['cat-file', '--batch-check=%(objectsize)'], {
    input: `${suspects.map((c) => c.oid).join('\n')}\n`,
  }).split('\n');
  const big = suspects.map((c, i) => ({ path: c.path, size: Number(sizes[i]) })).filter((f) => f.size > max);
  if (big.length === 0) return null;

  const ruled = (p: string): boolean => matches.some((m) => p === m.path || p.startsWith(`${m.path}/`));
  const byRule = big.filter((f) => ruled(f.path)).map((f) => quote(f.path));
  const loose = big.filter((f) => !ruled(f.path)).map((f) => quote(f.path));
  const fixes: string[] = [];
  if (loose.length > 0) fixes.push(`git rm --cached ${loose.join(' ')} && mvgit add ${loose.join(' ')}`);
  if (byRule.length > 0)
    fixes.push(
      `git rm --cached ${byRule.join(' ')}  (a tracking rule matches ${byRule.length === 1 ? 'it' : 'them'}: the next commit records ${byRule.length === 1 ? 'it' : 'them'} with mvgit)`,
    );
  const list = big.map((f) => `${f.path} (${formatBytes(f.size)})`).join(', ');
  return new MvgitError(
    'FILE_TOO_LARGE',
    `refusing to commit ${big.length === 1 ? 'a large file' : `${big.length} large files`} into git: ${list}; guard.maxFileSize is ${formatBytes(max)}`,
    {
      hint: `store ${big.length === 1 ? 'it' : 'them'} with mvgit instead, then commit again: ${fixes.join('; ')}. To allow it: mvgit config guard.maxFileSize 100MB (0 turns the check off), or git commit --no-verify`,
      data: { files: big, maxFileSize: max },
    },
  );
}

/**
 * The MERGE_CONFLICT error when a staged pointer file still holds conflict markers (a merge
 * the merge driver could not resolve, `git add`ed as it was), or null. A plain text check:
 * no YAML is loaded for it.
 */
export function conflictedPointerError(repo: Repo, staged: StagedChange[]): MvgitError | null {
  const bad = staged.filter((c) => {
    if (c.status === 'D' || !c.path.endsWith(POINTER_SUFFIX)) return false;
    try {
      return /^<{7}(?: |$)/m.test(fs.readFileSync(absPath(repo, c.path), 'utf8'));
    } catch {
      return false;
    }
  });
  if (bad.length === 0) return null;
  const names = bad.map((c) => c.path);
  return new MvgitError(
    'MERGE_CONFLICT',
    `${names.join(', ')} still ${names.length === 1 ? 'has' : 'have'} conflict markers`,
    {
      hint: `keep one side's version in each (the comment at the top compares them), then: git add ${names.map(quote).join(' ')} && mvgit checkout ${names.map((n) => quote(n.slice(0, -POINTER_SUFFIX.length))).join(' ')}`,
      data: { files: names },
    },
  );
}
