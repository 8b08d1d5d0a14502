import type { CommandModule } from 'yargs';
import { commit } from '../../core/hooks/commit.js';
import { printRecorded, printStale, printWarnings } from '../render/hooks.js';

interface CommitArgs {
  _: (string | number)[];
  '--'?: (string | number)[];
}

export const commitCommand: CommandModule<object, CommitArgs> = {
  command: 'commit',
  describe:
    'record the artifacts the tracking rules match, stage their pointers, then git commit with the same options',
  builder: (y) =>
    y
      .usage(
        '$0 commit [git commit options]\n\nRecords the artifacts the tracking rules match, stages their pointers, then runs git commit\nwith the options as given (a commit whose only change is a retrained model is not dropped).',
      )
      // Every option belongs to git commit: pass them through as they were typed.
      .parserConfiguration({
        'unknown-options-as-args': true,
        'populate--': true,
        'parse-numbers': false,
        'parse-positional-numbers': false,
      })
      .strict(false)
      .example('$0 commit -am "retrain with more data"', 'commit a retrained model even when nothing else changed')
      .example('$0 commit --amend --no-edit', 'any git commit option works'),
  handler: async (argv) => {
    const gitArgs = argv._.slice(1).map(String);
    if (argv['--']) gitArgs.push('--', ...argv['--'].map(String));
    const r = await commit(gitArgs);
    printRecorded(r.recorded.recorded);
    printStale(r.recorded.stale);
    printWarnings(r.recorded.warnings);
    process.exitCode = r.gitStatus;
  },
};
