import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import type { Repo } from '../repo/repo.js';
import {
  CHAINED_SUFFIX,
  isOurs,
  HOOK_NAMES,
  hookScript,
  mergeDriverScript,
  shQuote,
  textconvScript,
  type HookName,
  type Launcher,
} from './script.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';
import { detectManager } from './managers/detect.js';
import { installThroughManager, uninstallFromManager, writeLauncher, type ManagerInstall } from './managers/install.js';

export type { HookName, Launcher };
export { HOOK_NAMES };

/** The attribute line that sends pointer files to mvgit's merge driver and textconv. */
export const POINTER_ATTRIBUTES = '*.mvgit.yaml merge=mvgit diff=mvgit';
/** The pattern the attribute line starts with. */
const POINTER_PATTERN = '*.mvgit.yaml';

export interface InstallResult {
  /** Where git runs hooks from (core.hooksPath when set). */
  hooksDir: string;
  hooks: { name: HookName; action: 'installed' | 'updated' | 'unchanged' | 'chained' }[];
  /** The repo path of .gitattributes when install added or upgraded the attribute line (to be committed). */
  gitattributes: string | null;
  /** The pointer files' attribute line as install left it, and whether install added or upgraded it. */
  attributes: { line: string; action: 'added' | 'updated' | 'unchanged' };
  /** When a hook manager owns the hooks: what went into its files (hooks is empty then). */
  manager: ManagerInstall | null;
}

export interface UninstallResult {
  hooksDir: string;
  hooks: { name: HookName; action: 'removed' | 'restored' | 'not-installed' | 'foreign' }[];
  /** The hook manager's files mvgit's lines were taken out of (repo paths). */
  managerFiles: string[];
  /** Manager files that still run mvgit: lines another clone's install added (no record here to undo them by). */
  managerLeft: string[];
}

/** The folder git runs this repository's hooks from: `core.hooksPath` when set (husky, lefthook), else `<git dir>/hooks`. */
export function hooksDir(repo: Repo): string {
  return path.resolve(repo.root, git(repo, ['rev-parse', '--git-path', 'hooks']).trim());
}

const exists = (file: string): boolean => fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;

function writeExecutable(file: string, text: string): void {
  writeFileAtomic(file, text, { mode: 0o755 });
}

/**
 * `mvgit install`: writes the hooks, the merge driver config and the .gitattributes line.
 * Idempotent. In a repository whose hooks a manager owns (husky, lefthook, simple-git-hooks, the
 * pre-commit framework), mvgit's line goes into that manager's committed files and the hooks
 * folder is left to it; each clone gets the launcher those lines run. Otherwise, a hook that is not mvgit's is moved aside (`NAME.mvgit-chained`, bytes and mode
 * kept) and run first by mvgit's, never overwritten. Everything is checked before anything is
 * written, so a conflict changes nothing.
 *
 * @example installHooks(findRepo(), { node: process.execPath, cli: '/usr/lib/node_modules/mvgit/bin/mvgit.js' })
 */
export function installHooks(repo: Repo, launcher: Launcher): InstallResult {
  const dir = hooksDir(repo);
  const manager = detectManager(repo);
  for (const name of manager ? [] : HOOK_NAMES) {
    const file = path.join(dir, name);
    if (exists(file) && !isOurs(file) && exists(file + CHAINED_SUFFIX)) {
      throw new MvgitError(
        'HOOK_CONFLICT',
        `${file} is not mvgit's, and ${name}${CHAINED_SUFFIX} (a hook mvgit kept from before) is there too`,
        {
          hint: `merge the two into ${file} or remove one of them, then run 'mvgit install' again`,
          data: { file },
        },
      );
    }
  }
  writeLauncher(repo, launcher);
  if (!manager) fs.mkdirSync(dir, { recursive: true });
  const result: InstallResult = {
    hooksDir: dir,
    hooks: [],
    gitattributes: null,
    attributes: { line: POINTER_ATTRIBUTES, action: 'unchanged' },
    manager: manager ? installThroughManager(repo, manager, dir) : null,
  };
  for (const name of manager ? [] : HOOK_NAMES) {
    const file = path.join(dir, name);
    const script = hookScript(name, launcher);
    if (!exists(file)) {
      writeExecutable(file, script);
      result.hooks.push({ name, action: 'installed' });
    } else if (isOurs(file)) {
      const same = fs.readFileSync(file, 'utf8') === script && (fs.statSync(file).mode & 0o111) !== 0;
      if (!same) writeExecutable(file, script);
      result.hooks.push({ name, action: same ? 'unchanged' : 'updated' });
    } else {
      fs.renameSync(file, file + CHAINED_SUFFIX);
      writeExecutable(file, script);
      result.hooks.push({ name, action: 'chained' });
    }
  }
  configureMergeDriver(repo, launcher);
  configureTextconv(repo, launcher);
  result.attributes = ensureAttributes(repo);
  if (result.attributes.action !== 'unchanged') result.gitattributes = '.gitattributes';
  return result;
}

/**
 * `mvgit uninstall`: removes mvgit's hooks and puts back the hooks they chained, exactly as they
 * were (a rename back). A hook that is not mvgit's is left alone. The merge driver's and the
 * textconv's config go; a .gitattributes line that install upgraded is put back as it was, one it
 * added stays (without the config git falls back to its text merge and text diff).
 */
export function uninstallHooks(repo: Repo): UninstallResult {
  const dir = hooksDir(repo);
  const manager = detectManager(repo);
  const result: UninstallResult = {
    hooksDir: dir,
    hooks: [],
    managerFiles: uninstallFromManager(repo),
    managerLeft: [],
  };
  if (manager)
    result.managerLeft = [
      ...new Set(HOOK_NAMES.filter((h) => manager.configured(repo, h)).flatMap((h) => manager.files(repo, h))),
    ];
  for (const name of HOOK_NAMES) {
    const file = path.join(dir, name);
    const chained = file + CHAINED_SUFFIX;
    if (exists(file) && !isOurs(file)) {
      result.hooks.push({ name, action: 'foreign' });
      continue;
    }
    const had = exists(file);
    if (exists(chained)) {
      fs.renameSync(chained, file);
      result.hooks.push({ name, action: 'restored' });
    } else {
      if (had) fs.rmSync(file);
      result.hooks.push({ name, action: had ? 'removed' : 'not-installed' });
    }
  }
  git(repo, ['config', '--remove-section', 'merge.mvgit'], { allowFail: true });
  git(repo, ['config', '--remove-section', 'diff.mvgit'], { allowFail: true });
  fs.rmSync(mergeDriverFile(repo), { force: true });
  fs.rmSync(textconvFile(repo), { force: true });
  restoreAttributes(repo);
  return result;
}

function mergeDriverFile(repo: Repo): string {
  return path.join(repo.dataDir, 'merge-driver');
}

/** `merge.mvgit.driver` runs a script in the git dir, which finds mvgit as the hooks do. */
function configureMergeDriver(repo: Repo, launcher: Launcher): void {
  const file = mergeDriverFile(repo);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeExecutable(file, mergeDriverScript(launcher));
  git(repo, ['config', 'merge.mvgit.name', 'mvgit pointer files']);
  git(repo, ['config', 'merge.mvgit.driver', `sh ${shQuote(file)} %O %A %B %P`]);
}

/** `diff.mvgit.textconv` runs a script in the git dir, which finds mvgit as the hooks do. */
function configureTextconv(repo: Repo, launcher: Launcher): void {
  const file = textconvFile(repo);
  writeExecutable(file, textconvScript(launcher));
  git(repo, ['config', 'diff.mvgit.textconv', `sh ${shQuote(file)}`]);
  // What textconv prints for a folder depends on the cache (its manifest), not only on the blob.
  git(repo, ['config', 'diff.mvgit.cachetextconv', 'false']);
}

function textconvFile(repo: Repo): string {
  return path.join(repo.dataDir, 'textconv');
}

/** Where install keeps the attribute line it upgraded, so uninstall can put it back. */
function attributesRecord(repo: Repo): string {
  return path.join(repo.dataDir, 'gitattributes-line.json');
}

const ATTRIBUTES_FILE = '.gitattributes';

/** The attribute names a .gitattributes line sets (`merge=mvgit` -> merge, `-diff` -> diff). */
function attributeNames(line: string): string[] {
  return line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((a) => a.replace(/^[-!]/, '').split('=')[0]);
}

/**
 * Sees that the top .gitattributes sends pointer files to mvgit's merge driver and textconv:
 * adds the line, or upgrades the last `*.mvgit.yaml` line in place with what it lacks (an
 * attribute the user set otherwise, `diff=other`, is theirs and stays).
 */
function ensureAttributes(repo: Repo): InstallResult['attributes'] {
  const file = path.join(repo.root, ATTRIBUTES_FILE);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  let at = -1;
  for (let i = 0; i < lines.length; i++) if (lines[i].trim().split(/\s+/)[0] === POINTER_PATTERN) at = i;
  if (at < 0) {
    writeFileAtomic(file, `${text + (text === '' || text.endsWith('\n') ? '' : '\n') + POINTER_ATTRIBUTES}\n`);
    return { line: POINTER_ATTRIBUTES, action: 'added' };
  }
  const before = lines[at];
  const cr = before.endsWith('\r') ? '\r' : '';
  const names = attributeNames(before);
  const missing = ['merge', 'diff'].filter((n) => !names.includes(n)).map((n) => `${n}=mvgit`);
  const line = [before.slice(0, before.length - cr.length).trimEnd(), ...missing].join(' ');
  if (missing.length === 0) return { line: line.trim(), action: 'unchanged' };
  lines[at] = line + cr;
  fs.mkdirSync(repo.dataDir, { recursive: true });
  writeFileAtomic(attributesRecord(repo), `${JSON.stringify({ before, after: lines[at] })}\n`);
  writeFileAtomic(file, lines.join('\n'));
  return { line: line.trim(), action: 'updated' };
}

/** Puts back the line install upgraded, when it is still there as install left it. */
function restoreAttributes(repo: Repo): void {
  const record = attributesRecord(repo);
  let saved: { before: string; after: string };
  try {
    saved = JSON.parse(fs.readFileSync(record, 'utf8'));
  } catch {
    return;
  }
  const file = path.join(repo.root, ATTRIBUTES_FILE);
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  const at = lines.lastIndexOf(saved.after);
  if (at >= 0) {
    lines[at] = saved.before;
    writeFileAtomic(file, lines.join('\n'));
  }
  fs.rmSync(record, { force: true });
}
