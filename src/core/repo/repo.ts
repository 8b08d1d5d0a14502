import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';

/** Where a repository's pieces live. All paths are absolute. */
export interface Repo {
  /** The work tree's top folder. */
  root: string;
  /** This work tree's git dir (`.git`, or `.git/worktrees/NAME` for a linked worktree). */
  gitDir: string;
  /** The git dir shared by all worktrees: the cache lives here so worktrees share it. */
  commonDir: string;
  /** `<commonDir>/mvgit`: cache, stat cache, local config. */
  dataDir: string;
  /** `<root>/.mvgit`: the committed config. */
  configDir: string;
}

export const CONFIG_DIR = '.mvgit';
export const CONFIG_FILE = 'config.yaml';

/**
 * Finds the repository that holds `cwd`, the way git does, without starting git: walks up to a
 * `.git` folder or file, follows `gitdir:` and `commondir`. GIT_DIR / GIT_WORK_TREE are honoured
 * because git sets them for hooks in linked worktrees.
 */
export function findRepo(cwd: string = process.cwd()): Repo {
  const envGitDir = process.env.GIT_DIR;
  if (envGitDir) {
    const gitDir = path.resolve(cwd, envGitDir);
    const root = process.env.GIT_WORK_TREE ? path.resolve(cwd, process.env.GIT_WORK_TREE) : findWorkTree(cwd, gitDir);
    return makeRepo(root, gitDir);
  }
  let dir = path.resolve(cwd);
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const st = fs.statSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory()) return makeRepo(dir, dotGit);
    if (st?.isFile()) return makeRepo(dir, readGitFile(dotGit));
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new MvgitError('NOT_A_GIT_REPO', `not inside a git work tree: ${cwd}`, {
        hint: "run 'git init' first, or cd into your project",
      });
    }
    dir = parent;
  }
}

function findWorkTree(cwd: string, gitDir: string): string {
  // With GIT_DIR set and no GIT_WORK_TREE, git treats cwd as the top of the work tree,
  // except for the usual layout where GIT_DIR is `<top>/.git`.
  return path.basename(gitDir) === '.git' ? path.dirname(gitDir) : path.resolve(cwd);
}

function readGitFile(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!m)
    throw new MvgitError('NOT_A_GIT_REPO', `${file} is not a valid .git file`, {
      hint: 'check the worktree or submodule setup',
    });
  return path.resolve(path.dirname(file), m[1]);
}

function makeRepo(root: string, gitDir: string): Repo {
  let commonDir = gitDir;
  const commonFile = path.join(gitDir, 'commondir');
  if (fs.existsSync(commonFile)) commonDir = path.resolve(gitDir, fs.readFileSync(commonFile, 'utf8').trim());
  return {
    root,
    gitDir,
    commonDir,
    dataDir: path.join(commonDir, 'mvgit'),
    configDir: path.join(root, CONFIG_DIR),
  };
}

/** True when `mvgit init` has run in this repo (the committed config exists). */
export function isInitialized(repo: Repo): boolean {
  return fs.existsSync(path.join(repo.configDir, CONFIG_FILE));
}

/** Throws the usual NOT_INITIALIZED error unless `mvgit init` has run. */
export function requireInitialized(repo: Repo): void {
  if (!isInitialized(repo)) {
    throw new MvgitError('NOT_INITIALIZED', `mvgit is not set up in ${repo.root}`, { hint: "run 'mvgit init' first" });
  }
}

/**
 * Turns a path the user typed (relative to `cwd`) into a repo-relative POSIX path.
 * Paths that leave the work tree, or point into the git dir, are refused.
 */
export function toRepoPath(repo: Repo, userPath: string, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, userPath);
  const rel = path.relative(repo.root, abs);
  if (rel === '' || isOutside(rel)) {
    throw new MvgitError('PATH_OUTSIDE_REPO', `${userPath} is outside the repository ${repo.root}`, {
      hint: 'mvgit tracks files inside the work tree only; move or copy the file into the repo first',
    });
  }
  const posix = rel.split(path.sep).join('/');
  if (posix === '.git' || posix.startsWith('.git/')) {
    throw new MvgitError('PATH_OUTSIDE_REPO', `${userPath} is inside the git dir`, {
      hint: 'pick a path in the work tree',
    });
  }
  return posix;
}

/** True when a path relative to a folder (path.relative) leaves it; `..weights` is a name, not a way up. */
export function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

/** The absolute path of a repo-relative POSIX path. */
export function absPath(repo: Repo, repoPath: string): string {
  return path.join(repo.root, ...repoPath.split('/'));
}
