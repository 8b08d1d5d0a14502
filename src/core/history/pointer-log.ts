/**
 * The commits that changed one pointer file, newest first, following renames, with each
 * version's bytes. Walking 2,000 commits with isomorphic-git costs seconds (every commit and
 * tree is inflated in JavaScript); one `git log --raw` names the commits and the pointer's blob
 * in each, and one `git cat-file --batch` returns all the blobs, in a few tens of milliseconds.
 */
import { spawnSync } from 'node:child_process';
import { MvgitError } from '../../base/errors.js';
import { parsePointer, POINTER_SUFFIX } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import { catFile, parseRawLine } from '../../adapters/git/cat-file.js';
import { git } from '../../adapters/git/run.js';

/** One commit that changed the pointer, and the pointer's bytes there. */
export interface PointerVersion {
  commit: string;
  parents: string[];
  /** Author date, ISO 8601 with the author's offset (as `git log` shows it). */
  date: string;
  author: string;
  email: string;
  subject: string;
  pointerPath: string;
  /** The pointer's blob oid (sha1) in this commit. */
  blob: string;
  text: string;
  /** The pointer's path before this commit, when this commit renamed it. */
  renamedFrom?: string;
}

interface LogRecord extends Omit<PointerVersion, 'text' | 'blob'> {
  blob: string | null;
  status: string;
}

const FORMAT = '%x1e%H%x1f%P%x1f%aI%x1f%an%x1f%ae%x1f%s';

/**
 * Every version of the pointer at `pointerPath`, newest first, as reached from HEAD with git's
 * default history simplification. Only commits whose pointer blob differs from their parent's
 * are listed; deletions are not versions. When the oldest commit found added the pointer and
 * removed another that git pairs with it as a rename, or that described the same content, the
 * walk continues under the old name, as `git log --follow` does.
 */
export function pointerVersions(
  repo: Repo,
  pointerPath: string,
  options: { limit?: number; start?: string } = {},
): PointerVersion[] {
  const limit = options.limit ?? Infinity;
  const out: PointerVersion[] = [];
  let start = options.start ?? 'HEAD';
  let path = pointerPath;
  const seen = new Set<string>();
  while (out.length < limit && !seen.has(`${start}\0${path}`)) {
    seen.add(`${start}\0${path}`);
    const records = logPath(repo, start, path);
    const versions = records.filter((r) => !r.status.includes('D'));
    const texts = blobTexts(
      repo,
      versions.slice(0, limit - out.length).map((r) => r.blob ?? `${r.commit}:${r.pointerPath}`),
    );
    versions.slice(0, limit - out.length).forEach((r, i) => {
      const blob = texts[i];
      if (blob)
        out.push({
          commit: r.commit,
          parents: r.parents,
          date: r.date,
          author: r.author,
          email: r.email,
          subject: r.subject,
          pointerPath: r.pointerPath,
          blob: blob.oid,
          text: blob.text,
        });
    });
    const oldest = records[records.length - 1];
    if (!oldest?.status.startsWith('A') || oldest.parents.length === 0 || !out.some((o) => o.commit === oldest.commit))
      break;
    const from = renamedFrom(repo, oldest.commit, oldest.parents[0], path);
    if (from) out.find((o) => o.commit === oldest.commit)!.renamedFrom = from;
    if (!from || out.length >= limit) break;
    start = oldest.parents[0];
    path = from;
  }
  return out;
}

/** `git log --raw` of one path: every commit that changed it, with its blob there. */
function logPath(repo: Repo, start: string, path: string): LogRecord[] {
  // Pinned against user config (log.follow, log.showSignature, diff.renames) that would change the format.
  const args = [
    '-c',
    'log.showSignature=false',
    'log',
    `--format=${FORMAT}`,
    '--raw',
    '--no-abbrev',
    '-z',
    '-c',
    '--no-follow',
    '--no-renames',
    '--no-color',
    start,
    '--',
    `:(literal)${path}`,
  ];
  const r = spawnSync('git', args, { cwd: repo.root, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error)
    throw new MvgitError('GIT_FAILED', `could not run git: ${r.error.message}`, {
      hint: 'is git installed and on PATH?',
      cause: r.error,
    });
  if (r.status !== 0) {
    // A repo without commits has no history; anything else is a real failure.
    if (/does not have any commits|unknown revision|bad revision/.test(r.stderr)) return [];
    throw new MvgitError('GIT_FAILED', `git log failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, {
      hint: 'see the git message above',
    });
  }
  const records: LogRecord[] = [];
  for (const rec of r.stdout.split('\x1e').slice(1)) {
    const nul = rec.indexOf('\0');
    const head = (nul < 0 ? rec : rec.slice(0, nul)).replace(/\n+$/, '');
    const [commit, parents, date, author, email, subject] = head.split('\x1f');
    const raw =
      nul < 0
        ? []
        : rec
            .slice(nul + 1)
            .replace(/^\n/, '')
            .split('\0');
    const { blob, status } = parseRawLine(raw[0] ?? '');
    records.push({
      commit,
      parents: parents ? parents.split(' ') : [],
      date,
      author,
      email,
      subject: subject ?? '',
      pointerPath: path,
      blob,
      status,
    });
  }
  return records;
}

/**
 * The pointer that `commit` moved to `path`: the one git's own rename detection pairs with it
 * (as `git log --follow` would), else a removed pointer that described the same content.
 */
function renamedFrom(repo: Repo, commit: string, parent: string, path: string): string | null {
  const raw = git(
    repo,
    [
      'diff-tree',
      '-r',
      '--raw',
      '--no-abbrev',
      '-z',
      '-M',
      '--no-color',
      parent,
      commit,
      '--',
      `:(glob)**/*${POINTER_SUFFIX}`,
    ],
    { allowFail: true },
  );
  const parts = raw.split('\0');
  const deleted: { path: string; blob: string }[] = [];
  let added: string | null = null;
  for (let i = 0; i + 1 < parts.length; ) {
    const f = parts[i].replace(/^:/, '').split(' ');
    const status = f[4] ?? '';
    if (status.startsWith('R') || status.startsWith('C')) {
      if (status.startsWith('R') && parts[i + 2] === path) return parts[i + 1];
      i += 3;
      continue;
    }
    if (status === 'D') deleted.push({ path: parts[i + 1], blob: f[2] });
    if (status === 'A' && parts[i + 1] === path) added = f[3];
    i += 2;
  }
  if (!added || deleted.length === 0) return null;
  const [now, ...before] = blobTexts(repo, [added, ...deleted.map((d) => d.blob)]).map((t, i) =>
    contentOid(t?.text, i === 0 ? path : deleted[i - 1].path),
  );
  const same = deleted.findIndex((_, i) => now !== null && before[i] === now);
  return same < 0 ? null : deleted[same].path;
}

/** Blobs as text, by oid or `rev:path`; null for a missing one or one that is not a blob. */
function blobTexts(repo: Repo, names: string[]): ({ oid: string; text: string } | null)[] {
  return catFile(repo, names).map((o) =>
    o && o.type === 'blob' ? { oid: o.oid, text: o.data.toString('utf8') } : null,
  );
}

function contentOid(text: string | undefined, name: string): string | null {
  try {
    return text === undefined ? null : parsePointer(text, name).oid;
  } catch {
    return null; // a damaged pointer links to nothing
  }
}
