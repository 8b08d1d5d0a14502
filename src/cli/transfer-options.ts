/** The options push, pull and fetch share, and the summary lines they print. */
import type { Argv } from 'yargs';
import { MvgitError } from '../base/errors.js';
import { toRepoPath, type Repo } from '../core/repo/repo.js';
import type { Scope } from '../core/history/scope.js';
import { openWorkspace, type Workspace } from '../core/repo/workspace.js';
import { transferError, type TransferOptions, type TransferReport } from '../core/transfer/transfer.js';
import { boundHeapGrowth } from './heap.js';
import { output, printJson } from './output.js';
import { progressBar } from './render/progress.js';
import { formatBytes } from './render/style.js';

export interface TransferArgs {
  paths: string[];
  remote?: string;
  jobs?: number;
  rev?: string[];
  'all-branches'?: boolean;
  'all-tags'?: boolean;
  'all-commits'?: boolean;
  'dry-run'?: boolean;
  json?: boolean;
}

/** `-r`, `-j`, the scope options and `[paths..]`. */
export function withTransferOptions<T>(y: Argv<T>, verb: string): Argv<T & TransferArgs> {
  return y
    .positional('paths', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: `only the artifacts at or under these paths`,
    })
    .option('remote', { alias: 'r', type: 'string', describe: 'remote name or URL (default: core.remote)' })
    .option('jobs', {
      alias: 'j',
      type: 'number',
      describe: 'objects to transfer at once (default: 4 per core, 16 to 32)',
    })
    .option('rev', {
      type: 'string',
      array: true,
      describe: `${verb} the artifacts at this commit, branch or tag (repeatable)`,
    })
    .option('all-branches', { type: 'boolean', describe: `${verb} the artifacts at every branch tip` })
    .option('all-tags', { type: 'boolean', describe: `${verb} the artifacts at every tag` })
    .option('all-commits', { type: 'boolean', describe: `${verb} the artifacts of every commit reachable from a ref` })
    .option('dry-run', { type: 'boolean', describe: 'only say what would be transferred' })
    .option('json', {
      type: 'boolean',
      describe: 'print the report (counts, bytes, failures) as JSON',
    }) as unknown as Argv<T & TransferArgs>;
}

/** The scope the options name; `fallback` when none is given. */
export function scopeFromArgs(repo: Repo, argv: TransferArgs, fallback: Scope): Scope {
  if (argv.jobs !== undefined && (!Number.isInteger(argv.jobs) || argv.jobs < 1)) {
    throw new MvgitError('USAGE', `-j must be a whole number of at least 1, got ${argv.jobs}`, {
      hint: 'for example: -j 16',
    });
  }
  const explicit = (argv.rev?.length ?? 0) > 0 || argv['all-branches'] || argv['all-tags'] || argv['all-commits'];
  const paths = argv.paths.map((p) => toRepoPath(repo, p));
  if (!explicit) return { ...fallback, paths };
  return {
    revs: argv.rev,
    allBranches: argv['all-branches'],
    allTags: argv['all-tags'],
    allCommits: argv['all-commits'],
    paths,
  };
}

/** The command that repeats this one, for hints. */
export function retryCommand(verb: string, argv: TransferArgs): string {
  const parts = ['mvgit', verb];
  if (argv.remote) parts.push('-r', argv.remote);
  for (const r of argv.rev ?? []) parts.push('--rev', r);
  if (argv['all-branches']) parts.push('--all-branches');
  if (argv['all-tags']) parts.push('--all-tags');
  if (argv['all-commits']) parts.push('--all-commits');
  parts.push(...argv.paths);
  return parts.join(' ');
}

/** One line: what moved, what was already there, what failed. */
export function transferSummary(r: TransferReport): string {
  const where = r.direction === 'push' ? `to ${r.remote}` : `from ${r.remote}`;
  const other = r.direction === 'push' ? 'already on the remote' : 'already in the cache';
  const n = (k: number): string => `${k} object${k === 1 ? '' : 's'}`;
  if (r.artifacts === 0) return `Nothing to ${r.direction}: no artifacts in scope.`;
  const failed = r.failed.length > 0 ? `; ${r.failed.length} failed` : '';
  if (r.transferred === 0 && r.failed.length === 0)
    return `Everything is ${other} (${r.artifacts} artifact${r.artifacts === 1 ? '' : 's'}).`;
  const verb = r.dryRun
    ? r.direction === 'push'
      ? 'Would push'
      : 'Would fetch'
    : r.direction === 'push'
      ? 'Pushed'
      : 'Fetched';
  return `${verb} ${n(r.transferred)} (${formatBytes(r.bytes)}) ${where}; ${r.present} ${other}${failed}.`;
}

/**
 * The handler push and fetch share: the scope from the arguments (or `defaults`), a progress
 * bar, the report as JSON or a summary line, and an error naming the command to retry.
 */
export function transferHandler(
  verb: 'push' | 'fetch',
  move: (ws: Workspace, scope: Scope, options: TransferOptions) => Promise<TransferReport>,
  defaults: Scope,
): (argv: TransferArgs) => Promise<void> {
  return async (argv) => {
    boundHeapGrowth();
    const ws = await openWorkspace();
    const scope = scopeFromArgs(ws.repo, argv, defaults);
    const bar = progressBar();
    const report = await move(ws, scope, {
      remote: argv.remote,
      jobs: argv.jobs,
      dryRun: argv['dry-run'],
      onProgress: bar.onProgress,
    }).finally(bar.done);
    if (argv.json) {
      printJson(report);
      if (report.failed.length > 0) process.exitCode = 1;
      return;
    }
    output().out(transferSummary(report));
    if (report.failed.length > 0) throw transferError(report, retryCommand(verb, argv));
  };
}
