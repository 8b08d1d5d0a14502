import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { runJob, type Batch, type JobItem, type JobOp, type JobResult, type RestoreItem } from './jobs.js';
import type { ResolvedLinkMode } from './file-ops.js';

/** Below this many files, starting threads costs more than it saves. */
const POOL_THRESHOLD = 400;
/**
 * Restores say their sizes, so small files can stay in this thread longer: a worker costs
 * ~30-50 ms to start and ~10 MB of memory, while a small file costs ~0.1 ms of syscalls. A
 * branch switch that rewrites 1,000 files of 4 KiB ran with less CPU time and 12 MB less
 * peak memory here than on two workers. Hashing jobs (store, hash) do not know their sizes
 * before reading, and many large files need every core: they keep POOL_THRESHOLD.
 */
const SMALL_RESTORE_FILES = 2000;
const SMALL_RESTORE_BYTES = 64 << 20;

function inThisThread(run: PoolRun): boolean {
  if (run.items.length < POOL_THRESHOLD) return true;
  if (run.op !== 'restore' || run.items.length >= SMALL_RESTORE_FILES) return false;
  let bytes = 0;
  for (let i = 0; i < run.items.length; i++) bytes += (run.items.at(i) as RestoreItem).size;
  return bytes < SMALL_RESTORE_BYTES;
}

const BATCH = 128;

/**
 * The items of a run: an array, or made on demand (`at`) as batches are sent, so a million-file
 * add never holds a million job objects and their paths at once.
 */
export interface PoolItems {
  readonly length: number;
  at(index: number): JobItem | undefined;
}

export interface PoolRun {
  op: JobOp;
  objectsDir: string;
  mode: ResolvedLinkMode;
  items: PoolItems;
  /** Called as results arrive, in no particular order across batches; must not throw. */
  onResult?: (index: number, result: JobResult) => void;
  /** False: results go to onResult only, and runPool returns none (nothing holds them all). */
  keepResults?: boolean;
}

/**
 * Runs per-file jobs on every core. Results come back in the items' order.
 * Threads are started per call and ended after it, so nothing keeps the process alive.
 */
export async function runPool(run: PoolRun): Promise<JobResult[]> {
  const keep = run.keepResults !== false;
  const results: JobResult[] = keep ? new Array(run.items.length) : [];
  const workerFile = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  // Under the TypeScript test runner the compiled worker does not exist: run in this thread.
  // The built CLI, which the end-to-end tests and benchmarks run, always has it.
  if (inThisThread(run) || !fs.existsSync(workerFile)) {
    for (let i = 0; i < run.items.length; i++) {
      const r = runJob(run, run.items.at(i)!);
      if (keep) results[i] = r;
      run.onResult?.(i, r);
    }
    return results;
  }
  const { Worker } = await import('node:worker_threads');
  const threads = Number(process.env.MVGIT_THREADS) || Math.max(1, Math.min(os.availableParallelism(), 8));
  let next = 0;
  let id = 0;
  const starts = new Map<number, number>();
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const feed = (w: Worker): void => {
        if (next >= run.items.length) {
          if (running === 0) resolve();
          return;
        }
        const start = next;
        const items: JobItem[] = [];
        for (let i = start; i < Math.min(start + BATCH, run.items.length); i++) items.push(run.items.at(i)!);
        next += items.length;
        const batch: Batch = { id: id++, op: run.op, objectsDir: run.objectsDir, mode: run.mode, items };
        starts.set(batch.id, start);
        running++;
        w.postMessage(batch);
      };
      for (let t = 0; t < threads; t++) {
        const w = new Worker(workerFile);
        workers.push(w);
        w.on('message', (msg: { id: number; results: JobResult[] }) => {
          running--;
          const start = starts.get(msg.id)!;
          starts.delete(msg.id);
          msg.results.forEach((r, k) => {
            if (keep) results[start + k] = r;
            run.onResult?.(start + k, r);
          });
          feed(w);
        });
        w.on('error', reject);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
