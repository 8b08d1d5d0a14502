/**
 * `mvgit push` to a folder remote SIGKILLed while it copies a large object: the half-written
 * temp it leaves on the remote is cleared by the next push into the same fan-out folder, and
 * by `mvgit gc --remote`. The remote lives on another file system where one exists (/dev/shm),
 * as a mounted share would.
 */
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, cleanup, fileSha, git, makeGitRepo, mvgitOk, testEnv, tempDir } from '../helpers/repo.js';

const LONG = 120_000;
const BIG = 256 << 20;

let base: string;
let shm: string | null;
let a: string;
let store: string;
let hex: string;

beforeAll(() => {
  base = tempDir('mvgit-e2e-kill-push-');
  shm = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/mvgit-kill-push-') : null;
  a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  store = path.join(shm ?? base, 'store');
  mvgitOk(a, ['init', '--remote', store]);
  const fd = fs.openSync(path.join(a, 'big.bin'), 'w');
  const block = Buffer.allocUnsafe(8 << 20);
  for (let i = 0; i < BIG / block.length; i++) fs.writeSync(fd, randomFillSync(block));
  fs.closeSync(fd);
  hex = fileSha(path.join(a, 'big.bin'));
  mvgitOk(a, ['add', 'big.bin']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'big']);
}, LONG);
afterAll(() => {
  cleanup(base);
  if (shm) cleanup(shm);
});
beforeEach(() => fs.rmSync(store, { recursive: true, force: true }));

function fanDir(): string {
  return path.join(store, 'objects', 'sha256', hex.slice(0, 2));
}

function tempsOnRemote(): string[] {
  return fs.existsSync(fanDir()) ? fs.readdirSync(fanDir()).filter((n) => n.includes('.mvgit-tmp-')) : [];
}

/** Starts `mvgit push` and SIGKILLs it as soon as its temp file appears on the remote. */
async function pushKilledMidCopy(): Promise<string[]> {
  const child = spawn(process.execPath, [CLI, 'push'], { cwd: a, env: testEnv(), stdio: 'ignore' });
  const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let ended = false;
  void exited.then(() => (ended = true));
  while (!ended && tempsOnRemote().length === 0) await new Promise((r) => setTimeout(r, 1));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const left = tempsOnRemote();
  // The kill landed mid-copy: a temp is there, and no object under the name yet.
  expect(left).toHaveLength(1);
  expect(fs.existsSync(path.join(fanDir(), hex.slice(2)))).toBe(false);
  return left;
}

test(
  'a later push into the same fan-out folder clears the temp of the killed one',
  async () => {
    await pushKilledMidCopy();
    mvgitOk(a, ['push']);
    expect(tempsOnRemote()).toEqual([]);
    expect(fileSha(path.join(fanDir(), hex.slice(2)))).toBe(hex);
  },
  LONG,
);

test(
  'gc --remote clears the temp of a killed push',
  async () => {
    await pushKilledMidCopy();
    mvgitOk(a, ['gc', '--remote', 'origin', '--yes']);
    expect(tempsOnRemote()).toEqual([]);
  },
  LONG,
);
