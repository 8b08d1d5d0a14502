import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { isOutside } from '../repo/repo.js';
import { isDeadTemp, tempOwner } from '../../base/fs/temp-files.js';
import { statKey } from '../../base/fs/stat-key.js';
import { isGitName } from '../pointer/pointer.js';

export interface WalkedFile {
  /** Path inside the artifact, with `/` (its absolute path: fileAbs). */
  rel: string;
  /** The stat fingerprint of the file (src/core/store/file-ops.ts statKey). */
  key: string;
  size: number;
  executable: boolean;
  /** A symlink a scan does not read through (to a folder, out of the repo, or nowhere). */
  link?: true;
}

/**
 * What a scan for checkout met inside a folder that is not data to compare: symlinks other
 * than mvgit's own links into the store, and `.git` entries, which are never listed, entered,
 * written or removed.
 */
export interface WalkFindings {
  /** Symlinks, by path inside the artifact (git may track them: the caller asks the index). */
  links: string[];
  /** `.git` files and folders, by path inside the artifact. */
  gitDirs: string[];
  /** When given: filled with each folder's fingerprint, taken before it is listed ('' = the top). */
  dirs?: Record<string, string>;
  /** Set when any symlink was met, mvgit's own included. */
  sawLink?: true;
}

/** What an add's walk saw of the folders themselves, for the folder memo (folder-memo.ts). */
export interface FolderSeen {
  /** Each folder's fingerprint, taken before it is listed ('' = the top). */
  dirs: Record<string, string>;
  /** A symlink was read through: its stats are the target's, which a memo's lstat would not see. */
  links: boolean;
}

/**
 * What a walk keeps of one file: strings and numbers only, so the stat objects die young, and
 * no absolute path (made again when the file is read: at a million files, a million strings).
 */
export function walked(rel: string, st: fs.Stats | fs.BigIntStats): WalkedFile {
  return { rel, key: statKey(st), size: Number(st.size), executable: (Number(st.mode) & 0o100) !== 0 };
}

/** The absolute path of a walked file of the artifact at `root` (`rel` '' is the artifact itself). */
export function fileAbs(root: string, rel: string): string {
  return rel === '' ? root : `${root}/${rel}`;
}

/**
 * Lists every file under a directory artifact with its stat, in one pass. Our own temp files
 * are skipped, and removed when the run that made them is gone. A symlink inside the folder is never
 * entered when it leads to a folder: a commit could aim it anywhere (`h -> ../.git/hooks`).
 *
 * For `add` (no `findings`), a symlink to a file inside the repository is read through, one to
 * a folder or out of the repository is refused, and so is a `.git` inside the folder (a
 * manifest may not hold one). For a scan before checkout (`findings` given), nothing throws:
 * links other than mvgit's own into `store` are listed as `link` entries (a file link inside
 * the repository is also read through) and reported, and `.git` entries are reported and left
 * out, so the caller decides.
 *
 * With `statFiles` false (an add with no stat-cache record to compare against), regular files
 * are listed from the folder's entry types alone, with no key and size 0: the store job stats
 * each file through the descriptor it reads, so an lstat here would be a second one.
 */
export function walkArtifactDir(
  absDir: string,
  repoRoot: string,
  displayPath: string,
  store?: string,
  findings?: WalkFindings,
  statFiles = true,
  seen?: FolderSeen,
): WalkedFile[] {
  const out: WalkedFile[] = [];
  const dirKeys = findings?.dirs ?? seen?.dirs;
  const walk = (dir: string, prefix: string): void => {
    if (dirKeys) dirKeys[prefix.slice(0, -1)] = statKey(fs.statSync(dir));
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = `${dir}/${d.name}`;
      const rel = prefix + d.name;
      // Only a name of our exact temp shape is ours: a dead process's is cleared, a live
      // one's (a checkout writing now) left alone; any other name is the user's file.
      if (tempOwner(d.name) !== null) {
        if (isDeadTemp(d.name)) fs.rmSync(abs, { force: true, recursive: true });
        continue;
      }
      if (isGitName(d.name)) {
        if (!findings)
          throw refused(
            `${displayPath}/${rel}`,
            'is a git repository inside the folder; a manifest cannot hold one',
            'remove it, or track the folders beside it separately',
          );
        findings.gitDirs.push(rel);
      } else if (d.isDirectory()) {
        walk(abs, `${rel}/`);
      } else if (d.isSymbolicLink()) {
        if (findings) findings.sawLink = true;
        if (seen) seen.links = true;
        const file = findings
          ? scannedLink(abs, rel, repoRoot, store, findings)
          : addedLink(abs, repoRoot, `${displayPath}/${rel}`, store);
        out.push(file ? walked(rel, file) : { rel, key: '', size: 0, executable: false, link: true });
      } else if (d.isFile()) {
        out.push(statFiles ? walked(rel, fs.lstatSync(abs)) : { rel, key: '', size: 0, executable: false });
      }
      // sockets, fifos and devices are not data: skipped
    }
  };
  walk(absDir, '');
  return out;
}

/** add: the stat of the file a link inside the folder leads to; a folder or the outside is refused. */
function addedLink(abs: string, repoRoot: string, display: string, store?: string): fs.Stats {
  const st = fs.statSync(realInside(abs, repoRoot, display, store));
  if (st.isDirectory())
    throw refused(
      display,
      'is a symlink to a folder; mvgit does not follow links inside an artifact',
      'replace the link with the folder itself, or track the folder it points to separately',
    );
  return st;
}

/**
 * A scan: the stat to compare for a link that is mvgit's own (into the store, link mode symlink)
 * or leads to a file inside the repository; undefined for any other, which is reported.
 */
function scannedLink(
  abs: string,
  rel: string,
  repoRoot: string,
  store: string | undefined,
  findings: WalkFindings,
): fs.Stats | undefined {
  const target = fs.readlinkSync(abs);
  const ours = store !== undefined && target.startsWith(`${store}/`) && !target.includes('/../');
  if (!ours) findings.links.push(rel);
  let real: string;
  try {
    real = ours ? target : realInside(abs, repoRoot, rel, store);
  } catch {
    return undefined; // dangling, or out of the repository: not data we read
  }
  const st = fs.statSync(real, { throwIfNoEntry: false });
  return st?.isFile() ? st : undefined;
}

function refused(display: string, problem: string, hint: string): MvgitError {
  return new MvgitError('UNSUPPORTED_FILE', `${display} ${problem}`, { hint, data: { path: display } });
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
    throw new MvgitError('PATH_NOT_FOUND', `${display} is a symlink to something that does not exist`, {
      hint: 'remove the broken link or point it at a real file',
    });
  }
  const inside = (dir: string | null): boolean => dir !== null && !isOutside(path.relative(dir, real));
  if (!inside(realDir(repoRoot)) && !(store !== undefined && inside(realDir(store)))) {
    throw new MvgitError(
      'PATH_OUTSIDE_REPO',
      `${display} leads outside the repository through a symlink (to ${real})`,
      {
        hint: 'copy the data into the repository instead of linking to it',
      },
    );
  }
  return real;
}
