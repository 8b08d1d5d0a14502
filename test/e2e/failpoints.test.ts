/**
 * Kills at named steps (MVGIT_FAILPOINT=NAME:kill), so each crash point is hit every run, not
 * by the luck of a timer: afterwards nothing is lost, nothing half-written is taken for data,
 * and running the command again finishes the job.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanup,
  fileSha,
  git,
  gitResult,
  makeHookedRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  writeFile,
  mvgitRepoIn,
} from '../helpers/repo.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-failpoint-');
});
afterEach(() => cleanup(base));

const kill = (name: string): NodeJS.ProcessEnv => ({ MVGIT_FAILPOINT: `${name}:kill` });

function plainRepo(): string {
  const repo = mvgitRepoIn(base);
  return repo;
}

/** Every status line says up-to-date. */
function allUpToDate(repo: string): void {
  const st = JSON.parse(mvgitOk(repo, ['status', '--json'])) as { path: string; status: string }[];
  expect(st.map((s) => s.status)).toEqual(st.map(() => 'up-to-date'));
}

test('add killed after storing, before the pointer: no pointer, the file intact; add again finishes', () => {
  const repo = plainRepo();
  writeFile(repo, 'models/m.bin', 'weights');
  const r = mvgit(repo, ['add', 'models/m.bin'], kill('add:after-store'));
  expect(r.code).not.toBe(0);
  expect(fs.existsSync(path.join(repo, 'models/m.bin.mvgit.yaml'))).toBe(false);
  expect(fs.readFileSync(path.join(repo, 'models/m.bin'), 'utf8')).toBe('weights');
  mvgitOk(repo, ['add', 'models/m.bin']);
  expect(fs.readFileSync(path.join(repo, 'models/m.bin.mvgit.yaml'), 'utf8')).toContain(`sha256:${sha256('weights')}`);
  allUpToDate(repo);
});

test('checkout of a new folder killed before the staging folder is renamed: nothing half there; checkout again finishes', () => {
  const repo = plainRepo();
  for (let i = 0; i < 20; i++) writeFile(repo, `data/f${i}.csv`, `row ${i}\n`);
  mvgitOk(repo, ['add', 'data']);
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  const r = mvgit(repo, ['checkout'], kill('checkout:before-stage-rename'));
  expect(r.code).not.toBe(0);
  // The artifact is either absent or whole: never a folder with some files.
  expect(fs.existsSync(path.join(repo, 'data'))).toBe(false);
  mvgitOk(repo, ['checkout']);
  expect(fs.readdirSync(path.join(repo, 'data')).length).toBe(20);
  expect(fs.readdirSync(repo).filter((n) => n.includes('mvgit-tmp'))).toEqual([]);
  allUpToDate(repo);
});

test('a version switch killed between removing and writing: checkout again finishes, no user file lost', () => {
  const repo = plainRepo();
  writeFile(repo, 'data/keep.csv', 'kept');
  writeFile(repo, 'data/old.csv', 'old');
  mvgitOk(repo, ['add', 'data']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'v1']);
  fs.rmSync(path.join(repo, 'data/old.csv'));
  writeFile(repo, 'data/new.csv', 'new');
  mvgitOk(repo, ['add', 'data']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'v2']);
  git(repo, ['checkout', '-q', 'HEAD~1', '--', 'data.mvgit.yaml']);
  const r = mvgit(repo, ['checkout'], kill('checkout:after-removals'));
  expect(r.code).not.toBe(0);
  mvgitOk(repo, ['checkout']);
  expect(fs.readdirSync(path.join(repo, 'data')).sort()).toEqual(['keep.csv', 'old.csv']);
  expect(fileSha(path.join(repo, 'data/old.csv'))).toBe(sha256('old'));
  allUpToDate(repo);
});

test('a post-checkout hook killed after writing its journal: HEAD moved, mvgit checkout finishes', () => {
  const repo = path.join(base, 'h');
  fs.mkdirSync(repo);
  makeHookedRepo(repo);
  writeFile(repo, 'm.bin', 'v1');
  mvgitOk(repo, ['add', 'm.bin']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'v1']);
  git(repo, ['tag', 'v1']);
  writeFile(repo, 'm.bin', 'v2');
  mvgitOk(repo, ['add', 'm.bin']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'v2']);
  // git moves HEAD before the hook runs; a dead hook only makes git's exit status non-zero.
  gitResult(repo, ['checkout', '-q', 'v1'], kill('restore:after-journal'));
  expect(git(repo, ['rev-parse', 'HEAD'])).toBe(git(repo, ['rev-parse', 'v1^{commit}']));
  expect(fs.readFileSync(path.join(repo, 'm.bin'), 'utf8')).toBe('v2');
  mvgitOk(repo, ['checkout']);
  expect(fs.readFileSync(path.join(repo, 'm.bin'), 'utf8')).toBe('v1');
  allUpToDate(repo);
});
