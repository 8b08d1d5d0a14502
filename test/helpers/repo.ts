/**
 * Test fixtures shared by integration and end-to-end tests: real git repositories in temp
 * dirs, driven by the real git binary, and the built CLI run as a subprocess.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(PROJECT_ROOT, 'bin', 'mvgit.js');

/** Environment for git and the CLI: no user config, fixed identity, no colors, no progress. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    NO_COLOR: '1',
    MVGIT_NO_PROGRESS: '1',
    ...extra,
  };
}

/** A fresh temp dir, removed by `cleanup`. */
export function tempDir(prefix = 'mvgit-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  // Objects are read-only; rmSync with force handles that on Linux (the folder's mode decides).
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs git in `cwd`; throws with git's stderr on failure. */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, { cwd, env: testEnv(env), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A new git repository with one empty commit on `main`. */
export function makeGitRepo(dir: string = tempDir()): string {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'initial']);
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/mvgit.js) as a subprocess, the way a user does. */
export function mvgit(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: testEnv(env), encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like mvgit() but throws unless it exits 0: for set-up steps. */
export function mvgitOk(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = mvgit(cwd, args, env);
  if (r.code !== 0) throw new Error(`mvgit ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Starts the CLI and SIGKILLs it after `ms` milliseconds (or when it ends first). */
export function mvgitKilledAfter(cwd: string, args: string[], ms: number, env: NodeJS.ProcessEnv = {}): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: testEnv(env), stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

/** Writes a file (making folders), returns its absolute path. */
export function writeFile(root: string, rel: string, data: string | Buffer): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, data);
  return abs;
}

/** Deterministic pseudo-random bytes, so failures reproduce. */
export function bytes(size: number, seed = 1): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = x & 0xff;
  }
  return buf;
}

/** sha256 of a file, as hex. */
export function fileSha(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
}
