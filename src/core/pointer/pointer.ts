import { parsePlainYaml } from './plain-yaml.js';
import { yaml } from './yaml.js';
import { MvgitError } from '../../base/errors.js';

import { ARTIFACT_KINDS, POINTER_SUFFIX, type ArtifactKind } from './kind.js';
import { isGitName } from '../../base/git-names.js';

export { isGitName };

export { ARTIFACT_KINDS, POINTER_SUFFIX, type ArtifactKind };

/** Where a model or dataset came from: another artifact, by path and content. */
export interface LineageInput {
  path: string;
  oid: string;
}

export interface PointerMeta {
  description?: string;
  framework?: string;
  params?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  inputs?: LineageInput[];
}

/** A pointer file (format 1): everything git needs to know about one artifact. */
export interface Pointer {
  kind: ArtifactKind;
  /** The artifact, relative to the pointer file's folder, with `/` separators. */
  path: string;
  /** `sha256:<64 hex>`; for a directory, the oid of its manifest. */
  oid: string;
  size: number;
  /** Number of files; present for directories only. */
  files?: number;
  meta?: PointerMeta;
}

export const FORMAT_VERSION = 1;
const OID_RE = /^sha256:[0-9a-f]{64}$/;
const TOP_KEYS = ['mvgit', 'kind', 'path', 'oid', 'size', 'files', 'meta'];
const META_KEYS = ['description', 'framework', 'params', 'metrics', 'inputs'];
/** Pointers are a few hundred bytes; anything far larger is not one of ours. */
export const MAX_POINTER_BYTES = 1 << 20;

/** True when `oid` is a well-formed `sha256:<hex>` oid. */
export function isOid(oid: unknown): oid is string {
  return typeof oid === 'string' && OID_RE.test(oid);
}

/** The 64 hex digits of an oid. */
export function oidHex(oid: string): string {
  return oid.slice('sha256:'.length);
}

/**
 * Checks that a relative path stays where it is put: no absolute paths, no drive letters,
 * no `..`, no empty or `.` segments, no backslashes (which mean `..\` on Windows), and no
 * segment that a file system may take for `.git` (see isGitName): a manifest or pointer comes from someone else's
 * commit, and a checkout that made a `.git` would make a repository whose config runs commands.
 * Returns the problem, or undefined when the path is safe.
 */
export function unsafePathReason(p: unknown): string | undefined {
  if (typeof p !== 'string' || p.length === 0) return 'must be a non-empty string';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'must be relative, not absolute';
  if (p.includes('\\')) return 'must use / as separator';
  if (p.includes('\0')) return 'must not contain a NUL byte';
  for (const seg of p.split('/')) {
    if (seg === '..') return "must not contain '..'";
    if (seg === '' || seg === '.') return 'must not contain empty or . segments';
    if (isGitName(seg)) return "must not point into '.git'";
  }
  return undefined;
}

function invalid(file: string, message: string, hint?: string): MvgitError {
  return new MvgitError('POINTER_INVALID', `${file}: ${message}`, {
    hint: hint ?? 'fix the pointer by hand, or restore it from git (git checkout -- FILE) and run mvgit add again',
    data: { file },
  });
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function loadYaml(text: string, file: string): unknown {
  const doc = yaml().parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw invalid(file, `not valid YAML${where}: ${e.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 0 });
  } catch (err) {
    throw invalid(file, `not valid YAML: ${(err as Error).message}`);
  }
}

/**
 * Parses and validates a pointer file's text. `file` names it in errors.
 * Every field is checked: a pointer comes from git and may have been written by anyone.
 */
export function parsePointer(text: string, file: string): Pointer {
  if (text.length > MAX_POINTER_BYTES) throw invalid(file, `file is ${text.length} bytes; a pointer is a few hundred`);
  // Pointers as mvgit writes them are read without the full YAML parser (src/core/pointer/plain-yaml.ts).
  const raw = parsePlainYaml(text) ?? loadYaml(text, file);
  if (!isPlainMap(raw)) throw invalid(file, 'expected a mapping of fields (mvgit, kind, path, oid, size)');

  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.includes(key))
      throw invalid(file, `unknown field '${key}'`, `allowed fields: ${TOP_KEYS.join(', ')}`);
  }
  if (raw.mvgit === undefined) throw invalid(file, "missing field 'mvgit' (the format version)");
  if (raw.mvgit !== FORMAT_VERSION) {
    throw invalid(
      file,
      `unknown format version mvgit: ${JSON.stringify(raw.mvgit)}`,
      'this mvgit reads format 1; upgrade mvgit if the pointer was written by a newer one',
    );
  }
  if (raw.kind === undefined) throw invalid(file, "missing field 'kind'");
  if (!ARTIFACT_KINDS.includes(raw.kind as ArtifactKind)) {
    throw invalid(file, `field 'kind' must be one of ${ARTIFACT_KINDS.join(', ')}, got ${JSON.stringify(raw.kind)}`);
  }
  if (raw.path === undefined) throw invalid(file, "missing field 'path'");
  const pathProblem = unsafePathReason(raw.path);
  if (pathProblem) throw invalid(file, `field 'path' ${pathProblem}: ${JSON.stringify(raw.path)}`);
  // A pointer's path becomes a .gitignore rule: a newline there would write two rules (a bare
  // `src` one among them). A file in a folder artifact may have any name: its manifest is JSON.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\x01-\x1f\x7f]/.test(raw.path as string))
    throw invalid(
      file,
      `field 'path' must not contain control characters (newline, tab, escape): ${JSON.stringify(raw.path)}`,
    );
  // A pointer must not claim another pointer: a checkout would overwrite what git versions.
  if (isPointerPath(raw.path as string))
    throw invalid(file, `field 'path' must not name a pointer file: ${JSON.stringify(raw.path)}`);
  if (raw.oid === undefined) throw invalid(file, "missing field 'oid'");
  if (!isOid(raw.oid))
    throw invalid(file, `field 'oid' must be sha256: and 64 lowercase hex digits, got ${JSON.stringify(raw.oid)}`);
  if (raw.size === undefined) throw invalid(file, "missing field 'size'");
  if (!Number.isSafeInteger(raw.size) || (raw.size as number) < 0)
    throw invalid(file, `field 'size' must be a whole number of bytes, got ${JSON.stringify(raw.size)}`);
  if (raw.files !== undefined && (!Number.isSafeInteger(raw.files) || (raw.files as number) < 0)) {
    throw invalid(file, `field 'files' must be a whole number, got ${JSON.stringify(raw.files)}`);
  }

  const pointer: Pointer = {
    kind: raw.kind as ArtifactKind,
    path: raw.path as string,
    oid: raw.oid,
    size: raw.size as number,
  };
  if (raw.files !== undefined) pointer.files = raw.files as number;
  if (raw.meta !== undefined && raw.meta !== null) pointer.meta = parseMeta(raw.meta, file);
  return pointer;
}

function parseMeta(meta: unknown, file: string): PointerMeta {
  if (!isPlainMap(meta)) throw invalid(file, "field 'meta' must be a mapping");
  for (const key of Object.keys(meta)) {
    if (!META_KEYS.includes(key))
      throw invalid(file, `unknown field 'meta.${key}'`, `allowed fields under meta: ${META_KEYS.join(', ')}`);
  }
  const out: PointerMeta = {};
  for (const key of ['description', 'framework'] as const) {
    if (meta[key] === undefined) continue;
    if (typeof meta[key] !== 'string') throw invalid(file, `field 'meta.${key}' must be text`);
    out[key] = meta[key] as string;
  }
  for (const key of ['params', 'metrics'] as const) {
    if (meta[key] === undefined) continue;
    if (!isPlainMap(meta[key])) throw invalid(file, `field 'meta.${key}' must be a mapping of names to values`);
    out[key] = meta[key] as Record<string, unknown>;
  }
  if (meta.inputs !== undefined) {
    if (!Array.isArray(meta.inputs)) throw invalid(file, "field 'meta.inputs' must be a list of {path, oid}");
    out.inputs = meta.inputs.map((input, i) => {
      if (!isPlainMap(input)) throw invalid(file, `field 'meta.inputs[${i}]' must be a mapping with path and oid`);
      const problem = unsafePathReason(input.path);
      if (problem) throw invalid(file, `field 'meta.inputs[${i}].path' ${problem}`);
      if (!isOid(input.oid))
        throw invalid(file, `field 'meta.inputs[${i}].oid' must be sha256: and 64 lowercase hex digits`);
      return { path: input.path as string, oid: input.oid };
    });
  }
  return out;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (isPlainMap(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortDeep(value[key]);
    return out;
  }
  return value;
}

/**
 * Canonical text of a pointer: fixed key order, sorted maps, no timestamps, so the same
 * content always gives the same bytes and a diff shows only real changes.
 */
export function serializePointer(p: Pointer): string {
  const doc: Record<string, unknown> = { mvgit: FORMAT_VERSION, kind: p.kind, path: p.path, oid: p.oid, size: p.size };
  if (p.files !== undefined) doc.files = p.files;
  const meta: Record<string, unknown> = {};
  const m = p.meta ?? {};
  if (m.description !== undefined) meta.description = m.description;
  if (m.framework !== undefined) meta.framework = m.framework;
  if (m.params !== undefined && Object.keys(m.params).length > 0) meta.params = sortDeep(m.params);
  if (m.metrics !== undefined && Object.keys(m.metrics).length > 0) meta.metrics = sortDeep(m.metrics);
  if (m.inputs !== undefined && m.inputs.length > 0) {
    meta.inputs = [...m.inputs]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((i) => ({ path: i.path, oid: i.oid }));
  }
  if (Object.keys(meta).length > 0) doc.meta = meta;
  return yaml().stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** `models/m.pkl` -> `models/m.pkl.mvgit.yaml` */
export function pointerPathFor(artifactPath: string): string {
  return artifactPath + POINTER_SUFFIX;
}

/** True for a repo path that names a pointer file. */
export function isPointerPath(p: string): boolean {
  return p.endsWith(POINTER_SUFFIX);
}

/** The repo path of the artifact a pointer (at `pointerPath`) describes. */
export function artifactPathOf(pointerPath: string, pointer: Pointer): string {
  const slash = pointerPath.lastIndexOf('/');
  return slash < 0 ? pointer.path : pointerPath.slice(0, slash + 1) + pointer.path;
}
