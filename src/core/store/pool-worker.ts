/** A worker thread of the file pool: runs batches of per-file jobs from src/core/store/file-ops.ts. */
import { parentPort } from 'node:worker_threads';
import { runJob, type Batch } from './jobs.js';

parentPort!.on('message', (batch: Batch) => {
  parentPort!.postMessage({ id: batch.id, results: batch.items.map((item) => runJob(batch, item)) });
});
