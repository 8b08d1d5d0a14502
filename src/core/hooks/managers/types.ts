import type { Repo } from '../../repo/repo.js';
import type { HookName } from '../script.js';
import type { FileEdits } from './edits.js';

/** The hook managers mvgit writes its hooks through. */
export type ManagerName = 'husky' | 'lefthook' | 'simple-git-hooks' | 'pre-commit';

/** One hook manager: where its users keep hook commands, and how git's hooks are made from them. */
export interface HookManager {
  name: ManagerName;
  /** The committed file(s) that hold the hook commands (for `hook` alone, when given), as repo paths. */
  files(repo: Repo, hook?: HookName): string[];
  /** Adds mvgit's line for each hook whose file lacks it; writes the files and returns the edits. */
  install(repo: Repo, hooks: readonly HookName[]): FileEdits[];
  /** True when the manager's committed files run mvgit for `hook`. */
  configured(repo: Repo, hook: HookName): boolean;
  /** True when the git hook the manager generates for `hook` is in `hooksDir` (git runs it). */
  generated(hooksDir: string, hook: HookName): boolean;
  /** What its users run to (re)write git's hooks from its files; mvgit runs it after install when found. */
  reinstall: { command: string; bin: string; args: string[] } | null;
}
