/**
 * How `mvgit checkout`'s words are read: REV is only ever the word before `--`, or the first
 * word when -o is given, so a path can never be taken for a revision; and the errors that
 * explain a word taken the wrong way.
 */
import { isMvgitError, MvgitError } from '../base/errors.js';
import { resolveRev } from '../core/history/revision.js';
import type { Repo } from '../core/repo/repo.js';

export interface CheckoutArgs {
  args: string[];
  out?: string;
  force?: boolean;
  json?: boolean;
  '--'?: string[];
}

export interface CheckoutCommand {
  rev?: string;
  paths: string[];
  out?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * REV is only ever the word before `--`, or the first word when -o is given, so a path can never
 * be taken for a revision. Options written after `--` (`REV -- PATH -o OUT`, the form the docs
 * use) are still options; a file really named `-o` is written `./-o`.
 */
export function parseCheckoutArgs(argv: CheckoutArgs): CheckoutCommand {
  const cmd: CheckoutCommand = { paths: [], out: argv.out, force: argv.force, json: argv.json };
  const after = argv['--'];
  if (after !== undefined) {
    for (let i = 0; i < after.length; i++) {
      const a = String(after[i]);
      if (a === '-o' || a === '--out') {
        if (i + 1 >= after.length)
          throw new MvgitError('USAGE', `${a} needs a path`, {
            hint: 'for example: mvgit checkout v1 -- models/m.pkl -o ../old.pkl',
          });
        cmd.out = String(after[++i]);
      } else if (a.startsWith('--out=')) cmd.out = a.slice('--out='.length);
      else if (a === '-f' || a === '--force') cmd.force = true;
      else if (a === '--json') cmd.json = true;
      else cmd.paths.push(a);
    }
    if (argv.args.length > 1) {
      throw new MvgitError('USAGE', `only one revision goes before --, got: ${argv.args.join(' ')}`, {
        hint: 'mvgit checkout REV -- PATH...',
      });
    }
    cmd.rev = argv.args[0] ?? (cmd.out !== undefined ? 'HEAD' : undefined);
  } else if (cmd.out !== undefined) {
    cmd.rev = argv.args[0] ?? 'HEAD';
    cmd.paths = argv.args.slice(1);
  } else {
    cmd.paths = argv.args;
  }
  if (cmd.out === '')
    throw new MvgitError('USAGE', '-o needs a path', {
      hint: 'for example: mvgit checkout v1 -- models/m.pkl -o ../old.pkl',
    });
  return cmd;
}

/** `mvgit checkout models/m.pkl -o x` reads models/m.pkl as the REV: say how to write what was meant. */
export function explainRevNotFound(err: unknown, cmd: CheckoutCommand): unknown {
  if (!isMvgitError(err, 'REV_NOT_FOUND') || cmd.out === undefined || cmd.paths.length > 0) return err;
  return new MvgitError('REV_NOT_FOUND', err.message, {
    hint: `with -o, the first word is the revision; for a path write: mvgit checkout HEAD -- ${cmd.rev} -o ${cmd.out}`,
    data: err.data,
    cause: err,
  });
}

/** `mvgit checkout v1` restores the path `v1`; when that is not tracked but is a revision, say how to name the revision. */
export function explainPathIsRev(err: unknown, repo: Repo, cmd: CheckoutCommand): unknown {
  if (!isMvgitError(err, 'NOT_TRACKED')) return err;
  const rev = cmd.paths.find((p) => {
    try {
      return resolveRev(repo, p) !== '';
    } catch {
      return false;
    }
  });
  if (rev === undefined) return err;
  const rest = cmd.paths.filter((p) => p !== rev);
  return new MvgitError('NOT_TRACKED', err.message, {
    hint: `to check out revision ${rev}, put it before --: mvgit checkout ${rev} --${rest.length ? ` ${rest.join(' ')}` : ''}`,
    data: err.data,
    cause: err,
  });
}
