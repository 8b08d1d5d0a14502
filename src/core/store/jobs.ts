/**
 * The jobs the file pool runs, one function per kind, shared by the worker threads and the
 * main thread (which runs small batches itself rather than pay for starting workers).
 */
import fs from 'node:fs';
import { hashFileSync } from '../../base/hash.js';
import {
  fetchSmallObject,
  ObjectFault,
  restoreFile,
  storeFile,
  type ResolvedLinkMode,
  type StoredFile,
} from './file-ops.js';
import { objectPath } from '../../base/object-layout.js';
import { statKey } from '../../base/fs/stat-key.js';

export type JobOp = 'store' | 'restore' | 'hash' | 'fetch';

export interface StoreItem {
  abs: string;
}
/** `direct`: `dest` lies in a staging folder, so it is written at its name (see restoreFile). */
export interface RestoreItem {
  hex: string;
  size: number;
  dest: string;
  x: boolean;
  direct?: boolean;
}
export interface HashItem {
  abs: string;
}
/** An object to bring in from `src`, a folder remote's copy of it; `size` is known. */
export interface FetchItem {
  hex: string;
  size: number;
  src: string;
}
export type JobItem = StoreItem | RestoreItem | HashItem | FetchItem;

export interface Batch {
  id: number;
  op: JobOp;
  objectsDir: string;
  mode: ResolvedLinkMode;
  items: JobItem[];
}

/** A failure of one item, carried back as data: a worker cannot throw across threads. */
export interface JobError {
  error: { kind: 'missing' | 'corrupt' | 'io'; message: string; code?: string; hex?: string };
}
export type HashResult = { hex: string; size: number; key: string };
export type RestoreResult = { key: string };
export type FetchResult = { size: number };
export type JobResult = StoredFile | RestoreResult | HashResult | FetchResult | JobError;

export function isJobError(r: unknown): r is JobError {
  return typeof r === 'object' && r !== null && 'error' in r;
}

export function runJob(batch: Pick<Batch, 'op' | 'objectsDir' | 'mode'>, item: JobItem): JobResult {
  try {
    switch (batch.op) {
      case 'store':
        return storeFile(batch.objectsDir, (item as StoreItem).abs, batch.mode);
      case 'restore': {
        const r = item as RestoreItem;
        return { key: restoreFile(batch.objectsDir, r.hex, r.size, r.dest, batch.mode, r.x, r.direct) };
      }
      case 'hash': {
        const abs = (item as HashItem).abs;
        const before = fs.statSync(abs, { bigint: true });
        const { hex, size } = hashFileSync(abs);
        const after = fs.statSync(abs, { bigint: true });
        const key = statKey(before) === statKey(after) ? statKey(after) : '';
        return { hex, size, key };
      }
      case 'fetch': {
        // Anything but a whole, matching copy is a failure here: the caller takes the object
        // through its one-at-a-time path, which says what is wrong in the remote's words.
        const f = item as FetchItem;
        const got = fetchSmallObject(f.src, objectPath(batch.objectsDir, f.hex), f.hex, f.size);
        if (got === 'missing' || got === 'large' || got.hex !== f.hex || got.size !== f.size)
          return { error: { kind: got === 'missing' ? 'missing' : 'corrupt', hex: f.hex, message: f.src } };
        return { size: got.size };
      }
    }
  } catch (err) {
    if (err instanceof ObjectFault) return { error: { kind: err.kind, hex: err.hex, message: err.message } };
    const e = err as NodeJS.ErrnoException;
    return { error: { kind: 'io', message: e.message, code: e.code } };
  }
}
