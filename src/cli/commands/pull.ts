import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { transferError } from '../../core/transfer/transfer.js';
import { pull } from '../../core/workspace/pull.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import {
  retryCommand,
  scopeFromArgs,
  transferSummary,
  withTransferOptions,
  type TransferArgs,
} from '../transfer-options.js';
import { printOutcomes, throwForProblems } from '../render/checkout.js';
import { warnIfNoHooks } from './status.js';
import { boundHeapGrowth } from '../heap.js';

interface PullArgs extends TransferArgs {
  force?: boolean;
}

export const pullCommand: CommandModule<object, PullArgs> = {
  command: 'pull [paths..]',
  describe: 'fetch the objects of HEAD and the work tree from a remote, then put the artifacts in the work tree',
  builder: (y) =>
    withTransferOptions(y, 'fetch')
      .option('force', {
        alias: 'f',
        type: 'boolean',
        describe: 'overwrite work-tree files even when their content is not in the cache (it is lost)',
      })
      .example('$0 pull', 'after git clone + mvgit init: get every model and dataset')
      .example('$0 pull data/images -j 32', 'one dataset, 32 downloads at once'),
  handler: async (argv) => {
    boundHeapGrowth();
    const ws = await openWorkspace();
    await warnIfNoHooks(ws.repo);
    const scope = scopeFromArgs(ws.repo, argv, { head: true });
    const bar = progressBar();
    const result = await pull(ws, scope, {
      remote: argv.remote,
      jobs: argv.jobs,
      dryRun: argv['dry-run'],
      force: argv.force,
      onProgress: bar.onProgress,
    }).finally(bar.done);
    if (argv.json) {
      printJson(result);
      const problems = result.restored.some((r) => r.result === 'conflict' || r.result === 'incomplete');
      if (result.fetch.failed.length > 0 || problems) process.exitCode = 1;
      return;
    }
    output().out(transferSummary(result.fetch));
    if (result.fetch.failed.length > 0) {
      printOutcomes(result.restored);
      throw transferError(result.fetch, retryCommand('pull', argv));
    }
    printOutcomes(result.restored);
    throwForProblems(result.restored);
  },
};
