/**
 * lefthook: hook commands live in `lefthook.yml` under `<hook>: commands:`; `lefthook install`
 * writes git's hooks from it. mvgit adds a `mvgit:` command under each hook (its own block when
 * the hook has none), editing the text so every other byte of the file stays the user's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../repo/repo.js';
import { insertAt, type TextEdit, writeManagerFile } from './edits.js';
import { committedLine, hasLine } from './line.js';
import type { HookManager } from './types.js';
import type { HookName } from '../script.js';

/** The names lefthook reads its config from, in its order. */
export const LEFTHOOK_FILES = ['lefthook.yml', '.lefthook.yml', 'lefthook.yaml', '.lefthook.yaml'];

/** The config file in use, as a repo path, or null. */
export function lefthookFile(repo: Repo): string | null {
  return LEFTHOOK_FILES.find((f) => fs.existsSync(path.join(repo.root, f))) ?? null;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const meaningful = (line: string): boolean => line.trim() !== '' && !line.trim().startsWith('#');

/** YAML single-quoted scalar. */
const yamlQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * The command's lines at `indent`. lefthook passes git's arguments as `{0}`, stdin only when
 * asked, and skips a pre-commit (pre-push) command when nothing is staged (pushed) unless its
 * `{files}` list is not empty: a retrained model alone stages nothing, so the command names a
 * file list that always holds the config (and leaves it in a shell comment).
 */
function commandBlock(hook: HookName, indent: string): string {
  const always = hook === 'pre-commit' || hook === 'pre-push';
  const lines = [`${indent}mvgit:`];
  if (always) lines.push(`${indent}  files: echo .mvgit/config.yaml`);
  lines.push(`${indent}  run: ${yamlQuote(committedLine(hook, '{0}') + (always ? ' # {files}' : ''))}`);
  if (hook === 'pre-push' || hook === 'post-rewrite') lines.push(`${indent}  use_stdin: true`);
  return `${lines.join('\n')}\n`;
}

/** Adds mvgit's command for `hook` to `text`. */
export function addLefthookCommand(text: string, hook: HookName): { text: string; edit: TextEdit } {
  const lines = text.split('\n');
  const offset = (i: number): number => lines.slice(0, i).reduce((n, l) => n + l.length + 1, 0);
  const head = lines.findIndex((l) => new RegExp(`^${hook}:\\s*(#.*)?$`).test(l));
  if (head < 0) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return insertAt(text, text.length, `${sep}${hook}:\n  commands:\n${commandBlock(hook, '    ')}`);
  }
  let end = head + 1;
  while (end < lines.length && !(meaningful(lines[end]) && indentOf(lines[end]) === 0)) end++;
  const body = lines.slice(head + 1, end);
  const firstKey = body.find(meaningful);
  const keyIndent = firstKey ? indentOf(firstKey) : 2;
  const cmdAt = body.findIndex((l) => indentOf(l) === keyIndent && /^\s*commands:\s*(#.*)?$/.test(l));
  if (cmdAt < 0) {
    const pad = ' '.repeat(keyIndent);
    return insertAt(text, offset(head + 1), `${pad}commands:\n${commandBlock(hook, ' '.repeat(keyIndent * 2))}`);
  }
  const child = body.slice(cmdAt + 1).find(meaningful);
  const childIndent = child && indentOf(child) > keyIndent ? indentOf(child) : keyIndent * 2;
  return insertAt(text, offset(head + 1 + cmdAt + 1), commandBlock(hook, ' '.repeat(childIndent)));
}

export const lefthook: HookManager = {
  name: 'lefthook',
  files: (repo) => [lefthookFile(repo) ?? 'lefthook.yml'],
  install(repo, hooks) {
    const name = lefthookFile(repo) ?? 'lefthook.yml';
    const file = path.join(repo.root, name);
    const existed = fs.existsSync(file);
    const before = existed ? fs.readFileSync(file, 'utf8') : '';
    let text = before;
    const edits: TextEdit[] = [];
    for (const hook of hooks) {
      if (hasLine(text, hook)) continue;
      const r = addLefthookCommand(text, hook);
      text = r.text;
      edits.push(r.edit);
    }
    if (edits.length === 0) return [];
    writeManagerFile(repo, file, text, existed ? fs.statSync(file).mode & 0o777 : undefined);
    return [{ file: name, created: !existed, edits }];
  },
  configured(repo, hook) {
    const name = lefthookFile(repo);
    return name !== null && hasLine(fs.readFileSync(path.join(repo.root, name), 'utf8'), hook);
  },
  generated(hooksDir, hook) {
    try {
      return fs.readFileSync(path.join(hooksDir, hook), 'utf8').includes('lefthook');
    } catch {
      return false;
    }
  },
  reinstall: { command: 'lefthook install', bin: 'lefthook', args: ['install'] },
};
