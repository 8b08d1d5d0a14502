/**
 * Text edits of a manager's committed files, kept so `mvgit uninstall` takes out exactly what
 * `mvgit install` put in, byte for byte. Each edit is a replacement `before` -> `after` where
 * `after` holds mvgit's hook line (so it is found again, wherever the user's own changes moved
 * it); undoing it puts `before` back. The record lives in the clone's git dir.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../repo/repo.js';
import { writeFileAtomic } from '../../../base/fs/atomic-write.js';
import { MvgitError } from '../../../base/errors.js';

/**
 * Writes one of a hook manager's committed files (`.husky/pre-commit`, `lefthook.yml`...). Those
 * come with the commit, so a symlink on the way (`.husky -> .git/hooks`, `lefthook.yml ->
 * ~/.profile`) is refused: `mvgit init` in a fresh clone must not write outside the work tree or
 * into a git dir. The file is replaced by a rename, keeping its mode.
 */
export function writeManagerFile(repo: Repo, abs: string, text: string, mode?: number): void {
  const rel = path.relative(repo.root, abs);
  let at = repo.root;
  for (const seg of rel.split(path.sep)) {
    at = path.join(at, seg);
    if (fs.lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink())
      throw new MvgitError(
        'HOOK_CONFLICT',
        `${rel.split(path.sep).join('/')}: ${path.relative(repo.root, at)} is a symlink; not writing a hook manager's file through it`,
        {
          hint: `replace the link with a real file or folder (it came with a commit: check who added it), then run 'mvgit install' again`,
          data: { file: rel, link: path.relative(repo.root, at) },
        },
      );
  }
  writeFileAtomic(abs, text, mode === undefined ? {} : { mode });
}

export interface TextEdit {
  before: string;
  after: string;
}

/** The edits install made to one file; `created` when the file did not exist before. */
export interface FileEdits {
  /** Repo path, `/`-separated. */
  file: string;
  created: boolean;
  edits: TextEdit[];
}

/** The new text of `file` and the edit that made it, applied to `text` (the edit's `after` is inserted at `at`). */
export function insertAt(text: string, at: number, inserted: string): { text: string; edit: TextEdit } {
  return { text: text.slice(0, at) + inserted + text.slice(at), edit: { before: '', after: inserted } };
}

/** `text` with its first `find` replaced by `by` (literally: no `$&` patterns), or null when absent. */
export function replaceOnce(text: string, find: string, by: string): string | null {
  const at = text.indexOf(find);
  return at < 0 ? null : text.slice(0, at) + by + text.slice(at + find.length);
}

/** Appends `line` as the file's last line, keeping a file without a final newline without one. */
export function appendLine(text: string, line: string): { text: string; edit: TextEdit } {
  const inserted = text === '' || text.endsWith('\n') ? `${line}\n` : `\n${line}`;
  return { text: text + inserted, edit: { before: '', after: inserted } };
}

function recordFile(repo: Repo): string {
  return path.join(repo.dataDir, 'hook-manager-edits.json');
}

/** What install recorded (empty when nothing, or another clone installed). */
export function readEdits(repo: Repo): FileEdits[] {
  try {
    return JSON.parse(fs.readFileSync(recordFile(repo), 'utf8')).files ?? [];
  } catch {
    return [];
  }
}

/** Adds `more` to the record. */
export function recordEdits(repo: Repo, more: FileEdits[]): void {
  if (more.length === 0) return;
  const files = readEdits(repo);
  for (const m of more) {
    const had = files.find((f) => f.file === m.file);
    if (had) had.edits.push(...m.edits);
    else files.push(m);
  }
  fs.mkdirSync(repo.dataDir, { recursive: true });
  writeFileAtomic(recordFile(repo), `${JSON.stringify({ files }, null, 2)}\n`);
}

/**
 * Undoes every recorded edit still found in its file (latest first) and forgets the record.
 * Returns the repo paths changed. A file install created goes when nothing else is left in it.
 */
export function undoEdits(repo: Repo): string[] {
  const changed: string[] = [];
  for (const f of readEdits(repo)) {
    const abs = path.join(repo.root, f.file);
    let text: string;
    try {
      text = fs.readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    let next = text;
    for (const e of [...f.edits].reverse()) next = replaceOnce(next, e.after, e.before) ?? next;
    if (next === text) continue;
    if (f.created && next === '') fs.rmSync(abs);
    else writeManagerFile(repo, abs, next, fs.statSync(abs).mode & 0o777);
    changed.push(f.file);
  }
  fs.rmSync(recordFile(repo), { force: true });
  return changed;
}
