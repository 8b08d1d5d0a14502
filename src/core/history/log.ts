/**
 * `mvgit log PATH`: every version of one artifact through history, newest first, with the
 * metrics each version's pointer carries.
 */
import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import { resolveRev } from './revision.js';
import { pointerVersions } from './pointer-log.js';
import {
  artifactPathOf,
  isPointerPath,
  parsePointer,
  pointerPathFor,
  POINTER_SUFFIX,
  type ArtifactKind,
  type LineageInput,
} from '../pointer/pointer.js';
import { tagsByCommit } from './tags.js';
import { absPath, toRepoPath, type Repo } from '../repo/repo.js';

/** One version of an artifact: the commit that recorded it and what its pointer said. */
export interface ArtifactVersion {
  commit: string;
  /** Author date, ISO 8601 with the author's offset. */
  date: string;
  author: string;
  email: string;
  subject: string;
  /** The artifact's repo path in this commit (it changes across renames). */
  path: string;
  pointerPath: string;
  /** The pointer's path before this commit, when this commit renamed it. */
  renamedFrom?: string;
  /** Absent, with `error` set, when the pointer in this commit is not valid. */
  kind?: ArtifactKind;
  oid?: string;
  size?: number;
  files?: number;
  metrics?: Record<string, unknown>;
  params?: Record<string, unknown>;
  /** The artifacts this version was made from. */
  inputs?: LineageInput[];
  /** The tags on this commit. */
  tags?: string[];
  /** Why this commit's pointer could not be read; the log goes on past a damaged version. */
  error?: string;
}

export interface LogOptions {
  /** At most this many versions (newest first). */
  limit?: number;
  /** Where the user's path is relative to. */
  cwd?: string;
  /** Walk history from here instead of HEAD. */
  rev?: string;
  /** The commit `rev` names, when the caller has resolved it already (one `git rev-parse` less). */
  commit?: string;
}

/**
 * The versions of the artifact at `userPath` (the artifact or its pointer), newest first:
 * only commits that changed its pointer, following renames of the pointer.
 *
 * @example
 * const [latest, previous] = artifactLog(repo, 'models/churn.pkl', { limit: 2 });
 */
export function artifactLog(repo: Repo, userPath: string, options: LogOptions = {}): ArtifactVersion[] {
  const repoPath = toRepoPath(repo, userPath, options.cwd);
  const pointerPath = isPointerPath(repoPath) ? repoPath : pointerPathFor(repoPath);
  if (options.limit !== undefined && (!Number.isSafeInteger(options.limit) || options.limit < 1)) {
    throw new MvgitError('USAGE', `-n takes a whole number of versions, 1 or more; got ${options.limit}`, {
      hint: 'for example: mvgit log models/m.pkl -n 5',
    });
  }
  const start = options.rev === undefined ? undefined : (options.commit ?? resolveRev(repo, options.rev));
  const versions = pointerVersions(repo, pointerPath, { limit: options.limit, start });
  if (versions.length === 0 && !fs.existsSync(absPath(repo, pointerPath))) {
    const artifact = pointerPath.slice(0, -POINTER_SUFFIX.length);
    throw new MvgitError(
      'NOT_TRACKED',
      `${artifact} has no history: no commit${options.rev ? ` reachable from ${options.rev}` : ''} has ${pointerPath}`,
      {
        hint: `track it with 'mvgit add ${artifact}' and commit the pointer; 'mvgit status' lists what is tracked`,
        data: { path: artifact, pointerPath },
      },
    );
  }
  const tags =
    versions.length > 0
      ? tagsByCommit(
          repo,
          versions.map((v) => v.commit),
        )
      : new Map<string, string[]>();
  return versions.map((v) => {
    const tagged = tags.get(v.commit);
    const base: ArtifactVersion = {
      commit: v.commit,
      date: v.date,
      author: v.author,
      email: v.email,
      subject: v.subject,
      path: v.pointerPath.slice(0, -POINTER_SUFFIX.length),
      pointerPath: v.pointerPath,
      ...(v.renamedFrom ? { renamedFrom: v.renamedFrom } : {}),
      ...(tagged ? { tags: tagged } : {}),
    };
    try {
      const p = parsePointer(v.text, `${v.pointerPath} at ${v.commit.slice(0, 10)}`);
      return {
        ...base,
        path: artifactPathOf(v.pointerPath, p),
        kind: p.kind,
        oid: p.oid,
        size: p.size,
        ...(p.files !== undefined ? { files: p.files } : {}),
        ...(p.meta?.metrics ? { metrics: p.meta.metrics } : {}),
        ...(p.meta?.params ? { params: p.meta.params } : {}),
        ...(p.meta?.inputs ? { inputs: p.meta.inputs } : {}),
      };
    } catch (err) {
      return { ...base, error: err instanceof Error ? err.message : String(err) };
    }
  });
}
