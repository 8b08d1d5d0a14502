/**
 * mvgit's temp files: one name shape, `.<name>.mvgit-tmp-<pid>-<counter>-<random>`, made beside
 * the file it will replace (so the rename that publishes it stays on one file system), and one
 * sweeper that clears only those of processes that are gone.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Marks our temporary files so walks skip them and a later run can clear them. */
export const TMP_MARK = '.mvgit-tmp-';

/**
 * The one shape of our temp names, `.<name>.mvgit-tmp-<pid>-<counter>-<random>`: only a name
 * that matches it whole is ours. A user's `backup.mvgit-tmp-old.txt` merely contains the mark
 * and is an ordinary file. (Older versions made the random part 1 to 6 base-36 characters.)
 */
const TMP_NAME = /^\..+\.mvgit-tmp-([1-9][0-9]{0,9})-[0-9]+-[0-9a-z]{1,8}$/;

let tmpCounter = 0;
/**
 * Drawn once per thread (module state is per thread): it tells apart the worker threads of one
 * process, which share its pid, while the counter tells apart one thread's calls. Drawing it
 * per call cost a trip into the random generator for every file of a 20,000-file add.
 */
const threadTag = randomBytes(3).toString('hex');
/** A temp path beside `target`, unique to this process, thread and call. */
export function tmpPathBeside(target: string): string {
  return path.join(path.dirname(target), `${tempPrefixFor(target)}${process.pid}-${tmpCounter++}-${threadTag}`);
}

/**
 * What every temp name beside `target` starts with. A name near the file system's 255-byte
 * limit is shortened (a prefix and a hash of the whole), so its temp still fits.
 */
export function tempPrefixFor(target: string): string {
  const base = path.basename(target);
  if (Buffer.byteLength(base) <= MAX_BASE_BYTES) return `.${base}${TMP_MARK}`;
  let short = base.slice(0, 120);
  while (Buffer.byteLength(short) > 120) short = short.slice(0, -1);
  return `.${short}~${createHash('sha256').update(base).digest('hex').slice(0, 12)}${TMP_MARK}`;
}

/** Temp names add up to ~40 bytes (the mark, a pid, a counter, a random part) to a name. */
const MAX_BASE_BYTES = 200;

/** The pid of the process that made a temp name of ours, or null for any other name. */
export function tempOwner(name: string): number | null {
  const m = TMP_NAME.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * True for a temp name of ours whose process is gone, so nobody is writing it: safe to delete.
 * Our own process's temps are live: another worker thread of ours may be writing one now.
 */
export function isDeadTemp(name: string): boolean {
  const pid = tempOwner(name);
  return pid !== null && pid !== process.pid && !isAlive(pid);
}

/**
 * Removes from `dir` the temp files and staging folders of ours (names of the exact temp
 * shape, and starting with `prefix` when given) that processes no longer running left behind
 * (a killed add or checkout). A live process's temps are left alone: it may be writing them now.
 */
export function clearDeadTemps(dir: string, prefix = ''): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && isDeadTemp(name)) fs.rmSync(path.join(dir, name), { force: true, recursive: true });
  }
}

/** True while process `pid` runs (EPERM: it runs as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
