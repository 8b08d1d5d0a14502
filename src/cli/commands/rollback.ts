import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { rollback } from '../../core/registry/stages.js';
import { output, printJson } from '../output.js';
import { pushLine } from '../render/registry.js';

interface RollbackArgs {
  name: string;
  stage: string;
  message?: string;
  push?: boolean;
  json?: boolean;
}

export const rollbackCommand: CommandModule<object, RollbackArgs> = {
  command: 'rollback <name> <stage>',
  describe: 'give a stage back the version it held before its current one (a new tag; history is kept)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the artifact' })
      .positional('stage', { type: 'string', demandOption: true, describe: 'the stage' })
      .option('message', { alias: 'm', type: 'string', describe: 'why: kept in the tag, shown by mvgit history' })
      .option('push', { type: 'boolean', describe: 'push the tag to the git remote' })
      .option('json', { type: 'boolean', describe: 'print the result as JSON' })
      .example('$0 rollback churn prod -m "v0.3.0 drops recall on new users" --push', 'undo the last promotion'),
  handler: async (argv) => {
    const r = await rollback(findRepo(), {
      name: argv.name,
      stage: argv.stage,
      message: argv.message,
      push: argv.push,
    });
    if (argv.json) return printJson(r);
    output().out(`Rolled back ${r.name}#${r.stage}: ${r.previous} -> ${r.version} (tag ${r.tags[0]})`);
    output().out(pushLine(r));
  },
};
