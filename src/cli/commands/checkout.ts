import path from 'node:path';
import type { CommandModule } from 'yargs';
import { checkout, type RestoreOutcome } from '../../core/workspace/checkout.js';
import { checkoutRev, type CheckoutRevResult } from '../../core/workspace/checkout-rev.js';
import { openWorkspace } from '../../core/repo/workspace.js';
import { isMvgitError, MvgitError } from '../../base/errors.js';
import { resolveRev } from '../../core/history/revision.js';
import type { Repo } from '../../core/repo/repo.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import { warnIfNoHooks } from './status.js';

interface CheckoutArgs {
  args: string[];
  '--'?: string[];
  out?: string;
  force?: boolean;
  json?: boolean;
}

export const checkoutCommand: CommandModule<object, CheckoutArgs> = {
  command: 'checkout [args..]',
  describe:
    'make the work tree match the pointers, from the cache; or put artifacts as they were at REV in place, or beside it with -o',
  builder: (y) =>
    y
      .usage(
        '$0 checkout [PATH...]\n$0 checkout REV [-- PATH...] [-o OUT] [--force]\n\n' +
          'Without REV: put back the artifacts their pointers describe. ' +
          'With REV (a commit, branch or tag, always before --): put back the artifacts as they were at REV, content and pointer (the pointer is not staged; commit it to keep the old version). ' +
          'With -o: write one artifact as it was at REV to OUT, leaving the work tree as it is.',
      )
      .parserConfiguration({ 'populate--': true })
      .positional('args', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'paths; or REV, when followed by -- or used with -o',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        describe:
          'write the one artifact to OUT (a file, or a folder for a directory artifact) instead of the work tree',
      })
      .option('force', {
        alias: 'f',
        type: 'boolean',
        describe:
          'overwrite work-tree files even when their content is not in the cache (it is lost); with -o, replace OUT',
      })
      .option('json', { type: 'boolean', describe: 'print the outcome as JSON' })
      .example('$0 checkout', 'restore every artifact')
      .example('$0 checkout models/churn.pkl --force', 'throw away local edits to one model')
      .example('$0 checkout v1.0 -- models/churn.pkl', 'put the model (and its pointer) back as it was at tag v1.0')
      .example(
        '$0 checkout HEAD~3 -- models/churn.pkl -o ../churn-old.pkl',
        "an old version beside today's model; the work tree is untouched",
      ),
  handler: async (argv) => {
    const cmd = parseCheckoutArgs(argv);
    const ws = await openWorkspace();
    await warnIfNoHooks(ws.repo);
    const bar = progressBar();
    if (cmd.rev === undefined) {
      let outcomes: RestoreOutcome[];
      try {
        outcomes = await checkout(ws, { paths: cmd.paths, force: cmd.force, onProgress: bar.onProgress });
      } catch (err) {
        throw explainPathIsRev(err, ws.repo, cmd);
      } finally {
        bar.done();
      }
      if (cmd.json) return printJsonOrFail(outcomes, outcomes);
      printOutcomes(outcomes);
      throwForProblems(outcomes);
      return;
    }
    let result: CheckoutRevResult;
    try {
      result = await checkoutRev(ws, {
        rev: cmd.rev,
        paths: cmd.paths,
        out: cmd.out,
        force: cmd.force,
        onProgress: bar.onProgress,
      });
    } catch (err) {
      throw explainRevNotFound(err, cmd);
    } finally {
      bar.done();
    }
    if (cmd.json) return printJsonOrFail(result, result.outcomes, { rev: cmd.rev });
    printRevOutcomes(result, cmd.out);
    throwForProblems(result.outcomes, { rev: cmd.rev });
  },
};

interface CheckoutCommand {
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
function explainRevNotFound(err: unknown, cmd: CheckoutCommand): unknown {
  if (!isMvgitError(err, 'REV_NOT_FOUND') || cmd.out === undefined || cmd.paths.length > 0) return err;
  return new MvgitError('REV_NOT_FOUND', err.message, {
    hint: `with -o, the first word is the revision; for a path write: mvgit checkout HEAD -- ${cmd.rev} -o ${cmd.out}`,
    data: err.data,
    cause: err,
  });
}

/** `mvgit checkout v1` restores the path `v1`; when that is not tracked but is a revision, say how to name the revision. */
function explainPathIsRev(err: unknown, repo: Repo, cmd: CheckoutCommand): unknown {
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

/**
 * With --json stdout holds one JSON document: the result, or when something went wrong the
 * error, which carries the result in `data.result`.
 */
function printJsonOrFail(result: unknown, outcomes: RestoreOutcome[], context: { rev?: string } = {}): void {
  try {
    throwForProblems(outcomes, context);
  } catch (err) {
    if (!isMvgitError(err)) throw err;
    throw new MvgitError(err.code, err.message, { hint: err.hint, data: { ...err.data, result } });
  }
  printJson(result);
}

/** One line per artifact that changed, then a summary. Shared with the checkout hooks. */
export function printOutcomes(outcomes: RestoreOutcome[]): void {
  const o = output();
  for (const r of outcomes) {
    if (r.result === 'restored') o.out(`restored ${r.path} (${r.restored} written, ${r.removed} removed)`);
    if (r.result === 'incomplete')
      o.out(
        `partly restored ${r.path} (${r.restored} written; ${r.missing.length} missing, ${r.corrupt.length} corrupt)`,
      );
  }
  if (outcomes.length > 0 && outcomes.every((r) => r.result === 'up-to-date')) o.out('Everything is up to date.');
}

function printRevOutcomes(result: CheckoutRevResult, typedOut: string | undefined): void {
  const o = output();
  const at = `${result.rev}${result.rev.startsWith(result.commit.slice(0, 7)) ? '' : ` (${result.commit.slice(0, 7)})`}`;
  for (const r of result.outcomes) {
    if (r.result === 'conflict' || r.result === 'incomplete') continue; // the error that follows says it
    if (result.out !== undefined) {
      o.out(`wrote ${r.path} as at ${at} to ${typedOut ?? path.relative(process.cwd(), result.out)}`);
    } else if (r.result === 'restored' || r.pointerUpdated) {
      o.out(
        `restored ${r.path} as at ${at}${r.result === 'restored' ? `: ${r.restored} written, ${r.removed} removed` : ''}`,
      );
    } else {
      o.out(`${r.path} is already as at ${at}`);
    }
  }
  const rolledBack = result.outcomes.filter((r) => r.differsFromHead);
  if (rolledBack.length > 0) {
    const s = rolledBack.length > 1 ? 's' : '';
    o.out(
      `\nThe pointer${s} now differ${s ? '' : 's'} from HEAD (not staged). To keep this: git add ${rolledBack.map((r) => r.pointerPath).join(' ')} && git commit`,
    );
    o.out(`To go back: mvgit checkout HEAD -- ${rolledBack.map((r) => r.path).join(' ')}`);
  }
}

/** Conflicts, missing and corrupt objects make the command fail (exit 1) with the way out. */
export function throwForProblems(outcomes: RestoreOutcome[], context: { rev?: string } = {}): void {
  const conflicts = outcomes.flatMap((r) => r.conflicts);
  if (conflicts.length > 0) {
    throw new MvgitError(
      'WOULD_OVERWRITE',
      `not overwriting ${conflicts.length} file(s) whose content is not in the cache: ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', ...' : ''}`,
      {
        hint: context.rev
          ? `keep the changes with 'mvgit add PATH' first, or discard them: mvgit checkout ${context.rev} -- PATH --force`
          : "keep the changes with 'mvgit add PATH', or discard them with 'mvgit checkout PATH --force'",
        data: { conflicts },
      },
    );
  }
  const corrupt = outcomes.flatMap((r) => r.corrupt.map((h) => `${r.path} (${h.slice(0, 12)})`));
  if (corrupt.length > 0) {
    throw new MvgitError(
      'OBJECT_CORRUPT',
      `corrupt objects in the cache, not copied: ${corrupt.slice(0, 5).join(', ')}`,
      { hint: "run 'mvgit fsck --repair', then 'mvgit pull' to fetch good copies", data: { corrupt } },
    );
  }
  const missing = outcomes.flatMap((r) => r.missing.map((h) => `${r.path} (${h.slice(0, 12)})`));
  if (missing.length > 0) {
    throw new MvgitError(
      'OBJECT_MISSING',
      `${missing.length} object(s) are not in the cache: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      {
        hint: context.rev
          ? `fetch them with 'mvgit pull --rev ${context.rev}' (from a remote that has them), then run this again`
          : "fetch them with 'mvgit pull' (from a remote that has them)",
        data: { missing, ...(context.rev ? { rev: context.rev } : {}) },
      },
    );
  }
}
