/**
 * `mvgit show PATH [--rev REV]`: one version of one artifact with everything its pointer says,
 * and the commit (with its tags) that recorded that version.
 */
import { MvgitError } from '../../base/errors.js';
import { artifactLog, type ArtifactVersion } from '../history/log.js';
import { pointerAt, resolveRev } from '../history/revision.js';
import { readPointerFile } from '../history/work-tree-pointers.js';
import { isPointerPath, pointerPathFor, type LineageInput, type Pointer } from '../pointer/pointer.js';
import { toRepoPath, type Repo } from '../repo/repo.js';
import { flatten } from './metrics.js';

/** The commit that recorded a version. */
export interface RecordingCommit {
  commit: string;
  date: string;
  author: string;
  subject: string;
  tags: string[];
}

/** One artifact version, readable. */
export interface ArtifactDetails {
  path: string;
  pointerPath: string;
  kind: Pointer['kind'];
  oid: string;
  size: number;
  files?: number;
  framework?: string;
  description?: string;
  /** Flattened to `a.b.c`. */
  params: Record<string, unknown>;
  metrics: Record<string, unknown>;
  inputs: LineageInput[];
  /** Where the pointer was read: a revision as typed, or `work tree`. */
  source: string;
  /** The newest commit (from the revision shown, or HEAD) whose pointer holds this version; absent when never committed. */
  recordedIn?: RecordingCommit;
}

export interface ShowOptions {
  rev?: string;
  cwd?: string;
}

/**
 * The version of the artifact at `userPath` in the work tree, or at `rev`.
 *
 * @example
 * const v = await showArtifact(repo, 'models/churn.pkl', { rev: 'v1.0' });
 */
export async function showArtifact(repo: Repo, userPath: string, options: ShowOptions = {}): Promise<ArtifactDetails> {
  const repoPath = toRepoPath(repo, userPath, options.cwd);
  const pointerPath = isPointerPath(repoPath) ? repoPath : pointerPathFor(repoPath);
  let pointer: Pointer | undefined;
  let path: string | undefined;
  const commit = options.rev === undefined ? undefined : resolveRev(repo, options.rev);
  if (commit !== undefined) {
    const at = await pointerAt(repo, commit, pointerPath);
    pointer = at?.pointer;
    path = at?.path;
  } else {
    try {
      const t = readPointerFile(repo, pointerPath);
      pointer = t.pointer;
      path = t.path;
    } catch (err) {
      if (!(err instanceof MvgitError) || err.code !== 'NOT_TRACKED') throw err;
    }
  }
  if (!pointer || path === undefined) {
    const artifact = isPointerPath(repoPath) ? repoPath.replace(/\.mvgit\.yaml$/, '') : repoPath;
    throw new MvgitError(
      'NOT_TRACKED',
      `${artifact} is not tracked${options.rev !== undefined ? ` at ${options.rev}` : ' in the work tree'}`,
      {
        hint: `'mvgit log ${artifact}' lists its versions; 'mvgit status' lists what is tracked`,
        data: { path: artifact },
      },
    );
  }
  const holds = (v: ArtifactVersion): boolean => v.oid === pointer.oid && sameMeta(v, pointer);
  // The newest change of the pointer is nearly always the version shown: the whole history (every
  // version's pointer read and parsed) only when it is not.
  const holder =
    historyOf(repo, pointerPath, options.rev, commit, 1).find(holds) ??
    historyOf(repo, pointerPath, options.rev, commit).find(holds);
  const meta = pointer.meta ?? {};
  return {
    path,
    pointerPath,
    kind: pointer.kind,
    oid: pointer.oid,
    size: pointer.size,
    ...(pointer.files !== undefined ? { files: pointer.files } : {}),
    ...(meta.framework !== undefined ? { framework: meta.framework } : {}),
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    params: flatten(meta.params),
    metrics: flatten(meta.metrics),
    inputs: meta.inputs ?? [],
    source: options.rev ?? 'work tree',
    ...(holder
      ? {
          recordedIn: {
            commit: holder.commit,
            date: holder.date,
            author: holder.author,
            subject: holder.subject,
            tags: holder.tags ?? [],
          },
        }
      : {}),
  };
}

/** The pointer's history; none yet (a pointer never committed) is no error here. */
function historyOf(
  repo: Repo,
  pointerPath: string,
  rev: string | undefined,
  commit: string | undefined,
  limit?: number,
): ArtifactVersion[] {
  try {
    return artifactLog(repo, pointerPath, { rev, commit, limit, cwd: repo.root });
  } catch (err) {
    if (err instanceof MvgitError && err.code === 'NOT_TRACKED') return [];
    throw err;
  }
}

function sameMeta(v: ArtifactVersion, p: Pointer): boolean {
  return JSON.stringify(v.metrics ?? null) === JSON.stringify(p.meta?.metrics ?? null);
}
