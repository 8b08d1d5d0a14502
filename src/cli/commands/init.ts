import type { CommandModule } from 'yargs';
import { installHooks } from '../../core/hooks/install.js';
import { setHooksOptOut } from '../../core/hooks/missing.js';
import { init } from '../../core/repo/init.js';
import { useRemoteUrl } from '../../core/repo/remote-settings.js';
import { secretError, urlSecretProblem } from '../../adapters/remote/url.js';
import { output } from '../output.js';
import { printInstall, thisMvgit } from './install.js';

interface InitArgs {
  hooks: boolean;
  remote?: string;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'set up mvgit in this git repository (config, cache)',
  builder: (y) =>
    y
      .option('hooks', { type: 'boolean', default: true, describe: 'install the git hooks (--no-hooks to skip)' })
      .option('remote', {
        type: 'string',
        describe: 'make this URL the default remote (a folder or s3://bucket/prefix), added as origin',
      })
      .example('$0 init', 'set up mvgit in the current repository')
      .example('$0 init --remote s3://ml-artifacts/churn', 'set up mvgit with an S3 bucket as the default remote')
      .example(
        '$0 init  # in a fresh clone',
        'a clone already has .mvgit/config.yaml: this only sets up the cache and hooks',
      ),
  handler: async (argv) => {
    // Refused before anything is written, so a refused init leaves the repo as it was.
    const secret = argv.remote === undefined ? undefined : urlSecretProblem(argv.remote.trim());
    if (secret) throw secretError(secret);
    const r = init();
    const o = output();
    o.out(
      r.createdConfig
        ? `Initialized mvgit in ${r.repo.root}`
        : `mvgit is already configured in ${r.repo.root}; cache set up`,
    );
    if (argv.remote !== undefined) {
      const remote = await useRemoteUrl(r.repo, argv.remote);
      o.out(`Default remote: ${remote.name} (${remote.url})`);
    }
    // The choice is this clone's: status, pull and checkout warn about missing hooks unless it was made.
    await setHooksOptOut(r.repo, !argv.hooks);
    if (argv.hooks) printInstall(installHooks(r.repo, thisMvgit()));
    else o.out('Git hooks not installed (--no-hooks).');
    if (r.createdConfig) {
      o.out('Next:');
      o.out("  mvgit track 'models/*.pkl' --kind model   # record matching files on every commit");
      o.out('  mvgit add data/train --kind dataset        # or add a file or folder once');
      o.out(`  git add .mvgit${argv.hooks ? ' .gitattributes' : ''} && git commit -m "Track models with mvgit"`);
    }
  },
};
