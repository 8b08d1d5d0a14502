import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { MvgitError } from '../../base/errors.js';
import { cacheFsckError, fsck } from '../../core/store/fsck.js';
import { printCacheReport, printRemoteReport } from '../render/fsck.js';
import { fsckRemote, remoteFsckError } from '../../core/transfer/fsck-remote.js';
import { printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import { retryCommand, scopeFromArgs } from '../transfer-options.js';
import { boundHeapGrowth } from '../heap.js';

interface FsckArgs {
  paths: string[];
  repair?: boolean;
  json?: boolean;
  /** '' for `--remote` alone (the default remote); an array when both `--remote` and `-r NAME` are given. */
  remote?: string | string[];
  jobs?: number;
  rev?: string[];
  'all-branches'?: boolean;
  'all-tags'?: boolean;
  'all-commits'?: boolean;
}

export const fsckCommand: CommandModule<object, FsckArgs> = {
  command: 'fsck [paths..]',
  describe: 're-hash every object in the cache (or, with --remote, the remote copies) and report corrupt ones',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'with --remote: only the artifacts at or under these paths',
      })
      .option('repair', {
        type: 'boolean',
        describe:
          "move corrupt objects aside (to the cache's corrupt/ folder); with --remote, upload good copies from the cache over bad or missing ones",
      })
      .option('remote', {
        alias: 'r',
        type: 'string',
        describe: 'check the copies on a remote (the default one, or -r NAME) instead of the cache',
      })
      .option('jobs', {
        alias: 'j',
        type: 'number',
        describe: 'with --remote: objects to check at once (default: 4 per core, 16 to 32)',
      })
      .option('rev', {
        type: 'string',
        array: true,
        describe: 'with --remote: check the artifacts at this commit, branch or tag (repeatable)',
      })
      .option('all-branches', { type: 'boolean', describe: 'with --remote: check the artifacts at every branch tip' })
      .option('all-tags', { type: 'boolean', describe: 'with --remote: check the artifacts at every tag' })
      .option('all-commits', {
        type: 'boolean',
        describe: 'with --remote: check the artifacts of every commit reachable from a ref',
      })
      .option('json', { type: 'boolean', describe: 'print the report as JSON' })
      .example('$0 fsck', 'check the cache')
      .example('$0 fsck --repair', 'move corrupt objects aside so a pull can replace them')
      .example('$0 fsck --remote -r origin --all-commits', 'check every committed version on the remote origin')
      .example('$0 fsck --remote --repair', 'replace bad copies on the default remote with good ones from the cache'),
  handler: async (argv) => {
    const remote = remoteArg(argv.remote);
    if (remote !== undefined) {
      boundHeapGrowth();
      return fsckRemoteHandler(argv, remote);
    }
    if (
      argv.paths.length > 0 ||
      argv.rev?.length ||
      argv['all-branches'] ||
      argv['all-tags'] ||
      argv['all-commits'] ||
      argv.jobs !== undefined
    ) {
      throw new MvgitError(
        'USAGE',
        'paths, -j, --rev and --all-* go with --remote: the cache check always covers every object',
        { hint: 'mvgit fsck --remote [-r NAME] [PATH...]' },
      );
    }
    const ws = await openWorkspace();
    const bar = progressBar();
    const report = await fsck(ws, { repair: argv.repair, onProgress: bar.onProgress }).finally(bar.done);
    const error = argv.repair ? undefined : cacheFsckError(report);
    // With --json stdout holds one document: the report, or the error carrying it.
    if (argv.json && !error) printJson(report);
    else if (!argv.json) printCacheReport(report);
    if (error) throw error;
  },
};

/** The remote to check: undefined without --remote/-r, '' for the default one. */
function remoteArg(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const given = (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
  return given.length > 0 ? given[given.length - 1] : '';
}

async function fsckRemoteHandler(argv: FsckArgs, remote: string): Promise<void> {
  const ws = await openWorkspace();
  const scope = scopeFromArgs(ws.repo, { ...argv, remote: undefined }, { head: true, workTree: true });
  const bar = progressBar();
  const report = await fsckRemote(ws, scope, {
    remote: remote || undefined,
    jobs: argv.jobs,
    repair: argv.repair,
    onProgress: bar.onProgress,
  }).finally(bar.done);
  const error = remoteFsckError(report, fsckCommandLine(argv, remote), argv.repair === true);
  // With --json stdout holds one document: the report, or the error carrying it.
  if (argv.json && !error) printJson(report);
  else if (!argv.json) printRemoteReport(report);
  if (error) throw error;
}

/** The command that was run, without --repair, for hints. */
function fsckCommandLine(argv: FsckArgs, remote: string): string {
  return retryCommand('fsck --remote', { ...argv, remote: remote || undefined });
}
