import { asUserError, isMvgitError, type ErrorCode } from '../base/errors.js';
import { output } from './output.js';
import { bold, red, yellow } from './render/style.js';

/**
 * Usage errors exit 2, like git and most CLIs; a CI gate that fails (`mvgit diff
 * --fail-on-regression`) exits 3, so CI can tell it from a broken run; every other failure exits 1.
 */
const EXIT_CODES: Partial<Record<ErrorCode, number>> = { USAGE: 2, REGRESSION: 3 };

export function exitCodeFor(err: unknown): number {
  if (isMvgitError(err)) return EXIT_CODES[err.code] ?? 1;
  return 1;
}

/**
 * Prints an error the one way all commands share: `error: message` and `hint: ...` on stderr,
 * or the error's JSON on stdout with --json. Stacks only with --debug.
 */
export function reportError(err: unknown, options: { json?: boolean; debug?: boolean } = {}): number {
  const o = output();
  const e = asUserError(err);
  if (options.json) o.out(JSON.stringify({ error: e.toJSON() }, null, 2));
  else {
    o.err(`${red(bold('error:'), process.stderr)} ${e.message}`);
    if (e.hint) o.err(`${yellow('hint:', process.stderr)} ${e.hint}`);
  }
  if (options.debug && err instanceof Error && err.stack) o.err(err.stack);
  return exitCodeFor(e);
}
