import type { CommandModule } from 'yargs';
import { getSetting, setSetting } from '../../core/repo/config-settings.js';
import { MvgitError } from '../../base/errors.js';
import { findRepo, requireInitialized } from '../../core/repo/repo.js';
import { output } from '../output.js';

interface ConfigArgs {
  key: string;
  value?: string;
  local?: boolean;
}

export const configCommand: CommandModule<object, ConfigArgs> = {
  command: 'config <key> [value]',
  describe: 'read or set a setting (committed .mvgit/config.yaml, or --local in the git dir)',
  builder: (y) =>
    y
      .positional('key', {
        type: 'string',
        demandOption: true,
        describe: 'cache.link, cache.fsync, guard.maxFileSize, core.autoFetch, core.remote, remotes.NAME.FIELD',
      })
      .positional('value', { type: 'string' })
      .option('local', { type: 'boolean', describe: 'write the uncommitted config in the git dir' })
      .example('$0 config cache.link hardlink', 'link work-tree files to the cache instead of copying')
      .example('$0 config --local core.autoFetch false', 'a setting for this clone only'),
  handler: async (argv) => {
    const repo = findRepo();
    requireInitialized(repo);
    if (argv.value === undefined) {
      const v = await getSetting(repo, argv.key);
      if (v === undefined)
        throw new MvgitError('CONFIG_INVALID', `${argv.key} is not set`, {
          hint: `set it with: mvgit config ${argv.key} VALUE`,
        });
      output().out(typeof v === 'object' ? JSON.stringify(v) : String(v));
      return;
    }
    await setSetting(repo, argv.key, argv.value, argv.local);
  },
};
