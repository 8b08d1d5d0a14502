import type { ProgressEvent } from '../../core/repo/workspace.js';
import { formatBytes } from './style.js';

/**
 * A one-line progress indicator on stderr, drawn only on a TTY and at most ten times a
 * second; elsewhere (CI logs, pipes) it stays silent and the command's summary says enough.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: (e: ProgressEvent) => void;
  done: () => void;
} {
  if (!stream.isTTY || process.env.MVGIT_NO_PROGRESS) return { onProgress: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  let started = 0;
  const transferText = (e: ProgressEvent, now: number): string => {
    if (e.bytes === undefined) return '';
    started ||= now;
    const secs = (now - started) / 1000;
    const rate = secs > 0.5 ? `, ${formatBytes(Math.round(e.bytes / secs))}/s` : '';
    return `(${formatBytes(Math.max(0, e.bytes))}${e.totalBytes ? ` of ${formatBytes(e.totalBytes)}` : ''}${rate}) `;
  };
  return {
    onProgress(e) {
      const now = Date.now();
      if (now - last < 100 && e.done !== e.total) return;
      last = now;
      const width = 24;
      const filled = e.total > 0 ? Math.round((e.done / e.total) * width) : width;
      stream.write(
        `\r${e.phase.padEnd(7)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total} ${transferText(e, now)}${e.path ?? ''}\u001b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
