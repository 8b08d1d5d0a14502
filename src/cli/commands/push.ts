import type { CommandModule } from 'yargs';
import { push } from '../../core/transfer/push.js';
import { transferHandler, withTransferOptions, type TransferArgs } from '../transfer-options.js';

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
  handler: transferHandler('push', push, { head: true, workTree: true }),
};
