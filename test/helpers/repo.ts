/**
 * Test fixtures shared by integration and end-to-end tests: real git repositories in temp
 * dirs, driven by the real git binary, and the built CLI run as a subprocess.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
export function mvgitKilledAfter(
  cwd: string,
  args: string[],
  ms: number,
  env: NodeJS.ProcessEnv = {},
): Promise<{ killed: boolean; code: number | null }> {
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

/** sha256 of bytes in memory, as hex. */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The object store of a repo made by makeGitRepo: `.git/mvgit/cache/objects/sha256`. */
export function objectsDir(repo: string): string {
  return path.join(repo, '.git', 'mvgit', 'cache', 'objects', 'sha256');
}

/** The file of object `hex` in a repo's cache. */
export function objectFile(repo: string, hex: string): string {
  return path.join(objectsDir(repo), hex.slice(0, 2), hex.slice(2));
}

/**
 * Every file in a repo's object store that is not a temp file (`.mvgit-tmp-` in its name), with
 * whether its bytes hash to its name: what a reader of the cache can see.
 */
export function cacheObjects(repo: string): { file: string; hex: string; ok: boolean }[] {
  const out: { file: string; hex: string; ok: boolean }[] = [];
  const walk = (dir: string, fan: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.name.includes('.mvgit-tmp-')) continue;
      if (d.isDirectory()) walk(p, d.name);
      else {
        const hex = fan + d.name;
        out.push({ file: p, hex, ok: /^[0-9a-f]{64}$/.test(hex) && sha256(fs.readFileSync(p)) === hex });
      }
    }
  };
  if (fs.existsSync(objectsDir(repo))) walk(objectsDir(repo), '');
  return out;
}

/**
 * What a user sees in a work tree, `.git` left out: path -> sha256 for files (with `+x` when
 * executable), `->target` for symlinks, `/` for folders. Compare two snapshots to prove that
 * a command wrote nothing.
 */
export function treeSnapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      if (prefix === '' && d.name === '.git') continue;
      const abs = path.join(dir, d.name);
      const rel = prefix + d.name;
      if (d.isSymbolicLink()) out[rel] = `->${fs.readlinkSync(abs)}`;
      else if (d.isDirectory()) {
        out[rel] = '/';
        walk(abs, `${rel}/`);
      } else {
        const st = fs.statSync(abs);
        out[rel] = sha256(fs.readFileSync(abs)) + ((st.mode & 0o100) !== 0 ? '+x' : '');
      }
    }
  };
  walk(root, '');
  return out;
}

/** A new folder `name` under `base`, made a repository with mvgit set up and no hooks (makeMvgitRepo). */
export function mvgitRepoIn(base: string, name = 'r'): string {
  const dir = path.join(base, name);
  fs.mkdirSync(dir);
  return makeMvgitRepo(dir);
}

/** A git repository (makeGitRepo) with `mvgit init` run by the built CLI. */
export function makeMvgitRepo(dir: string = tempDir()): string {
  makeGitRepo(dir);
  mvgitOk(dir, ['init', '--no-hooks']);
  return dir;
}

/**
 * Moves the mtime of every file under `root` (`.git` left out) `seconds` into the past, as a
 * user's files are. mvgit does not trust a fingerprint taken within a clock tick of a write
 * (racy git), so tests that count re-hashes age the files they just wrote.
 */
export function ageFiles(root: string, seconds = 10): void {
  const when = new Date(Date.now() - seconds * 1000);
  const walk = (dir: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      if (d.name === '.git') continue;
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.isFile()) fs.utimesSync(p, when, when);
    }
  };
  walk(root);
}

/** Runs git in `cwd` without throwing: exit code, stdout and stderr (hooks print on stderr). */
export function gitResult(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync('git', args, { cwd, env: testEnv(env), encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the built CLI without waiting: for tests that act while it runs (stop a server mid-push). */
export function mvgitAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: testEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A git repository (makeGitRepo) with `mvgit init` run by the built CLI, hooks installed. */
export function makeHookedRepo(dir: string = tempDir()): string {
  makeGitRepo(dir);
  mvgitOk(dir, ['init']);
  return dir;
}

/** Makes a file executable (a hook). */
export function writeExecutable(root: string, rel: string, text: string): string {
  const abs = writeFile(root, rel, text);
  fs.chmodSync(abs, 0o755);
  return abs;
}
