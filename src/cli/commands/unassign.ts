import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { unassign } from '../../core/registry/stages.js';
import { output, printJson } from '../output.js';
import { pushLine } from '../render/registry.js';

interface UnassignArgs {
  name: string;
  stage: string;
  message?: string;
  push?: boolean;
  json?: boolean;
}

export const unassignCommand: CommandModule<object, UnassignArgs> = {
  command: 'unassign <name> <stage>',
  describe: 'empty a stage: tags NAME#STAGE!#N (GTO format)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the artifact' })
      .positional('stage', { type: 'string', demandOption: true, describe: 'the stage' })
      .option('message', { alias: 'm', type: 'string', describe: 'why: kept in the tag' })
      .option('push', { type: 'boolean', describe: 'push the tags to the git remote' })
      .option('json', { type: 'boolean', describe: 'print the result as JSON' })
      .example('$0 unassign churn staging', 'staging holds no version of churn any more'),
  handler: async (argv) => {
    const r = await unassign(findRepo(), argv);
    if (argv.json) return printJson(r);
    output().out(`Unassigned ${r.name}#${r.stage} (it held ${r.previous}): ${r.tags.join(', ')}`);
    output().out(pushLine(r));
  },
};
