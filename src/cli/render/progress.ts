import type { ProgressEvent } from '../../core/context.js';

/**
 * A one-line progress indicator on stderr, drawn only on a TTY and at most ten times a
 * second; elsewhere (CI logs, pipes) it stays silent and the command's summary says enough.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  if (!stream.isTTY || process.env.MVGIT_NO_PROGRESS) return { onProgress: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  return {
    onProgress(e) {
      const now = Date.now();
      if (now - last < 100 && e.done !== e.total) return;
      last = now;
      const width = 24;
      const filled = e.total > 0 ? Math.round((e.done / e.total) * width) : width;
      stream.write(`\r${e.phase.padEnd(7)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${e.done}/${e.total} ${e.path ?? ''}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}
