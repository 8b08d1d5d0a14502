import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Launcher } from '../core/hooks/install.js';
import { type OnProgress, openWorkspace, type Workspace } from '../core/repo/workspace.js';
import type { LinkMode } from '../core/repo/config.js';

/** What every operation of the library takes: where the repository is, and how to report progress. */
export interface CommonOptions {
  /** A folder inside the repository (default: the process's working folder). Paths are relative to it. */
  cwd?: string;
  /** Long work reports here (hashing, restoring, transfers); the library itself never prints. */
  onProgress?: OnProgress;
}

/**
 * A Workspace opened for one operation. Each call opens its own, so a setting changed by one
 * call (a remote added, a link mode set) is what the next one reads: nothing goes stale.
 */
export async function workspaceFor(options: CommonOptions & { link?: LinkMode }): Promise<Workspace> {
  return openWorkspace({ cwd: options.cwd, link: options.link });
}

/** This package's own CLI, which the git hooks run (node and bin/mvgit.js by absolute path: it may not be on PATH). */
export function packageLauncher(): Launcher {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return { node: process.execPath, cli: path.resolve(here, '..', '..', 'bin', 'mvgit.js') };
}
