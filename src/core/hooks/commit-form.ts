/**
 * Git decides "nothing to commit" from the index as it was before pre-commit ran. When the
 * pointers the hook stages are a commit's only change, git would drop the commit (and with
 * `-a`, the temporary index holding them): the hook stops it and says how to finish.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import type { Repo } from '../repo/repo.js';
import { quote } from '../../base/format.js';

/**
 * plain: `git commit` (the real index, which keeps what the hook staged);
 * all: `git commit -a` or `-i` (git's temporary `index.lock`, thrown away when the commit stops);
 * partial: `git commit PATH...` (a temporary `next-index-*.lock` beside the locked real index).
 */
export type CommitForm = 'plain' | 'all' | 'partial';

/** Which index git gave the hook, told by GIT_INDEX_FILE. */
export function commitForm(repo: Repo, env: NodeJS.ProcessEnv): CommitForm {
  const file = env.GIT_INDEX_FILE;
  if (!file) return 'plain';
  const base = path.basename(file);
  if (base.startsWith('next-index-')) return 'partial';
  if (base === 'index.lock' && path.resolve(repo.root, file) === path.join(repo.gitDir, 'index.lock')) return 'all';
  return 'plain';
}

/**
 * The argv of the `git commit` that runs this hook, read from /proc (Linux) a few parents up,
 * or null where that cannot be known. Used to leave `--amend` and `--allow-empty` alone (git
 * commits those anyway) and to print the exact command to run again.
 */
export function gitCommitArgs(): string[] | null {
  let pid = process.ppid;
  for (let depth = 0; depth < 3 && pid > 1; depth++) {
    try {
      const argv = fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .filter((a, i, all) => a !== '' || i < all.length - 1);
      if (argv.length > 1 && path.basename(argv[0]) === 'git' && argv.includes('commit')) return argv;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  }
  return null;
}

/** The original command as a user would type it again: `git commit -am 'retrained'`. */
function replay(args: string[]): string {
  return ['git', ...args.slice(1).map(quote)].join(' ');
}

/**
 * The NOTHING_TO_COMMIT stop for a commit whose only change is what the hook staged, or null
 * when git will commit anyway (`--amend`, `--allow-empty`).
 */
export function commitStopError(form: CommitForm, staged: string[], args: string[] | null): MvgitError | null {
  if (args?.some((a) => a === '--amend' || a === '--allow-empty')) return null;
  const files = staged.map(quote).join(' ');
  const message =
    'stopped the commit: the pointers mvgit just staged are its only change, and git decided "nothing to commit" before the hook ran, so it would drop them';
  if (form === 'plain') {
    return new MvgitError('NOTHING_TO_COMMIT', message, {
      hint: `they are staged now: run the same commit again${args ? `: ${replay(args)}` : " (or 'mvgit commit' with the same options)"}`,
      data: { staged, form },
    });
  }
  const again = args ? replay(args) : 'git commit -m "<your message>"';
  return new MvgitError('NOTHING_TO_COMMIT', message, {
    hint: `git throws away the temporary index of 'git commit ${form === 'all' ? '-a' : 'PATH'}' that holds them; run: git add ${files} && ${again}`,
    data: { staged, form },
  });
}
