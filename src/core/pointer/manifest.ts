import { MvgitError } from '../../base/errors.js';
import { sha256Hex } from '../../base/hash.js';
import { isPointerPath, unsafePathReason } from './pointer.js';

/** One file of a directory artifact. `oid` is 64 hex digits (the object's name in the store). */
export interface ManifestEntry {
  path: string;
  oid: string;
  size: number;
  /** Executable bit, kept so scripts shipped with a dataset stay runnable. */
  x?: boolean;
}

const HEX_RE = /^[0-9a-f]{64}$/;

/**
 * A line exactly as serializeManifest writes it when the path needs no JSON escape: its fields
 * are read by one regex instead of JSON.parse (a 20,000-file switch reads two manifests). Any
 * other line, canonical or not, goes through JSON.parse; both are validated alike afterwards.
 */
const CANONICAL_LINE =
  /^\{"path":"([^"\\\u0000-\u001f]*)","oid":"([0-9a-f]{64})","size":(0|[1-9][0-9]{0,15})(,"x":true)?\}$/;

/** The fields of one manifest line, before they are checked. */
interface RawEntry {
  path: unknown;
  oid: unknown;
  size: unknown;
  x?: unknown;
}

/** A line's fields: by the canonical regex, else by JSON.parse; a string says why it is bad. */
function lineFields(line: string): RawEntry | string {
  const m = CANONICAL_LINE.exec(line);
  if (m) return { path: m[1], oid: m[2], size: Number(m[3]), x: m[4] !== undefined };
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected an object';
  return raw as RawEntry;
}

/** Why a line's fields are not a valid entry, or undefined. */
function entryProblem(r: RawEntry): string | undefined {
  const problem = unsafePathReason(r.path);
  if (problem) return `path ${problem}: ${JSON.stringify(r.path)}`;
  // A pointer inside a folder artifact would be a nested artifact git could never see.
  if (isPointerPath(r.path as string)) return `path must not name a pointer file: ${JSON.stringify(r.path)}`;
  if (typeof r.oid !== 'string' || !HEX_RE.test(r.oid)) return 'oid must be 64 lowercase hex digits';
  if (!Number.isSafeInteger(r.size) || (r.size as number) < 0) return 'size must be a whole number';
  return undefined;
}

function byPath(a: ManifestEntry, b: ManifestEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Canonical manifest bytes: JSON lines sorted by path, fixed key order, so the same folder
 * always gives the same oid.
 */
export function serializeManifest(entries: ManifestEntry[]): Buffer {
  const sorted = [...entries].sort(byPath);
  let text = '';
  for (const e of sorted) text += manifestLine(e);
  return Buffer.from(text, 'utf8');
}

/** One entry's canonical line, newline included. */
export function manifestLine(e: ManifestEntry): string {
  return `${manifestLinePrefix(e.path)}${e.oid}","size":${e.size}${e.x ? ',"x":true' : ''}}\n`;
}

/** How the canonical line of `path` begins, up to its oid: what finds it in the manifest's bytes. */
export function manifestLinePrefix(path: string): string {
  return `{"path":${JSON.stringify(path)},"oid":"`;
}

/** The manifest's oid and bytes. */
export function buildManifest(entries: ManifestEntry[]): { hex: string; bytes: Buffer } {
  const bytes = serializeManifest(entries);
  return { hex: sha256Hex(bytes), bytes };
}

/**
 * Parses manifest bytes, refusing anything that could write outside the artifact's folder.
 * `name` says where the manifest came from, for errors. Every line is validated; with `keep`,
 * only the entries it accepts are returned (manifestChanges).
 */
export function parseManifest(
  bytes: Buffer | string,
  name: string,
  keep?: (path: string, oid: string) => boolean,
): ManifestEntry[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  const bad = (i: number, why: string): MvgitError =>
    new MvgitError('MANIFEST_INVALID', `manifest ${name}, line ${i + 1}: ${why}`, {
      hint: "the directory's manifest is damaged; run 'mvgit fsck', or restore the pointer from git history",
      data: { manifest: name, line: i + 1 },
    });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const r = lineFields(line);
    if (typeof r === 'string') throw bad(i, r);
    const problem = entryProblem(r);
    if (problem) throw bad(i, problem);
    const p = r.path as string;
    if (seen.has(p)) throw bad(i, `path ${p} appears twice`);
    seen.add(p);
    if (keep && !keep(p, r.oid as string)) continue;
    const entry: ManifestEntry = { path: p, oid: r.oid as string, size: r.size as number };
    if (r.x === true) entry.x = true;
    entries.push(entry);
  }
  // A file and a folder of the same name cannot both exist: refuse `a` beside `a/b`.
  for (const p of seen) {
    let slash = p.lastIndexOf('/');
    while (slash > 0) {
      const parent = p.slice(0, slash);
      if (seen.has(parent)) {
        throw new MvgitError('MANIFEST_INVALID', `manifest ${name}: ${parent} is both a file and a folder`, {
          hint: "the directory's manifest is damaged; restore the pointer from git history",
        });
      }
      slash = parent.lastIndexOf('/');
    }
  }
  return entries;
}

/**
 * What a switch between two versions of a folder must look at: the paths whose content differs
 * (changed, added or removed) and the new manifest's entries for those it still has. The old
 * version is given by what the work tree was recorded at (each path's oid), not by its
 * manifest, which is then never read: of the new one, every line is validated but only the
 * changed ones become entries. So the 19,000 files a 1,000-file switch leaves alone cost a
 * line check each, and the memory follows the change, not the folder.
 */
export function manifestChanges(
  before: { oidOf(path: string): string | undefined; paths(): Iterable<string> },
  after: { bytes: Buffer; name: string },
): { changed: Set<string>; target: Map<string, ManifestEntry> } {
  const present = new Set<string>();
  const added = parseManifest(after.bytes, after.name, (path, oid) => {
    present.add(path);
    return before.oidOf(path) !== oid;
  });
  const target = new Map(added.map((e) => [e.path, e]));
  const changed = new Set(target.keys());
  for (const path of before.paths()) if (!present.has(path)) changed.add(path);
  return { changed, target };
}
