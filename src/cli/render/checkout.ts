/** What `mvgit checkout` (and pull, and the checkout hooks) print of restore outcomes. */
import path from 'node:path';
import { isMvgitError, MvgitError } from '../../base/errors.js';
import type { CheckoutRevResult } from '../../core/workspace/checkout-rev.js';
import type { RestoreOutcome } from '../../core/workspace/checkout.js';
import { output, printJson } from '../output.js';

/**
 * With --json stdout holds one JSON document: the result, or when something went wrong the
 * error, which carries the result in `data.result`.
 */
export function printJsonOrFail(result: unknown, outcomes: RestoreOutcome[], context: { rev?: string } = {}): void {
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

export function printRevOutcomes(result: CheckoutRevResult, typedOut: string | undefined): void {
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
