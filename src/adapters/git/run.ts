import { execFile, spawnSync } from 'node:child_process';
import { MvgitError } from '../../base/errors.js';

/** Where git runs: the work tree's top folder (a Repo has one). */
export interface GitDir {
  root: string;
}

/**
 * Runs git and returns its stdout. Uses node's own spawnSync rather than execa on paths that
 * hooks take, because loading execa costs more than the whole hook may.
 */
export function git(
  repo: GitDir,
  args: string[],
  options: { input?: string; allowFail?: boolean; env?: NodeJS.ProcessEnv } = {},
): string {
  const r = spawnSync('git', args, {
    cwd: repo.root,
    encoding: 'utf8',
    input: options.input,
    maxBuffer: 1 << 30,
    env: options.env ?? process.env,
  });
  if (r.error)
    throw new MvgitError('GIT_FAILED', `could not run git: ${r.error.message}`, {
      hint: 'is git installed and on PATH?',
      cause: r.error,
    });
  if (r.status !== 0 && !options.allowFail) {
    throw new MvgitError('GIT_FAILED', `git ${args[0]} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, {
      hint: 'see the git message above',
      data: { args, status: r.status },
    });
  }
  return r.stdout;
}

/** Splits NUL-separated git output. */
export function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

/** One entry of the git index: `git ls-files -s`. */
export interface IndexEntry {
  /** `100644`, `100755`, `120000` (a symlink), `160000` (a submodule). */
  mode: string;
  oid: string;
  /** 0, or 1-3 for the sides of a merge conflict. */
  stage: number;
  path: string;
}

/**
 * What the index holds at `paths` (repo-relative, taken literally; a folder gives every entry
 * under it), or the whole index when no path is given. "Is this tracked by git" is asked here.
 */
export function indexEntries(repo: GitDir, paths?: string[], env?: NodeJS.ProcessEnv): IndexEntry[] {
  if (paths !== undefined && paths.length === 0) return [];
  const specs = paths === undefined ? [] : ['--', ...paths.map((p) => `:(literal)${p}`)];
  return splitZ(git(repo, ['ls-files', '-s', '-z', ...specs], { env })).map((line) => {
    const tab = line.indexOf('\t');
    const [mode, oid, stage] = line.slice(0, tab).split(' ');
    return { mode, oid, stage: Number(stage), path: line.slice(tab + 1) };
  });
}

/** Which of `paths` git tracks, itself or (for a folder) any file under it. */
export function trackedPaths(repo: GitDir, paths: string[], env?: NodeJS.ProcessEnv): Set<string> {
  const listed = indexEntries(repo, paths, env).map((e) => e.path);
  return new Set(paths.filter((p) => listed.some((l) => l === p || l.startsWith(`${p}/`))));
}

/** Every pointer file in the work tree: committed, staged or new (but not ignored). */
export function listPointerFiles(repo: GitDir): string[] {
  const out = git(repo, [
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    '--',
    ':(glob)**/*.mvgit.yaml',
  ]);
  return [...new Set(splitZ(out))].sort();
}

/**
 * Runs git without blocking, so a hook can let git work while it stats files. Same contract as
 * git(): stdout, or GIT_FAILED unless allowFail.
 */
export function gitAsync(
  repo: GitDir,
  args: string[],
  options: { allowFail?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: repo.root, encoding: 'utf8', maxBuffer: 1 << 30, env: options.env ?? process.env },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new MvgitError('GIT_FAILED', `could not run git: ${err.message}`, {
              hint: 'is git installed and on PATH?',
              cause: err,
            }),
          );
        } else if (err && !options.allowFail) {
          reject(
            new MvgitError('GIT_FAILED', `git ${args[0]} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`, {
              hint: 'see the git message above',
              data: { args },
            }),
          );
        } else resolve(stdout);
      },
    );
  });
}
