/**
 * Reading history in process with isomorphic-git: the pointers of any commit, without touching
 * HEAD, the index or the work tree. Revision expressions (HEAD~2, v1.0^{}, short oids) are
 * resolved by the real git, which knows every syntax.
 */
import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import { artifactPathOf, MAX_POINTER_BYTES, parsePointer, POINTER_SUFFIX, type Pointer } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import { git } from '../../adapters/git/run.js';

/** A pointer as it is in one commit's tree. */
export interface PointerAtRev {
  pointerPath: string;
  /** The artifact's repo path. */
  path: string;
  pointer: Pointer;
  /** The pointer file's blob oid (sha1), for cheap equality between commits. */
  blob: string;
}

type IsoGit = typeof import('isomorphic-git');
let iso: IsoGit | undefined;
/** isomorphic-git is loaded only by commands that read history, never on a hook's fast path. */
export async function isoGit(): Promise<IsoGit> {
  iso ??= (await import('isomorphic-git')).default as unknown as IsoGit;
  return iso;
}

/** A shared object cache for isomorphic-git calls within one command: trees are read once. */
const cache: object = {};

/** The commit a revision names, or REV_NOT_FOUND with a hint. */
export function resolveRev(repo: Repo, rev: string): string {
  if (rev.startsWith('-')) throw new MvgitError('REV_NOT_FOUND', `'${rev}' is not a revision`, { hint: 'name a commit, branch or tag' });
  const out = git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowFail: true }).trim();
  if (!/^[0-9a-f]{40,64}$/.test(out)) {
    throw new MvgitError('REV_NOT_FOUND', `revision '${rev}' does not exist`, { hint: "name a commit, branch or tag (see 'git log --oneline' and 'git tag')", data: { rev } });
  }
  return out;
}

/**
 * Every pointer file in a commit's tree, parsed and validated like work-tree pointers.
 * `under` limits the walk to one folder (a repo path), so a lookup of one model does not read
 * the whole tree.
 */
export async function pointersAt(repo: Repo, commit: string, under?: string): Promise<PointerAtRev[]> {
  const g = await isoGit();
  const out: PointerAtRev[] = [];
  const walkTree = async (treeOid: string, prefix: string): Promise<void> => {
    const { tree } = await g.readTree({ fs, gitdir: repo.commonDir, oid: treeOid, cache });
    for (const e of tree) {
      const p = prefix + e.path;
      if (e.type === 'tree') await walkTree(e.oid, p + '/');
      else if (e.type === 'blob' && p.endsWith(POINTER_SUFFIX)) out.push(await readPointerBlob(repo, e.oid, p, commit));
    }
  };
  let start: string;
  try {
    start = under ? (await g.readTree({ fs, gitdir: repo.commonDir, oid: commit, filepath: under, cache })).oid : (await g.readCommit({ fs, gitdir: repo.commonDir, oid: commit, cache })).commit.tree;
  } catch {
    return out; // `under` does not exist at this commit
  }
  await walkTree(start, under ? under.replace(/\/+$/, '') + '/' : '');
  return out.sort((a, b) => (a.pointerPath < b.pointerPath ? -1 : 1));
}

/** One pointer at a commit, or null when the file is not in that commit. */
export async function pointerAt(repo: Repo, commit: string, pointerPath: string): Promise<PointerAtRev | null> {
  const g = await isoGit();
  let blob: string;
  try {
    ({ oid: blob } = await g.readBlob({ fs, gitdir: repo.commonDir, oid: commit, filepath: pointerPath, cache }));
  } catch {
    return null;
  }
  return readPointerBlob(repo, blob, pointerPath, commit);
}

async function readPointerBlob(repo: Repo, blob: string, pointerPath: string, commit: string): Promise<PointerAtRev> {
  const g = await isoGit();
  const { blob: data } = await g.readBlob({ fs, gitdir: repo.commonDir, oid: blob, cache });
  const name = `${pointerPath} at ${commit.slice(0, 10)}`;
  if (data.length > MAX_POINTER_BYTES) throw new MvgitError('POINTER_INVALID', `${name}: file is ${data.length} bytes; a pointer is a few hundred`, { hint: 'this commit holds a damaged pointer', data: { file: pointerPath, commit } });
  const pointer = parsePointer(Buffer.from(data).toString('utf8'), name);
  return { pointerPath, path: artifactPathOf(pointerPath, pointer), pointer, blob };
}
