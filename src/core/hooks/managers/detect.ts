/**
 * Which hook manager owns this repository's git hooks, read from the files each one keeps:
 * husky from core.hooksPath (or its folder), lefthook, the pre-commit framework and
 * simple-git-hooks from their config files. The first found wins, in that order.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../repo/repo.js';
import { git } from '../../../adapters/git/run.js';
import { husky } from './husky.js';
import { lefthook, lefthookFile } from './lefthook.js';
import { PRE_COMMIT_FILE, preCommit } from './pre-commit.js';
import { simpleGitHooks, simpleGitHooksConfig } from './simple-git-hooks.js';
import type { HookManager, ManagerName } from './types.js';

export type { HookManager, ManagerName };

export const MANAGERS: Record<ManagerName, HookManager> = {
  husky,
  lefthook,
  'simple-git-hooks': simpleGitHooks,
  'pre-commit': preCommit,
};

/** The manager this repository uses, or null (mvgit then installs its hooks directly). */
export function detectManager(repo: Repo): HookManager | null {
  const hooksPath = git(repo, ['config', 'core.hooksPath'], { allowFail: true }).trim();
  // husky 9 points git at .husky/_ (husky 8 at .husky); a fresh clone has the folder before `npm install`.
  if (/(^|\/)\.husky(\/_)?\/?$/.test(hooksPath)) return husky;
  if (!hooksPath && fs.existsSync(path.join(repo.root, '.husky')) && usesHusky(repo)) return husky;
  if (lefthookFile(repo)) return lefthook;
  if (fs.existsSync(path.join(repo.root, PRE_COMMIT_FILE))) return preCommit;
  if (simpleGitHooksConfig(repo)) return simpleGitHooks;
  return null;
}

function usesHusky(repo: Repo): boolean {
  try {
    return /"husky"/.test(fs.readFileSync(path.join(repo.root, 'package.json'), 'utf8'));
  } catch {
    return false;
  }
}
