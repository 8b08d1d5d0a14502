/**
 * The transfer queue: runs one task per object with bounded concurrency, the largest objects
 * first (so a big file does not start last and leave one connection busy at the end), and
 * retries each task with capped exponential back-off while its failure is retriable.
 * When a task has used all its tries on a retriable failure (the remote is down), or failed in
 * a way that rules out the whole remote (credentials refused, no such bucket, disk full), the
 * tasks not yet started fail at once rather than each meeting the same error.
 */
import os from 'node:os';
import { backoffMs, DEFAULT_BACKOFF, isFatal, isRetriable, type BackoffOptions } from './retry.js';
import { runLimited } from '../../base/concurrency.js';

export interface QueueTask {
  hex: string;
  size: number;
  /** The artifact (and file inside it) the object belongs to, for messages. */
  path: string;
  run: (onBytes: (n: number) => void) => Promise<void>;
}

/**
 * A task for one object whose work is a function shared by every task of its queue: a queue of
 * a million objects then holds no closure per object (~130 MB of live heap at a million).
 */
export class ObjectTask implements QueueTask {
  readonly hex: string;
  readonly size: number;
  readonly path: string;

  constructor(
    o: { hex: string; size: number; path: string },
    private readonly job: (task: ObjectTask, onBytes: (n: number) => void) => Promise<void>,
  ) {
    this.hex = o.hex;
    this.size = o.size;
    this.path = o.path;
  }

  run(onBytes: (n: number) => void): Promise<void> {
    return this.job(this, onBytes);
  }
}

export interface QueueFailure {
  task: QueueTask;
  error: unknown;
  /** False when the task was never tried because the remote had stopped answering or refused us. */
  attempted: boolean;
}

export interface QueueOptions {
  concurrency?: number;
  /** Tries per object, the first included. */
  attempts?: number;
  backoff?: BackoffOptions;
  /** Bytes moved (negative when a failed try's bytes are taken back). */
  onBytes?: (n: number) => void;
  onTaskDone?: (task: QueueTask, ok: boolean) => void;
}

export const DEFAULT_ATTEMPTS = 5;

/**
 * Transfers at once by default: a few per core, since transfers mostly wait on I/O, and never
 * fewer than 16: a small object's request is one round trip whatever the core count, and on
 * 2 cores 8 at once left a third of an S3 server's throughput unused (bench/suites/s3.js).
 */
export function defaultJobs(): number {
  return Math.max(16, Math.min(32, 4 * os.availableParallelism()));
}

/** Runs every task; never throws for a task's failure, which is returned instead. */
export async function runQueue(
  tasks: QueueTask[],
  options: QueueOptions = {},
): Promise<{ done: QueueTask[]; failed: QueueFailure[] }> {
  const ordered = [...tasks].sort((a, b) => b.size - a.size);
  const concurrency = Math.max(1, options.concurrency ?? defaultJobs());
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const done: QueueTask[] = [];
  const failed: QueueFailure[] = [];
  let stopped: unknown;

  const runOne = async (task: QueueTask): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (stopped !== undefined) {
        failed.push({ task, error: stopped, attempted: attempt > 1 });
        options.onTaskDone?.(task, false);
        return;
      }
      let sent = 0;
      try {
        await task.run((n) => {
          sent += n;
          options.onBytes?.(n);
        });
        done.push(task);
        options.onTaskDone?.(task, true);
        return;
      } catch (err) {
        if (sent > 0) options.onBytes?.(-sent);
        const retriable = isRetriable(err);
        if (!retriable || attempt >= attempts) {
          if (retriable || isFatal(err)) stopped ??= err;
          failed.push({ task, error: err, attempted: true });
          options.onTaskDone?.(task, false);
          return;
        }
        await new Promise((r) => setTimeout(r, backoffMs(attempt, options.backoff ?? DEFAULT_BACKOFF)));
      }
    }
  };

  await runLimited(ordered, concurrency, runOne);
  return { done, failed };
}
