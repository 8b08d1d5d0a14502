import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { registerVersion } from '../../core/registry/version.js';
import { output, printJson } from '../output.js';
import { pushLine } from '../render/registry.js';

interface VersionArgs {
  name: string;
  semver?: string;
  bump?: 'major' | 'minor' | 'patch';
  rev?: string;
  message?: string;
  push?: boolean;
  json?: boolean;
}

export const versionCommand: CommandModule<object, VersionArgs> = {
  command: 'version <name> [semver]',
  describe: 'register a version of an artifact: an annotated git tag NAME@vX.Y.Z (GTO format)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the artifact: its name or its path' })
      .positional('semver', { type: 'string', describe: 'X.Y.Z (default: v0.1.0 first, then the next patch)' })
      .option('bump', { type: 'string', choices: ['major', 'minor', 'patch'] as const, describe: 'bump the latest' })
      .option('rev', { type: 'string', describe: 'the commit to register (default: HEAD)' })
      .option('message', { alias: 'm', type: 'string', describe: 'why: kept in the tag, shown by mvgit history' })
      .option('push', { type: 'boolean', describe: 'push the tag to the git remote' })
      .option('json', { type: 'boolean', describe: 'print the result as JSON' })
      .example('$0 version churn', 'churn@v0.1.0, then v0.1.1, ...')
      .example('$0 version churn --bump minor -m "retrained on May data" --push', 'the next minor version, shared'),
  handler: async (argv) => {
    const r = await registerVersion(findRepo(), {
      name: argv.name,
      version: argv.semver,
      bump: argv.bump,
      rev: argv.rev,
      message: argv.message,
      push: argv.push,
    });
    if (argv.json) return printJson(r);
    const o = output();
    o.out(`Registered ${r.name}@${r.version}: ${r.path} at ${r.commit.slice(0, 10)} (${r.oid.slice(0, 19)})`);
    if (r.namedInConfig) o.out(`Named it in .mvgit/config.yaml (artifacts: ${r.name}: ${r.path}); commit that file.`);
    o.out(pushLine(r));
  },
};
