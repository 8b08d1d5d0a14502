/**
 * What the hooks print. Everything goes to stderr, prefixed `mvgit:`, because it appears in
 * the middle of git's own output and scripts that read `git commit`'s stdout must not see it.
 */
import type { RecordedArtifact } from '../../core/hooks/pre-commit.js';
import type { RestoreReport } from '../../core/hooks/restore.js';
import { asUserError } from '../../base/errors.js';
import { output } from '../output.js';
import { formatBytes, shortOid } from './style.js';

const say = (text: string): void => output().err(`mvgit: ${text}`);
const q = (p: string): string => (/^[A-Za-z0-9_\-.,/:=@%+]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

/** One line per artifact the pre-commit hook recorded. */
export function printRecorded(recorded: RecordedArtifact[]): void {
  for (const a of recorded) {
    const what = a.files !== undefined ? `${a.files} files, ${formatBytes(a.size)}` : formatBytes(a.size);
    say(`recorded ${a.path} (${a.kind}, ${what}, ${shortOid(a.oid)})`);
  }
}

/** Warnings that do not stop the commit (stale metrics, lineage that disagrees). */
export function printWarnings(warnings: string[]): void {
  for (const w of warnings) say(`warning: ${w}`);
}

/** Files `git add` staged that a tracking rule gives to mvgit instead. */
export function printAdopted(adopted: string[]): void {
  if (adopted.length === 0) return;
  say(
    `took ${adopted.join(', ')} out of git's index: a tracking rule matches ${adopted.length === 1 ? 'it' : 'them'}, so mvgit stores ${adopted.length === 1 ? 'it' : 'them'} and git gets the pointer`,
  );
}

/** Artifacts the pre-commit hook did not record because the work tree is behind their pointer. */
export function printStale(stale: string[]): void {
  if (stale.length === 0) return;
  say(
    `not recorded, older than ${stale.length === 1 ? 'its pointer' : 'their pointers'} (a checkout did not finish): ${stale.join(', ')}`,
  );
  say(`  bring ${stale.length === 1 ? 'it' : 'them'} up to date with: mvgit checkout ${stale.map(q).join(' ')}`);
}

/** What a checkout-side hook did: restorations, removals, and one warning per kind of problem. */
export function printRestoreReport(report: RestoreReport): void {
  for (const r of report.outcomes) {
    if (r.result === 'restored')
      say(`restored ${r.path}${r.restored + r.removed > 1 ? ` (${r.restored} written, ${r.removed} removed)` : ''}`);
  }
  for (const p of report.removed) say(`removed ${p} (not tracked here; its content stays in the cache)`);

  for (const r of report.outcomes.filter((o) => o.result === 'conflict')) {
    const files =
      r.conflicts.length === 1 && r.conflicts[0] === r.path
        ? ''
        : ` (${r.conflicts.slice(0, 3).join(', ')}${r.conflicts.length > 3 ? ', ...' : ''})`;
    say(`left ${r.path} as it is: it has unsaved changes${files}, content that is not in the cache.`);
    say(`  keep them: mvgit add ${q(r.path)}    or discard them: mvgit checkout ${q(r.path)} --force`);
  }
  for (const k of report.kept.filter((x) => x.reason === 'unsafe')) {
    say(
      `kept ${k.path}: it is not tracked here, but a symlink or a .git lies on its way, and mvgit never deletes through one. Delete it yourself if you do not need it.`,
    );
  }
  for (const k of report.kept.filter((x) => x.reason === 'unsaved')) {
    say(
      `kept ${k.path}: it is not tracked here, but it holds unsaved changes. Record it with 'mvgit add ${q(k.path)}', or delete it.`,
    );
  }

  const missing = report.outcomes.filter((o) => o.missing.length > 0);
  if (missing.length > 0) {
    const list = missing.map((o) =>
      o.missing.length > 1 ? `${o.path} (${o.missing.length} objects)` : `${o.path} (${o.missing[0].slice(0, 8)})`,
    );
    say(
      `${missing.length === 1 ? 'this artifact is' : `${missing.length} artifacts are`} not in the cache, so not restored: ${list.join(', ')}`,
    );
    say(`  get ${missing.length === 1 ? 'it' : 'them'} with: mvgit pull   (then: mvgit checkout)`);
  }
  const corrupt = report.outcomes.filter((o) => o.corrupt.length > 0);
  if (corrupt.length > 0) {
    say(`corrupt objects in the cache, not copied, for: ${corrupt.map((o) => o.path).join(', ')}`);
    say('  repair with: mvgit fsck --repair && mvgit pull');
  }
  for (const e of report.errors) {
    say(`cannot restore from ${e.path}: ${e.message}`);
    if (e.hint) say(`  ${e.hint}`);
  }
}

/** An error that stops a hook: its message and hint, in the hooks' voice. */
export function printHookError(err: unknown, hook: string): void {
  const e = asUserError(err);
  if (e.code !== 'INTERNAL') {
    say(e.message);
    if (e.hint) say(`hint: ${e.hint}`);
    return;
  }
  say(`the ${hook} hook failed: ${e.message}`);
  if (process.env.MVGIT_DEBUG === '1' && err instanceof Error && err.stack) output().err(err.stack);
}
