/**
 * The git merge driver for pointer files (`*.mvgit.yaml merge=mvgit`). Git's text merge sees
 * two oids on the same line and gives up; this driver knows what a pointer means: identical
 * changes, one-sided changes and folders changed in different files merge cleanly; anything
 * else becomes a conflict that shows both versions' oid, size and metrics side by side.
 */
import fs from 'node:fs';
import { ObjectStore } from '../store/object-store.js';
import { isMvgitError } from '../../base/errors.js';
import { buildManifest, parseManifest, type ManifestEntry } from '../pointer/manifest.js';
import {
  artifactPathOf,
  oidHex,
  parsePointer,
  POINTER_SUFFIX,
  serializePointer,
  type Pointer,
  type PointerMeta,
} from '../pointer/pointer.js';
import { formatBytes, quote } from '../../base/format.js';
import { findRepo } from '../repo/repo.js';

export interface MergeDriverInput {
  /** %O: the common ancestor's version (empty when both sides added the file). */
  base: string;
  /** %A: our version; the result is written here. */
  ours: string;
  /** %B: their version. */
  theirs: string;
  /** %P: the pointer file's path in the repo, for messages. */
  path: string;
  /** %L: conflict marker length (7 by default). */
  markerSize?: number;
  cwd?: string;
}

export interface MergeDriverResult {
  clean: boolean;
  /** Why it did not merge cleanly (also written at the top of the conflict). */
  reason?: string;
  /** For folders merged file by file: the paths both sides changed differently. */
  conflictingFiles?: string[];
}

type Side = { text: string; pointer: Pointer | null; error?: string };

/**
 * Merges three versions of a pointer file and writes the result to `input.ours`: the merged
 * pointer (clean), or both versions between conflict markers under a comment comparing them.
 */
export async function mergePointerFiles(input: MergeDriverInput): Promise<MergeDriverResult> {
  const read = (file: string, label: string): Side => {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.trim() === '') return { text, pointer: null };
    try {
      return { text, pointer: parsePointer(text, `${input.path} (${label})`) };
    } catch (err) {
      if (!isMvgitError(err)) throw err;
      return { text, pointer: null, error: err.message };
    }
  };
  const base = read(input.base, 'base');
  const ours = read(input.ours, 'ours');
  const theirs = read(input.theirs, 'theirs');

  let result: MergeDriverResult & { pointer?: Pointer };
  if (!ours.pointer || !theirs.pointer || base.error) {
    result = {
      clean: false,
      reason: ours.error ?? theirs.error ?? base.error ?? 'one side deleted or emptied the pointer',
    };
  } else {
    try {
      result = mergePointers(base.pointer, ours.pointer, theirs.pointer, () => storeFor(input.cwd));
    } catch (err) {
      // Whatever went wrong, git must get a file that shows both sides, not ours alone.
      result = {
        clean: false,
        reason: `mvgit could not merge it: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  if (result.clean && result.pointer) {
    fs.writeFileSync(input.ours, serializePointer(result.pointer));
    return { clean: true };
  }
  fs.writeFileSync(input.ours, conflictText(input, ours, theirs, result));
  return {
    clean: false,
    reason: result.reason,
    ...(result.conflictingFiles ? { conflictingFiles: result.conflictingFiles } : {}),
  };
}

function storeFor(cwd?: string): ObjectStore | null {
  try {
    return new ObjectStore(findRepo(cwd));
  } catch {
    return null;
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Three-way merge of one value: the side that changed wins; both changing it alike is fine. */
function pick<T>(base: T, ours: T, theirs: T): { ok: true; value: T } | { ok: false } {
  if (same(ours, theirs)) return { ok: true, value: ours };
  if (same(base, ours)) return { ok: true, value: theirs };
  if (same(base, theirs)) return { ok: true, value: ours };
  return { ok: false };
}

const content = (p: Pointer): Pick<Pointer, 'oid' | 'size' | 'files'> => ({
  oid: p.oid,
  size: p.size,
  ...(p.files !== undefined ? { files: p.files } : {}),
});

/** Merges parsed pointers field by field; a folder changed on both sides is merged file by file. */
export function mergePointers(
  base: Pointer | null,
  ours: Pointer,
  theirs: Pointer,
  store: () => ObjectStore | null,
): MergeDriverResult & { pointer?: Pointer } {
  if (same(serializePointer(ours), serializePointer(theirs))) return { clean: true, pointer: ours };
  if (!base) return { clean: false, reason: 'both sides added this artifact with different content' };
  const kind = pick(base.kind, ours.kind, theirs.kind);
  const where = pick(base.path, ours.path, theirs.path);
  if (!kind.ok || !where.ok) return { clean: false, reason: "both sides changed the artifact's kind or path" };

  let data = pick(content(base), content(ours), content(theirs));
  if (!data.ok) {
    const folders = mergeFolders(base, ours, theirs, store());
    if ('reason' in folders)
      return {
        clean: false,
        reason: folders.reason,
        ...(folders.conflictingFiles ? { conflictingFiles: folders.conflictingFiles } : {}),
      };
    data = { ok: true, value: folders.content };
  }

  const meta: PointerMeta = {};
  const keys = ['description', 'framework', 'params', 'metrics', 'inputs'] as const;
  for (const key of keys) {
    const m = pick(base.meta?.[key], ours.meta?.[key], theirs.meta?.[key]);
    if (!m.ok) return { clean: false, reason: `both sides changed meta.${key} differently` };
    if (m.value !== undefined) (meta as Record<string, unknown>)[key] = m.value;
  }
  const merged: Pointer = { kind: kind.value, path: where.value, ...data.value };
  if (Object.keys(meta).length > 0) merged.meta = meta;
  return { clean: true, pointer: merged };
}

type FolderMerge =
  | { content: Pick<Pointer, 'oid' | 'size' | 'files'> }
  | { reason: string; conflictingFiles?: string[] };

/** Three-way merge of folder manifests by file path; the merged manifest is stored in the cache. */
function mergeFolders(base: Pointer, ours: Pointer, theirs: Pointer, store: ObjectStore | null): FolderMerge {
  if (base.files === undefined || ours.files === undefined || theirs.files === undefined)
    return { reason: 'both sides changed the content' };
  if (!store) return { reason: 'both sides changed the folder, and there is no cache here to merge their manifests' };
  const load = (p: Pointer, label: string): Map<string, ManifestEntry> | string => {
    const hex = oidHex(p.oid);
    try {
      return new Map(
        parseManifest(store.readVerified(hex, label), `${label} (${hex.slice(0, 12)})`).map((e) => [e.path, e]),
      );
    } catch (err) {
      if (isMvgitError(err))
        return `the ${label} manifest ${hex.slice(0, 12)} is not in the cache (run 'mvgit pull', then merge again)`;
      throw err;
    }
  };
  const b = load(base, 'base');
  const o = load(ours, 'ours');
  const t = load(theirs, 'theirs');
  if (typeof b === 'string') return { reason: b };
  if (typeof o === 'string') return { reason: o };
  if (typeof t === 'string') return { reason: t };

  const entries: ManifestEntry[] = [];
  const conflicts: string[] = [];
  for (const p of new Set([...b.keys(), ...o.keys(), ...t.keys()])) {
    const m = pick(b.get(p), o.get(p), t.get(p));
    if (!m.ok) conflicts.push(p);
    else if (m.value) entries.push(m.value);
  }
  if (conflicts.length > 0) {
    conflicts.sort();
    return {
      reason: `both sides changed ${conflicts.length} file(s) of the folder differently: ${conflicts.slice(0, 5).join(', ')}${conflicts.length > 5 ? ', ...' : ''}`,
      conflictingFiles: conflicts,
    };
  }
  const manifest = buildManifest(entries);
  store.putBuffer(manifest.bytes);
  return {
    content: { oid: `sha256:${manifest.hex}`, size: entries.reduce((n, e) => n + e.size, 0), files: entries.length },
  };
}

function summary(p: Pointer | null): string {
  if (!p) return '(no valid pointer)';
  const size = p.files !== undefined ? `${formatBytes(p.size)} in ${p.files} files` : formatBytes(p.size);
  const metrics = Object.entries(p.meta?.metrics ?? {}).map(
    ([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
  );
  return `${p.oid.slice(0, 'sha256:'.length + 12)}  ${size}${metrics.length > 0 ? `  ${metrics.join(' ')}` : ''}`;
}

/** Both versions between conflict markers, under a comment that compares them (YAML comments, so a resolved file parses). */
function conflictText(input: MergeDriverInput, ours: Side, theirs: Side, result: MergeDriverResult): string {
  const n = input.markerSize ?? 7;
  const artifact = ours.pointer
    ? artifactPathOf(input.path, ours.pointer)
    : input.path.replace(new RegExp(`${POINTER_SUFFIX.replace(/\./g, '\\.')}$`), '');
  const body = (s: Side): string => (s.text === '' || s.text.endsWith('\n') ? s.text : `${s.text}\n`);
  return [
    `# mvgit: merge conflict in ${artifact}: ${result.reason ?? 'both sides changed it'}.`,
    `#   ours:   ${summary(ours.pointer)}`,
    `#   theirs: ${summary(theirs.pointer)}`,
    '# Keep one block below (delete the other and the marker lines), then:',
    `#   git add ${quote(input.path)} && mvgit checkout ${quote(artifact)}`,
    `${'<'.repeat(n)} ours`,
    `${body(ours)}${'='.repeat(n)}`,
    `${body(theirs)}${'>'.repeat(n)} theirs`,
    '',
  ].join('\n');
}
