import fs from 'node:fs';
import { tmpPathBeside } from './temp-files.js';

export interface AtomicWriteOptions {
  /** The new file's mode (umask does not apply: a hook must be executable). */
  mode?: number;
  /** Make sure the bytes are on disk before the rename publishes them (cache.fsync). */
  fsync?: boolean;
}

/**
 * Writes a file whole or not at all: a temp beside it (a name the sweeper knows, see
 * temp-files.ts), then a rename over it. A reader, or a run killed mid-write, sees the old
 * file or the new one, never half of one. Every small file mvgit writes (pointers, config,
 * .gitignore, hooks, the stat cache) goes through here.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array | Iterable<string | Uint8Array>,
  options: AtomicWriteOptions = {},
): void {
  const tmp = tmpPathBeside(file);
  try {
    const fd = fs.openSync(tmp, 'wx', options.mode ?? 0o666);
    try {
      // Pieces are written as they come, so a large file (a million-file stat-cache record) is
      // never held as one string beside the data it is made from.
      if (typeof data === 'string' || data instanceof Uint8Array) fs.writeFileSync(fd, data);
      else for (const piece of data) fs.writeFileSync(fd, piece);
      if (options.mode !== undefined) fs.fchmodSync(fd, options.mode);
      if (options.fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
