/**
 * The pre-commit hook: record what the tracking rules match (the code of `mvgit add` with no
 * path), stage the pointers, refuse large files staged into git by mistake, and stop a commit
 * git would drop. Everything up to "is there work?" is plain stats and two git calls; the
 * recording code, YAML and the worker pool load only when something changed.
 */
import fs from 'node:fs';
import { loadConfig } from '../repo/config.js';
import type { OnProgress } from '../repo/workspace.js';
import type { MvgitError } from '../../base/errors.js';
import { git, indexEntries, trackedPaths } from '../../adapters/git/run.js';
import type { AddedArtifact } from '../workspace/add.js';
import { POINTER_SUFFIX } from '../pointer/kind.js';
import { absPath, findRepo, isInitialized, type Repo } from '../repo/repo.js';
import { StatCache } from '../store/stat-cache.js';
import { matchRules, type RuleMatch } from '../workspace/track.js';
import { commitForm, commitStopError, gitCommitArgs, type CommitForm } from './commit-form.js';
import { operationInProgress, pointerAsRecorded, workTreeAsRecorded, type GitOperation } from './unchanged-check.js';
import {
  conflictedPointerError,
  indexStatus,
  largeFileError,
  type IndexStatus,
  type StagedChange,
} from './large-file-guard.js';
import { hasPending } from '../workspace/restore-journal.js';
import { folderAsRemembered, MAX_EDITED, rememberFolder, type RememberedFolder } from '../workspace/folder-memo.js';
import type { RestoreReport } from './restore.js';

/** One artifact the hook recorded: its pointer changed and is staged. */
export type RecordedArtifact = Pick<AddedArtifact, 'path' | 'pointerPath' | 'kind' | 'oid' | 'size' | 'files'>;

export interface PreCommitResult {
  /** The git operation in progress that made the hook stand aside. */
  skipped?: GitOperation;
  recorded: RecordedArtifact[];
  /** Rule matches `git add` had staged into git for the first time: unstaged, and stored by mvgit instead. */
  adopted?: string[];
  /** Every path the hook `git add`ed (pointers and .gitignore files). */
  staged: string[];
  /** Artifacts whose work tree is older than their pointer (a checkout did not finish): not recorded. */
  stale: string[];
  /** What finishing an interrupted checkout did first, if one was pending. */
  finished?: RestoreReport;
  /** Set when the commit must stop: the hook's staging is its only change (see commit-form.ts). */
  stop?: MvgitError;
  /** Things to tell the user that do not stop the commit: stale metrics, lineage that disagrees. */
  warnings: string[];
}

export interface PreCommitOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: OnProgress;
  /** The command line of the `git commit` that runs the hook, when it can be known (tests pass it). */
  commitArgs?: string[] | null;
  /** False for `mvgit commit`, which stages before git decides: no commit is dropped. */
  stopDroppedCommit?: boolean;
  /** False to skip the lineage warnings (mvgit commit, when git's run of the hook gives them). */
  checkLineage?: boolean;
}

/**
 * Runs the pre-commit work. Throws MERGE_CONFLICT for a staged pointer with conflict markers
 * and FILE_TOO_LARGE for a staged file over guard.maxFileSize, before changing anything;
 * returns `stop` when git would drop the commit.
 */
export async function preCommit(options: PreCommitOptions = {}): Promise<PreCommitResult> {
  const env = options.env ?? process.env;
  const repo = findRepo(options.cwd);
  const result: PreCommitResult = { recorded: [], staged: [], stale: [], warnings: [] };
  if (!isInitialized(repo)) return result;
  // git works out what is staged while this process stats the artifacts.
  const statusAsked = indexStatus(repo, env);
  const op = operationInProgress(repo.gitDir);
  if (op) {
    const conflicted = conflictedPointerError(repo, (await statusAsked).staged);
    if (conflicted) throw conflicted;
    return { ...result, skipped: op };
  }

  const config = await loadConfig(repo);
  const matches = await matchRules(repo, config);
  const state = new StatCache(`${repo.dataDir}/state`);
  const dirty: RuleMatch[] = [];
  const remembered = new Map<string, RememberedFolder>();
  for (const m of matches) {
    const abs = absPath(repo, m.path);
    const pointerAbs = absPath(repo, m.path + POINTER_SUFFIX);
    if (m.isDir) {
      // The memo says which files changed in place, if few did: then the folder is to record,
      // and the stat cache and a walk are not needed to say so.
      const memo = folderAsRemembered(repo, m.path, abs, pointerAbs, MAX_EDITED);
      if (memo?.changed.length === 0) continue;
      if (memo) {
        remembered.set(m.path, memo);
        dirty.push(m);
        continue;
      }
    }
    const st = state.load(m.path);
    if (!pointerAsRecorded(pointerAbs, st)) {
      dirty.push(m);
      continue;
    }
    const check = workTreeAsRecorded(abs, st, m.isDir);
    if (!check.same) dirty.push(m);
    else if (check.snapshot && st.pointer && st.oid)
      rememberFolder(repo, m.path, st.pointer[0], st.oid, check.snapshot);
  }

  const index = await statusAsked;
  const stagedBefore = index.staged;
  const conflicted = conflictedPointerError(repo, stagedBefore);
  if (conflicted) throw conflicted;
  const adopted = newlyStagedMatches(repo, matches, stagedBefore, env);
  const inAdopted = (p: string): boolean => adopted.some((m) => p === m.path || p.startsWith(`${m.path}/`));
  const guardError = largeFileError(
    repo,
    stagedBefore.filter((c) => !inAdopted(c.path)),
    config.guard.maxFileSize,
    matches,
  );
  if (guardError) throw guardError;
  const form = commitForm(repo, env);
  if (adopted.length > 0) {
    // `git add -A` staged files a tracking rule matches: they go to mvgit, not into git's history.
    inCommitIndexes(
      repo,
      ['rm', '-r', '--cached', '--quiet', '--', ...adopted.map((m) => `:(literal)${m.path}`)],
      form,
      env,
    );
    result.adopted = adopted.map((m) => m.path);
  }
  for (const m of adopted) if (!dirty.includes(m)) dirty.push(m);
  const work = dropGitTracked(repo, dirty, env);

  if (work.length > 0 || hasPending(repo)) {
    const { recordChanged } = await import('./record.js');
    const done = await recordChanged(repo, work, options.onProgress, remembered);
    result.recorded = done.recorded;
    result.stale = done.stale;
    result.finished = done.finished;
    result.staged.push(...done.toStage);
    result.warnings.push(...done.warnings);
  }
  // Pointers the user wrote with `mvgit add` but did not stage belong in the commit too.
  for (const p of unstagedPointers(repo, matches, index)) if (!result.staged.includes(p)) result.staged.push(p);
  const changedPointers = [...stagedBefore.filter((c) => c.status !== 'D').map((c) => c.path), ...result.staged];
  if (options.checkLineage !== false && changedPointers.some((p) => p.endsWith(POINTER_SUFFIX)))
    result.warnings.push(...(await import('./lineage-check.js')).lineageWarnings(repo, changedPointers));
  if (result.staged.length === 0) return result;

  inCommitIndexes(repo, ['add', '--', ...result.staged.map((f) => `:(literal)${f}`)], form, env);
  if (stagedBefore.length === 0 && options.stopDroppedCommit !== false) {
    const args = options.commitArgs === undefined ? gitCommitArgs() : options.commitArgs;
    const stop = commitStopError(form, result.staged, args);
    if (stop) result.stop = stop;
  }
  return result;
}

/** Matches with no pointer yet that git already tracks are git's business, as in addTracked. */
function dropGitTracked(repo: Repo, dirty: RuleMatch[], env: NodeJS.ProcessEnv): RuleMatch[] {
  const fresh = dirty.filter((m) => !fs.existsSync(absPath(repo, m.path + POINTER_SUFFIX)));
  if (fresh.length === 0) return dirty;
  const tracked = trackedPaths(
    repo,
    fresh.map((m) => m.path),
    env,
  );
  return dirty.filter((m) => !fresh.includes(m) || !tracked.has(m.path));
}

/** Pointer files of matched artifacts whose work-tree bytes are not what the index holds. */
function unstagedPointers(repo: Repo, matches: RuleMatch[], index: IndexStatus): string[] {
  return matches
    .map((m) => m.path + POINTER_SUFFIX)
    .filter(
      (p) => index.unstaged.has(p) || index.untracked.some((u) => u === p || (u.endsWith('/') && p.startsWith(u))),
    )
    .filter((p) => fs.existsSync(absPath(repo, p)));
}

/**
 * Rule matches that this commit adds to git for the first time (`git add -A` before the first
 * commit of a model, as for any new file): every index entry under them is new against HEAD.
 * Files already in HEAD stay git's, as in addTracked.
 */
function newlyStagedMatches(
  repo: Repo,
  matches: RuleMatch[],
  staged: StagedChange[],
  env: NodeJS.ProcessEnv,
): RuleMatch[] {
  const added = staged.filter((c) => c.status === 'A');
  if (added.length === 0) return [];
  const out: RuleMatch[] = [];
  for (const m of matches) {
    const mine = added.filter((c) => c.path === m.path || c.path.startsWith(`${m.path}/`));
    if (mine.length === 0) continue;
    const indexed = m.isDir ? indexEntries(repo, [m.path], env).length : 1;
    if (indexed === mine.length) out.push(m);
  }
  return out;
}

/**
 * Runs a git index command (add, rm --cached) on the index the commit will be made from
 * (GIT_INDEX_FILE, which git sets for the hook). A partial commit (`git commit FILE`) commits a
 * temporary index but keeps the real one locked as `index.lock` and renames it into place
 * afterwards: change it too, or the real index would be left with the old pointers.
 */
function inCommitIndexes(repo: Repo, args: string[], form: CommitForm, env: NodeJS.ProcessEnv): void {
  git(repo, args, { env });
  if (form === 'partial') git(repo, args, { env: { ...env, GIT_INDEX_FILE: `${repo.gitDir}/index.lock` } });
}
