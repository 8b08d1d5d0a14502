/**
 * Installing mvgit's hooks through a hook manager: the launcher in this clone's git dir, mvgit's
 * line in the manager's committed files, then the manager's own install (when it is found) so
 * git runs the hooks right away.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../../repo/repo.js';
import { writeFileAtomic } from '../../../base/fs/atomic-write.js';
import { HOOK_NAMES, isOurs, type HookName, type Launcher } from '../script.js';
import { readEdits, recordEdits, undoEdits } from './edits.js';
import { LAUNCHER_PATH, launcherScript } from './line.js';
import type { HookManager, ManagerName } from './types.js';

export interface ManagerInstall {
  manager: ManagerName;
  /** The committed files install changed (to be committed), as repo paths. */
  changed: string[];
  /** Hooks whose line was already there. */
  unchanged: HookName[];
  /** The manager's own install, when run: the command and whether it worked (with its output when not). */
  ran: { command: string; ok: boolean; output: string } | null;
  /** The command to run when the manager's tool was not found and git's hooks are not written yet. */
  todo: string | null;
}

/** The launcher's path in this clone. */
export function launcherFile(repo: Repo): string {
  return path.join(repo.commonDir, LAUNCHER_PATH);
}

/** Writes the launcher the committed hook lines run (every clone gets its own from `mvgit init`). */
export function writeLauncher(repo: Repo, launcher: Launcher): void {
  fs.mkdirSync(repo.dataDir, { recursive: true });
  writeFileAtomic(launcherFile(repo), launcherScript(launcher), { mode: 0o755 });
}

/** True when this clone has the launcher. */
export function hasLauncher(repo: Repo): boolean {
  return isOurs(launcherFile(repo));
}

/**
 * Adds mvgit's hooks to `manager`'s files and runs the manager's own install when its tool is in
 * node_modules/.bin or on PATH and some git hook is not written yet.
 */
export function installThroughManager(repo: Repo, manager: HookManager, hooksDir: string): ManagerInstall {
  const unchanged = HOOK_NAMES.filter((h) => manager.configured(repo, h));
  const edits = manager.install(repo, HOOK_NAMES);
  recordEdits(repo, edits);
  const result: ManagerInstall = {
    manager: manager.name,
    changed: edits.map((e) => e.file),
    unchanged,
    ran: null,
    todo: null,
  };
  const needed = manager.name !== 'husky' || HOOK_NAMES.some((h) => !manager.generated(hooksDir, h));
  if (manager.reinstall && needed) {
    const r = runTool(repo, manager.reinstall.bin, manager.reinstall.args);
    if (r) result.ran = { command: manager.reinstall.command, ...r };
    if (!r?.ok) result.todo = manager.reinstall.command;
  }
  return result;
}

/** Takes mvgit's lines out of the manager's files, as install recorded them; returns the files changed. */
export function uninstallFromManager(repo: Repo): string[] {
  const changed = readEdits(repo).length > 0 ? undoEdits(repo) : [];
  fs.rmSync(launcherFile(repo), { force: true });
  return changed;
}

/** Runs a manager's tool from node_modules/.bin, else PATH; null when it is in neither. */
function runTool(repo: Repo, bin: string, args: string[]): { ok: boolean; output: string } | null {
  const local = path.join(repo.root, 'node_modules', '.bin', bin);
  const exe = fs.existsSync(local) ? local : bin;
  const r = spawnSync(exe, args, { cwd: repo.root, encoding: 'utf8' });
  if (r.error) return null;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}
