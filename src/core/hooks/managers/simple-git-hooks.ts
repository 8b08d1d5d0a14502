/**
 * simple-git-hooks: one command string per hook in package.json's "simple-git-hooks" (or
 * `.simple-git-hooks.json`); `npx simple-git-hooks` writes git's hooks from it, each running
 * its command as a line of sh. mvgit appends `&& <line>` to a hook's command, or adds the hook.
 * The JSON is edited as text, so the rest of the file keeps its bytes and its formatting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../../base/errors.js';
import type { Repo } from '../../repo/repo.js';
import { insertAt, type TextEdit, writeManagerFile } from './edits.js';
import { committedLine, hasLine } from './line.js';
import type { HookManager } from './types.js';

const KEY = 'simple-git-hooks';
const OWN_FILE = '.simple-git-hooks.json';

/** The file holding the config, and where its object starts (the `{`), or null. */
export function simpleGitHooksConfig(repo: Repo): { file: string; text: string; open: number } | null {
  const own = path.join(repo.root, OWN_FILE);
  if (fs.existsSync(own)) {
    const text = fs.readFileSync(own, 'utf8');
    return { file: OWN_FILE, text, open: text.indexOf('{') };
  }
  let text: string;
  try {
    text = fs.readFileSync(path.join(repo.root, 'package.json'), 'utf8');
  } catch {
    return null;
  }
  const m = new RegExp(`"${KEY}"\\s*:\\s*\\{`).exec(text);
  return m ? { file: 'package.json', text, open: m.index + m[0].length - 1 } : null;
}

/** Where the object opened at `open` closes (strings skipped). */
function closeOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

const jsonInner = (s: string): string => JSON.stringify(s).slice(1, -1);

export const simpleGitHooks: HookManager = {
  name: 'simple-git-hooks',
  files: (repo) => [simpleGitHooksConfig(repo)?.file ?? 'package.json'],
  install(repo, hooks) {
    const cfg = simpleGitHooksConfig(repo);
    if (!cfg || cfg.open < 0) return [];
    let text = cfg.text;
    const edits: TextEdit[] = [];
    const added: string[] = [];
    for (const hook of hooks) {
      const close = closeOf(text, cfg.open);
      if (close < 0)
        throw new MvgitError('CONFIG_INVALID', `${cfg.file}: the "${KEY}" object does not close`, {
          hint: 'fix the JSON, then run mvgit install again',
          data: { file: cfg.file },
        });
      const body = text.slice(cfg.open, close);
      if (hasLine(body.replace(/\\"/g, '"'), hook)) continue;
      const value = new RegExp(`"${hook}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(body);
      if (value) {
        const sep = value[1].trim() === '' ? '' : ' && ';
        const r = insertAt(text, cfg.open + value.index + value[0].length - 1, jsonInner(sep + committedLine(hook)));
        text = r.text;
        edits.push(r.edit);
      } else added.push(hook);
    }
    if (added.length > 0) {
      const close = closeOf(text, cfg.open);
      const empty = text.slice(cfg.open + 1, close).trim() === '';
      const ws = empty ? ' ' : (/^\s*/.exec(text.slice(cfg.open + 1))?.[0] ?? ' ');
      const entries = added.map((h) => `${ws}"${h}": "${jsonInner(committedLine(h))}"`);
      const r = insertAt(text, cfg.open + 1, empty ? `${entries.join(',')} ` : `${entries.join(',')},`);
      text = r.text;
      edits.push(r.edit);
    }
    if (edits.length === 0) return [];
    const file = path.join(repo.root, cfg.file);
    writeManagerFile(repo, file, text, fs.statSync(file).mode & 0o777);
    return [{ file: cfg.file, created: false, edits }];
  },
  configured(repo, hook) {
    const cfg = simpleGitHooksConfig(repo);
    return cfg !== null && hasLine(cfg.text.replace(/\\"/g, '"'), hook);
  },
  generated(hooksDir, hook) {
    try {
      return hasLine(fs.readFileSync(path.join(hooksDir, hook), 'utf8'), hook);
    } catch {
      return false;
    }
  },
  reinstall: { command: 'npx simple-git-hooks', bin: 'simple-git-hooks', args: [] },
};
