import yargs, { type Argv } from 'yargs';
import { MvgitError } from '../base/errors.js';
import { COMMANDS } from './commands.js';
import { suggest } from './suggest.js';

/** Subcommands, by command: enough for "did you mean" without loading the command. */
const SUBCOMMANDS: Record<string, string[]> = { remote: ['add', 'list', 'ls', 'remove', 'rm'] };

/**
 * The yargs parser for `args`. Exported so tests can run `parseAsync` in process (as
 * release-please does); only bin/mvgit.js runs it on the real argv. When the first word names
 * a command, only that command is loaded; a word that names none is refused from the static
 * list above, so a typo costs no module loads; with no word (`--help`) all are loaded.
 */
export async function buildParser(args: string[]): Promise<Argv> {
  const words = commandWords(args);
  const known = COMMANDS.find(([name]) => name === words[0]);
  if (words[0] !== undefined && words[0] !== 'help' && !known)
    throw unknownCommand(
      words[0],
      COMMANDS.map(([name]) => name),
    );
  const subs = known ? SUBCOMMANDS[known[0]] : undefined;
  if (subs && words[1] !== undefined && !subs.includes(words[1])) throw unknownCommand(words[1], subs, known![0]);
  const modules = (await Promise.all((known ? [known] : COMMANDS).map(([, load]) => load()))).flat();
  // The options of the command being parsed, seen before yargs validates, for "did you mean --x".
  let current: Argv | undefined;
  let parser = yargs(args)
    .scriptName('mvgit')
    .locale('en') // the failure texts below are read back; yargs would follow LANG otherwise
    .usage('$0 <command> [options]\n\nGit-native versioning for ML models and datasets.')
    .option('debug', { type: 'boolean', describe: 'show stack traces on errors', global: true })
    .strict()
    .demandCommand(1, 'name a command; see mvgit --help')
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    // yargs passes its instance to middleware, which @types/yargs does not declare.
    .middleware(
      ((argv: Record<string, unknown>, y: Argv) => {
        current = y;
        // yargs drops a `--` that nothing follows; `mvgit checkout v1 --` means "every artifact at v1".
        if (argv['--'] === undefined && args.indexOf('--') === args.length - 1) argv['--'] = [];
      }) as never,
      true,
    )
    .fail((msg, err, usage) => {
      if (err) throw err;
      throw usageError(msg, args, words, current, usage);
    });
  for (const c of modules) parser = parser.command(c);
  return parser;
}

/** The words before `--` that are not options: the command, then its subcommand or arguments. */
function commandWords(args: string[]): string[] {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).filter((a) => !a.startsWith('-'));
}

function unknownCommand(typed: string, names: string[], parent?: string): MvgitError {
  const full = (n: string): string => (parent ? `${parent} ${n}` : n);
  const near = suggest(typed, names);
  return new MvgitError('USAGE', `unknown command '${full(typed)}'${near ? ` (did you mean ${full(near)}?)` : ''}`, {
    hint: parent ? `see mvgit ${parent} --help` : 'see mvgit --help for the list of commands',
  });
}

/**
 * Turns yargs' failure text into mvgit's: an unknown option with the nearest real one, a
 * missing argument with the command's usage line. Anything else keeps yargs' words.
 */
function usageError(
  msg: string,
  args: string[],
  words: string[],
  current: Argv | undefined,
  usage: unknown,
): MvgitError {
  const command = words[0] && SUBCOMMANDS[words[0]] && words[1] ? `${words[0]} ${words[1]}` : words[0];
  const hint = command ? `see mvgit ${command} --help` : 'see mvgit --help, or mvgit COMMAND --help';
  const unknown = /^Unknown arguments?: (.+)$/.exec(msg);
  if (unknown) {
    const names = unknown[1].split(', ');
    const option = names.map((n) => typedOption(n, args)).find((o) => o !== undefined);
    if (option !== undefined) {
      const near = suggest(option.replace(/^-+/, ''), optionNames(current));
      return new MvgitError('USAGE', `unknown option ${option}${near ? ` (did you mean ${dashed(near)}?)` : ''}`, {
        hint,
      });
    }
    return new MvgitError(
      'USAGE',
      `unexpected argument${names.length > 1 ? 's' : ''} ${names.map((n) => `'${n}'`).join(' ')}${usageLine(usage, '; usage: ')}`,
      { hint },
    );
  }
  if (/^Not enough non-option arguments|^Missing required argument/.test(msg)) {
    const line = usageLine(usage, 'usage: ');
    return new MvgitError('USAGE', line ? `missing argument; ${line}` : msg, { hint });
  }
  const following = /^Not enough arguments following: (.+)$/.exec(msg);
  if (following)
    return new MvgitError('USAGE', `option ${following[1].length === 1 ? '-' : '--'}${following[1]} needs a value`, {
      hint,
    });
  return new MvgitError('USAGE', msg, { hint });
}

/** How the user wrote the unknown option `name` (`--metric`, `-z`), or undefined for a stray word. */
function typedOption(name: string, args: string[]): string | undefined {
  for (const a of args) {
    if (a === '--') break;
    if (a === `--${name}` || a.startsWith(`--${name}=`)) return `--${name}`;
    if (name.length === 1 && /^-[A-Za-z]+$/.test(a) && a.includes(name)) return `-${name}`;
  }
  return undefined;
}

function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** The names of the options of the command being parsed, without dashes. */
function optionNames(y: Argv | undefined): string[] {
  if (!y) return [];
  // getOptions() is public in yargs but missing from @types/yargs.
  const options = (y as unknown as { getOptions(): unknown }).getOptions() as {
    key: Record<string, unknown>;
    alias: Record<string, string[]>;
  };
  const names = new Set([...Object.keys(options.key), ...Object.values(options.alias).flat()]);
  // yargs adds camelCase twins of dashed names; users type the dashed ones.
  return [...names].filter((n) => !/[A-Z]/.test(n) || !names.has(n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
}

/**
 * The command's usage line (`mvgit config <key> [value]`), from yargs' usage object; its shape
 * is yargs' own, so anything unexpected gives no line rather than an error.
 */
function usageLine(usage: unknown, prefix: string): string {
  try {
    const first = (usage as { getUsage(): [string, string][] }).getUsage()[0]?.[0];
    return typeof first === 'string' ? `${prefix}${first.split('\n')[0].replace(/^\$0/, 'mvgit')}` : '';
  } catch {
    return '';
  }
}
