/**
 * The pre-commit hook through real `git commit`s: it records what the tracking rules match and
 * the commit carries it; it stops a commit git would drop and says how to finish (both forms);
 * it refuses large files staged into git; it stands aside during a rebase or cherry-pick and
 * never records a work tree that is older than its pointer. And `mvgit commit`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, bytes, git, gitResult, makeHookedRepo, mvgit, mvgitOk, sha256, writeFile } from '../helpers/repo.js';

let repo: string;
afterEach(() => cleanup(repo));

const pointerOid = (rev: string, pointer = 'models/m.pkl.mvgit.yaml'): string =>
  /oid: sha256:([0-9a-f]{64})/.exec(git(repo, ['show', `${rev}:${pointer}`]))![1];
const committedFiles = (rev = 'HEAD'): string[] =>
  git(repo, ['show', '--name-only', '--format=', rev]).trim().split('\n').sort();

/** A repo tracking models/*.pkl, with version 1 of the model committed the way a user first does it. */
function withModel(): void {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'models/*.pkl', '--kind', 'model']);
  writeFile(repo, 'models/m.pkl', bytes(50_000, 1));
  writeFile(repo, 'metrics.json', '{"accuracy": 0.81}\n');
  writeFile(repo, 'train.py', 'fit()\n');
  git(repo, ['add', '-A']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'v1']);
  expect(r.code).toBe(0);
}

test('the first commit after git add -A: the model goes to mvgit, git gets its pointer and the ignore line', () => {
  withModel();
  expect(committedFiles()).toEqual([
    '.gitattributes',
    '.mvgit/config.yaml',
    'metrics.json',
    'models/.gitignore',
    'models/m.pkl.mvgit.yaml',
    'train.py',
  ]);
  expect(pointerOid('HEAD')).toBe(sha256(bytes(50_000, 1)));
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});

test('git commit -am carries a retrained model together with code and metrics changes', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 2));
  writeFile(repo, 'metrics.json', '{"accuracy": 0.86}\n');
  writeFile(repo, 'train.py', 'fit(more=True)\n');
  const r = gitResult(repo, ['commit', '-q', '-am', 'retrain']);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^mvgit: recorded models\/m\.pkl \(model, 58\.6 KiB, [0-9a-f]{8}\)$/m);
  expect(committedFiles()).toEqual(['metrics.json', 'models/m.pkl.mvgit.yaml', 'train.py']);
  expect(pointerOid('HEAD')).toBe(sha256(bytes(60_000, 2)));
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});

test('only the model changed, git commit -m: the hook stops, the pointer stays staged, the same command then works', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 3));
  const r = gitResult(repo, ['commit', '-q', '-m', 'retrain only']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('mvgit: recorded models/m.pkl');
  expect(r.stderr).toContain(
    'mvgit: stopped the commit: the pointers mvgit just staged are its only change, and git decided "nothing to commit" before the hook ran, so it would drop them',
  );
  expect(r.stderr).toContain(
    "mvgit: hint: they are staged now: run the same commit again: git commit -q -m 'retrain only'",
  );
  expect(git(repo, ['diff', '--cached', '--name-only']).trim()).toBe('models/m.pkl.mvgit.yaml');
  const again = gitResult(repo, ['commit', '-q', '-m', 'retrain only']);
  expect(again.code).toBe(0);
  expect(committedFiles()).toEqual(['models/m.pkl.mvgit.yaml']);
  expect(pointerOid('HEAD')).toBe(sha256(bytes(60_000, 3)));
});

test('only the model changed, git commit -am: the hook names the exact command, which works', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 4));
  const r = gitResult(repo, ['commit', '-am', 'retrain']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    "mvgit: hint: git throws away the temporary index of 'git commit -a' that holds them; run: git add models/m.pkl.mvgit.yaml && git commit -am retrain",
  );
  // git threw its index away: nothing is staged, but the pointer in the work tree is new.
  expect(git(repo, ['diff', '--cached', '--name-only'])).toBe('');
  git(repo, ['add', 'models/m.pkl.mvgit.yaml']);
  const again = gitResult(repo, ['commit', '-am', 'retrain']);
  expect(again.code).toBe(0);
  expect(pointerOid('HEAD')).toBe(sha256(bytes(60_000, 4)));
});

test('mvgit commit records and commits in one step, passing the options to git untouched', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 5));
  const r = mvgit(repo, ['commit', '-q', '-m', 'retrain via mvgit']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('mvgit: recorded models/m.pkl');
  expect(git(repo, ['log', '-1', '--format=%s']).trim()).toBe('retrain via mvgit');
  expect(pointerOid('HEAD')).toBe(sha256(bytes(60_000, 5)));
  const amend = mvgit(repo, ['commit', '--amend', '-m', '--json is text here']);
  expect(amend.code).toBe(0);
  expect(git(repo, ['log', '-1', '--format=%s']).trim()).toBe('--json is text here');
  expect(mvgit(repo, ['commit', '-m', 'nothing at all']).code).toBe(1); // git's own "nothing to commit"
});

test('a partial commit (git commit PATH) carries the pointer and leaves the real index in step', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 10));
  writeFile(repo, 'train.py', 'fit(partial)\n');
  writeFile(repo, 'metrics.json', '{"accuracy": 0.9}\n');
  const r = mvgit(repo, ['commit', '-q', '-m', 'code and model', '--', 'train.py']);
  expect(r.code).toBe(0);
  expect(committedFiles()).toEqual(['models/m.pkl.mvgit.yaml', 'train.py']);
  expect(pointerOid('HEAD')).toBe(sha256(bytes(60_000, 10)));
  // The real index has the new pointer too: only the untouched metrics file differs.
  expect(git(repo, ['status', '--porcelain'])).toBe(' M metrics.json\n');
});

test('a large file staged into git is refused with the command that fixes it; guard.maxFileSize 0 allows it', () => {
  withModel();
  writeFile(repo, 'data/dump.bin', Buffer.alloc(11 << 20, 1));
  git(repo, ['add', 'data/dump.bin']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'oops']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    'mvgit: refusing to commit a large file into git: data/dump.bin (11.0 MiB); guard.maxFileSize is 10.0 MiB',
  );
  expect(r.stderr).toContain('git rm --cached data/dump.bin && mvgit add data/dump.bin');
  expect(git(repo, ['log', '-1', '--format=%s']).trim()).toBe('v1');
  mvgitOk(repo, ['config', 'guard.maxFileSize', '0']);
  git(repo, ['add', '.mvgit/config.yaml']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'allowed']).code).toBe(0);
});

test('a new file a tracking rule matches is never refused by the guard: it goes to mvgit', () => {
  withModel();
  writeFile(repo, 'models/big.pkl', bytes(11 << 20, 6));
  git(repo, ['add', '-A']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'big model']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain("took models/big.pkl out of git's index");
  expect(committedFiles()).toEqual(['models/.gitignore', 'models/big.pkl.mvgit.yaml']);
});

test('a pointer staged with conflict markers is refused', () => {
  withModel();
  fs.appendFileSync(path.join(repo, 'models/m.pkl.mvgit.yaml'), '<<<<<<< ours\n=======\n>>>>>>> theirs\n');
  git(repo, ['add', 'models/m.pkl.mvgit.yaml']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'bad']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('mvgit: models/m.pkl.mvgit.yaml still has conflict markers');
});

test('during a cherry-pick or rebase the hook records nothing', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 7));
  for (const marker of ['CHERRY_PICK_HEAD', 'rebase-merge']) {
    const file = path.join(repo, '.git', marker);
    if (marker === 'rebase-merge') fs.mkdirSync(file);
    else fs.writeFileSync(file, git(repo, ['rev-parse', 'HEAD']));
    const r = mvgit(repo, ['hook', 'pre-commit']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(pointerOid('HEAD')).toBe(
      /oid: sha256:([0-9a-f]{64})/.exec(fs.readFileSync(path.join(repo, 'models/m.pkl.mvgit.yaml'), 'utf8'))![1],
    );
    fs.rmSync(file, { recursive: true });
  }
});

test('a model older than its pointer (a checkout whose restore did not run) is not recorded over it', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 8));
  writeFile(repo, 'metrics.json', '{"accuracy": 0.82}\n');
  expect(gitResult(repo, ['commit', '-q', '-am', 'v2']).code).toBe(0);
  // Back to v1 without hooks: the pointer is v1's, the work tree still holds v2.
  git(repo, ['-c', 'core.hooksPath=/dev/null', 'checkout', '-q', 'HEAD~1']);
  writeFile(repo, 'train.py', 'fit(again)\n');
  const r = gitResult(repo, ['commit', '-q', '-am', 'code only']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('mvgit: not recorded, older than its pointer (a checkout did not finish): models/m.pkl');
  expect(r.stderr).toContain('mvgit checkout models/m.pkl');
  expect(pointerOid('HEAD')).toBe(sha256(bytes(50_000, 1)));
  expect(committedFiles()).toEqual(['train.py']);
});

test('a pointer written by mvgit add but not staged goes into the commit', () => {
  withModel();
  writeFile(repo, 'models/m.pkl', bytes(60_000, 9));
  mvgitOk(repo, ['add']);
  writeFile(repo, 'train.py', 'fit(x)\n');
  git(repo, ['add', 'train.py']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'code and model']);
  expect(r.code).toBe(0);
  expect(committedFiles()).toEqual(['models/m.pkl.mvgit.yaml', 'train.py']);
});
