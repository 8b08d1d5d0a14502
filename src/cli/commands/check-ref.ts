import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
import { checkRef } from '../../core/registry/listing.js';
import { output, printJson } from '../output.js';

interface CheckRefArgs {
  tag: string;
  json?: boolean;
}

export const checkRefCommand: CommandModule<object, CheckRefArgs> = {
  command: 'check-ref <tag>',
  describe: 'what a registry tag means (artifact, event, version, stage), for a workflow a tag push started',
  builder: (y) =>
    y
      .positional('tag', { type: 'string', demandOption: true, describe: 'a tag name, or refs/tags/NAME' })
      .option('json', { type: 'boolean', describe: 'print it as JSON' })
      .example('$0 check-ref "$GITHUB_REF" --json', 'in a deploy job: which version went to which stage'),
  handler: async (argv) => {
    const m = checkRef(findRepo(), argv.tag);
    if (argv.json) return printJson(m);
    if (!m.registry) {
      output().out(`${m.tag} is not a registry tag${m.problem ? `: ${m.problem}` : ''}`);
      return;
    }
    const what = m.stage ? `${m.event} of stage ${m.stage} to ${m.version}` : `${m.event} of ${m.version ?? m.name}`;
    const from = m.from ? ` (from ${m.from})` : '';
    output().out(`${m.tag}: ${m.name} ${what}${from} at ${m.commit?.slice(0, 10)}`);
  },
};
