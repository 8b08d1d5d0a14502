/**
 * A fresh clone checked out at a commit older than `mvgit remote add`: that commit's committed
 * config names no remote, yet autoFetch on `git checkout v1` and `mvgit pull -r origin` both
 * find the remote in the newest config (the default branch) and get v1's objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  bytes,
  cleanup,
  git,
  gitResult,
  makeHookedRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  writeFile,
} from '../helpers/repo.js';

let base: string;
let store: string;
const V1 = bytes(30_000, 1);
const V2 = bytes(30_000, 2);

beforeAll(() => {
  base = tempDir('mvgit-old-commit-');
  store = path.join(base, 'store');
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeHookedRepo(a);
  writeFile(a, 'models/m.pkl', V1);
  mvgitOk(a, ['add', 'models/m.pkl', '--kind', 'model']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'v1, before any remote']);
  git(a, ['tag', 'v1']);
  mvgitOk(a, ['remote', 'add', 'origin', store, '--default']);
  writeFile(a, 'models/m.pkl', V2);
  mvgitOk(a, ['add', 'models/m.pkl']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'v2, with the remote']);
  mvgitOk(a, ['push', '--all-commits']);
  git(base, ['clone', '-q', '--bare', a, path.join(base, 'bare.git')]);
});
afterAll(() => cleanup(base));

/** A fresh clone of the bare repo, mvgit set up (hooks or not), its cache empty. */
function freshClone(name: string, hooks: boolean): string {
  const dir = path.join(base, name);
  git(base, ['clone', '-q', path.join(base, 'bare.git'), dir]);
  mvgitOk(dir, hooks ? ['init'] : ['init', '--no-hooks']);
  return dir;
}

const model = (dir: string): string => sha256(fs.readFileSync(path.join(dir, 'models/m.pkl')));

test('v1 has no remote in its own committed config (the premise)', () => {
  expect(git(base, ['--git-dir', path.join(base, 'bare.git'), 'show', 'v1:.mvgit/config.yaml'])).not.toContain(
    'remotes',
  );
});

test('git checkout v1 in a fresh clone fetches v1 with autoFetch, the remote taken from the default branch', () => {
  const c = freshClone('c1', true);
  const r = gitResult(c, ['checkout', '-q', 'v1']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('mvgit: restored models/m.pkl');
  expect(model(c)).toBe(sha256(V1));
});

test('mvgit pull -r origin at v1 in a fresh clone gets v1', () => {
  const c = freshClone('c2', false);
  git(c, ['checkout', '-q', 'v1']);
  expect(fs.existsSync(path.join(c, 'models/m.pkl'))).toBe(false);
  const r = mvgit(c, ['pull', '-r', 'origin']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(model(c)).toBe(sha256(V1));
  // The default remote is found the same way.
  fs.rmSync(path.join(c, 'models/m.pkl'));
  fs.rmSync(path.join(c, '.git/mvgit/cache'), { recursive: true, force: true });
  expect(mvgit(c, ['pull']).code).toBe(0);
  expect(model(c)).toBe(sha256(V1));
});

test('a local override of a remote the old commit lacks does not break the config', () => {
  const c = freshClone('c3', false);
  mvgitOk(c, ['config', '--local', 'core.autoFetch', 'true']);
  fs.appendFileSync(path.join(c, '.git/mvgit/config.yaml'), 'remotes:\n  origin:\n    region: eu-west-1\n');
  git(c, ['checkout', '-q', 'v1']);
  const r = mvgit(c, ['pull', '-r', 'origin']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(model(c)).toBe(sha256(V1));
});
