/**
 * Real hook managers for the tests, installed once per test file: husky, lefthook and
 * simple-git-hooks from npm into one temp project (its node_modules copied into each repo),
 * the pre-commit framework from PyPI into a venv cached under ~/.cache/mvgit-test/, keyed by
 * version, so a clean machine builds it from nothing and later runs reuse it. A manager that
 * cannot be installed comes back with the reason, for the test to print and skip.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from './repo.js';

/** Versions whose npm install works here (lefthook 2 ships its binary as an optional dependency). */
export const NPM_MANAGERS = { husky: '9.1.7', lefthook: '2.2.2', 'simple-git-hooks': '2.14.0' } as const;
export const PRE_COMMIT_VERSION = '4.7.0';

export interface Installed {
  /** The node_modules to copy into a repo, or the reason npm could not install it. */
  nodeModules: string | null;
  npmFailure: string;
  /** The venv's bin folder holding `pre-commit`, or the reason it could not be made. */
  preCommitBin: string | null;
  preCommitFailure: string;
}

const run = (cmd: string, args: string[], cwd: string): { ok: boolean; out: string } => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  return { ok: r.status === 0, out: `${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
};

function installNpm(): { dir: string | null; failure: string } {
  const dir = tempDir('mvgit-managers-');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'managers', version: '1.0.0', private: true, devDependencies: NPM_MANAGERS }, null, 2)}\n`,
  );
  const r = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  const bins = Object.keys(NPM_MANAGERS).map((b) => path.join(dir, 'node_modules', '.bin', b));
  if (!r.ok || !bins.every((b) => fs.existsSync(b)))
    return { dir: null, failure: `npm install ${Object.keys(NPM_MANAGERS).join(' ')} failed: ${r.out.slice(-400)}` };
  const lefthook = run(bins[1], ['version'], dir);
  if (!lefthook.ok) return { dir: null, failure: `lefthook ${NPM_MANAGERS.lefthook} does not run: ${lefthook.out}` };
  return { dir: path.join(dir, 'node_modules'), failure: '' };
}

function installPreCommit(): { bin: string | null; failure: string } {
  const venv = path.join(os.homedir(), '.cache', 'mvgit-test', `pre-commit-${PRE_COMMIT_VERSION}`);
  const bin = path.join(venv, 'bin');
  if (run(path.join(bin, 'pre-commit'), ['--version'], os.tmpdir()).ok) return { bin, failure: '' };
  fs.rmSync(venv, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  const made = run('python3', ['-m', 'venv', venv], os.tmpdir());
  if (!made.ok) return { bin: null, failure: `python3 -m venv failed: ${made.out.slice(-300)}` };
  const pip = run(path.join(bin, 'pip'), ['install', '-q', `pre-commit==${PRE_COMMIT_VERSION}`], os.tmpdir());
  if (!pip.ok || !run(path.join(bin, 'pre-commit'), ['--version'], os.tmpdir()).ok)
    return { bin: null, failure: `pip install pre-commit==${PRE_COMMIT_VERSION} failed: ${pip.out.slice(-400)}` };
  return { bin, failure: '' };
}

/** Installs the managers (synchronously: the test file decides from this which tests to skip). */
export function installManagers(): Installed {
  const npm = installNpm();
  const pc = installPreCommit();
  return { nodeModules: npm.dir, npmFailure: npm.failure, preCommitBin: pc.bin, preCommitFailure: pc.failure };
}

/** The bytes of every file under `dir` whose repo path passes `keep`, by repo path. */
export function snapshot(dir: string, keep: (rel: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git' || e.name === 'node_modules') continue;
      if (e.isDirectory()) walk(r);
      else if (keep(r)) out[r] = fs.readFileSync(path.join(dir, r), 'latin1');
    }
  };
  walk('');
  return out;
}
