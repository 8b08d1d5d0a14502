/**
 * Which pointers a push, fetch or gc is about: those of the work tree, the index, some commits,
 * or every commit reachable from a ref. Commits are read with the native git (`ls-tree`,
 * `log --raw`, `cat-file --batch`): one process lists the pointer blobs of a whole history,
 * and hooks never load isomorphic-git.
 */
import { listArtifacts, selectArtifacts } from './work-tree-pointers.js';
import { resolveRev } from './revision.js';
import { catFile, parseRawLine } from '../../adapters/git/cat-file.js';
import { git, indexEntries, splitZ } from '../../adapters/git/run.js';
import { artifactPathOf, isPointerPath, parsePointer, type Pointer } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';

/** A pointer found in the scope: where its file is, the artifact it names, and the pointer. */
export interface ScopedPointer {
  pointerPath: string;
  path: string;
  pointer: Pointer;
}

/** A pointer file's blob in some tree, not read yet. */
export interface PointerBlob {
  blob: string;
  pointerPath: string;
}

export interface Scope {
  /** The pointers in HEAD's tree. */
  head?: boolean;
  /** The pointer files in the work tree. */
  workTree?: boolean;
  /** The pointers staged in the index. */
  index?: boolean;
  /** The pointers at these revisions. */
  revs?: string[];
  /** The pointers at every branch tip. */
  allBranches?: boolean;
  /** The pointers at every tag. */
  allTags?: boolean;
  /** Every pointer of every commit reachable from a ref (and HEAD). */
  allCommits?: boolean;
  /** `git log` arguments: every pointer version those commits introduce (the pre-push hook). */
  history?: string[];
  /** Only artifacts at or under these repo paths. */
  paths?: string[];
}

/** What a scope holds; `skipped` lists pointers in history that could not be read. */
export interface ScopeResult {
  pointers: ScopedPointer[];
  skipped: { pointerPath: string; blob: string; reason: string }[];
}

/**
 * Collects the pointers of a scope, each (artifact, oid) once.
 * @example const { pointers } = await collectPointers(repo, { head: true, workTree: true });
 */
export async function collectPointers(repo: Repo, scope: Scope): Promise<ScopeResult> {
  const blobs: PointerBlob[] = [];
  for (const commit of tipCommits(repo, scope)) blobs.push(...treePointerBlobs(repo, commit));
  if (scope.allCommits) blobs.push(...historyPointerBlobs(repo, ['--all', ...stashCommits(repo)]));
  if (scope.history && scope.history.length > 0) blobs.push(...historyPointerBlobs(repo, scope.history));
  if (scope.index) blobs.push(...indexPointerBlobs(repo));
  const { pointers, skipped } = readPointerBlobs(repo, blobs);
  if (scope.workTree) {
    for (const a of listArtifacts(repo))
      pointers.push({ pointerPath: a.pointerPath, path: a.path, pointer: a.pointer });
  }
  const unique = dedupe(pointers);
  return { pointers: scope.paths && scope.paths.length > 0 ? selectArtifacts(unique, scope.paths) : unique, skipped };
}

function dedupe(pointers: ScopedPointer[]): ScopedPointer[] {
  const seen = new Set<string>();
  const out: ScopedPointer[] = [];
  for (const p of pointers) {
    const key = `${p.path}\0${p.pointer.oid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The commit ids a scope names by tip: HEAD, revisions, branches, tags. */
function tipCommits(repo: Repo, scope: Scope): string[] {
  const out = new Set<string>();
  if (scope.head) {
    const head = git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFail: true }).trim();
    if (head) out.add(head);
  }
  for (const rev of scope.revs ?? []) out.add(resolveRev(repo, rev));
  if (scope.allBranches) for (const c of refCommits(repo, 'refs/heads')) out.add(c);
  if (scope.allTags) for (const c of refCommits(repo, 'refs/tags')) out.add(c);
  return [...out];
}

/** The commits the refs under `prefix` point to, tags peeled; refs to trees or blobs are skipped. */
export function refCommits(repo: Repo, ...prefixes: string[]): string[] {
  const out = git(repo, [
    'for-each-ref',
    '--format=%(objectname) %(objecttype) %(*objectname) %(*objecttype)',
    ...prefixes,
  ]);
  const commits: string[] = [];
  for (const line of out.split('\n')) {
    const [oid, type, peeled, peeledType] = line.split(' ');
    if (type === 'commit') commits.push(oid);
    else if (type === 'tag' && peeledType === 'commit') commits.push(peeled);
  }
  return commits;
}

/** Every stash entry (the reflog of refs/stash), so old stashes keep their data too. */
export function stashCommits(repo: Repo): string[] {
  const out = git(repo, ['log', '-g', '--format=%H', 'refs/stash', '--'], { allowFail: true });
  return out.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l));
}

/** The pointer files in one commit's tree. */
export function treePointerBlobs(repo: Repo, commit: string): PointerBlob[] {
  const out: PointerBlob[] = [];
  for (const entry of splitZ(git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit]))) {
    const tab = entry.indexOf('\t');
    const p = entry.slice(tab + 1);
    if (!isPointerPath(p)) continue;
    const [, type, blob] = entry.slice(0, tab).split(' ');
    if (type === 'blob') out.push({ blob, pointerPath: p });
  }
  return out;
}

/**
 * Every pointer version that the commits `git log ARGS` walks introduce. Each blob in any of
 * those trees is new in some commit's diff (against each parent with -m, against nothing for a
 * root), so the diffs list them all without reading every tree.
 */
export function historyPointerBlobs(repo: Repo, args: string[]): PointerBlob[] {
  const out = git(
    repo,
    ['log', '--format=', '--raw', '-z', '--no-abbrev', '--no-renames', '--root', '-m', ...args, '--', '*.mvgit.yaml'],
    { allowFail: true },
  );
  const parts = out.split('\0');
  const blobs: PointerBlob[] = [];
  for (let i = 0; i < parts.length; i++) {
    const head = parts[i].replace(/^\s+/, '');
    if (!head.startsWith(':')) continue;
    const p = parts[++i];
    const { blob } = parseRawLine(head);
    if (p && isPointerPath(p) && blob) blobs.push({ blob, pointerPath: p });
  }
  return blobs;
}

/** The pointer files staged in a work tree's index (every stage, so a conflict keeps both sides). */
export function indexPointerBlobs(repo: Pick<Repo, 'root'>): PointerBlob[] {
  const out: PointerBlob[] = [];
  for (const e of indexEntries(repo))
    if (isPointerPath(e.path) && e.mode !== '160000') out.push({ blob: e.oid, pointerPath: e.path });
  return out;
}

/** Reads pointer blobs with one `git cat-file --batch`; damaged ones are skipped and listed. */
export function readPointerBlobs(repo: Repo, blobs: PointerBlob[]): ScopeResult {
  const pointers: ScopedPointer[] = [];
  const skipped: ScopeResult['skipped'] = [];
  const uniqueBlobs = [...new Set(blobs.map((b) => b.blob))];
  if (uniqueBlobs.length === 0) return { pointers, skipped };
  const texts = new Map<string, string>();
  for (const o of catFile(repo, uniqueBlobs)) if (o?.type === 'blob') texts.set(o.oid, o.data.toString('utf8'));
  const seen = new Set<string>();
  for (const b of blobs) {
    const key = `${b.blob}\0${b.pointerPath}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = texts.get(b.blob);
    if (text === undefined) {
      skipped.push({
        pointerPath: b.pointerPath,
        blob: b.blob,
        reason: 'blob not in the repository (shallow or partial clone)',
      });
      continue;
    }
    try {
      const pointer = parsePointer(text, `${b.pointerPath} (blob ${b.blob.slice(0, 10)})`);
      pointers.push({ pointerPath: b.pointerPath, path: artifactPathOf(b.pointerPath, pointer), pointer });
    } catch (err) {
      skipped.push({ pointerPath: b.pointerPath, blob: b.blob, reason: (err as Error).message });
    }
  }
  return { pointers, skipped };
}
