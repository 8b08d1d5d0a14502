import type { CommandModule } from 'yargs';
import { init } from '../../core/init.js';
import { output } from '../output.js';

interface InitArgs {
  hooks: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'set up mvgit in this git repository (config, cache)',
  builder: (y) =>
    y
      .option('hooks', { type: 'boolean', default: true, describe: 'install the git hooks (--no-hooks to skip)' })
      .example('$0 init', 'set up mvgit in the current repository')
      .example('$0 init  # in a fresh clone', 'a clone already has .mvgit/config.yaml: this only sets up the cache and hooks'),
  handler: (argv) => {
    const r = init();
    const o = output();
    o.out(r.createdConfig ? `Initialized mvgit in ${r.repo.root}` : `mvgit is already configured in ${r.repo.root}; cache set up`);
    if (!argv.hooks) o.out('Git hooks not installed (--no-hooks).');
    if (r.createdConfig) {
      o.out('Next:');
      o.out("  mvgit track 'models/*.pkl' --kind model   # record matching files on every commit");
      o.out('  mvgit add data/train --kind dataset        # or add a file or folder once');
      o.out('  git add .mvgit && git commit -m "Track models with mvgit"');
    }
  },
};
