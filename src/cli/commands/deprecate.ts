import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { deprecateArtifact } from '../../core/registry/version.js';
import { output, printJson } from '../output.js';
import { pushLine } from '../render/registry.js';

interface DeprecateArgs {
  name: string;
  message?: string;
  push?: boolean;
  json?: boolean;
}

export const deprecateCommand: CommandModule<object, DeprecateArgs> = {
  command: 'deprecate <name>',
  describe: 'mark an artifact as deprecated: a tag NAME@deprecated (GTO format)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the artifact' })
      .option('message', { alias: 'm', type: 'string', describe: 'why: kept in the tag' })
      .option('push', { type: 'boolean', describe: 'push the tag to the git remote' })
      .option('json', { type: 'boolean', describe: 'print the result as JSON' })
      .example('$0 deprecate churn -m "replaced by churn-v2"', 'retire an artifact'),
  handler: async (argv) => {
    const r = await deprecateArtifact(findRepo(), argv);
    if (argv.json) return printJson(r);
    output().out(`Deprecated ${r.name}: tag ${r.tags[0]}`);
    output().out(pushLine(r));
  },
};
