/** Names git and the file systems under it treat as `.git`: nothing mvgit writes may take one. */

/** Characters HFS+ ignores in names, so `.g\u200cit` is `.git` there (git's is_hfs_dotgit). */
const IGNORABLE_RE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/**
 * True for a name some file system treats as `.git`: any case (`.GIT` on macOS and Windows),
 * trailing dots and spaces (`.git.`, Windows drops them), the 8.3 short name `git~1`, and HFS+
 * ignorable characters. The same names git itself refuses in a tree (verify_path).
 */
export function isGitName(seg: string): boolean {
  const name = seg
    .replace(IGNORABLE_RE, '')
    .replace(/[. ]+$/, '')
    .toLowerCase();
  return name === '.git' || name === 'git~1';
}
