/**
 * `mvgit hook pre-push REMOTE URL` (stdin: the refs being pushed): uploads the binaries first.
 * Prints one line on stderr; on failure, the reason and the command to retry, and returns 1
 * so git stops the push.
 */
import { isMvgitError } from '../base/errors.js';
import { prePush } from '../core/hooks/pre-push.js';
import { transferError } from '../core/transfer/transfer.js';
import { boundHeapGrowth } from './heap.js';
import { output } from './output.js';
import { progressBar } from './render/progress.js';
import { transferSummary } from './transfer-options.js';

export async function prePushHook(args: string[], stdin: string): Promise<number> {
  const [remoteName = '', remoteUrl = ''] = args;
  const o = output();
  const lines = stdin.split('\n').filter((l) => l.trim() !== '');
  const refs = lines.map((l) => l.split(/\s+/)[0]).filter((r) => r && r !== '(delete)');
  const retry = `mvgit push${refs.length > 0 ? ` ${refs.map((r) => `--rev ${r.replace(/^refs\/(heads|tags)\//, '')}`).join(' ')}` : ''}`;
  boundHeapGrowth();
  const bar = progressBar();
  try {
    const result = await prePush({ remoteName, remoteUrl, lines, onProgress: bar.onProgress }).finally(bar.done);
    if (result.skipped === 'MVGIT_SKIP_PUSH') {
      o.err('mvgit: MVGIT_SKIP_PUSH is set: binaries not uploaded');
      return 0;
    }
    const report = result.report;
    if (!report) return 0;
    if (report.failed.length === 0) {
      o.err(`mvgit: ${transferSummary(report)}`);
      return 0;
    }
    const err = transferError(report, retry);
    o.err(`mvgit: ${err.message}`);
    o.err(`mvgit: push stopped so that nobody receives pointers whose data is not on the remote.`);
    o.err(`mvgit: retry with: ${retry} && git push   (or push without the binaries: MVGIT_SKIP_PUSH=1 git push)`);
    return 1;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    o.err(`mvgit: could not upload the binaries before the push: ${message}`);
    if (isMvgitError(err) && err.hint) o.err(`mvgit: hint: ${err.hint}`);
    o.err(`mvgit: retry with: ${retry} && git push   (or push without the binaries: MVGIT_SKIP_PUSH=1 git push)`);
    return 1;
  }
}
