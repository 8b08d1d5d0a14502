/**
 * A clone without mvgit's hooks (cloned, never `mvgit init`) silently drifts: `git checkout`
 * moves the pointers and leaves the old bytes, commits record nothing. status, pull and
 * checkout warn about it, unless this clone opted out with `mvgit init --no-hooks`, which is
 * recorded in the local config (`$GIT_COMMON_DIR/mvgit/config.yaml`, never committed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { localConfigFile } from '../repo/config.js';
import { MvgitError } from '../../base/errors.js';
import type { Repo } from '../repo/repo.js';
import { HOOK_NAMES, isOurs } from './script.js';
import { parsePlainYaml } from '../pointer/plain-yaml.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

/** Something the CLI prints once on stderr; the command still does its work. */
export interface Warning {
  code: 'HOOKS_MISSING';
  message: string;
  hint: string;
  data?: Record<string, unknown>;
}

/** The local config's key for the opt-out: `hooks: { skip: true }`. */
const OPT_OUT = ['hooks', 'skip'];

/**
 * The warning for a repository whose mvgit hooks are not installed, or null. Cheap either way:
 * five small reads in the folder git most likely runs hooks from (the repo's own
 * `core.hooksPath`, else `hooks/` in the git dir), then the local config's opt-out; git itself
 * is asked where hooks live only to confirm that some are missing.
 */
export async function hooksWarning(repo: Repo): Promise<Warning | null> {
  if (HOOK_NAMES.every((name) => isOurs(path.join(likelyHooksDir(repo), name)))) return null;
  if (await hooksOptedOut(repo)) return null;
  const { hookWiring, wiringFixes } = await import('./wiring.js');
  const report = hookWiring(repo);
  const missing = report.hooks.filter((h) => !h.ok).map((h) => h.name);
  if (missing.length === 0) return null;
  const none = missing.length === HOOK_NAMES.length;
  const fixes = wiringFixes(report);
  return {
    code: 'HOOKS_MISSING',
    message: `${none ? "mvgit's git hooks are not installed in this clone" : `mvgit's ${missing.join(', ')} hook${missing.length > 1 ? 's are' : ' is'} not installed`}${report.manager ? ` (through ${report.manager})` : ''}: git checkout, merge and pull leave models and datasets as they were, and commits do not record them`,
    hint: `${fixes.length === 1 && fixes[0] === 'mvgit install' ? "install them with 'mvgit install'" : `fix with: ${fixes.join(' && ')}`}; to silence this in this clone: mvgit init --no-hooks`,
    data: { missing, manager: report.manager, hooks: report.hooks },
  };
}

/** Where git runs hooks from, read from the repo's own config without starting git. */
function likelyHooksDir(repo: Repo): string {
  let text = '';
  try {
    text = fs.readFileSync(path.join(repo.commonDir, 'config'), 'utf8');
  } catch {
    // no config: git's default
  }
  const set = /^\s*hookspath\s*=\s*(.+?)\s*$/im.exec(text)?.[1]?.replace(/^"(.*)"$/, '$1');
  return set ? path.resolve(repo.root, set) : path.join(repo.commonDir, 'hooks');
}

async function hooksOptedOut(repo: Repo): Promise<boolean> {
  let text: string;
  try {
    text = fs.readFileSync(localConfigFile(repo), 'utf8');
  } catch {
    return false;
  }
  // The local config is usually in the plain subset: no YAML parser loaded (it costs 70 modules).
  const plain = parsePlainYaml(text) as Record<string, Record<string, unknown> | undefined> | undefined;
  if (plain !== undefined) return plain?.[OPT_OUT[0]]?.[OPT_OUT[1]] === true;
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  return doc.errors.length === 0 && doc.getIn(OPT_OUT) === true;
}

/**
 * Records (or clears) this clone's choice to go without hooks, in the local config, keeping the
 * rest of the file as it is.
 */
export async function setHooksOptOut(repo: Repo, optOut: boolean): Promise<void> {
  const file = localConfigFile(repo);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (!optOut && text === '') return;
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    throw new MvgitError('CONFIG_INVALID', `${file}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, {
      hint: 'fix the file by hand first',
      data: { file },
    });
  if (!optOut) {
    if (doc.getIn(OPT_OUT) === undefined) return;
    doc.deleteIn(OPT_OUT);
  } else {
    if (doc.getIn(OPT_OUT) === true) return;
    if (doc.contents === null) doc.contents = doc.createNode({}) as never;
    doc.setIn(OPT_OUT, true);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, doc.toString());
}
