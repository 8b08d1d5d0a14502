/**
 * The metadata of one recording step (`mvgit add`, `mvgit commit`, the pre-commit hook): the
 * params and metrics a tracking rule names, read when its match gets new bytes; each input's oid
 * as it is on disk (the stat cache spares a re-hash); the framework from the file's header.
 * A tracked input whose content changed is recorded in the same step, unless an older commit
 * holds that content: then the step stops, since the model was trained on an old version.
 */
import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import type { Workspace } from '../repo/workspace.js';
import type { ArtifactKind, LineageInput, PointerMeta } from '../pointer/pointer.js';
import { pointerPathFor } from '../pointer/pointer.js';
import { absPath } from '../repo/repo.js';
import { detectFramework, kindByExtension } from './framework.js';
import { findKnownVersion } from './known-version.js';
import { readValueFiles, sameValues } from './meta.js';
import { shellWord } from './nested.js';
import { type AddOptions, type Measured, measureArtifact } from './record.js';
import type { RuleSources } from './track.js';

/** One artifact of a step: measured, with the kind to record and its rule's sources. */
export interface StepItem {
  measured: Measured;
  kind: ArtifactKind | undefined;
  sources?: RuleSources;
  /** The meta to write (set by completeStep), merged over what the pointer carries. */
  meta?: PointerMeta;
  warnings?: string[];
}

/**
 * Fills in each item's meta and warnings, and appends the tracked inputs whose content changed
 * (to be recorded with the rest). Throws before any pointer is written: a missing or malformed
 * params or metrics file, an input that is not tracked, or an input holding an older version.
 */
export async function completeStep(ws: Workspace, items: StepItem[], options: AddOptions): Promise<StepItem[]> {
  const out = [...items];
  const oids = new Map<string, string>();
  for (const item of items) {
    const { measured: m, sources } = item;
    const fresh = !m.previous || m.previous.oid !== m.content.oid;
    const meta: PointerMeta = {};
    // A rule's files describe the bytes being recorded: read them only for new bytes, so a
    // commit that leaves the model alone does not pin someone else's fresh metrics on it.
    if (fresh && sources?.params) meta.params = await readValueFiles(ws.repo, sources.params, 'params');
    if (fresh && sources?.metrics) meta.metrics = await readValueFiles(ws.repo, sources.metrics, 'metrics');
    if (fresh && !m.isDir && (item.kind ?? m.previous?.kind ?? kindByExtension(m.path)) === 'model') {
      const framework = detectFramework(absPath(ws.repo, m.path));
      if (framework) meta.framework = framework;
    }
    Object.assign(meta, options.meta ?? {});
    const inputs = [...(fresh ? (sources?.inputs ?? []) : []), ...(options.inputs ?? [])].filter(
      (p, i, all) => all.indexOf(p) === i && p !== m.path,
    );
    if (inputs.length > 0) {
      const lineage: LineageInput[] = [];
      for (const p of inputs) lineage.push({ path: p, oid: await inputOid(ws, p, m.path, out, oids, options) });
      meta.inputs = [...lineage, ...(meta.inputs ?? []).filter((i) => !inputs.includes(i.path))];
    }
    const warnings: string[] = [];
    if (m.previous && fresh && meta.metrics && sameValues(meta.metrics, m.previous.meta?.metrics))
      warnings.push(
        `${m.path} changed but its metrics${sources?.metrics ? ` (${sources.metrics.join(', ')})` : ''} are the same as the previous version's: were they computed for this version? Stale metrics mislead more than none.`,
      );
    item.meta = meta;
    if (warnings.length > 0) item.warnings = warnings;
  }
  return out;
}

/**
 * The oid of input `p` as it is on disk. An input in the step already is measured; another is
 * measured now (from the stat cache when unchanged) and, when its content differs from its
 * pointer, appended to `step` so the same step records it.
 */
async function inputOid(
  ws: Workspace,
  p: string,
  of: string,
  step: StepItem[],
  oids: Map<string, string>,
  options: AddOptions,
): Promise<string> {
  const known = oids.get(p);
  if (known) return known;
  let item = step.find((s) => s.measured.path === p);
  if (!item) {
    const st = fs.statSync(absPath(ws.repo, p), { throwIfNoEntry: false });
    if (!st || (!st.isFile() && !st.isDirectory()))
      throw new MvgitError('PATH_NOT_FOUND', `input ${p} of ${of} does not exist`, {
        hint: `put the data ${of} was made from in place (mvgit checkout ${shellWord(p)}), or correct the input path`,
        data: { path: p, artifact: of },
      });
    // Checked before hashing: an untracked input may be large, and its oid would name nothing.
    if (!fs.existsSync(absPath(ws.repo, pointerPathFor(p))))
      throw new MvgitError('NOT_TRACKED', `input ${p} of ${of} is not a tracked artifact`, {
        hint: `record it first: mvgit add ${shellWord(p)} --kind dataset`,
        data: { path: p, artifact: of },
      });
    const measured = await measureArtifact(ws, p, st.isDirectory(), { onProgress: options.onProgress });
    if (!measured.previous)
      throw new MvgitError('POINTER_INVALID', `input ${p} of ${of} has a pointer mvgit cannot read`, {
        hint: `record the input again: mvgit add ${shellWord(p)}`,
        data: { path: p, artifact: of },
      });
    item = { measured, kind: undefined };
    if (measured.previous.oid !== measured.content.oid) step.push(item);
  }
  const m = item.measured;
  if (m.previous && m.previous.oid !== m.content.oid && !options.force) {
    const older = findKnownVersion(ws.repo, pointerPathFor(p), m.content.oid);
    if (older)
      throw new MvgitError(
        'OLD_VERSION',
        `input ${p} of ${of} holds the version of ${older.label}, not the one its pointer names: ${of} would be recorded as made from old data`,
        {
          hint: `put the pointer's version in place (mvgit checkout ${shellWord(p)}) and train again; or, if the old data is what you mean, record it as the newest version first: mvgit add ${shellWord(p)} --force`,
          data: { path: p, artifact: of, commit: older.commit, ...(older.tag ? { tag: older.tag } : {}) },
        },
      );
  }
  oids.set(p, m.content.oid);
  return m.content.oid;
}
