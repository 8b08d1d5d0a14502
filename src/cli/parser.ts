import yargs, { type Argv, type CommandModule } from 'yargs';
import { MvgitError } from '../core/errors.js';
import { addCommand } from './commands/add.js';
import { checkoutCommand } from './commands/checkout.js';
import { commitCommand } from './commands/commit.js';
import { configCommand } from './commands/config.js';
import { fsckCommand } from './commands/fsck.js';
import { initCommand } from './commands/init.js';
import { installCommand, uninstallCommand } from './commands/install.js';
import { mergeDriverCommand } from './commands/merge-driver.js';
import { logCommand } from './commands/log.js';
import { fetchCommand } from './commands/fetch.js';
import { gcCommand } from './commands/gc.js';
import { pullCommand } from './commands/pull.js';
import { pushCommand } from './commands/push.js';
import { remoteCommand } from './commands/remote.js';
import { statusCommand } from './commands/status.js';
import { trackCommand, untrackCommand } from './commands/track.js';

export const commands: CommandModule<any, any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any -- yargs' own CommandModule defaults
  initCommand,
  trackCommand,
  untrackCommand,
  addCommand,
  statusCommand,
  checkoutCommand,
  logCommand,
  fsckCommand,
  configCommand,
  installCommand,
  uninstallCommand,
  commitCommand,
  mergeDriverCommand,
  remoteCommand,
  pushCommand,
  pullCommand,
  fetchCommand,
  gcCommand,
];

/**
 * The yargs parser with every command. Exported so tests can run `parseAsync` in process
 * (as release-please does); only bin/mvgit.js runs it on the real argv.
 */
export function buildParser(args?: string[]): Argv {
  let parser = yargs(args)
    .scriptName('mvgit')
    .usage('$0 <command> [options]\n\nGit-native versioning for ML models and datasets.')
    .option('debug', { type: 'boolean', describe: 'show stack traces on errors', global: true })
    .strict()
    .demandCommand(1, 'name a command; see mvgit --help')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new MvgitError('USAGE', msg, { hint: 'see mvgit --help, or mvgit COMMAND --help' });
    });
  for (const c of commands) parser = parser.command(c);
  return parser;
}
