import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../base/errors.js';
import { git, gitAsync } from '../../adapters/git/run.js';
import type { Repo } from '../repo/repo.js';
import {
  CHAINED_SUFFIX,
  HOOK_MARK,
  HOOK_NAMES,
  hookScript,
  mergeDriverScript,
  shQuote,
  type HookName,
  type Launcher,
} from './script.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';

export type { HookName, Launcher };
export { HOOK_NAMES };

/** The attribute line that sends pointer files to mvgit's merge driver. */
export const MERGE_ATTRIBUTE = '*.mvgit.yaml merge=mvgit';

export interface InstallResult {
  /** Where git runs hooks from (core.hooksPath when set). */
  hooksDir: string;
  hooks: { name: HookName; action: 'installed' | 'updated' | 'unchanged' | 'chained' }[];
  /** The repo path of .gitattributes when install added the merge line to it (to be committed). */
  gitattributes: string | null;
}

export interface UninstallResult {
  hooksDir: string;
  hooks: { name: HookName; action: 'removed' | 'restored' | 'not-installed' | 'foreign' }[];
}

/** The folder git runs this repository's hooks from: `core.hooksPath` when set (husky, lefthook), else `<git dir>/hooks`. */
export function hooksDir(repo: Repo): string {
  return path.resolve(repo.root, git(repo, ['rev-parse', '--git-path', 'hooks']).trim());
}

/**
 * The mvgit hooks that are not in place where git runs hooks from (core.hooksPath honoured):
 * empty when all are installed. Reads the hook files and looks for mvgit's mark, nothing more.
 */
export function missingHooks(repo: Repo): HookName[] {
  const dir = hooksDir(repo);
  return HOOK_NAMES.filter((name) => !isOurs(path.join(dir, name)));
}

/** missingHooks without blocking: git finds the hooks folder while the caller works. */
export async function missingHooksAsync(repo: Repo): Promise<HookName[]> {
  const dir = path.resolve(repo.root, (await gitAsync(repo, ['rev-parse', '--git-path', 'hooks'])).trim());
  return HOOK_NAMES.filter((name) => !isOurs(path.join(dir, name)));
}

function isOurs(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').includes(`\n${HOOK_MARK} `);
  } catch {
    return false;
  }
}

const exists = (file: string): boolean => fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;

function writeExecutable(file: string, text: string): void {
  writeFileAtomic(file, text, { mode: 0o755 });
}

/**
 * `mvgit install`: writes the hooks, the merge driver config and the .gitattributes line.
 * Idempotent. A hook that is not mvgit's is moved aside (`NAME.mvgit-chained`, bytes and mode
 * kept) and run first by mvgit's, never overwritten. Everything is checked before anything is
 * written, so a conflict changes nothing.
 *
 * @example installHooks(findRepo(), { node: process.execPath, cli: '/usr/lib/node_modules/mvgit/bin/mvgit.js' })
 */
export function installHooks(repo: Repo, launcher: Launcher): InstallResult {
  const dir = hooksDir(repo);
  for (const name of HOOK_NAMES) {
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
  fs.mkdirSync(dir, { recursive: true });
  const result: InstallResult = { hooksDir: dir, hooks: [], gitattributes: null };
  for (const name of HOOK_NAMES) {
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
  result.gitattributes = ensureMergeAttribute(repo);
  return result;
}

/**
 * `mvgit uninstall`: removes mvgit's hooks and puts back the hooks they chained, exactly as they
 * were (a rename back). A hook that is not mvgit's is left alone. The merge driver's config goes;
 * the committed .gitattributes line stays (without the config git falls back to its text merge).
 */
export function uninstallHooks(repo: Repo): UninstallResult {
  const dir = hooksDir(repo);
  const result: UninstallResult = { hooksDir: dir, hooks: [] };
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
  fs.rmSync(mergeDriverFile(repo), { force: true });
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

/** Adds the merge attribute to the top .gitattributes once; returns its repo path when it changed. */
function ensureMergeAttribute(repo: Repo): string | null {
  const file = path.join(repo.root, '.gitattributes');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (text.split(/\r?\n/).some((l) => l.trim() === MERGE_ATTRIBUTE)) return null;
  const out = `${text + (text === '' || text.endsWith('\n') ? '' : '\n') + MERGE_ATTRIBUTE}\n`;
  writeFileAtomic(file, out);
  return '.gitattributes';
}
