/**
 * A clone that never ran `mvgit init` has no hooks: `git checkout` moves the pointers and
 * leaves the old bytes. status, pull and checkout warn about it once, on stderr, unless the
 * clone opted out with `mvgit init --no-hooks`; status names the version the work tree holds,
 * and add will not record it as new.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, git, makeGitRepo, mvgit, mvgitOk, tempDir, writeFile } from '../helpers/repo.js';

const WARNING =
  "warning: mvgit's git hooks are not installed in this clone: git checkout, merge and pull leave models and datasets as they were, and commits do not record them\n";
const HINT = "hint: install them with 'mvgit install'; to silence this in this clone: mvgit init --no-hooks\n";

let base: string;
let origin: string;
let clone: string;
let v1: string;

beforeAll(() => {
  base = tempDir();
  fs.mkdirSync(path.join(base, 'origin'));
  origin = makeGitRepo(path.join(base, 'origin'));
  mvgitOk(origin, ['init', '--no-hooks', '--remote', path.join(base, 'store')]);
  writeFile(origin, 'm.pkl', 'model v1');
  mvgitOk(origin, ['add', 'm.pkl', '--metrics', writeFile(origin, 'metrics.json', '{"auc": 0.8}')]);
  git(origin, ['add', '-A']);
  git(origin, ['commit', '-q', '-m', 'Train v1']);
  git(origin, ['tag', 'v1']);
  v1 = git(origin, ['rev-parse', 'HEAD']).trim();
  writeFile(origin, 'm.pkl', 'model v2');
  mvgitOk(origin, ['add', 'm.pkl', '--metrics', writeFile(origin, 'metrics.json', '{"auc": 0.9}')]);
  git(origin, ['add', '-A']);
  git(origin, ['commit', '-q', '-m', 'Train v2']);
  mvgitOk(origin, ['push', '--all-commits']);
});
afterAll(() => cleanup(base));

beforeEach(() => {
  clone = path.join(base, `clone-${Math.random().toString(36).slice(2)}`);
  git(base, ['clone', '-q', origin, clone]);
});

describe('a clone without hooks', () => {
  test('status, pull and checkout warn once on stderr, and still do their work', () => {
    const pull = mvgit(clone, ['pull']);
    expect(pull.code).toBe(0);
    expect(pull.stderr).toBe(WARNING + HINT);
    expect(fs.readFileSync(path.join(clone, 'm.pkl'), 'utf8')).toBe('model v2');
    const st = mvgit(clone, ['status']);
    expect(st.code).toBe(0);
    expect(st.stderr).toBe(WARNING + HINT);
    expect(st.stdout).toContain('up-to-date');
    const co = mvgit(clone, ['checkout']);
    expect(co.code).toBe(0);
    expect(co.stderr).toBe(WARNING + HINT);
  });

  test('after git checkout of an old tag, status names the version and add refuses it', () => {
    mvgitOk(clone, ['pull']);
    git(clone, ['checkout', '-q', 'v1']);
    mvgitOk(clone, ['checkout']);
    git(clone, ['checkout', '-q', 'main']);
    const st = mvgit(clone, ['status']);
    expect(st.stdout).toContain(
      `  m.pkl holds the version of v1 (${v1.slice(0, 7)}), not an edit; run mvgit checkout m.pkl\n`,
    );
    expect(st.stdout).toContain("(put the pointers' versions back: mvgit checkout m.pkl)");
    expect(st.stdout).not.toContain('mvgit add');
    const pointer = fs.readFileSync(path.join(clone, 'm.pkl.mvgit.yaml'), 'utf8');
    const add = mvgit(clone, ['add', 'm.pkl']);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain(
      `error: m.pkl holds the version of v1 (${v1.slice(0, 7)}), not the one its pointer names`,
    );
    expect(add.stderr).toContain("hint: put the pointer's version in place: mvgit checkout m.pkl;");
    expect(fs.readFileSync(path.join(clone, 'm.pkl.mvgit.yaml'), 'utf8')).toBe(pointer);
    mvgitOk(clone, ['checkout', 'm.pkl']);
    expect(fs.readFileSync(path.join(clone, 'm.pkl'), 'utf8')).toBe('model v2');
  });

  test('mvgit init --no-hooks records the opt-out in the local config: no warning after', () => {
    mvgitOk(clone, ['init', '--no-hooks']);
    expect(fs.readFileSync(path.join(clone, '.git', 'mvgit', 'config.yaml'), 'utf8')).toMatch(/hooks:\n\s+skip: true/);
    expect(mvgit(clone, ['pull']).stderr).toBe('');
    expect(mvgit(clone, ['status']).stderr).toBe('');
    expect(mvgit(clone, ['checkout']).stderr).toBe('');
  });

  test('installed hooks (in core.hooksPath too) silence the warning', () => {
    git(clone, ['config', 'core.hooksPath', '.githooks']);
    mvgitOk(clone, ['install']);
    expect(fs.existsSync(path.join(clone, '.githooks', 'pre-commit'))).toBe(true);
    expect(mvgit(clone, ['status']).stderr).toBe('');
  });

  test('a partly installed set names the missing hooks', () => {
    mvgitOk(clone, ['install']);
    fs.rmSync(path.join(clone, '.git', 'hooks', 'pre-push'));
    expect(mvgit(clone, ['status']).stderr).toContain("warning: mvgit's pre-push hook is not installed");
  });
});
