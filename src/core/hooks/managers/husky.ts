/**
 * husky 9: git runs `.husky/_/<hook>` (core.hooksPath), which husky regenerates on every
 * `npm install` (its `prepare` script) and which sources the committed `.husky/<hook>`. So
 * mvgit's line goes into `.husky/<hook>`, once, and never into `.husky/_`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { appendLine, type FileEdits, writeManagerFile } from './edits.js';
import { committedLine, hasLine } from './line.js';
import type { HookManager } from './types.js';

const read = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

export const husky: HookManager = {
  name: 'husky',
  files: (_repo, hook) => [hook ? `.husky/${hook}` : '.husky/'],
  install(repo, hooks) {
    const out: FileEdits[] = [];
    for (const hook of hooks) {
      const file = path.join(repo.root, '.husky', hook);
      const text = read(file);
      if (text !== null && hasLine(text, hook)) continue;
      const { text: next, edit } = appendLine(text ?? '', committedLine(hook));
      const mode = text === null ? 0o755 : fs.statSync(file).mode & 0o777;
      writeManagerFile(repo, file, next, mode);
      out.push({ file: `.husky/${hook}`, created: text === null, edits: [edit] });
    }
    return out;
  },
  configured: (repo, hook) => hasLine(read(path.join(repo.root, '.husky', hook)) ?? '', hook),
  generated: (hooksDir, hook) => fs.existsSync(path.join(hooksDir, hook)),
  reinstall: { command: 'npx husky', bin: 'husky', args: [] },
};
