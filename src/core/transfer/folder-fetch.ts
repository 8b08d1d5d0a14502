/**
 * Fetch of many small objects from a folder remote on this machine. Each object is a blocking
 * run of syscalls (open, read, hash, write, seal, rename) with no network wait, so the async
 * queue, one object at a time on the main thread, left every other core idle: the file pool
 * runs the same work (fetchSmallObject) on every core.
 */
import { WHOLE_READ_LIMIT } from '../store/file-ops.js';
import { isJobError, type FetchItem } from '../store/jobs.js';
import { runPool } from '../store/pool.js';
import type { Workspace } from '../repo/workspace.js';
import type { Remote } from '../../adapters/remote/remote.js';
import type { ObjectTask } from './queue.js';

/**
 * Brings in those of `tasks` whose size is known and small, from the folder remote `remote`.
 * Returns the tasks it did not bring in (large, unknown size, missing or bad on the remote):
 * the caller's queue takes them one at a time, and reports each failure in full.
 */
export async function fetchSmallFromFolder(
  ws: Workspace,
  remote: Remote,
  tasks: ObjectTask[],
  onDone: (task: ObjectTask, bytes: number) => void,
): Promise<ObjectTask[]> {
  if (!remote.localPath) return tasks;
  const localPath = remote.localPath.bind(remote);
  const left: ObjectTask[] = [];
  const small: ObjectTask[] = [];
  for (const t of tasks) (t.size >= 0 && t.size <= WHOLE_READ_LIMIT ? small : left).push(t);
  await runPool({
    op: 'fetch',
    objectsDir: ws.store.dir,
    mode: 'copy',
    // Made as batches are sent: a million items are never all held at once.
    items: {
      length: small.length,
      at: (i): FetchItem | undefined => {
        const t = small[i];
        return t && { hex: t.hex, size: t.size, src: localPath(t.hex) };
      },
    },
    keepResults: false,
    onResult: (i, r) => {
      if (isJobError(r)) left.push(small[i]!);
      else onDone(small[i]!, (r as { size: number }).size);
    },
  });
  return left;
}
