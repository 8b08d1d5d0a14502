import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../repo/repo.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/**
 * The restore journal: before a checkout hook touches the work tree it writes down which
 * artifacts it is about to restore or remove, and clears the note when it is done. A hook
 * killed in between leaves the note, so the next hook (or commit) knows those folders may be
 * half-written and finishes them first, rather than mistaking them for the user's edits.
 * Kept per work tree (in its own git dir), since each worktree has its own files.
 */
function journalFile(repo: Repo): string {
  return path.join(repo.gitDir, 'mvgit', 'restore-pending.json');
}

/** Artifact paths a killed hook left unfinished, or an empty list. */
export function readPending(repo: Repo): string[] {
  try {
    const raw = JSON.parse(fs.readFileSync(journalFile(repo), 'utf8')) as { v: number; paths: unknown };
    if (raw.v === 1 && Array.isArray(raw.paths)) return raw.paths.filter((p): p is string => typeof p === 'string');
  } catch {
    // none, or unreadable: nothing to finish
  }
  return [];
}

/** True when a journal exists (one stat: the hooks' fast path asks this on every run). */
export function hasPending(repo: Repo): boolean {
  return fs.existsSync(journalFile(repo));
}

/** Notes the artifacts about to be touched, with any still unfinished from before. Atomic. */
export function writePending(repo: Repo, paths: string[]): void {
  const all = [...new Set([...readPending(repo), ...paths])].sort();
  const file = journalFile(repo);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify({ v: 1, paths: all }));
}

/** Clears the journal once every noted artifact has been dealt with. */
export function clearPending(repo: Repo): void {
  fs.rmSync(journalFile(repo), { force: true });
}

/**
 * Drops from the journal the artifacts a checkout has just brought fully in line (`mvgit
 * checkout` finishing what a killed hook left); clears it when nothing is left.
 */
export function settlePending(repo: Repo, done: Iterable<string>): void {
  if (!hasPending(repo)) return;
  const finished = new Set(done);
  const left = readPending(repo).filter((p) => !finished.has(p));
  if (left.length === 0) {
    clearPending(repo);
    return;
  }
  const file = journalFile(repo);
  writeFileAtomic(file, JSON.stringify({ v: 1, paths: left }));
}
