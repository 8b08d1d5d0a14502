/**
 * The part of pre-commit that only runs when something changed: finish an interrupted
 * checkout, tell edited artifacts from stale ones, and record the edited ones with the code
 * of `mvgit add` (addTracked).
 */
import fs from 'node:fs';
import { addTracked } from '../workspace/add.js';
import { readPointerFile } from '../history/work-tree-pointers.js';
import { openWorkspace, type OnProgress, type Workspace } from '../repo/workspace.js';
import { statKey } from '../../base/fs/stat-key.js';
import { POINTER_SUFFIX } from '../pointer/kind.js';
import { absPath, type Repo } from '../repo/repo.js';
import type { ArtifactState } from '../store/stat-cache.js';
import type { RememberedFolder } from '../workspace/folder-memo.js';
import type { RuleMatch } from '../workspace/track.js';
import { workTreeAsRecorded } from './unchanged-check.js';
import { hasPending } from '../workspace/restore-journal.js';
import type { RecordedArtifact } from './pre-commit.js';
import { restoreArtifacts, type RestoreReport } from './restore.js';

export interface RecordResult {
  recorded: RecordedArtifact[];
  stale: string[];
  finished?: RestoreReport;
  toStage: string[];
  warnings: string[];
}

/**
 * Records the artifacts among `work` whose content the user changed. An artifact is *stale*,
 * not changed, when its pointer moved (a checkout, merge or pull whose restore did not run or
 * did not finish, or a conflict resolved by hand) while its files are exactly as mvgit last
 * left them: recording it would undo the pointer, so it is reported instead.
 */
export async function recordChanged(
  repo: Repo,
  work: RuleMatch[],
  onProgress?: OnProgress,
  remembered: ReadonlyMap<string, RememberedFolder> = new Map(),
): Promise<RecordResult> {
  const ws = await openWorkspace({ cwd: repo.root });
  const out: RecordResult = { recorded: [], stale: [], toStage: [], warnings: [] };
  const unfinished = new Set<string>();
  if (hasPending(repo)) {
    out.finished = await restoreArtifacts(ws, { present: [], gone: [] }, onProgress);
    for (const o of out.finished.outcomes)
      if (o.result !== 'restored' && o.result !== 'up-to-date') unfinished.add(o.path);
  }

  const record = new Set<string>();
  for (const m of work) {
    if (unfinished.has(m.path)) {
      out.stale.push(m.path);
      continue;
    }
    // A memo that still holds its pointer file's fingerprint and names edited files: mvgit
    // wrote that pointer, and the work tree is the news.
    const verdict = remembered.get(m.path)?.changed.length ? 'changed' : classify(ws, m);
    if (verdict === 'changed') record.add(m.path);
    if (verdict === 'stale') out.stale.push(m.path);
  }
  if (record.size === 0) return out;

  const added = await addTracked(ws, { only: (p) => record.has(p), onProgress, remembered });
  for (const a of added) {
    out.warnings.push(...(a.warnings ?? []));
    if (a.changed) {
      out.recorded.push({
        path: a.path,
        pointerPath: a.pointerPath,
        kind: a.kind,
        oid: a.oid,
        size: a.size,
        ...(a.files !== undefined ? { files: a.files } : {}),
      });
      out.toStage.push(a.pointerPath);
    }
    if (a.gitignore && !out.toStage.includes(a.gitignore)) out.toStage.push(a.gitignore);
  }
  return out;
}

function classify(ws: Workspace, m: RuleMatch): 'changed' | 'same' | 'stale' {
  const pointerAbs = absPath(ws.repo, m.path + POINTER_SUFFIX);
  const pst = fs.statSync(pointerAbs, { bigint: true, throwIfNoEntry: false });
  if (!pst) return 'changed'; // a new artifact
  const state = ws.state.load(m.path);
  const asLeft = workTreeAsRecorded(absPath(ws.repo, m.path), state, m.isDir).same;
  // mvgit wrote this pointer, or restored the work tree from it: the work tree is the news.
  if (state.pointer?.[0] === statKey(pst))
    return asLeft && state.oid !== undefined && state.pointer[1] === `sha256:${state.oid}` ? 'same' : 'changed';
  // The pointer changed behind mvgit's back. If the user changed the files too, theirs win.
  if (!asLeft) return 'changed';
  let oid: string;
  try {
    oid = readPointerFile(ws.repo, m.path + POINTER_SUFFIX).pointer.oid;
  } catch {
    return 'changed'; // a damaged pointer: recording writes a good one (as mvgit add does)
  }
  if (state.oid === undefined || oid !== `sha256:${state.oid}`) return 'stale';
  notePointer(ws, m.path, state, [statKey(pst), oid]);
  return 'same';
}

function notePointer(ws: Workspace, artifactPath: string, state: ArtifactState, pointer: [string, string]): void {
  ws.state.save(artifactPath, { ...state, pointer }, true);
}
