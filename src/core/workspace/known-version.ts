/**
 * Tells a known older (or other) version of an artifact from an edit. After `git checkout v2`
 * without the hooks, the work tree still holds v1's bytes under v2's pointer: that is not a
 * change to record, and recording it would put v1's bytes in v2's pointer. The content's oid
 * is looked up in the history of the artifact's pointer (one `git log` and one `cat-file`),
 * only for artifacts that differ from their pointer.
 */
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import { pointerVersions } from '../history/pointer-log.js';
import { buildManifest, type ManifestEntry } from '../pointer/manifest.js';
import { shellWord } from './nested.js';
import { parsePointer } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import type { WorkScan } from './scan.js';

/** A version of an artifact that a commit recorded. */
export interface KnownVersion {
  /** The newest commit, on any branch or tag, whose pointer had this content. */
  commit: string;
  subject: string;
  /** A tag that points at that commit, if any. */
  tag?: string;
  /** The commit as a user knows it: `v1 (1a2b3c4)` or `1a2b3c4 "Train v1"`. */
  label: string;
}

/** The oid (`sha256:...`) of what a work-tree scan holds: the file's hash, or the manifest of the folder's files. */
export function workTreeOid(scan: WorkScan, isDir: boolean): string | null {
  if (scan.shape === 'none' || scan.shape !== (isDir ? 'dir' : 'file')) return null;
  if (!isDir) {
    const f = scan.files.get('');
    return f?.hex ? `sha256:${f.hex}` : null;
  }
  const entries: ManifestEntry[] = [];
  for (const [rel, f] of scan.files) {
    if (!f.hex) return null;
    entries.push({ path: rel, oid: f.hex, size: f.size, ...(f.executable ? { x: true } : {}) });
  }
  return `sha256:${buildManifest(entries).hex}`;
}

/**
 * The commit whose version of `pointerPath` had content `oid`, searching every branch and tag
 * (a version checked out from another branch counts), or null when no commit recorded it.
 *
 * @example findKnownVersion(repo, 'models/m.pkl.mvgit.yaml', 'sha256:9f86...') // { label: 'v1 (1a2b3c4)', ... }
 */
export function findKnownVersion(repo: Repo, pointerPath: string, oid: string): KnownVersion | null {
  // `--all` in place of a revision makes the one `git log` walk every ref.
  for (const v of pointerVersions(repo, pointerPath, { start: '--all' })) {
    let recorded: string;
    try {
      recorded = parsePointer(v.text, `${v.pointerPath} at ${v.commit.slice(0, 10)}`).oid;
    } catch {
      continue; // a damaged old pointer names no content
    }
    if (recorded !== oid) continue;
    const tag = git(repo, ['tag', '--points-at', v.commit], { allowFail: true })
      .split('\n')
      .find((t) => t !== '');
    const short = v.commit.slice(0, 7);
    return {
      commit: v.commit,
      subject: v.subject,
      ...(tag ? { tag } : {}),
      label: tag ? `${tag} (${short})` : `${short} "${v.subject}"`,
    };
  }
  return null;
}

/**
 * `mvgit add` of a path whose content is an older version: refused unless --force, because it
 * would record those bytes as the newest version and drop the pointer's metadata.
 */
export function oldVersionError(path: string, version: KnownVersion): MvgitError {
  return new MvgitError(
    'OLD_VERSION',
    `${path} holds the version of ${version.label}, not the one its pointer names: recording it would make those bytes the newest version and drop the pointer's metadata`,
    {
      hint: `put the pointer's version in place: mvgit checkout ${shellWord(path)}; to record these bytes as a new version anyway: mvgit add ${shellWord(path)} --force`,
      data: { path, commit: version.commit, ...(version.tag ? { tag: version.tag } : {}) },
    },
  );
}
