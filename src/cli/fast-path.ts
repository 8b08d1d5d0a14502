/**
 * The commands run often enough that starting the parser costs more than their work: `mvgit
 * status` with nothing changed beside a 20,000-file dataset and `mvgit --version`. For the
 * plainest forms of them main.ts skips yargs, which alone loads ~65 modules (yargs, cliui,
 * string-width, y18n...) before a word is parsed; anything else (an option, `--help`, `--`)
 * goes through the full parser as before, so errors and help stay yargs' own.
 *
 * Chosen over the other ways measured (issue 12; CPU ms, medians of 11 runs, `node -e 0` = 60-80
 * on this 2-core machine while other builds ran): an esbuild bundle of the whole CLI into one
 * file made `mvgit status` slower (449 ms against 230 ms: the 1.1 MB file is parsed whatever the
 * command), and a bundle split per command was no faster (240-290 ms) because Node 20 spends the
 * time compiling and running the modules, not resolving their ~90 files; Node 20 has no
 * compile cache for ES modules (`module.enableCompileCache` is Node 22), and v8-compile-cache
 * only hooks CommonJS. Not loading the parser at all is what wins.
 */

/** The plain forms: each command's positionals (the last may take many) and how many it needs. */
const PLAIN: Record<string, { positionals: string[]; required: number; variadic?: boolean }> = {
  status: { positionals: ['paths'], required: 0, variadic: true },
  ls: { positionals: [], required: 0 },
  show: { positionals: ['path'], required: 1 },
  history: { positionals: ['name'], required: 0 },
  'check-ref': { positionals: ['tag'], required: 1 },
};

/** What a plain form asks for, as yargs would hand it to the command's handler. */
export interface PlainCommand {
  command: string;
  argv: Record<string, unknown> & { _: string[]; $0: string; json: boolean };
}

/**
 * The plain form of a read-only command run often or by scripts (status, and the registry's
 * ls, show, history, check-ref): positionals plus `--json` / `--debug` only. Null when yargs
 * must parse `args` (any other option, `--`, help, a missing or extra positional), so help and
 * usage errors stay yargs' own.
 */
export function plainCommand(args: string[]): PlainCommand | null {
  const spec = PLAIN[args[0]];
  if (!spec) return null;
  const values: string[] = [];
  let json = false;
  for (const a of args.slice(1)) {
    if (a === '--json') json = true;
    else if (a === '--debug') continue;
    else if (a.startsWith('-') || a === '') return null;
    else values.push(a);
  }
  const max = spec.variadic ? Number.POSITIVE_INFINITY : spec.positionals.length;
  if (values.length < spec.required || values.length > max) return null;
  const argv: PlainCommand['argv'] = { _: [args[0]], $0: 'mvgit', json };
  if (spec.variadic) argv[spec.positionals[0]] = values;
  else
    spec.positionals.forEach((name, i) => {
      if (i < values.length) argv[name] = values[i];
    });
  return { command: args[0], argv };
}

/** True for exactly `mvgit --version`. */
export function plainVersion(args: string[]): boolean {
  return args.length === 1 && args[0] === '--version';
}
