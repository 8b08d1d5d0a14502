import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { transferError } from '../../core/transfer/transfer.js';
import { push } from '../../core/transfer/push.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import {
  retryCommand,
  scopeFromArgs,
  transferSummary,
  withTransferOptions,
  type TransferArgs,
} from '../transfer-options.js';

export const pushCommand: CommandModule<object, TransferArgs> = {
  command: 'push [paths..]',
  describe: 'upload the objects of the artifacts in HEAD and the work tree (or --rev, --all-*) to a remote',
  builder: (y) =>
    withTransferOptions(y, 'push')
      .example('$0 push', 'upload what HEAD and the work tree point to, to the default remote')
      .example(
        '$0 push -r backup --all-commits -j 16',
        'upload every version ever committed to the remote named backup',
      ),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const scope = scopeFromArgs(ws.repo, argv, { head: true, workTree: true });
    const bar = progressBar();
    const report = await push(ws, scope, {
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
    if (report.failed.length > 0) throw transferError(report, retryCommand('push', argv));
  },
};
