import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from './errors.js';
import { TMP_MARK } from './fileops.js';

export interface WalkedFile {
  /** Path inside the artifact, with `/`. */
  rel: string;
  abs: string;
  /** The stat fingerprint of the file (src/core/fileops.ts statKey). */
  st: fs.BigIntStats;
}

/**
 * Lists every file under a directory artifact with its stat, in one pass. Our own temp files
 * (left by a killed run) are removed as they are met. A symlink is followed when it stays
 * inside `repoRoot` and refused when it leads out, so an artifact never pulls in data from
 * elsewhere on the machine.
 */
export function walkArtifactDir(absDir: string, repoRoot: string, displayPath: string): WalkedFile[] {
  const out: WalkedFile[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = dir + '/' + d.name;
      const rel = prefix + d.name;
      if (d.name.includes(TMP_MARK)) {
        fs.rmSync(abs, { force: true });
        continue;
      }
      if (d.isDirectory()) {
        walk(abs, rel + '/');
      } else if (d.isSymbolicLink()) {
        const real = realInside(abs, repoRoot, `${displayPath}/${rel}`);
        const st = fs.statSync(real, { bigint: true });
        if (st.isDirectory()) walk(abs, rel + '/');
        else out.push({ rel, abs, st });
      } else if (d.isFile()) {
        out.push({ rel, abs, st: fs.lstatSync(abs, { bigint: true }) });
      }
      // sockets, fifos and devices are not data: skipped
    }
  };
  walk(absDir, '');
  return out;
}

/** Resolves a symlink, refusing one that leads outside the repository. */
export function realInside(abs: string, repoRoot: string, display: string): string {
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new MvgitError('PATH_NOT_FOUND', `${display} is a symlink to something that does not exist`, { hint: 'remove the broken link or point it at a real file' });
  }
  const root = fs.realpathSync(repoRoot);
  const rel = path.relative(root, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new MvgitError('PATH_OUTSIDE_REPO', `${display} is a symlink that leads outside the repository (to ${real})`, {
      hint: 'copy the data into the repository instead of linking to it',
    });
  }
  return real;
}
