import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { deregisterVersion } from '../../core/registry/version.js';
import { output, printJson } from '../output.js';
import { pushLine } from '../render/registry.js';

interface DeregisterArgs {
  name: string;
  semver: string;
  message?: string;
  push?: boolean;
  json?: boolean;
}

export const deregisterCommand: CommandModule<object, DeregisterArgs> = {
  command: 'deregister <name> <semver>',
  describe: 'withdraw a version: a tag NAME@vX.Y.Z! (GTO format); its stages no longer name it',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the artifact' })
      .positional('semver', { type: 'string', demandOption: true, describe: 'the version (0.2.0 or v0.2.0)' })
      .option('message', { alias: 'm', type: 'string', describe: 'why: kept in the tag' })
      .option('push', { type: 'boolean', describe: 'push the tag to the git remote' })
      .option('json', { type: 'boolean', describe: 'print the result as JSON' })
      .example('$0 deregister churn 0.3.0 -m "trained on leaked labels"', 'withdraw v0.3.0'),
  handler: async (argv) => {
    const r = await deregisterVersion(findRepo(), { ...argv, version: argv.semver });
    if (argv.json) return printJson(r);
    output().out(`Deregistered ${r.name}@${r.version}: tag ${r.tags[0]}`);
    output().out(pushLine(r));
  },
};
