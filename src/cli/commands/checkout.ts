import type { CommandModule } from 'yargs';
import { checkout, type RestoreOutcome } from '../../core/checkout.js';
import { openWorkspace } from '../../core/context.js';
import { MvgitError } from '../../core/errors.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';

interface CheckoutArgs {
  paths: string[];
  force?: boolean;
  json?: boolean;
}

export const checkoutCommand: CommandModule<object, CheckoutArgs> = {
  command: 'checkout [paths..]',
  describe: 'make the work tree match the pointers, from the cache',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, default: [] as string[] })
      .option('force', { alias: 'f', type: 'boolean', describe: 'overwrite work-tree files even when their content is not in the cache (it is lost)' })
      .option('json', { type: 'boolean', describe: 'print the outcome as JSON' })
      .example('$0 checkout', 'restore every artifact')
      .example('$0 checkout models/churn.pkl --force', 'throw away local edits to one model'),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const bar = progressBar();
    let outcomes: RestoreOutcome[];
    try {
      outcomes = await checkout(ws, { paths: argv.paths, force: argv.force, onProgress: bar.onProgress });
    } finally {
      bar.done();
    }
    if (argv.json) printJson(outcomes);
    else printOutcomes(outcomes);
    throwForProblems(outcomes);
  },
};

/** One line per artifact that changed, then a summary. Shared with the checkout hooks. */
export function printOutcomes(outcomes: RestoreOutcome[]): void {
  const o = output();
  for (const r of outcomes) {
    if (r.result === 'restored') o.out(`restored ${r.path} (${r.restored} written, ${r.removed} removed)`);
    if (r.result === 'incomplete') o.out(`partly restored ${r.path} (${r.restored} written; ${r.missing.length} missing, ${r.corrupt.length} corrupt)`);
  }
  if (outcomes.length > 0 && outcomes.every((r) => r.result === 'up-to-date')) o.out('Everything is up to date.');
}

/** Conflicts, missing and corrupt objects make the command fail (exit 1) with the way out. */
export function throwForProblems(outcomes: RestoreOutcome[]): void {
  const conflicts = outcomes.flatMap((r) => r.conflicts);
  if (conflicts.length > 0) {
    throw new MvgitError('WOULD_OVERWRITE', `not overwriting ${conflicts.length} file(s) whose content is not in the cache: ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', ...' : ''}`, {
      hint: "keep the changes with 'mvgit add PATH', or discard them with 'mvgit checkout PATH --force'",
      data: { conflicts },
    });
  }
  const corrupt = outcomes.flatMap((r) => r.corrupt.map((h) => `${r.path} (${h.slice(0, 12)})`));
  if (corrupt.length > 0) {
    throw new MvgitError('OBJECT_CORRUPT', `corrupt objects in the cache, not copied: ${corrupt.slice(0, 5).join(', ')}`, { hint: "run 'mvgit fsck --repair', then 'mvgit pull' to fetch good copies", data: { corrupt } });
  }
  const missing = outcomes.flatMap((r) => r.missing.map((h) => `${r.path} (${h.slice(0, 12)})`));
  if (missing.length > 0) {
    throw new MvgitError('OBJECT_MISSING', `${missing.length} object(s) are not in the cache: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`, {
      hint: "fetch them with 'mvgit pull' (from a remote that has them)",
      data: { missing },
    });
  }
}
