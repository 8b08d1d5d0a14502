/**
 * The comparison model of `mvgit diff`: two sets of pointers (two revisions, or a revision and
 * the work tree) become one typed entry per artifact added, modified, removed or renamed.
 */
import type { Pointer } from '../pointer/pointer.js';
import type { ObjectStore } from '../store/object-store.js';
import { folderChanges, type FolderChanges, type FolderCounts } from './folder-changes.js';
import { compareMetrics, flatten, type MetricChange, type MetricRules } from './metrics.js';

/** A pointer on one side of a comparison: from a commit's tree or from the work tree. */
export interface PointerSide {
  pointerPath: string;
  /** The artifact's repo path. */
  path: string;
  pointer: Pointer;
}

/** One version of an artifact, as the diff shows it. */
export interface VersionSummary {
  oid: string;
  size: number;
  files?: number;
}

/** A param that changed: added (no old), removed (no new) or a new value. Keys are `a.b.c`. */
export interface ParamChange {
  name: string;
  old?: unknown;
  new?: unknown;
}

/** A lineage input whose version changed, by its path. */
export interface InputChange {
  path: string;
  old?: string;
  new?: string;
}

export type DiffStatus = 'added' | 'modified' | 'removed' | 'renamed';

/** How one artifact differs between the two sides. */
export interface ArtifactDiff {
  status: DiffStatus;
  /** The artifact's path on the new side (on the old one when removed). */
  path: string;
  /** Its path on the old side, when renamed. */
  oldPath?: string;
  kind: Pointer['kind'];
  old?: VersionSummary;
  new?: VersionSummary;
  /** new size - old size. */
  sizeDelta: number;
  /** Every metric of either side; unchanged ones have status `unchanged`. */
  metrics: MetricChange[];
  params: ParamChange[];
  inputs: InputChange[];
  /** Folders only: the files that changed inside. */
  folder?: FolderChanges | FolderCounts;
}

export interface DiffContext {
  rules: MetricRules;
  store: ObjectStore;
  /** How the two sides are named in hints (`HEAD`, `work tree`). */
  labels: [string, string];
}

function summary(p: Pointer): VersionSummary {
  return { oid: p.oid, size: p.size, ...(p.files !== undefined ? { files: p.files } : {}) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The params that differ, flattened to dotted keys, in name order. */
export function paramChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): ParamChange[] {
  const a = flatten(before);
  const b = flatten(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .sort()
    .filter((k) => !same(a[k], b[k]))
    .map((k) => ({ name: k, ...(k in a ? { old: a[k] } : {}), ...(k in b ? { new: b[k] } : {}) }));
}

function inputChanges(before: Pointer | undefined, after: Pointer | undefined): InputChange[] {
  const a = new Map((before?.meta?.inputs ?? []).map((i) => [i.path, i.oid]));
  const b = new Map((after?.meta?.inputs ?? []).map((i) => [i.path, i.oid]));
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => ({ path: p, ...(a.has(p) ? { old: a.get(p) } : {}), ...(b.has(p) ? { new: b.get(p) } : {}) }));
}

function entry(
  status: DiffStatus,
  before: PointerSide | undefined,
  after: PointerSide | undefined,
  ctx: DiffContext,
): ArtifactDiff {
  const a = before?.pointer;
  const b = after?.pointer;
  const kind = (b ?? a)!.kind;
  const isFolder = a?.files !== undefined || b?.files !== undefined;
  return {
    status,
    path: (after ?? before)!.path,
    ...(status === 'renamed' ? { oldPath: before!.path } : {}),
    kind,
    ...(a ? { old: summary(a) } : {}),
    ...(b ? { new: summary(b) } : {}),
    sizeDelta: (b?.size ?? 0) - (a?.size ?? 0),
    metrics: compareMetrics(a?.meta?.metrics, b?.meta?.metrics, ctx.rules),
    params: paramChanges(a?.meta?.params, b?.meta?.params),
    inputs: inputChanges(a, b),
    ...(isFolder && a?.oid !== b?.oid ? { folder: folderChanges(ctx.store, a, b, ctx.labels) } : {}),
  };
}

/**
 * Every artifact that differs between `before` and `after`, sorted by path. An artifact gone
 * from one path and present with the same content at a new one is one `renamed` entry.
 *
 * @example
 * const changes = diffPointers(await pointersAt(repo, a), listArtifacts(repo), ctx);
 */
export function diffPointers(before: PointerSide[], after: PointerSide[], ctx: DiffContext): ArtifactDiff[] {
  const oldByPath = new Map(before.map((s) => [s.path, s]));
  const newByPath = new Map(after.map((s) => [s.path, s]));
  const out: ArtifactDiff[] = [];
  const added: PointerSide[] = [];
  for (const b of after) {
    const a = oldByPath.get(b.path);
    if (!a) added.push(b);
    else if (!same(a.pointer, b.pointer)) out.push(entry('modified', a, b, ctx));
  }
  const removed = before.filter((a) => !newByPath.has(a.path));
  for (const b of added) {
    // Git's rename rule, on content: the same oid at a new path.
    const i = removed.findIndex((a) => a.pointer.oid === b.pointer.oid);
    if (i >= 0) out.push(entry('renamed', removed.splice(i, 1)[0], b, ctx));
    else out.push(entry('added', undefined, b, ctx));
  }
  for (const a of removed) out.push(entry('removed', a, undefined, ctx));
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

/** True when some metric of some artifact got worse beyond its tolerance. */
export function hasRegression(diffs: ArtifactDiff[]): boolean {
  return diffs.some((d) => d.metrics.some((m) => m.regression));
}
