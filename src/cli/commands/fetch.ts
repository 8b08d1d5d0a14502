import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { transferError } from '../../core/transfer/transfer.js';
import { fetch } from '../../core/transfer/fetch.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import {
  retryCommand,
  scopeFromArgs,
  transferSummary,
  withTransferOptions,
  type TransferArgs,
} from '../transfer-options.js';

export const fetchCommand: CommandModule<object, TransferArgs> = {
  command: 'fetch [paths..]',
  describe:
    'download into the cache the objects of the artifacts in HEAD (or --rev, --all-*), without touching the work tree',
  builder: (y) =>
    withTransferOptions(y, 'fetch')
      .example('$0 fetch', "get HEAD's objects from the default remote")
      .example('$0 fetch --rev v1.0 models/churn.pkl', 'get one model as it was at tag v1.0'),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const scope = scopeFromArgs(ws.repo, argv, { head: true });
    const bar = progressBar();
    const report = await fetch(ws, scope, {
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
    if (report.failed.length > 0) throw transferError(report, retryCommand('fetch', argv));
  },
};
