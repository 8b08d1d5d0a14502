/**
 * The pre-commit framework: hooks live in `.pre-commit-config.yaml`; `pre-commit install` writes
 * git's hooks for the stages in `default_install_hook_types`. mvgit adds one `repo: local` entry
 * (a hook per stage, run on every commit whatever is staged) and the stages it needs to that
 * list, editing the text so every other byte of the file stays the user's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { insertAt, replaceOnce, type TextEdit, writeManagerFile } from './edits.js';
import { committedLine, hasLine } from './line.js';
import { HOOK_NAMES, shQuote, type HookName } from '../script.js';
import type { HookManager } from './types.js';

export const PRE_COMMIT_FILE = '.pre-commit-config.yaml';
const TYPES_KEY = 'default_install_hook_types';

/** The framework's hook for `stage`: the launcher reads git's arguments from PRE_COMMIT_* variables. */
function hookEntry(stage: HookName, pad: string): string {
  const entry = `sh -c ${shQuote(committedLine(`pre-commit-framework ${stage}`, ''))} mvgit`;
  return [
    `${pad}- id: mvgit-${stage}`,
    `${pad}  name: mvgit ${stage}`,
    `${pad}  entry: ${JSON.stringify(entry)}`,
    `${pad}  language: system`,
    `${pad}  always_run: true`,
    `${pad}  verbose: true`,
    `${pad}  pass_filenames: false`,
    `${pad}  stages: [${stage}]`,
  ].join('\n');
}

/** Adds the stages mvgit needs to `default_install_hook_types` (flow or block list), or the key. */
function addInstallTypes(text: string): { text: string; edit: TextEdit } | null {
  const flow = new RegExp(`^${TYPES_KEY}:\\s*\\[([^\\]\\n]*)\\][^\\n]*$`, 'm').exec(text);
  const block = new RegExp(`^${TYPES_KEY}:\\s*(#[^\\n]*)?\\n((?:[ \\t]*-[^\\n]*\\n)*)`, 'm').exec(text);
  if (flow) {
    const have = flow[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const missing = HOOK_NAMES.filter((h) => !have.includes(h));
    if (missing.length === 0) return null;
    const after = flow[0].replace(`[${flow[1]}]`, `[${[...have, ...missing].join(', ')}]`);
    return { text: replaceOnce(text, flow[0], after) as string, edit: { before: flow[0], after } };
  }
  if (block?.[2]) {
    const items = block[2].split('\n').filter(Boolean);
    const have = items.map((l) =>
      l
        .replace(/^\s*-\s*/, '')
        .replace(/\s*#.*$/, '')
        .trim(),
    );
    const missing = HOOK_NAMES.filter((h) => !have.includes(h));
    if (missing.length === 0) return null;
    const dash = /^\s*-\s*/.exec(items[0])?.[0] ?? '- ';
    const after = block[0] + missing.map((h) => `${dash}${h}\n`).join('');
    return { text: replaceOnce(text, block[0], after) as string, edit: { before: block[0], after } };
  }
  return insertAt(text, 0, `${TYPES_KEY}: [${HOOK_NAMES.join(', ')}]\n`);
}

/** Adds the `repo: local` entry as the first of `repos:` (or the key, at the end). */
function addLocalRepo(text: string): { text: string; edit: TextEdit } {
  const head = /^repos:[ \t]*(#[^\n]*)?\n/m.exec(text);
  if (!head) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return insertAt(text, text.length, `${sep}repos:\n${localRepo('')}\n`);
  }
  const rest = text.slice(head.index + head[0].length);
  const first = rest.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '- ';
  const dash = /^[ \t]*-[ \t]*/.exec(first)?.[0] ?? '- ';
  return insertAt(text, head.index + head[0].length, `${localRepo(dash)}\n`);
}

/** The entry, for a list whose items start with `dash` (`- `, `-   `, `  - `). */
function localRepo(dash: string): string {
  const d = dash || '- ';
  const inner = ' '.repeat(d.length);
  return `${d}repo: local\n${inner}hooks:\n${HOOK_NAMES.map((s) => hookEntry(s, inner)).join('\n')}`;
}

export const preCommit: HookManager = {
  name: 'pre-commit',
  files: () => [PRE_COMMIT_FILE],
  install(repo, hooks) {
    const file = path.join(repo.root, PRE_COMMIT_FILE);
    const existed = fs.existsSync(file);
    const before = existed ? fs.readFileSync(file, 'utf8') : '';
    if (hooks.every((h) => hasLine(before.replace(/\\"/g, '"'), h))) return [];
    const edits: TextEdit[] = [];
    let text = before;
    const types = addInstallTypes(text);
    if (types) {
      text = types.text;
      edits.push(types.edit);
    }
    const local = addLocalRepo(text);
    text = local.text;
    edits.push(local.edit);
    writeManagerFile(repo, file, text, existed ? fs.statSync(file).mode & 0o777 : undefined);
    return [{ file: PRE_COMMIT_FILE, created: !existed, edits }];
  },
  configured(repo, hook) {
    try {
      const text = fs.readFileSync(path.join(repo.root, PRE_COMMIT_FILE), 'utf8').replace(/\\"/g, '"');
      return hasLine(text, hook);
    } catch {
      return false;
    }
  },
  generated(hooksDir, hook) {
    try {
      return fs.readFileSync(path.join(hooksDir, hook), 'utf8').includes('hook-impl');
    } catch {
      return false;
    }
  },
  reinstall: { command: 'pre-commit install', bin: 'pre-commit', args: ['install'] },
};
