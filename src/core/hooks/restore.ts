/**
 * Putting artifacts in line with their pointers after git moved HEAD (post-checkout,
 * post-merge, post-rewrite) or after a killed hook. Loaded only when some pointer changed.
 */
import fs from 'node:fs';
import { readPointerFile } from '../history/work-tree-pointers.js';
import { restoreArtifact, type RestoreOutcome } from '../workspace/checkout.js';
import { type OnProgress, syncIfAsked, type Workspace } from '../repo/workspace.js';
import { isMvgitError } from '../../base/errors.js';
import { statKey } from '../../base/fs/stat-key.js';
import { git, indexEntries } from '../../adapters/git/run.js';
import { artifactPathOf, parsePointer, POINTER_SUFFIX, pointerPathFor, type Pointer } from '../pointer/pointer.js';
import { absPath } from '../repo/repo.js';
import { scanWorkTree } from '../workspace/scan.js';
import { indexByArtifact, inspectPlace, type Place } from '../workspace/write-guard.js';
import type { PointerChanges } from './changes.js';
import { clearPending, readPending, writePending } from '../workspace/restore-journal.js';
import { failpoint } from '../../base/failpoint.js';

/** What a checkout hook did to the work tree. */
export interface RestoreReport {
  /** One per artifact whose pointer is in the work tree: restored, up to date, left alone (conflict) or incomplete. */
  outcomes: RestoreOutcome[];
  /** Artifacts whose pointer went away and whose files were removed (their content is in the cache). */
  removed: string[];
  /** Artifacts whose pointer went away but whose files were kept: unsaved content, or git tracks the path now. */
  kept: { path: string; reason: 'unsaved' | 'git-tracked' | 'unsafe' }[];
  /** Pointers that could not be read (malformed): named, not fatal. */
  errors: { path: string; message: string; hint?: string }[];
}

interface Target {
  path: string;
  pointerPath: string;
  pointer: Pointer;
}

/**
 * Restores the artifacts of `changes.present` from their work-tree pointers and removes the
 * artifacts of `changes.gone` whose content is safely in the cache, plus whatever a killed
 * run left in the journal. The journal is written before the first file is touched and
 * cleared after the last, so an interrupted run is finished by the next hook or commit.
 */
export async function restoreArtifacts(
  ws: Workspace,
  changes: PointerChanges,
  onProgress?: OnProgress,
): Promise<RestoreReport> {
  const report: RestoreReport = { outcomes: [], removed: [], kept: [], errors: [] };
  const targets = new Map<string, Target>();
  const gone = new Set<string>();
  const readTarget = (pointerPath: string): void => {
    if (!fs.existsSync(absPath(ws.repo, pointerPath))) return;
    try {
      const a = readPointerFile(ws.repo, pointerPath);
      targets.set(a.path, { path: a.path, pointerPath, pointer: a.pointer });
    } catch (err) {
      if (!isMvgitError(err)) throw err;
      report.errors.push({ path: pointerPath, message: err.message, hint: err.hint });
    }
  };
  for (const p of changes.present) readTarget(p);
  for (const g of changes.gone) {
    const artifact = goneArtifactPath(ws, g.pointerPath, g.rev);
    if (fs.existsSync(absPath(ws.repo, pointerPathFor(artifact)))) readTarget(pointerPathFor(artifact));
    else gone.add(artifact);
  }
  for (const p of readPending(ws.repo)) {
    if (targets.has(p) || gone.has(p)) continue;
    if (fs.existsSync(absPath(ws.repo, pointerPathFor(p)))) readTarget(pointerPathFor(p));
    else gone.add(p);
  }
  if (targets.size === 0 && gone.size === 0) {
    clearPending(ws.repo);
    return report;
  }

  writePending(ws.repo, [...targets.keys(), ...gone]);
  await failpoint('restore:after-journal');
  // One question to the git index for every artifact this switch touches (write-guard.ts).
  const index = indexByArtifact(ws.repo, [...targets.keys()]);
  for (const t of [...targets.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    let outcome: RestoreOutcome;
    try {
      outcome = await restoreArtifact(ws, {
        path: t.path,
        pointer: t.pointer,
        onProgress,
        index: () => index(t.path),
        pointerKey: pointerKeyOf(ws, t),
      });
    } catch (err) {
      // One artifact a commit made unsafe (a committed symlink on its way) stops only itself.
      if (!isMvgitError(err)) throw err;
      report.errors.push({ path: t.pointerPath, message: err.message, hint: err.hint });
      continue;
    }
    report.outcomes.push(outcome);
  }
  for (const p of [...gone].sort()) await removeIfSafe(ws, p, report);
  syncIfAsked(ws);
  clearPending(ws.repo);
  return report;
}

/**
 * The pointer file's fingerprint, which restoreArtifact records once the work tree matches the
 * pointer, so the next pre-commit knows the pointer is not news (it only trusts the stat cache
 * while the pointer's fingerprint holds). Git wrote the file before the hook ran; nothing
 * rewrites it during the restore.
 */
function pointerKeyOf(ws: Workspace, t: Target): string | undefined {
  const st = fs.statSync(absPath(ws.repo, t.pointerPath), { bigint: true, throwIfNoEntry: false });
  return st ? statKey(st) : undefined;
}

/** The artifact a pointer that went away described, read from the revision that still has it. */
function goneArtifactPath(ws: Workspace, pointerPath: string, rev: string): string {
  const fallback = pointerPath.slice(0, -POINTER_SUFFIX.length);
  const text = git(ws.repo, ['cat-file', 'blob', `${rev}:${pointerPath}`], { allowFail: true });
  if (text === '') return fallback;
  try {
    return artifactPathOf(pointerPath, parsePointer(text, `${pointerPath} at ${rev.slice(0, 10)}`));
  } catch {
    return fallback;
  }
}

/**
 * Removes an artifact whose pointer is gone, but only when every file of it is in the cache
 * (so nothing is lost) and git does not track the path now (a file git put there is git's).
 */
async function removeIfSafe(ws: Workspace, artifactPath: string, report: RestoreReport): Promise<void> {
  const abs = absPath(ws.repo, artifactPath);
  if (!fs.existsSync(abs)) {
    ws.state.drop(artifactPath);
    return;
  }
  if (indexEntries(ws.repo, [artifactPath]).length > 0) {
    report.kept.push({ path: artifactPath, reason: 'git-tracked' });
    return;
  }
  // Never delete through a symlink, nor a folder holding a `.git` or links: only plain files
  // whose content the cache holds go (src/core/workspace/write-guard.ts).
  let place: Place;
  try {
    place = inspectPlace(ws.repo, artifactPath, fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory() === true);
  } catch {
    report.kept.push({ path: artifactPath, reason: 'unsafe' });
    return;
  }
  const scan = await scanWorkTree(ws, artifactPath, abs, ws.state.load(artifactPath));
  if (place.links.length > 0 || scan.findings.links.length > 0 || scan.findings.gitDirs.length > 0) {
    report.kept.push({ path: artifactPath, reason: 'unsafe' });
    return;
  }
  const present = scan.files.size > 1000 ? ws.store.list() : null;
  const saved = [...scan.files.values()].every(
    (f) => f.hex !== '' && (present ? present.has(f.hex) : ws.store.has(f.hex)),
  );
  if (!saved) {
    report.kept.push({ path: artifactPath, reason: 'unsaved' });
    return;
  }
  fs.rmSync(abs, { recursive: true, force: true });
  ws.state.drop(artifactPath);
  report.removed.push(artifactPath);
}
