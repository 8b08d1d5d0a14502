/**
 * What changed inside a folder artifact between two versions: from both manifests when the
 * cache holds them, else only the file counts the pointers carry.
 */
import { parseManifest, type ManifestEntry } from '../pointer/manifest.js';
import { oidHex, type Pointer } from '../pointer/pointer.js';
import type { ObjectStore } from '../store/object-store.js';

/** The files added, removed and modified in a folder, by path (sorted), from both manifests. */
export interface FolderChanges {
  source: 'manifests';
  added: string[];
  removed: string[];
  modified: string[];
}

/** Without both manifests: the file counts of the two pointers, and how to get the manifests. */
export interface FolderCounts {
  source: 'pointers';
  filesBefore?: number;
  filesAfter?: number;
  /** What to run to list the files (`mvgit fetch --rev REV` for each side the cache lacks). */
  hint: string;
}

/** Compares two manifests' entries by path. */
export function compareManifests(before: ManifestEntry[], after: ManifestEntry[]): FolderChanges {
  const old = new Map(before.map((e) => [e.path, e]));
  const added: string[] = [];
  const modified: string[] = [];
  for (const e of after) {
    const o = old.get(e.path);
    if (!o) added.push(e.path);
    else if (o.oid !== e.oid || Boolean(o.x) !== Boolean(e.x)) modified.push(e.path);
    old.delete(e.path);
  }
  return { source: 'manifests', added, removed: [...old.keys()].sort(), modified };
}

/**
 * The changes between two versions of a folder artifact (either side may be absent: added or
 * removed). `revs` names the two sides for the hint when a manifest is not in the cache.
 */
export function folderChanges(
  store: ObjectStore,
  before: Pointer | undefined,
  after: Pointer | undefined,
  revs: [string, string],
): FolderChanges | FolderCounts {
  const entries = (p: Pointer | undefined): ManifestEntry[] | undefined => {
    if (!p) return [];
    const hex = oidHex(p.oid);
    // A manifest not fetched yet is normal after a clone: the counts still say something.
    if (!store.has(hex)) return undefined;
    return parseManifest(store.readVerified(hex, `manifest of ${p.path}`), p.oid);
  };
  const a = entries(before);
  const b = entries(after);
  if (a && b) return compareManifests(a, b);
  const missing = [a ? undefined : revs[0], b ? undefined : revs[1]].filter((r): r is string => r !== undefined);
  const fetch = missing.filter((r) => r !== 'work tree').map((r) => `mvgit fetch --rev ${r}`);
  return {
    source: 'pointers',
    ...(before?.files !== undefined ? { filesBefore: before.files } : {}),
    ...(after?.files !== undefined ? { filesAfter: after.files } : {}),
    hint:
      fetch.length > 0
        ? `the cache lacks the folder's manifest; run '${fetch.join("' and '")}' to list its files`
        : "the cache lacks the folder's manifest; run 'mvgit add' or 'mvgit pull' to list its files",
  };
}
