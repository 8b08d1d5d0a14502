import { listArtifacts, selectByUserPaths, type TrackedArtifact } from '../history/work-tree-pointers.js';
import type { OnProgress, Workspace } from '../repo/workspace.js';
import { isMvgitError } from '../../base/errors.js';
import type { KnownVersion } from './known-version.js';
import { oidHex, type ArtifactKind } from '../pointer/pointer.js';
import { absPath } from '../repo/repo.js';
import { folderMatchesState } from './quick-check.js';
import { scanWorkTree, stateOf, type WorkScan } from './scan.js';
import type { ArtifactState as StatCacheEntry } from '../store/stat-cache.js';
import { targetFiles } from './target.js';
import { folderAsRemembered, rememberFolder } from './folder-memo.js';
import { editedInPlace, memoNotInCache } from './edited.js';
import { keyOf, snapshotFromKeys } from '../store/folder-snapshot.js';

/** Status leaves the stat cache as it was when it hashed no more than this (see artifactStatus). */
const FEW_FILES = 1000;
const FEW_BYTES = 64 * 1024 * 1024;

export type ArtifactState = 'up-to-date' | 'modified' | 'missing' | 'not-in-cache';

/** One artifact's status. */
export interface ArtifactStatus {
  path: string;
  pointerPath: string;
  kind: ArtifactKind;
  oid: string;
  size: number;
  files?: number;
  /** The one-word summary: missing (from the work tree) > modified > not-in-cache > up-to-date. */
  status: ArtifactState;
  /** The work tree differs from the pointer. */
  modified: boolean;
  /** Nothing is at the artifact's path. */
  missing: boolean;
  /** Objects the pointer needs that the cache lacks (hex; the manifest's own when it is missing). */
  notInCache: string[];
  /** For folders: which files differ. */
  changes?: { added: string[]; modified: string[]; deleted: string[] };
  /**
   * Set when a modified work tree is not an edit but content mvgit knows: a version a commit
   * recorded (`version`; after `git checkout` without the hooks), or one in the cache. The way
   * back is `mvgit checkout PATH`, not `mvgit add`.
   */
  holds?: HeldContent;
}

/** What a modified artifact's work tree holds, when mvgit knows that content. */
export interface HeldContent {
  /** The work tree's oid. */
  oid: string;
  /** The commit that recorded this content, when history has one. */
  version?: KnownVersion;
  /** The content is in the cache, so `mvgit checkout` can replace it without --force. */
  inCache: boolean;
}

export interface StatusOptions {
  /** Paths as a user types them, relative to `cwd` (default: the process's). */
  paths?: string[];
  cwd?: string;
  onProgress?: OnProgress;
}

/**
 * `mvgit status`: compares each artifact in the work tree with its pointer and the cache.
 * Unchanged files cost one stat each; fingerprints of re-hashed files are saved for next time.
 */
export async function status(ws: Workspace, options: StatusOptions = {}): Promise<ArtifactStatus[]> {
  const artifacts = selectByUserPaths(ws.repo, listArtifacts(ws.repo), options.paths ?? [], options.cwd);
  const out: ArtifactStatus[] = [];
  // Listing the store is cheaper than a stat per object when many must be checked; done at
  // most once, and only when some artifact's record cannot vouch for its objects.
  let checker: ((hex: string) => boolean) | undefined;
  const inStore = (): ((hex: string) => boolean) => {
    if (!checker) {
      const listed = artifacts.reduce((n, a) => n + (a.pointer.files ?? 1), 0) > 1000 ? ws.store.list() : null;
      checker = (hex) => (listed ? listed.has(hex) : ws.store.has(hex));
    }
    return checker;
  };
  for (const a of artifacts) out.push(await artifactStatus(ws, a, inStore, options.onProgress));
  return out;
}

async function artifactStatus(
  ws: Workspace,
  a: TrackedArtifact,
  inStore: () => (hex: string) => boolean,
  onProgress?: OnProgress,
): Promise<ArtifactStatus> {
  const hex = oidHex(a.pointer.oid);
  const base = {
    path: a.path,
    pointerPath: a.pointerPath,
    kind: a.pointer.kind,
    oid: a.pointer.oid,
    size: a.pointer.size,
    ...(a.pointer.files !== undefined ? { files: a.pointer.files } : {}),
  };
  const isDir = a.pointer.files !== undefined;
  const abs = absPath(ws.repo, a.path);
  const upToDate = {
    ...base,
    status: 'up-to-date' as const,
    modified: false,
    missing: false,
    notInCache: [],
    ...(isDir ? { changes: { added: [], modified: [], deleted: [] } } : {}),
  };
  // A folder as a hook or an earlier status remembered it, pointer file included: no walk, no
  // stat cache to load, one stat per file (folder-memo.ts).
  // A few files edited in place are named by the memo itself: only those are hashed (edited.ts).
  const remembered = isDir
    ? folderAsRemembered(ws.repo, a.path, abs, absPath(ws.repo, a.pointerPath), FEW_FILES)
    : null;
  if (remembered && remembered.oid === hex && remembered.present !== ws.store.generation()) {
    // In step, but its objects not yet seen in the cache (a first add): look once, from the
    // memo's hashes, and remember that they were there.
    if (remembered.changed.length === 0) {
      const notInCache = memoNotInCache(ws, remembered, hex, inStore());
      if (notInCache.length > 0) return { ...upToDate, status: 'not-in-cache' as const, notInCache };
      rememberFolder(ws.repo, a.path, remembered.pointer, hex, remembered.snapshot, ws.store.generation());
      return upToDate;
    }
  } else if (remembered && remembered.oid === hex) {
    const edited = editedInPlace(ws, a.path, abs, remembered, FEW_BYTES, onProgress);
    if (edited?.length === 0) return upToDate;
    if (edited) {
      const changes = { added: [], modified: edited, deleted: [] };
      return { ...upToDate, status: 'modified' as const, modified: true, changes };
    }
  }

  const state = ws.state.load(a.path);
  // A folder as recorded whole against this oid needs no scan either (quick-check.ts).
  const snapDirs: Record<string, string> | undefined = isDir ? {} : undefined;
  const quick = isDir && state.oid === hex && folderMatchesState(abs, state, snapDirs);
  const scan = quick ? undefined : await scanWorkTree(ws, a.path, abs, state, onProgress, snapDirs);

  // The fast path: every fingerprint matched a record that was taken as a whole against this oid.
  const sameFiles = scan?.files.size === Object.keys(state.files).length;
  if (!scan || (scan.fromCache && sameFiles && state.oid === hex && scan.shape === (isDir ? 'dir' : 'file'))) {
    const generation = ws.store.generation();
    const notInCache =
      state.present === generation ? [] : isDir ? missingForDir(state, hex, inStore()) : inStore()(hex) ? [] : [hex];
    if (notInCache.length === 0 && state.present !== generation)
      ws.state.save(a.path, { ...state, present: generation });
    if (notInCache.length === 0 && snapDirs && !scan?.findings.sawLink) {
      const files = scan
        ? [...scan.files].map(([rel, f]) => ({ rel, key: f.key, hex: f.hex }))
        : Object.entries(state.files).map(([rel, [key, hex]]) => ({ rel, key, hex }));
      remember(ws, a, state, files, snapDirs, generation);
    }
    return { ...upToDate, ...(notInCache.length ? { status: 'not-in-cache' as const, notInCache } : {}) };
  }

  const generation = ws.store.generation();
  // A record taken whole against this oid whose objects were all seen at this generation
  // vouches for every object the pointer needs, edited files or not: no store listing. Its
  // paths and hashes are the manifest's, so a folder's manifest need not even be parsed.
  const vouched = state.oid === hex && state.present === generation;
  let target: ReturnType<typeof targetFiles> | undefined;
  if (!(vouched && isDir)) {
    try {
      target = targetFiles(ws, a.pointer, a.path);
    } catch (err) {
      if (!isMvgitError(err, 'OBJECT_MISSING')) throw err;
      // Without the manifest, all we can say is whether the work tree exists.
      const missing = scan.shape === 'none';
      return { ...base, status: missing ? 'missing' : 'not-in-cache', modified: !missing, missing, notInCache: [hex] };
    }
  }
  const wanted = (rel: string): string | undefined => (target ? target.get(rel)?.oid : state.files[rel]?.[1]);
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const [rel, f] of scan.files) {
    const want = wanted(rel);
    if (want === undefined) added.push(rel);
    else if (want !== f.hex) modified.push(rel);
  }
  for (const rel of target ? target.keys() : Object.keys(state.files)) if (!scan.files.has(rel)) deleted.push(rel);
  const shapeOk = scan.shape === (isDir ? 'dir' : 'file');
  const isModified = !shapeOk || added.length + modified.length + deleted.length > 0;
  const has = vouched ? () => true : inStore();
  const notInCache =
    vouched || !target
      ? []
      : [...(isDir && !has(hex) ? [hex] : []), ...[...target.values()].filter((e) => !has(e.oid)).map((e) => e.oid)];
  const whole = !isModified && notInCache.length === 0;
  // An edit of a few files is add's to record: rewriting a million-entry stat cache to spare
  // hashing them again next time costs more than the hashing, and keeps the record whole.
  const fewHashed = (scan.hashed?.files ?? 0) <= FEW_FILES && (scan.hashed?.bytes ?? 0) <= FEW_BYTES;
  if (!(isModified && fewHashed && vouched))
    ws.state.save(a.path, {
      ...stateOf(scan, isModified ? undefined : hex),
      pointer: state.pointer,
      ...(whole ? { present: generation } : {}),
    });
  const missing = scan.shape === 'none';
  const summary: ArtifactState = missing
    ? 'missing'
    : isModified
      ? 'modified'
      : notInCache.length
        ? 'not-in-cache'
        : 'up-to-date';
  const holds =
    isModified && !missing ? await heldContent(ws, a, scan, isDir, inStore, [...added, ...modified]) : undefined;
  return {
    ...base,
    status: summary,
    modified: isModified && !missing,
    missing,
    notInCache,
    ...(isDir ? { changes: { added, modified, deleted } } : {}),
    ...(holds ? { holds } : {}),
  };
}

/** Whether a modified work tree holds a version history or the cache knows. Only modified artifacts pay for the lookup. */
async function heldContent(
  ws: Workspace,
  a: TrackedArtifact,
  scan: WorkScan,
  isDir: boolean,
  inStore: () => (hex: string) => boolean,
  changed: string[],
): Promise<HeldContent | undefined> {
  // A version mvgit recorded came into this work tree through the cache: a folder with a changed
  // file the cache never saw holds new content, which spares a manifest of every file and a walk
  // of history (one stat per changed file, when few changed).
  if (isDir && changed.length <= FEW_FILES && changed.some((rel) => !ws.store.has(scan.files.get(rel)?.hex ?? '')))
    return undefined;
  // Loaded only here: reading history is for modified artifacts, not every status.
  const { findKnownVersion, workTreeOid } = await import('./known-version.js');
  const oid = workTreeOid(scan, isDir);
  if (!oid) return undefined;
  const version = findKnownVersion(ws.repo, a.pointerPath, oid) ?? undefined;
  // The manifest first, one stat: an edit's is new, and then no store listing is needed.
  const inCache = ws.store.has(oidHex(oid)) && (!isDir || [...scan.files.values()].every((f) => inStore()(f.hex)));
  if (!version && !inCache) return undefined;
  return { oid, ...(version ? { version } : {}), inCache };
}

/**
 * Remembers a folder found whole and in step with its pointer, so the next status (and the
 * pre-commit hook) can tell it is unchanged without a walk. Only when the pointer file is the
 * one mvgit last wrote (its fingerprint in the stat cache), and no symlink is inside.
 */
function remember(
  ws: Workspace,
  a: TrackedArtifact,
  state: StatCacheEntry,
  files: { rel: string; key: string; hex: string }[],
  dirs: Record<string, string>,
  generation: string,
): void {
  if (!state.pointer || state.pointer[1] !== a.pointer.oid) return;
  if (keyOf(absPath(ws.repo, a.pointerPath)) !== state.pointer[0]) return;
  const snapshot = snapshotFromKeys(files, dirs);
  if (snapshot) rememberFolder(ws.repo, a.path, state.pointer[0], oidHex(a.pointer.oid), snapshot, generation);
}

function missingForDir(state: StatCacheEntry, hex: string, inStore: (hex: string) => boolean): string[] {
  if (!inStore(hex)) return [hex];
  // The work tree matches the manifest, so the manifest's oids are the recorded ones.
  return [...new Set(Object.values(state.files).map(([, h]) => h))].filter((h) => !inStore(h));
}
