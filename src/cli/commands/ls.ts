import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { listArtifacts } from '../../core/registry/listing.js';
import { output, printJson } from '../output.js';
import { printWarnings, renderArtifactList } from '../render/registry.js';

interface LsArgs {
  json?: boolean;
}

export const lsCommand: CommandModule<object, LsArgs> = {
  command: 'ls',
  describe: 'list the registry: every artifact, its latest version, its stages and key metrics',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print the artifacts as JSON' })
      .example('$0 ls', 'what is in production, and what is newest')
      .example('$0 ls --json', 'the same, for scripts'),
  handler: async (argv) => {
    const { artifacts, warnings } = await listArtifacts(findRepo());
    if (argv.json) return printJson({ artifacts, warnings });
    printWarnings(warnings);
    if (artifacts.length === 0) {
      output().out('No artifact is registered yet: mvgit version NAME registers the first version.');
      return;
    }
    output().out(renderArtifactList(artifacts));
  },
};
