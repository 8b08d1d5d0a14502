import fs from 'node:fs';
import { POINTER_SUFFIX } from '../pointer/kind.js';

/** A path a pattern matched: repo-relative, with `/`. */
export interface GlobMatch {
  path: string;
  isDir: boolean;
}

/** Characters that make a pattern more than `*` in plain names (`?` too: fast-glob has its own ideas about it). */
const NOT_SIMPLE = /[[\]{}()!\\+@?]/;
/** Names a walk never enters or returns, as fast-glob's ignore list in track.ts says. */
const NEVER = new Set(['.git', 'node_modules']);

/**
 * Matches a glob made of plain names and `*` (`models/*.pkl`, `data/*.csv`) with
 * one readdir per folder on the way, the way fast-glob would with `dot: false, onlyFiles:
 * false, followSymbolicLinks: false`. Loading fast-glob costs a hook more than its whole
 * budget, and most tracking rules are this simple. Returns null for anything richer (`**`,
 * braces, classes, escapes), which the caller hands to fast-glob.
 *
 * @example matchSimpleGlob('/repo', 'models/*.pkl') // [{ path: 'models/a.pkl', isDir: false }]
 */
export function matchSimpleGlob(root: string, pattern: string): GlobMatch[] | null {
  if (NOT_SIMPLE.test(pattern) || pattern.startsWith('/')) return null;
  const segments = pattern.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('**'))) return null;
  const matchers = segments.map(segmentMatcher);
  let level: { rel: string; isDir: boolean }[] = [{ rel: '', isDir: true }];
  for (let i = 0; i < matchers.length; i++) {
    const last = i === matchers.length - 1;
    const next: { rel: string; isDir: boolean }[] = [];
    for (const dir of level) {
      if (!dir.isDir) continue;
      const m = matchers[i];
      if (typeof m === 'string') {
        // A literal name: one stat, no listing (followed through a symlink, as fast-glob reads a static base).
        const st = fs.statSync(join(root, dir.rel, m), { throwIfNoEntry: false });
        if (st && !NEVER.has(m) && (last || st.isDirectory()))
          next.push({ rel: dir.rel ? `${dir.rel}/${m}` : m, isDir: st.isDirectory() });
        continue;
      }
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(join(root, dir.rel, ''), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (NEVER.has(e.name) || !m.test(e.name)) continue;
        if (!last && !e.isDirectory()) continue;
        next.push({ rel: dir.rel ? `${dir.rel}/${e.name}` : e.name, isDir: e.isDirectory() });
      }
    }
    level = next;
  }
  return level
    .filter((e) => !e.rel.endsWith(POINTER_SUFFIX) && e.rel !== '.mvgit' && !e.rel.startsWith('.mvgit/'))
    .map((e) => ({ path: e.rel, isDir: e.isDir }));
}

function join(root: string, rel: string, name: string): string {
  return [root, rel, name].filter((p) => p !== '').join('/');
}

/**
 * A literal name stays a string; a wildcard segment becomes a RegExp that, like dot: false,
 * matches a leading dot only when the segment itself starts with one.
 */
function segmentMatcher(segment: string): string | RegExp {
  if (!segment.includes('*')) return segment;
  const body = segment.replace(/[.+^$|]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(segment.startsWith('.') ? `^${body}$` : `^(?!\\.)${body}$`);
}
