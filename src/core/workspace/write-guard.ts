/**
 * The rules every write into the work tree obeys, whatever a commit holds. Pointers, folder
 * manifests and symlinks come from other people's commits and reach every teammate through
 * the hooks on `git pull`, so checkout, pull, the hooks and `checkout REV` all pass here
 * before they write or delete (src/core/workspace/checkout.ts restoreArtifact is their one way in):
 *
 * - no git-tracked symlink is followed, anywhere on the way to an artifact or inside it;
 * - no symlink inside an artifact's folder is written or deleted through;
 * - nothing is written or deleted inside any `.git`, and no `.git` entry is made;
 * - mvgit's own folder, pointer files and files git tracks are never an artifact's place.
 *
 * An untracked symlink the user made on the way to an artifact (`data -> /mnt/big`) is theirs
 * and keeps working. The threat is a commit, not a local process racing mvgit: each component
 * is checked with lstat just before the writes, which no commit can change in between.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { type IndexEntry, indexEntries } from '../../adapters/git/run.js';
import { isGitName, isPointerPath } from '../pointer/pointer.js';
import { CONFIG_DIR, isOutside, type Repo } from '../repo/repo.js';

const SYMLINK_MODE = '120000';

/** What the way to an artifact's place holds: the symlinks on it, repo-relative. */
export interface Place {
  links: string[];
}

/**
 * Checks the way from the repository's top to an artifact's place (`repoPath`, written in
 * place): refuses mvgit's own folder and pointer files, a symlink that does not resolve, and a
 * place that resolves into a git dir. Cheap (one lstat per path component); the git index is
 * asked only later, by checkIndex, and only when a symlink was met or something is written.
 */
export function inspectPlace(repo: Repo, repoPath: string, isDir: boolean): Place {
  const segs = repoPath.split('/');
  if (segs[0] === CONFIG_DIR || isPointerPath(repoPath) || segs.some(isGitName)) {
    throw unsafe(
      repoPath,
      `${repoPath} is mvgit's or git's own file, not an artifact; not writing there`,
      'remove the pointer that names it: a pointer may only name a model or data file',
    );
  }
  const links: string[] = [];
  let abs = repo.root;
  for (let i = 0; i < segs.length; i++) {
    abs += `/${segs[i]}`;
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!st) break;
    const rel = segs.slice(0, i + 1).join('/');
    if (!st.isSymbolicLink()) {
      if (i < segs.length - 1 && !st.isDirectory()) {
        throw new MvgitError(
          'WOULD_OVERWRITE',
          `${repoPath} needs ${rel} to be a folder, but it is a file; not replacing it`,
          {
            hint: `move ${rel} away, or remove the pointer that names ${repoPath} if it is not yours`,
            data: { path: repoPath, file: rel },
          },
        );
      }
      continue;
    }
    links.push(rel);
    // The artifact's own file may be a link: it is replaced by a rename, never written through.
    if (i === segs.length - 1 && !isDir) break;
    const real = realOrNull(abs);
    if (real === null) {
      throw new MvgitError(
        'PATH_NOT_FOUND',
        `${rel} is a symlink to ${fs.readlinkSync(abs)}, which does not exist; not writing ${repoPath}`,
        {
          hint: `make the folder it points to, or remove the link (rm ${rel}) to let mvgit make a real folder`,
          data: { path: repoPath, link: rel },
        },
      );
    }
    if (insideGitDir(repo, real)) {
      throw unsafe(
        repoPath,
        `${repoPath} leads into a git dir through the symlink ${rel} (to ${real}); not writing there`,
        `remove the link (rm ${rel}), or remove the pointer if it is not yours`,
      );
    }
  }
  return { links };
}

/**
 * What the index holds at and under each of `paths` (artifact paths): the `known` entries
 * checkIndex takes when many artifacts are restored at once. Git is asked once, and only when
 * the first artifact needs it (nothing to write: no question).
 */
export function indexByArtifact(repo: Repo, paths: string[]): (artifactPath: string) => IndexEntry[] {
  let all: IndexEntry[] | undefined;
  return (artifactPath) => {
    all ??= indexEntries(repo, paths);
    return all.filter((e) => e.path === artifactPath || e.path.startsWith(`${artifactPath}/`));
  };
}

/**
 * Asks the git index, once, about an artifact about to be written in place: refuses when a
 * symlink on the way or inside the folder (`links`, repo-relative) is committed, naming them,
 * and when the artifact's place is a file git tracks (a pointer claiming README.md).
 */
export function checkIndex(repo: Repo, repoPath: string, links: string[], known?: IndexEntry[]): void {
  const committedLinks: string[] = [];
  // `known`: what the index holds at and under repoPath, asked once for many artifacts (a
  // branch switch restores dozens); only links above the artifact then need a question of their own.
  const above = known ? links.filter((l) => l !== repoPath && !l.startsWith(`${repoPath}/`)) : links;
  const entries = known ? [...known, ...indexEntries(repo, above)] : indexEntries(repo, [repoPath, ...links]);
  for (const { mode, path: file } of entries) {
    if (mode === SYMLINK_MODE) committedLinks.push(file);
    else if (file === repoPath) {
      throw new MvgitError(
        'PATH_TRACKED_BY_GIT',
        `a pointer names ${repoPath}, a file git tracks; not overwriting it`,
        {
          hint: `remove the pointer ${repoPath}.mvgit.yaml if it is not yours; to track the file with mvgit, 'git rm --cached ${repoPath}' first`,
          data: { path: repoPath },
        },
      );
    }
  }
  if (committedLinks.length > 0) {
    const named =
      committedLinks.slice(0, 10).join(', ') +
      (committedLinks.length > 10 ? `, and ${committedLinks.length - 10} more` : '');
    throw unsafe(
      repoPath,
      `${repoPath}: mvgit never writes through a symlink committed to git, and this artifact's way holds: ${named}`,
      `if the commit is not yours, do not trust it; otherwise replace the link with a real folder ('git rm ${committedLinks[0]}') and commit`,
      { links: committedLinks },
    );
  }
}

/**
 * The last check before files are written or removed under an existing folder `dest`: every
 * folder between `dest` and each file (`rels`, paths inside the artifact) is a real folder or
 * not there yet. A symlink there would send the write elsewhere; the scan reports such links
 * as conflicts first, so meeting one here means the folder changed under us.
 */
export function checkInnerFolders(dest: string, display: string, rels: Iterable<string>): void {
  const checked = new Set<string>();
  for (const rel of rels) {
    let slash = rel.indexOf('/');
    while (slash > 0) {
      const dir = rel.slice(0, slash);
      if (!checked.has(dir)) {
        checked.add(dir);
        const st = fs.lstatSync(path.join(dest, dir), { throwIfNoEntry: false });
        if (st?.isSymbolicLink()) {
          throw unsafe(
            display,
            `${display}/${dir} is a symlink inside the artifact's folder; mvgit never writes through one`,
            `remove the link (rm ${display}/${dir}) and run the command again`,
          );
        }
        if (!st) break; // nothing deeper exists either
      }
      slash = rel.indexOf('/', slash + 1);
    }
  }
}

function insideGitDir(repo: Repo, real: string): boolean {
  const dirs = [repo.gitDir, repo.commonDir].map((d) => realOrNull(d) ?? d);
  return dirs.some((d) => !isOutside(path.relative(d, real))) || real.split(path.sep).some(isGitName);
}

function realOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

function unsafe(repoPath: string, message: string, hint: string, data: Record<string, unknown> = {}): MvgitError {
  return new MvgitError('UNSAFE_PATH', message, { hint, data: { path: repoPath, ...data } });
}
