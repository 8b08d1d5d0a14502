/**
 * `mvgit checkout REV [-- PATH...] [-o OUT]`: artifacts as they were at a commit, branch or tag.
 * The pointers are read from REV's tree in process (isomorphic-git), so HEAD and the index are
 * never touched; the content comes from the cache through restoreArtifact, with its rule that
 * unsaved work is never overwritten unless `force`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { restoreArtifact, type RestoreOutcome } from './checkout.js';
import { type OnProgress, syncIfAsked, type Workspace } from '../repo/workspace.js';
import { isMvgitError, MvgitError } from '../../base/errors.js';
import type { ResolvedLinkMode } from '../store/file-ops.js';
import { blobBytes, pointerAt, pointersAt, resolveRev, type PointerAtRev } from '../history/revision.js';
import { isPointerPath, pointerPathFor } from '../pointer/pointer.js';
import { absPath, toRepoPath, type Repo } from '../repo/repo.js';
import { ensureIgnored } from './track.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

export interface CheckoutRevOptions {
  /** A commit, branch, tag or any revision git understands (HEAD~2, v1^{}). */
  rev: string;
  /** Paths as the user typed them (relative to `cwd`): artifacts, pointers or folders. None: every artifact at REV. */
  paths?: string[];
  /** Write the one selected artifact here instead of the work tree (relative to `cwd`). */
  out?: string;
  force?: boolean;
  cwd?: string;
  onProgress?: OnProgress;
}

/** One artifact restored from REV. */
export interface RevRestoreOutcome extends RestoreOutcome {
  pointerPath: string;
  /** The artifact's oid at REV. */
  oid: string;
  size: number;
  files?: number;
  /** Where it was written: the work-tree path, or OUT (absolute). */
  dest: string;
  /** The work-tree pointer now holds REV's pointer (in-place checkouts only, once the content is complete). */
  pointerUpdated: boolean;
  /** The work-tree pointer now differs from HEAD's: a rollback to commit, or to undo with `checkout HEAD -- PATH`. */
  differsFromHead: boolean;
  /** The .gitignore that gained a line for an artifact the work tree did not have. */
  gitignore: string | null;
}

export interface CheckoutRevResult {
  rev: string;
  commit: string;
  /** OUT, absolute, when the artifact was written beside the work tree. */
  out?: string;
  outcomes: RevRestoreOutcome[];
}

/**
 * Restores artifacts as they were at `rev`. In place, both the content and the pointer file
 * are put back as they were at REV (the pointer is not staged), so `mvgit status` stays
 * truthful and `git diff` shows the rollback; with `out`, exactly one artifact is written to
 * OUT and the work tree and its pointers are left alone.
 *
 * @example
 * await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out: '../old.pkl' });
 */
export async function checkoutRev(ws: Workspace, options: CheckoutRevOptions): Promise<CheckoutRevResult> {
  const commit = resolveRev(ws.repo, options.rev);
  const repoPaths = userRepoPaths(ws.repo, options.paths ?? [], options.cwd);
  const selected = await selectAtRev(ws.repo, options.rev, commit, repoPaths);
  if (options.out !== undefined) {
    const out = path.resolve(options.cwd ?? process.cwd(), options.out);
    const outcome = await restoreToOut(ws, selected, options, out);
    syncIfAsked(ws);
    return { rev: options.rev, commit, out, outcomes: [outcome] };
  }
  const head = headCommit(ws.repo);
  const outcomes: RevRestoreOutcome[] = [];
  for (const a of selected) {
    const r = await restoreInPlace(ws, a, options);
    if (r.pointerUpdated || r.result === 'up-to-date')
      r.differsFromHead =
        head === null || (await pointerAt(ws.repo, head, a.pointerPath).catch(() => null))?.blob !== a.blob;
    outcomes.push(r);
  }
  syncIfAsked(ws);
  return { rev: options.rev, commit, outcomes };
}

/** User paths to repo paths; the repo's top folder (`.` at the root) means every artifact. */
function userRepoPaths(repo: Repo, paths: string[], cwd = process.cwd()): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (path.resolve(cwd, p) === repo.root) return [];
    out.push(toRepoPath(repo, p, cwd));
  }
  return out;
}

/** The pointers at REV that the paths name: an artifact, its pointer, or a folder of artifacts. */
async function selectAtRev(repo: Repo, rev: string, commit: string, repoPaths: string[]): Promise<PointerAtRev[]> {
  try {
    if (repoPaths.length === 0) {
      const all = await pointersAt(repo, commit);
      if (all.length === 0)
        throw new MvgitError('NOT_TRACKED', `no artifact is tracked at ${rev} (${commit.slice(0, 10)})`, {
          hint: "pick a later revision; see 'git log --oneline'",
          data: { rev, commit },
        });
      return all;
    }
    const picked = new Map<string, PointerAtRev>();
    for (const p of repoPaths) {
      let hits: PointerAtRev[];
      if (isPointerPath(p)) hits = [await pointerAt(repo, commit, p)].filter((h): h is PointerAtRev => h !== null);
      else {
        const own = await pointerAt(repo, commit, pointerPathFor(p));
        hits = own ? [own] : (await pointersAt(repo, commit, p)).filter((a) => a.path.startsWith(`${p}/`));
      }
      if (hits.length === 0) {
        throw new MvgitError('NOT_TRACKED', `${p} is not tracked at ${rev} (${commit.slice(0, 10)})`, {
          hint: `see the commits that have it with 'mvgit log ${p}', and what ${rev} tracks with 'git ls-tree -r --name-only ${rev}'`,
          data: { path: p, rev, commit },
        });
      }
      for (const h of hits) picked.set(h.pointerPath, h);
    }
    return [...picked.values()];
  } catch (err) {
    if (isMvgitError(err, 'POINTER_INVALID')) {
      // Same message as for a work-tree pointer (it names the file and the commit); the way out differs.
      const file = String(err.data?.file ?? '').replace(/ at [0-9a-f]+$/, '');
      throw new MvgitError('POINTER_INVALID', err.message, {
        hint: `the pointer committed at ${rev} is damaged; pick another revision ('mvgit log ${file.replace(/\.mvgit\.yaml$/, '')}' lists them)`,
        data: { file, rev, commit },
        cause: err,
      });
    }
    throw err;
  }
}

function base(a: PointerAtRev, dest: string, r: RestoreOutcome): RevRestoreOutcome {
  return {
    ...r,
    pointerPath: a.pointerPath,
    oid: a.pointer.oid,
    size: a.pointer.size,
    ...(a.pointer.files !== undefined ? { files: a.pointer.files } : {}),
    dest,
    pointerUpdated: false,
    differsFromHead: false,
    gitignore: null,
  };
}

async function restoreInPlace(ws: Workspace, a: PointerAtRev, options: CheckoutRevOptions): Promise<RevRestoreOutcome> {
  const dest = absPath(ws.repo, a.path);
  const r = base(
    a,
    dest,
    await restoreArtifact(ws, {
      path: a.path,
      pointer: a.pointer,
      force: options.force,
      onProgress: options.onProgress,
    }),
  );
  if (r.result !== 'restored' && r.result !== 'up-to-date') return r;
  // Content first, pointer second: a run killed in between leaves content the cache holds,
  // which status reports as modified and a plain checkout puts back.
  const bytes = blobBytes(ws.repo, a.blob);
  r.pointerUpdated = writeBytes(absPath(ws.repo, a.pointerPath), bytes);
  r.gitignore = ensureIgnored(ws.repo, a.path, a.pointer.files !== undefined);
  // The stat cache's pointer fingerprint no longer matches the rewritten file: the next reader parses it once.
  return r;
}

async function restoreToOut(
  ws: Workspace,
  selected: PointerAtRev[],
  options: CheckoutRevOptions,
  out: string,
): Promise<RevRestoreOutcome> {
  if (selected.length !== 1) {
    throw new MvgitError(
      'USAGE',
      `-o writes one artifact, but ${selected.length} match at ${options.rev}: ${selected
        .slice(0, 5)
        .map((s) => s.path)
        .join(', ')}${selected.length > 5 ? ', ...' : ''}`,
      {
        hint: `name one: mvgit checkout ${options.rev} -- ${selected[0]?.path ?? 'PATH'} -o ${options.out}`,
        data: { paths: selected.map((s) => s.path) },
      },
    );
  }
  const a = selected[0];
  refuseDangerousOut(ws.repo, out, options.out ?? out);
  const existed = fs.lstatSync(out, { throwIfNoEntry: false });
  if (existed && !options.force) {
    throw new MvgitError('OUTPUT_EXISTS', `${options.out} already exists`, {
      hint: 'pick another path, or add --force to replace it',
      data: { out },
    });
  }
  if (existed?.isDirectory() && a.pointer.files === undefined) {
    throw new MvgitError('OUTPUT_EXISTS', `${options.out} is a folder and ${a.path} is a file`, {
      hint: `name the file to write, e.g. -o ${path.join(options.out ?? out, path.basename(a.path))}`,
      data: { out },
    });
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // OUT is the user's own copy, maybe on another file system: never a link into the cache.
  const mode: ResolvedLinkMode = ws.mode === 'reflink' ? 'reflink' : 'copy';
  const r = base(
    a,
    out,
    await restoreArtifact(
      { ...ws, mode },
      {
        path: a.path,
        pointer: a.pointer,
        dest: out,
        force: options.force,
        record: false,
        onProgress: options.onProgress,
      },
    ),
  );
  // A half-written OUT is worse than none: take back what this run created.
  if (r.result === 'incomplete' && !existed) fs.rmSync(out, { recursive: true, force: true });
  return r;
}

/** `--force` replaces OUT: never let that mean the repository, one of its parents, or git's own folder. */
function refuseDangerousOut(repo: Repo, out: string, typed: string): void {
  const rel = path.relative(out, repo.root);
  const intoGit = [repo.gitDir, repo.commonDir].some((g) => {
    const r = path.relative(g, out);
    return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
  });
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)) || intoGit) {
    throw new MvgitError('OUTPUT_EXISTS', `${typed} holds the repository or its git folder; it cannot be replaced`, {
      hint: 'write to a new file or folder, e.g. -o ../old-model.pkl',
      data: { out },
    });
  }
}

function headCommit(repo: Repo): string | null {
  try {
    return resolveRev(repo, 'HEAD');
  } catch {
    return null; // no commit yet
  }
}

/** Writes a file atomically; false when it already held these bytes. */
function writeBytes(file: string, bytes: Uint8Array): boolean {
  try {
    if (Buffer.compare(fs.readFileSync(file), bytes) === 0) return false;
  } catch {
    // not there yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, bytes);
  return true;
}
