/**
 * Keeps gc from removing objects that an add has stored but not yet named in a pointer (a
 * folder's files are all stored before its pointer is written). An add holds a lock file
 * `<data dir>/locks/add-<pid>-<n>` from before it stores until its pointer is written; a gc
 * that removes objects holds `locks/gc-<pid>-<n>` from before it reads the pointers until it
 * has removed what they do not name. Each writes its own file before it looks for the other
 * kind, so of an add and a gc that start together at least one sees the other: the add steps
 * back and waits for the gc to finish, the gc waits for the adds. Files of processes that
 * are gone (a killed run) are ignored and removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { isAlive } from '../../base/fs/temp-files.js';
/** The repository's mvgit data dir holds the locks (a Repo has one). */
type DataDir = { dataDir: string };

type LockKind = 'add' | 'gc';

/** How long one side waits for the other before it stops with an error naming the holder. */
export const LOCK_WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 50;

export interface StoreLock {
  release(): void;
}

let counter = 0;

function lockDir(repo: DataDir): string {
  return path.join(repo.dataDir, 'locks');
}

function take(dir: string, kind: LockKind): StoreLock {
  const file = path.join(dir, `${kind}-${process.pid}-${counter++}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, '');
  return { release: () => fs.rmSync(file, { force: true }) };
}

/** The lock files of `kind` whose process still runs; those of processes that are gone are removed. */
function liveHolders(dir: string, kind: LockKind): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const m = /^(add|gc)-(\d+)-\d+$/.exec(name);
    if (!m || m[1] !== kind) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || isAlive(pid)) out.push(path.join(dir, name));
    else fs.rmSync(path.join(dir, name), { force: true });
  }
  return out;
}

function busy(waiting: LockKind, holder: string, waitMs: number): MvgitError {
  const pid = path.basename(holder).split('-')[1];
  const other =
    waiting === 'gc'
      ? `an add (process ${pid}) is storing objects in the cache`
      : `gc (process ${pid}) is removing objects from the cache`;
  const again =
    waiting === 'gc' ? "run 'mvgit gc' again when the add has finished" : 'run the add again when gc has finished';
  return new MvgitError('STORE_BUSY', `${other}; waited ${Math.round(waitMs / 1000)}s for it to finish`, {
    hint: `${again}; if no mvgit command is running, delete ${holder}`,
    data: { lockFile: holder, pid: Number(pid) },
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Taken by add around storing objects and writing their pointer; waits while a gc runs. */
export async function holdAddLock(repo: DataDir, waitMs = LOCK_WAIT_MS): Promise<StoreLock> {
  const dir = lockDir(repo);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = take(dir, 'add');
    const gcs = liveHolders(dir, 'gc');
    if (gcs.length === 0) return lock;
    // Step back while waiting, so the gc (which waits for adds) can go on.
    lock.release();
    if (Date.now() >= deadline) throw busy('add', gcs[0], waitMs);
    await sleep(POLL_MS);
  }
}

/** Taken by gc before it reads the pointers, until it has removed objects; waits for running adds. */
export async function holdGcLock(repo: DataDir, waitMs = LOCK_WAIT_MS): Promise<StoreLock> {
  const dir = lockDir(repo);
  const deadline = Date.now() + waitMs;
  const lock = take(dir, 'gc');
  for (;;) {
    const adds = liveHolders(dir, 'add');
    if (adds.length === 0) return lock;
    if (Date.now() >= deadline) {
      lock.release();
      throw busy('gc', adds[0], waitMs);
    }
    await sleep(POLL_MS);
  }
}
