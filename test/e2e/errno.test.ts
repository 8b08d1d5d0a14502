/**
 * Ordinary file-system failures are the user's to fix, not bugs: each condition is produced for
 * real (a folder an unprivileged user cannot write, a read-only file system, a full one, a low
 * limit on open files), and the CLI names the path, what failed and what to do, exit 1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, cleanup, git, mvgitOk, tempDir, testEnv, writeFile, mvgitRepoIn } from '../helpers/repo.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-errno-');
});
afterEach(() => cleanup(base));

function repoWithModel(): string {
  const repo = mvgitRepoIn(base);
  writeFile(repo, 'models/m.bin', 'weights v1');
  mvgitOk(repo, ['add', 'models/m.bin']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'model']);
  return repo;
}

/** Runs the built CLI with a wrapper command in front (runuser, prlimit). */
function run(
  wrapper: string[],
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number; stderr: string } {
  const r = spawnSync(wrapper[0], [...wrapper.slice(1), process.execPath, CLI, ...args], {
    cwd,
    env: testEnv(env),
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stderr: r.stderr };
}

const isRoot = process.getuid?.() === 0;

test('EACCES: checkout into a folder this user may not write', () => {
  if (!isRoot || spawnSync('runuser', ['--help']).status !== 0) {
    console.warn('skipped: needs root and runuser to act as an unprivileged user');
    return;
  }
  // The checkout under test may sit in a folder only root can enter (mktemp -d is 0700).
  if (spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', CLI]).status !== 0) {
    console.warn(`skipped: the unprivileged user cannot read ${CLI} (a parent folder is private)`);
    return;
  }
  const repo = repoWithModel();
  fs.rmSync(path.join(repo, 'models', 'm.bin'));
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  spawnSync('chown', ['-R', 'nobody', base]);
  fs.chmodSync(base, 0o755);
  // The artifact's folder belongs to root and is read-only for everyone else.
  spawnSync('chown', ['root', path.join(repo, 'models')]);
  fs.chmodSync(path.join(repo, 'models'), 0o555);
  const r = run(['runuser', '-u', 'nobody', '--'], repo, ['checkout'], { HOME: home });
  expect(r.stderr).toBe(
    'error: could not write models/m.bin: permission denied (EACCES)\n' +
      'hint: check who may write there (ls -ld on the folder), or run as a user who can\n',
  );
  expect(r.code).toBe(1);
});

test('EROFS: checkout onto a read-only file system', () => {
  const repo = repoWithModel();
  const ro = path.join(base, 'ro');
  fs.mkdirSync(ro);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro]).status !== 0) {
    console.warn('skipped: cannot mount a tmpfs here (needs root)');
    return;
  }
  // The user's own link for the folder: mvgit writes through it, and the file system says no.
  const pointer = git(repo, ['show', 'HEAD:models/m.bin.mvgit.yaml']).replace('path: m.bin', 'path: models/m.bin');
  writeFile(repo, 'm.mvgit.yaml', pointer);
  fs.rmSync(path.join(repo, 'models'), { recursive: true, force: true });
  fs.symlinkSync(ro, path.join(repo, 'models'));
  try {
    const r = run(['env'], repo, ['checkout']);
    expect(r.stderr).toBe(
      'error: could not write models/m.bin: the file system is read-only (EROFS)\nhint: remount it read-write, or write somewhere else\n',
    );
    expect(r.code).toBe(1);
  } finally {
    spawnSync('umount', [ro]);
  }
});

test('EMFILE: too few open files allowed says so, whichever file it hit', () => {
  if (spawnSync('prlimit', ['--version']).status !== 0) {
    console.warn('skipped: prlimit is not installed');
    return;
  }
  const repo = repoWithModel();
  for (let i = 0; i < 50; i++) writeFile(repo, `data/f${i}.csv`, `${i}\n`);
  let handled = 0;
  // Where the limit bites depends on how many files Node holds at start: try a range.
  for (let n = 20; n <= 40; n += 4) {
    const r = run(['prlimit', `--nofile=${n}:${n}`], repo, ['add', 'data']);
    expect(r.stderr).not.toContain('this is a bug in mvgit');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // Node itself may report a module it could not open under the limit as missing: that is said plainly too.
    if (r.code === 1 && r.stderr.includes('could not load a part of mvgit')) {
      expect(r.stderr).toMatch(
        /\nhint: reinstall mvgit \(npm ci\), or raise the open-files limit \(ulimit -n 4096\), and run the command again\n$/,
      );
    } else if (r.code === 1) {
      expect(r.stderr).toMatch(
        /^error: could not \w+( \w+)* .+: too many open files \(EMFILE\)\nhint: raise the limit \(ulimit -n 4096\) and run the command again\n$/,
      );
      handled++;
    }
    fs.rmSync(path.join(repo, 'data.mvgit.yaml'), { force: true });
  }
  expect(handled).toBeGreaterThan(0);
});
