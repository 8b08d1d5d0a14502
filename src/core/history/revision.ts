/**
 * Reading history: the pointers of any commit, without touching HEAD, the index or the work
 * tree, through `git ls-tree` and one `git cat-file --batch` (a few milliseconds; loading
 * isomorphic-git alone cost ~150 ms). Revision expressions (HEAD~2, v1.0^{}, short oids) are
 * resolved here, by the real git, which knows every syntax.
 */
import { MvgitError } from '../../base/errors.js';
import { catFile } from '../../adapters/git/cat-file.js';
import { type GitDir, git, splitZ } from '../../adapters/git/run.js';
import { artifactPathOf, MAX_POINTER_BYTES, parsePointer, POINTER_SUFFIX, type Pointer } from '../pointer/pointer.js';
import { lookupRegistryRef, parseRegistryRef, registryCommit } from './registry-lookup.js';
import { readRegistry } from './registry-state.js';

/** A pointer as it is in one commit's tree. */
export interface PointerAtRev {
  pointerPath: string;
  /** The artifact's repo path. */
  path: string;
  pointer: Pointer;
  /** The pointer file's blob oid (sha1), for cheap equality between commits. */
  blob: string;
}

/**
 * The commit a revision names, or REV_NOT_FOUND with a hint. A registry reference
 * (`churn@v0.2.0`, `churn#prod`, `churn@latest`) is resolved through the registry's tags, so
 * every command that takes a revision takes one; a name the registry does not know falls back
 * to git (a branch may be called `fix#12`).
 */
export function resolveRev(repo: GitDir, rev: string): string {
  if (rev.startsWith('-'))
    throw new MvgitError('REV_NOT_FOUND', `'${rev}' is not a revision`, { hint: 'name a commit, branch or tag' });
  if (parseRegistryRef(rev)) {
    const commit = registryCommit(repo, rev);
    if (commit) return commit;
  }
  const out = git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
    allowFail: true,
  }).trim();
  if (!/^[0-9a-f]{40,64}$/.test(out)) {
    // Neither the registry nor git knows it: the registry's error names the known artifacts.
    if (parseRegistryRef(rev)) lookupRegistryRef(readRegistry(repo), rev);
    throw new MvgitError('REV_NOT_FOUND', `revision '${rev}' does not exist`, {
      hint: "name a commit, branch or tag (see 'git log --oneline' and 'git tag')",
      data: { rev },
    });
  }
  return out;
}

/**
 * Every pointer file in a commit's tree, parsed and validated like work-tree pointers.
 * `under` limits the listing to one folder (a repo path), so a lookup of one model does not
 * read the whole tree.
 */
export async function pointersAt(repo: GitDir, commit: string, under?: string): Promise<PointerAtRev[]> {
  // ls-tree takes no glob magic: list the folder (or the tree) and keep the pointer files.
  const folder = under ? under.replace(/\/+$/, '') : '';
  const entries: { blob: string; pointerPath: string }[] = [];
  for (const line of splitZ(
    git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit, ...(folder ? ['--', `${folder}/`] : [])]),
  )) {
    const tab = line.indexOf('\t');
    const [, type, blob] = line.slice(0, tab).split(' ');
    const pointerPath = line.slice(tab + 1);
    if (type === 'blob' && pointerPath.endsWith(POINTER_SUFFIX)) entries.push({ blob, pointerPath });
  }
  const objects = catFile(
    repo,
    entries.map((e) => e.blob),
  );
  return entries
    .map((e, i) => pointerFromBlob(objects[i]?.data ?? Buffer.alloc(0), e.blob, e.pointerPath, commit))
    .sort((a, b) => (a.pointerPath < b.pointerPath ? -1 : 1));
}

/** One pointer at a commit, or null when the file is not in that commit. */
export async function pointerAt(repo: GitDir, commit: string, pointerPath: string): Promise<PointerAtRev | null> {
  const [object] = catFile(repo, [`${commit}:${pointerPath}`]);
  if (object?.type !== 'blob') return null;
  return pointerFromBlob(object.data, object.oid, pointerPath, commit);
}

/** The bytes of a blob (a pointer file at some revision). */
export function blobBytes(repo: GitDir, blob: string): Buffer {
  const [object] = catFile(repo, [blob]);
  if (!object)
    throw new MvgitError('REV_NOT_FOUND', `object ${blob} is not in the repository`, {
      hint: 'fetch the history (git fetch --unshallow) and try again',
    });
  return object.data;
}

function pointerFromBlob(data: Buffer, blob: string, pointerPath: string, commit: string): PointerAtRev {
  const name = `${pointerPath} at ${commit.slice(0, 10)}`;
  if (data.length > MAX_POINTER_BYTES)
    throw new MvgitError('POINTER_INVALID', `${name}: file is ${data.length} bytes; a pointer is a few hundred`, {
      hint: 'this commit holds a damaged pointer',
      data: { file: pointerPath, commit },
    });
  const pointer = parsePointer(data.toString('utf8'), name);
  return { pointerPath, path: artifactPathOf(pointerPath, pointer), pointer, blob };
}
