/**
 * `artifactLog`: the versions of one artifact, newest first, only the commits that changed its
 * pointer, renames followed, merges simplified the way `git log -- PATH` does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { MvgitError } from '../../src/base/errors.js';
import { init } from '../../src/core/repo/init.js';
import { artifactLog } from '../../src/core/history/log.js';
import { findRepo, type Repo } from '../../src/core/repo/repo.js';
import { cleanup, git, makeGitRepo, sha256, writeFile } from '../helpers/repo.js';

let dir: string;
let repo: Repo;
let ws: Workspace;

beforeEach(async () => {
  dir = makeGitRepo();
  init(dir);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'mvgit init']);
  repo = findRepo(dir);
  ws = await openWorkspace({ cwd: dir });
});
afterEach(() => cleanup(dir));

const head = (): string => git(dir, ['rev-parse', 'HEAD']).trim();

async function version(
  rel: string,
  content: string,
  metrics: Record<string, unknown>,
  message: string,
  params?: Record<string, unknown>,
): Promise<string> {
  writeFile(dir, rel, content);
  await addPaths(ws, [rel], { cwd: dir, kind: 'model', meta: { metrics, ...(params ? { params } : {}) } });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return head();
}

function codeCommit(message: string): string {
  writeFile(dir, 'train.py', `# ${message}\n`);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return head();
}

async function rejects(fn: () => unknown, code: string): Promise<MvgitError> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MvgitError);
  expect((err as MvgitError).code).toBe(code);
  return err as MvgitError;
}

test('three versions, newest first, with metrics; commits that leave the pointer alone are skipped', async () => {
  const c1 = await version('models/m.pkl', 'v1', { accuracy: 0.81 }, 'train v1');
  codeCommit('tweak code');
  const c2 = await version('models/m.pkl', 'v2!', { accuracy: 0.82, auc: 0.9 }, 'train v2');
  codeCommit('more code');
  codeCommit('even more');
  const c3 = await version('models/m.pkl', 'v3!!', { accuracy: 0.83 }, 'train v3');
  codeCommit('after');

  const log = artifactLog(repo, 'models/m.pkl', { cwd: dir });
  expect(log.map((v) => [v.commit, v.subject, v.metrics])).toEqual([
    [c3, 'train v3', { accuracy: 0.83 }],
    [c2, 'train v2', { accuracy: 0.82, auc: 0.9 }],
    [c1, 'train v1', { accuracy: 0.81 }],
  ]);
  expect(log[0]).toMatchObject({
    path: 'models/m.pkl',
    pointerPath: 'models/m.pkl.mvgit.yaml',
    kind: 'model',
    oid: `sha256:${sha256('v3!!')}`,
    size: 4,
    author: 'Test',
    email: 'test@example.com',
  });
  expect(log[0].date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  // the pointer's path names the same artifact; -n limits; paths are relative to cwd
  expect(artifactLog(repo, 'models/m.pkl.mvgit.yaml', { cwd: dir }).map((v) => v.commit)).toEqual([c3, c2, c1]);
  expect(artifactLog(repo, 'm.pkl', { cwd: path.join(dir, 'models'), limit: 2 }).map((v) => v.commit)).toEqual([
    c3,
    c2,
  ]);
  // --rev starts elsewhere
  expect(artifactLog(repo, 'models/m.pkl', { cwd: dir, rev: c2 }).map((v) => v.commit)).toEqual([c2, c1]);
});

test('a rename of the pointer is followed: a move, and a move with retraining that git pairs', async () => {
  const c1 = await version('models/model.pkl', 'v1', { accuracy: 0.1 }, 'v1');
  const c2 = await version('models/model.pkl', 'v2', { accuracy: 0.2 }, 'v2');
  // a plain move: git mv both files, then mvgit add records the new name in the pointer
  git(dir, ['mv', 'models/model.pkl.mvgit.yaml', 'models/churn.pkl.mvgit.yaml']);
  fs.renameSync(path.join(dir, 'models/model.pkl'), path.join(dir, 'models/churn.pkl'));
  const c3 = await version('models/churn.pkl', 'v2', { accuracy: 0.2 }, 'rename');
  // the same content under a new name, in a commit that also drops an unrelated pointer
  await version('models/other.pkl', 'other', {}, 'other');
  git(dir, ['rm', '-q', 'models/other.pkl.mvgit.yaml', 'models/churn.pkl.mvgit.yaml']);
  fs.rmSync(path.join(dir, 'models/churn.pkl'));
  const c5 = await version('models/final.pkl', 'v2', { accuracy: 0.2, note: 'x'.repeat(400) }, 'rename, new metrics');
  // moved and retrained at once: the pointers share most lines (the params), so git pairs them
  const params = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`param_${i}`, i]));
  writeFile(dir, 'models/final.pkl', 'v6');
  await addPaths(ws, ['models/final.pkl'], { cwd: dir, meta: { params } });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'params']);
  const c6 = head();
  git(dir, ['mv', 'models/final.pkl.mvgit.yaml', 'models/best.pkl.mvgit.yaml']);
  fs.rmSync(path.join(dir, 'models/final.pkl'));
  const c7 = await version('models/best.pkl', 'v7', { accuracy: 0.7 }, 'rename and retrain', params);

  const log = artifactLog(repo, 'models/best.pkl', { cwd: dir });
  expect(log.map((v) => [v.commit, v.path, v.renamedFrom ?? null])).toEqual([
    [c7, 'models/best.pkl', 'models/final.pkl.mvgit.yaml'],
    [c6, 'models/final.pkl', null],
    [c5, 'models/final.pkl', 'models/churn.pkl.mvgit.yaml'],
    [c3, 'models/churn.pkl', 'models/model.pkl.mvgit.yaml'],
    [c2, 'models/model.pkl', null],
    [c1, 'models/model.pkl', null],
  ]);
});

test('an unrelated artifact deleted beside a new one is not taken for a rename', async () => {
  await version('models/a.pkl', 'a', {}, 'a');
  await version('models/b.pkl', 'b', {}, 'b');
  git(dir, ['rm', '-q', 'models/a.pkl.mvgit.yaml']);
  const c = await version('models/c.pkl', 'c', {}, 'drop a and b, add c');
  git(dir, ['rm', '-q', 'models/b.pkl.mvgit.yaml']);
  git(dir, ['commit', '-q', '-m', 'drop b']);
  expect(artifactLog(repo, 'models/c.pkl', { cwd: dir }).map((v) => v.commit)).toEqual([c]);
});

test('merges: a version made on a branch is listed once, the merge that brings it is not', async () => {
  const c1 = await version('models/m.pkl', 'v1', { accuracy: 0.1 }, 'v1');
  git(dir, ['checkout', '-q', '-b', 'experiment']);
  const c2 = await version('models/m.pkl', 'v2', { accuracy: 0.2 }, 'v2 on a branch');
  git(dir, ['checkout', '-q', 'main']);
  codeCommit('code on main');
  git(dir, ['merge', '-q', '--no-ff', '-m', 'merge experiment', 'experiment']);
  expect(artifactLog(repo, 'models/m.pkl', { cwd: dir }).map((v) => v.commit)).toEqual([c2, c1]);
});

test('a damaged pointer in history is shown with its error; the log goes on', async () => {
  const c1 = await version('models/m.pkl', 'v1', { accuracy: 0.1 }, 'v1');
  fs.writeFileSync(path.join(dir, 'models/m.pkl.mvgit.yaml'), 'mvgit: 7\n');
  git(dir, ['commit', '-q', '-am', 'broken']);
  const broken = head();
  const c3 = await version('models/m.pkl', 'v3', { accuracy: 0.3 }, 'v3');
  const log = artifactLog(repo, 'models/m.pkl', { cwd: dir });
  expect(log.map((v) => v.commit)).toEqual([c3, broken, c1]);
  expect(log[1].error).toBe(`models/m.pkl.mvgit.yaml at ${broken.slice(0, 10)}: unknown format version mvgit: 7`);
  expect(log[1].oid).toBeUndefined();
});

test('a path with no history is a clear error; an uncommitted artifact has no versions yet', async () => {
  const err = await rejects(() => artifactLog(repo, 'models/nope.pkl', { cwd: dir }), 'NOT_TRACKED');
  expect(err.message).toBe('models/nope.pkl has no history: no commit has models/nope.pkl.mvgit.yaml');
  expect(err.hint).toBe(
    "track it with 'mvgit add models/nope.pkl' and commit the pointer; 'mvgit status' lists what is tracked",
  );
  writeFile(dir, 'models/new.pkl', 'new');
  await addPaths(ws, ['models/new.pkl'], { cwd: dir });
  expect(artifactLog(repo, 'models/new.pkl', { cwd: dir })).toEqual([]);
});

test('bad -n and a bad --rev', async () => {
  await version('models/m.pkl', 'v1', {}, 'v1');
  const err = await rejects(() => artifactLog(repo, 'models/m.pkl', { cwd: dir, limit: 0 }), 'USAGE');
  expect(err.message).toBe('-n takes a whole number of versions, 1 or more; got 0');
  await rejects(() => artifactLog(repo, 'models/m.pkl', { cwd: dir, rev: 'nope' }), 'REV_NOT_FOUND');
});

test('a repository with no commit yet', async () => {
  const empty = makeGitRepoNoCommit();
  try {
    writeFile(empty, 'x.pkl.mvgit.yaml', 'mvgit: 1\n');
    expect(artifactLog(findRepo(empty), 'x.pkl', { cwd: empty })).toEqual([]);
  } finally {
    cleanup(empty);
  }
});

function makeGitRepoNoCommit(): string {
  const d = fs.mkdtempSync(path.join(path.dirname(dir), 'mvgit-empty-'));
  git(d, ['init', '-q', '-b', 'main']);
  return d;
}
