import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { registryHistory } from '../../core/registry/listing.js';
import { output, printJson } from '../output.js';
import { printWarnings, renderHistory } from '../render/registry.js';

interface HistoryArgs {
  name?: string;
  json?: boolean;
}

export const historyCommand: CommandModule<object, HistoryArgs> = {
  command: 'history [name]',
  describe: 'every registration, promotion and rollback, newest first: who, when and why',
  builder: (y) =>
    y
      .positional('name', { type: 'string', describe: 'only this artifact' })
      .option('json', { type: 'boolean', describe: 'print the events as JSON' })
      .example('$0 history churn', 'the audit trail of one model'),
  handler: async (argv) => {
    const { events, warnings } = registryHistory(findRepo(), argv.name);
    if (argv.json) return printJson({ events, warnings });
    printWarnings(warnings);
    if (events.length === 0) {
      output().out('The registry is empty: mvgit version NAME registers the first version.');
      return;
    }
    output().out(renderHistory(events));
  },
};
