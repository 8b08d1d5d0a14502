import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, committedConfigFile, RULE_SOURCES, type Config, type TrackingRule } from '../repo/config.js';
import { MvgitError } from '../../base/errors.js';
import { listPointerFiles } from '../../adapters/git/run.js';
import { matchSimpleGlob } from './glob.js';
import { POINTER_SUFFIX, type ArtifactKind } from '../pointer/kind.js';
import { absPath, type Repo } from '../repo/repo.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/** A work-tree path a tracking rule matches. */
export interface RuleMatch {
  path: string;
  kind: ArtifactKind;
  isDir: boolean;
  /** The metadata sources of the rule that matched (repo-relative paths), when it names any. */
  sources?: RuleSources;
}

/** What a tracking rule reads when it records a match. */
export type RuleSources = Pick<TrackingRule, 'params' | 'metrics' | 'inputs'>;

const MAGIC = /[*?[\]{}()!]/;
/** Never artifacts, whatever a rule says. */
const ALWAYS_IGNORED = ['.git/**', '**/.git/**', '.mvgit/**', '**/node_modules/**', `**/*${POINTER_SUFFIX}`];

/**
 * Adds tracking rules, of `kind` (default artifact), or changes the kind of an existing one when
 * `kind` is given; each source list given (params, metrics, inputs) replaces the rule's.
 * Returns the rules now in force.
 */
export async function addRules(
  repo: Repo,
  patterns: string[],
  kind?: ArtifactKind,
  sources: RuleSources = {},
): Promise<TrackingRule[]> {
  for (const p of patterns) checkPattern(p);
  for (const key of RULE_SOURCES)
    for (const p of sources[key] ?? []) checkPattern(p, `--${key === 'inputs' ? 'input' : key}`);
  const before = (await loadConfig(repo)).track;
  await refuseNestedMatches(
    repo,
    [
      ...before,
      ...patterns
        .filter((p) => !before.some((r) => r.pattern === p))
        .map((pattern) => ({ pattern, kind: kind ?? 'artifact' })),
    ],
    patterns,
  );
  let rules: TrackingRule[] = [];
  await (await import('../repo/config-settings.js')).updateConfigFile(committedConfigFile(repo), (doc) => {
    const current = ((doc.toJS() as { track?: TrackingRule[] } | null)?.track ?? []).map(
      (r): TrackingRule => ({ ...r, pattern: r.pattern, kind: r.kind ?? 'artifact' }),
    );
    for (const pattern of patterns) {
      let found = current.find((r) => r.pattern === pattern);
      if (found) found.kind = kind ?? found.kind;
      else {
        found = { pattern, kind: kind ?? 'artifact' };
        current.push(found);
      }
      for (const key of RULE_SOURCES) if (sources[key] && sources[key].length > 0) found[key] = [...sources[key]];
    }
    doc.set('track', current);
    rules = current;
  });
  return rules;
}

/** Removes tracking rules; patterns that are not rules are reported back. */
export async function removeRules(repo: Repo, patterns: string[]): Promise<{ removed: string[]; unknown: string[] }> {
  const removed: string[] = [];
  await (await import('../repo/config-settings.js')).updateConfigFile(committedConfigFile(repo), (doc) => {
    const current = (doc.toJS() as { track?: TrackingRule[] } | null)?.track ?? [];
    const kept = current.filter((r) => {
      if (patterns.includes(r.pattern)) {
        removed.push(r.pattern);
        return false;
      }
      return true;
    });
    doc.set('track', kept);
  });
  return { removed, unknown: patterns.filter((p) => !removed.includes(p)) };
}

function checkPattern(p: string, what = 'tracking rule'): void {
  if (p.startsWith('/') || p.split('/').includes('..')) {
    throw new MvgitError(
      'PATH_OUTSIDE_REPO',
      `${what} '${p}' must be a ${what === 'tracking rule' ? 'pattern' : 'path'} relative to the repository's top folder`,
      {
        hint: "for example: mvgit track 'models/*.pkl' --kind model",
      },
    );
  }
}

/**
 * The files and folders the rules match now. A match inside a matched folder belongs to that
 * folder's artifact and is not listed again. Patterns without wildcards cost one stat, simple
 * ones (`*`) a readdir per folder (glob.ts); only richer globs load fast-glob.
 */
export async function matchRules(repo: Repo, config: Config): Promise<RuleMatch[]> {
  const all = [...(await allMatches(repo, config.track)).values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  // Drop matches that sit inside another matched folder.
  const dirs = all.filter((m) => m.isDir).map((m) => `${m.path}/`);
  return all
    .filter((m) => !dirs.some((d) => m.path.startsWith(d)))
    .map(({ path, kind, isDir, rule }) => ({ path, kind, isDir, ...sourcesOf(rule) }));
}

function sourcesOf(rule: TrackingRule): { sources?: RuleSources } {
  const sources: RuleSources = {};
  for (const key of RULE_SOURCES) if (rule[key] && rule[key].length > 0) sources[key] = rule[key];
  return Object.keys(sources).length > 0 ? { sources } : {};
}

type Matched = Omit<RuleMatch, 'sources'> & { pattern: string; rule: TrackingRule };

/** Every path the rules match, inside matched folders too, with the first rule that matched it. */
async function allMatches(repo: Repo, rules: TrackingRule[]): Promise<Map<string, Matched>> {
  const found = new Map<string, Matched>();
  const globs: TrackingRule[] = [];
  for (const rule of rules) {
    const pattern = rule.pattern.replace(/\/+$/, '');
    if (MAGIC.test(pattern)) {
      const simple = matchSimpleGlob(repo.root, pattern);
      if (!simple) globs.push(rule);
      else
        for (const m of simple)
          if (!found.has(m.path))
            found.set(m.path, { path: m.path, kind: rule.kind, isDir: m.isDir, pattern: rule.pattern, rule });
      continue;
    }
    const st = fs.statSync(absPath(repo, pattern), { throwIfNoEntry: false });
    if (st && (st.isFile() || st.isDirectory()))
      found.set(pattern, { path: pattern, kind: rule.kind, isDir: st.isDirectory(), pattern: rule.pattern, rule });
  }
  if (globs.length > 0) {
    const fg = (await import('fast-glob')).default;
    for (const rule of globs) {
      const entries = await fg(rule.pattern.replace(/\/+$/, ''), {
        cwd: repo.root,
        onlyFiles: false,
        markDirectories: true,
        dot: false,
        ignore: ALWAYS_IGNORED,
        followSymbolicLinks: false,
      });
      for (const e of entries) {
        const isDir = e.endsWith('/');
        const p = isDir ? e.slice(0, -1) : e;
        if (!found.has(p)) found.set(p, { path: p, kind: rule.kind, isDir, pattern: rule.pattern, rule });
      }
    }
  }
  return found;
}

/**
 * Refuses rules whose matches would make one artifact inside another: a folder and something
 * in it both matched, a matched folder holding a pointer, or a match inside a folder artifact.
 * Only problems that involve one of `patterns` (the rules being added) count, so rules already
 * in force do not block a new, unrelated one.
 */
async function refuseNestedMatches(repo: Repo, rules: TrackingRule[], patterns: string[]): Promise<void> {
  const { holdsArtifactsError, insideTrackedFolderError, nestedRulesError, trackedFolderAbove } = await import(
    './nested.js'
  );
  const found = await allMatches(repo, rules);
  const isNew = (m: { pattern: string }): boolean => patterns.includes(m.pattern);
  const dirs = new Set([...found.values()].filter((m) => m.isDir).map((m) => m.path));
  for (const m of found.values()) {
    const parts = m.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const outer = found.get(parts.slice(0, i).join('/'));
      if (outer && dirs.has(outer.path) && (isNew(m) || isNew(outer)))
        throw nestedRulesError(outer.pattern, outer.path, m.pattern, m.path);
    }
  }
  const fresh = [...found.values()].filter(isNew);
  if (fresh.length === 0) return;
  for (const m of fresh) {
    const folder = trackedFolderAbove(repo, m.path);
    if (folder) throw insideTrackedFolderError(m.path, folder, { rule: m.pattern });
  }
  const pointers = listPointerFiles(repo);
  for (const m of fresh.filter((f) => f.isDir)) {
    const inner = pointers.filter((p) => p.startsWith(`${m.path}/`)).map((p) => p.slice(m.path.length + 1));
    if (inner.length > 0) throw holdsArtifactsError(repo, m.path, inner, { rule: m.pattern });
  }
}

/**
 * Makes git ignore an artifact: one anchored line (`/model.pkl`, `/images/`) in the .gitignore
 * of the artifact's folder, added once. Returns the .gitignore's repo path when it changed.
 */
export function ensureIgnored(repo: Repo, artifactPath: string, isDir: boolean): string | null {
  refuseControlCharacters(artifactPath);
  const slash = artifactPath.lastIndexOf('/');
  const folder = slash < 0 ? '' : artifactPath.slice(0, slash);
  const name = artifactPath.slice(slash + 1);
  const line = `/${escapeIgnore(name)}${isDir ? '/' : ''}`;
  const ignoreRepoPath = folder ? `${folder}/.gitignore` : '.gitignore';
  const file = absPath(repo, ignoreRepoPath);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split(/\r?\n/);
  if (lines.includes(line) || lines.includes(`/${escapeIgnore(name)}`)) return null;
  const out = `${text + (text === '' || text.endsWith('\n') ? '' : '\n') + line}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, out);
  return ignoreRepoPath;
}

/** Removes an artifact's line from its folder's .gitignore. Returns the .gitignore's repo path when it changed. */
export function removeIgnored(repo: Repo, artifactPath: string): string | null {
  const slash = artifactPath.lastIndexOf('/');
  const folder = slash < 0 ? '' : artifactPath.slice(0, slash);
  const name = escapeIgnore(artifactPath.slice(slash + 1));
  const ignoreRepoPath = folder ? `${folder}/.gitignore` : '.gitignore';
  const file = absPath(repo, ignoreRepoPath);
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const kept = lines.filter((l) => l !== `/${name}` && l !== `/${name}/`);
  if (kept.length === lines.length) return null;
  writeFileAtomic(file, kept.join('\n'));
  return ignoreRepoPath;
}

/** Escapes the characters .gitignore treats as special in a literal name. */
function escapeIgnore(name: string): string {
  return name
    .replace(/([*?[\]\\!#])/g, '\\$1')
    .replace(/^(\s)/, '\\$1')
    .replace(/(\s)$/, '\\$1');
}

/**
 * Refuses a name with a control character: a newline in a .gitignore rule makes two rules (a
 * bare `src` that ignores every `src` folder), and an escape sequence rewrites the terminal.
 */
export function refuseControlCharacters(artifactPath: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!/[\x01-\x1f\x7f]/.test(artifactPath)) return;
  throw new MvgitError(
    'UNSUPPORTED_FILE',
    `${JSON.stringify(artifactPath)}: mvgit does not track a name with a control character (newline, tab, escape)`,
    {
      hint: 'rename it (or the folder holding it) without control characters, then add it',
      data: { path: artifactPath },
    },
  );
}
