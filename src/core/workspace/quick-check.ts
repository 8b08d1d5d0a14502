import fs from 'node:fs';
import { statKey } from '../../base/fs/stat-key.js';
import { TMP_MARK } from '../../base/fs/temp-files.js';
import { isGitName } from '../pointer/pointer.js';
import type { ArtifactState } from '../store/stat-cache.js';

const NO_THROW = { throwIfNoEntry: false } as const;

/**
 * True when a folder holds exactly the files its stat-cache record lists, each with the
 * recorded fingerprint: the question a status with nothing changed asks of every folder.
 * Nothing per file outlives its iteration (no WalkedFile, no map), which is what made the full
 * scan (scan.ts) cost 2-3x a bare walk beside a 20,000-file dataset: most of its time went to
 * the garbage collector moving those records. Anything the full scan handles with care (a
 * symlink, one of our temp files, a `.git` folder, an unreadable folder) answers false, and the
 * caller scans properly.
 */
export function folderMatchesState(absDir: string, state: ArtifactState, dirs?: Record<string, string>): boolean {
  const files = state.files;
  let seen = 0;
  const walk = (dir: string, prefix: string): boolean => {
    let entries: fs.Dirent[];
    try {
      // Each folder's fingerprint before its listing, as the full walk takes it, for the memo.
      if (dirs) dirs[prefix.slice(0, -1)] = statKey(fs.statSync(dir));
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const d of entries) {
      const name = d.name;
      if (name.includes(TMP_MARK)) return false;
      if (d.isFile()) {
        // An own property only: a file named `constructor` is not in every record.
        const known = Object.hasOwn(files, prefix + name) ? files[prefix + name] : undefined;
        const st = known && fs.lstatSync(`${dir}/${name}`, NO_THROW);
        if (!st || statKey(st) !== known[0]) return false;
        seen++;
      } else if (d.isDirectory()) {
        if (isGitName(name) || !walk(`${dir}/${name}`, `${prefix}${name}/`)) return false;
      } else if (d.isSymbolicLink()) return false;
      // sockets, fifos and devices are not data: the full walk skips them too
    }
    return true;
  };
  return walk(absDir, '') && seen === Object.keys(files).length;
}
