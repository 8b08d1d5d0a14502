import type { CommandModule } from 'yargs';
import { fetch } from '../../core/transfer/fetch.js';
import { transferHandler, withTransferOptions, type TransferArgs } from '../transfer-options.js';

export const fetchCommand: CommandModule<object, TransferArgs> = {
  command: 'fetch [paths..]',
  describe:
    'download into the cache the objects of the artifacts in HEAD (or --rev, --all-*), without touching the work tree',
  builder: (y) =>
    withTransferOptions(y, 'fetch')
      .example('$0 fetch', "get HEAD's objects from the default remote")
      .example('$0 fetch --rev v1.0 models/churn.pkl', 'get one model as it was at tag v1.0'),
  handler: transferHandler('fetch', fetch, { head: true }),
};
