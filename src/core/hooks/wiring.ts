/**
 * How each git hook mvgit needs is wired in this clone: installed directly, through a hook
 * manager, or missing, with the command that fixes it. `mvgit status`, `mvgit add` and
 * `mvgit doctor` report it.
 */
import path from 'node:path';
import type { Repo } from '../repo/repo.js';
import { hooksDir } from './install.js';
import { detectManager, type ManagerName } from './managers/detect.js';
import { hasLauncher } from './managers/install.js';
import { HOOK_NAMES, isOurs, type HookName } from './script.js';

export interface HookWiring {
  name: HookName;
  /** How git reaches mvgit for this hook: its own script, or through a manager's; null when it does not. */
  via: 'direct' | ManagerName | null;
  ok: boolean;
  /** What is wrong, when something is. */
  problem?: string;
  /** The command that fixes it. */
  fix?: string;
}

export interface WiringReport {
  /** Where git runs hooks from. */
  hooksDir: string;
  /** The hook manager the repository uses, if any. */
  manager: ManagerName | null;
  hooks: HookWiring[];
}

/** Reads the hooks folder, the manager's files and this clone's launcher; changes nothing. */
export function hookWiring(repo: Repo): WiringReport {
  const dir = hooksDir(repo);
  const manager = detectManager(repo);
  const launcher = hasLauncher(repo);
  const hooks = HOOK_NAMES.map((name): HookWiring => {
    if (isOurs(path.join(dir, name))) return { name, via: 'direct', ok: true };
    if (!manager) return { name, via: null, ok: false, problem: 'not installed', fix: 'mvgit install' };
    const via = manager.name;
    if (!manager.configured(repo, name))
      return { name, via, ok: false, problem: `not in ${manager.files(repo, name).join(', ')}`, fix: 'mvgit install' };
    if (!manager.generated(dir, name))
      return {
        name,
        via,
        ok: false,
        problem: `${via} has not written git's ${name} hook`,
        fix: manager.reinstall?.command ?? 'mvgit install',
      };
    if (!launcher)
      return { name, via, ok: false, problem: "this clone has no launcher (mvgit's hook file)", fix: 'mvgit init' };
    return { name, via, ok: true };
  });
  return { hooksDir: dir, manager: manager?.name ?? null, hooks };
}

/** The distinct fix commands of a report's broken hooks, in order. */
export function wiringFixes(report: WiringReport): string[] {
  return [...new Set(report.hooks.flatMap((h) => (h.ok || !h.fix ? [] : [h.fix])))];
}

/**
 * The mvgit hooks git would not run in this clone (directly or through the repository's hook
 * manager): empty when all are wired.
 */
export function missingHooks(repo: Repo): HookName[] {
  return hookWiring(repo)
    .hooks.filter((h) => !h.ok)
    .map((h) => h.name);
}
