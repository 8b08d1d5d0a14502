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

/** What `mvgit status [PATH...] [--json] [--debug]` asks for, or null for any other form. */
export interface PlainStatus {
  paths: string[];
  json: boolean;
}

/** The plain form of `status`, or null when yargs must parse `args` (options, `--`, help). */
export function plainStatus(args: string[]): PlainStatus | null {
  if (args[0] !== 'status') return null;
  const paths: string[] = [];
  let json = false;
  for (const a of args.slice(1)) {
    if (a === '--json') json = true;
    else if (a === '--debug') continue;
    else if (a.startsWith('-') || a === '') return null;
    else paths.push(a);
  }
  return { paths, json };
}

/** True for exactly `mvgit --version`. */
export function plainVersion(args: string[]): boolean {
  return args.length === 1 && args[0] === '--version';
}
