import type { CommandModule } from 'yargs';
import { mergePointerFiles } from '../../core/history/merge.js';
import { output } from '../output.js';

interface MergeDriverArgs {
  base: string;
  ours: string;
  theirs: string;
  path?: string;
  markerSize?: number;
}

/** Hidden: git runs it as merge.mvgit.driver (`mvgit install` configures it). Exit 0 = merged, 1 = conflict. */
export const mergeDriverCommand: CommandModule<object, MergeDriverArgs> = {
  command: 'merge-driver <base> <ours> <theirs> [path] [marker-size]',
  describe: false,
  builder: (y) =>
    y
      .positional('base', { type: 'string', demandOption: true })
      .positional('ours', { type: 'string', demandOption: true })
      .positional('theirs', { type: 'string', demandOption: true })
      .positional('path', { type: 'string' })
      .positional('marker-size', { type: 'number' }),
  handler: async (argv) => {
    const r = await mergePointerFiles({
      base: argv.base,
      ours: argv.ours,
      theirs: argv.theirs,
      path: argv.path ?? argv.ours,
      markerSize: argv.markerSize,
    });
    if (!r.clean) {
      output().err(
        `mvgit: conflict in ${argv.path ?? argv.ours}: ${r.reason ?? 'both sides changed it'}; the file shows both versions.`,
      );
      process.exitCode = 1;
    }
  },
};
