import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from './errors.js';
import { isOutside } from './repo.js';
import { isDeadTemp, statKey, tempOwner } from './fileops.js';

export interface WalkedFile {
  /** Path inside the artifact, with `/`. */
  rel: string;
  abs: string;
  /** The stat fingerprint of the file (src/core/fileops.ts statKey). */
  key: string;
  size: number;
  executable: boolean;
}

/**
 * What a walk keeps of one file: strings and numbers only, so the stat objects die young.
 */
export function walked(rel: string, abs: string, st: fs.Stats | fs.BigIntStats): WalkedFile {
  return { rel, abs, key: statKey(st), size: Number(st.size), executable: (Number(st.mode) & 0o100) !== 0 };
}

/**
 * Lists every file under a directory artifact with its stat, in one pass. Our own temp files
 * are skipped, and removed when the run that made them is gone. A symlink is followed when it stays
 * inside `repoRoot` and refused when it leads out, so an artifact never pulls in data from
 * elsewhere on the machine.
 */
export function walkArtifactDir(absDir: string, repoRoot: string, displayPath: string, store?: string): WalkedFile[] {
  const out: WalkedFile[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = dir + '/' + d.name;
      const rel = prefix + d.name;
      // Only a name of our exact temp shape is ours: a dead process's is cleared, a live
      // one's (a checkout writing now) left alone; any other name is the user's file.
      if (tempOwner(d.name) !== null) {
        if (isDeadTemp(d.name)) fs.rmSync(abs, { force: true, recursive: true });
        continue;
      }
      if (d.isDirectory()) {
        walk(abs, rel + '/');
      } else if (d.isSymbolicLink()) {
        const real = realInside(abs, repoRoot, `${displayPath}/${rel}`, store);
        const st = fs.statSync(real);
        if (st.isDirectory()) walk(abs, rel + '/');
        else out.push(walked(rel, abs, st));
      } else if (d.isFile()) {
        out.push(walked(rel, abs, fs.lstatSync(abs)));
      }
      // sockets, fifos and devices are not data: skipped
    }
  };
  walk(absDir, '');
  return out;
}

const realDirs = new Map<string, string>();
/** A folder's real path, asked of the file system once per process (a walk may ask per file). */
function realDir(dir: string): string | null {
  let real = realDirs.get(dir);
  if (real === undefined) {
    try {
      real = fs.realpathSync(dir);
    } catch {
      return null; // not there (yet): ask again next time
    }
    realDirs.set(dir, real);
  }
  return real;
}

/**
 * Resolves a symlink, refusing one that leads outside the repository. Links into the object
 * store `store` are mvgit's own (link mode symlink), wherever the store is: a linked worktree
 * shares the main repository's.
 */
export function realInside(abs: string, repoRoot: string, display: string, store?: string): string {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new MvgitError('PATH_NOT_FOUND', `${display} is a symlink to something that does not exist`, { hint: 'remove the broken link or point it at a real file' });
  }
  const inside = (dir: string | null): boolean => dir !== null && !isOutside(path.relative(dir, real));
  if (!inside(realDir(repoRoot)) && !(store !== undefined && inside(realDir(store)))) {
    throw new MvgitError('PATH_OUTSIDE_REPO', `${display} leads outside the repository through a symlink (to ${real})`, {
      hint: 'copy the data into the repository instead of linking to it',
    });
  }
  return real;
}
