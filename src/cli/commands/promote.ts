import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { promote } from '../../core/registry/stages.js';
import { output, printJson } from '../output.js';
import { pushLine } from '../render/registry.js';

interface PromoteArgs {
  name: string;
  semver: string;
  stage: string;
  message?: string;
  push?: boolean;
  json?: boolean;
}

export const promoteCommand: CommandModule<object, PromoteArgs> = {
  command: 'promote <name> <semver> <stage>',
  describe: 'assign a stage (prod, staging...) to a registered version: a tag NAME#STAGE#N',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the artifact' })
      .positional('semver', { type: 'string', demandOption: true, describe: 'a registered version (0.2.0 or v0.2.0)' })
      .positional('stage', { type: 'string', demandOption: true, describe: 'the stage' })
      .option('message', { alias: 'm', type: 'string', describe: 'why: kept in the tag, shown by mvgit history' })
      .option('push', { type: 'boolean', describe: 'push the tag to the git remote' })
      .option('json', { type: 'boolean', describe: 'print the result as JSON' })
      .example('$0 promote churn 0.2.0 prod -m "beats v0.1.0 on May data" --push', 'deploy v0.2.0'),
  handler: async (argv) => {
    const r = await promote(findRepo(), {
      name: argv.name,
      version: argv.semver,
      stage: argv.stage,
      message: argv.message,
      push: argv.push,
    });
    if (argv.json) return printJson(r);
    const before = r.previous ? ` (it held ${r.previous})` : '';
    output().out(`Promoted ${r.name} ${r.version} to ${r.stage}${before}: tag ${r.tags[0]}`);
    output().out(pushLine(r));
  },
};
