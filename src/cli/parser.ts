import yargs, { type Argv, type CommandModule } from 'yargs';
import { MvgitError } from '../base/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' own CommandModule defaults
type AnyCommand = CommandModule<any, any>;

/**
 * Every command, by the name a user types, loaded on demand: loading all of them (and the core
 * modules behind them) cost more than the work of a `mvgit status`. The order is the order of
 * `mvgit --help`.
 */
const COMMANDS: [name: string, load: () => Promise<AnyCommand[]>][] = [
  ['init', async () => [(await import('./commands/init.js')).initCommand]],
  ['track', async () => [(await import('./commands/track.js')).trackCommand]],
  ['untrack', async () => [(await import('./commands/track.js')).untrackCommand]],
  ['add', async () => [(await import('./commands/add.js')).addCommand]],
  ['commit', async () => [(await import('./commands/commit.js')).commitCommand]],
  ['status', async () => [(await import('./commands/status.js')).statusCommand]],
  ['checkout', async () => [(await import('./commands/checkout.js')).checkoutCommand]],
  ['log', async () => [(await import('./commands/log.js')).logCommand]],
  ['remote', async () => [(await import('./commands/remote.js')).remoteCommand]],
  ['push', async () => [(await import('./commands/push.js')).pushCommand]],
  ['pull', async () => [(await import('./commands/pull.js')).pullCommand]],
  ['fetch', async () => [(await import('./commands/fetch.js')).fetchCommand]],
  ['gc', async () => [(await import('./commands/gc.js')).gcCommand]],
  ['fsck', async () => [(await import('./commands/fsck.js')).fsckCommand]],
  ['config', async () => [(await import('./commands/config.js')).configCommand]],
  ['install', async () => [(await import('./commands/install.js')).installCommand]],
  ['uninstall', async () => [(await import('./commands/install.js')).uninstallCommand]],
  ['merge-driver', async () => [(await import('./commands/merge-driver.js')).mergeDriverCommand]],
];

/**
 * The yargs parser for `args`. Exported so tests can run `parseAsync` in process (as
 * release-please does); only bin/mvgit.js runs it on the real argv. When the first word names
 * a command, only that command is loaded; otherwise (`--help`, a typo) all of them are, so
 * help and "did you mean" see everything.
 */
export async function buildParser(args: string[]): Promise<Argv> {
  const first = args.find((a) => !a.startsWith('-'));
  const known = COMMANDS.find(([name]) => name === first);
  const modules = (await Promise.all((known ? [known] : COMMANDS).map(([, load]) => load()))).flat();
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
  for (const c of modules) parser = parser.command(c);
  return parser;
}
