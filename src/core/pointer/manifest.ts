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
  for (const e of sorted) {
    text += `{"path":${JSON.stringify(e.path)},"oid":"${e.oid}","size":${e.size}${e.x ? ',"x":true' : ''}}\n`;
  }
  return Buffer.from(text, 'utf8');
}

/** The manifest's oid and bytes. */
export function buildManifest(entries: ManifestEntry[]): { hex: string; bytes: Buffer } {
  const bytes = serializeManifest(entries);
  return { hex: sha256Hex(bytes), bytes };
}

/**
 * Parses manifest bytes, refusing anything that could write outside the artifact's folder.
 * `name` says where the manifest came from, for errors.
 */
export function parseManifest(bytes: Buffer | string, name: string): ManifestEntry[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const bad = (why: string): MvgitError =>
      new MvgitError('MANIFEST_INVALID', `manifest ${name}, line ${i + 1}: ${why}`, {
        hint: "the directory's manifest is damaged; run 'mvgit fsck', or restore the pointer from git history",
        data: { manifest: name, line: i + 1 },
      });
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw bad('not valid JSON');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('expected an object');
    const r = raw as Record<string, unknown>;
    const problem = unsafePathReason(r.path);
    if (problem) throw bad(`path ${problem}: ${JSON.stringify(r.path)}`);
    // A pointer inside a folder artifact would be a nested artifact git could never see.
    if (isPointerPath(r.path as string)) throw bad(`path must not name a pointer file: ${JSON.stringify(r.path)}`);
    if (typeof r.oid !== 'string' || !HEX_RE.test(r.oid)) throw bad('oid must be 64 lowercase hex digits');
    if (!Number.isSafeInteger(r.size) || (r.size as number) < 0) throw bad('size must be a whole number');
    const p = r.path as string;
    if (seen.has(p)) throw bad(`path ${p} appears twice`);
    seen.add(p);
    const entry: ManifestEntry = { path: p, oid: r.oid, size: r.size as number };
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
