/**
 * post-checkout, post-merge and post-rewrite through real git: only the artifacts whose
 * pointers changed are restored; unsaved content is left alone with a warning that names it;
 * missing objects give one warning; an artifact whose pointer went away is removed only when
 * its content is safe in the cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  bytes,
  cleanup,
  git,
  gitResult,
  makeHookedRepo,
  mvgitOk,
  objectFile,
  sha256,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
afterEach(() => cleanup(repo));

const abs = (rel: string): string => path.join(repo, rel);
const shaOf = (rel: string): string => sha256(fs.readFileSync(abs(rel)));

/** main: v1 (model A1, dataset D); v2 (model A2, same dataset D). */
function twoVersions(): void {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'models/*.pkl', '--kind', 'model']);
  mvgitOk(repo, ['track', 'data/train', '--kind', 'dataset']);
  writeFile(repo, 'models/m.pkl', bytes(40_000, 1));
  for (let i = 0; i < 30; i++) writeFile(repo, `data/train/part-${i}.csv`, `row,${i}\n`);
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'v1']).code).toBe(0);
  git(repo, ['tag', 'v1']);
  writeFile(repo, 'models/m.pkl', bytes(40_000, 2));
  writeFile(repo, 'notes.md', 'v2\n');
  git(repo, ['add', 'notes.md']);
  expect(gitResult(repo, ['commit', '-q', '-am', 'v2']).code).toBe(0);
}

test('a branch checkout restores exactly the artifacts whose pointers changed', () => {
  twoVersions();
  const datasetBefore = fs.statSync(abs('data/train/part-0.csv'), { bigint: true });
  const r = gitResult(repo, ['checkout', '-q', 'v1']);
  expect(r.code).toBe(0);
  expect(r.stderr.trim()).toBe('mvgit: restored models/m.pkl');
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 1)));
  const datasetAfter = fs.statSync(abs('data/train/part-0.csv'), { bigint: true });
  expect([datasetAfter.ino, datasetAfter.mtimeNs]).toEqual([datasetBefore.ino, datasetBefore.mtimeNs]);

  const back = gitResult(repo, ['checkout', '-q', 'main']);
  expect(back.stderr.trim()).toBe('mvgit: restored models/m.pkl');
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 2)));
  // Same commit, new branch: nothing to do, nothing said.
  expect(gitResult(repo, ['checkout', '-q', '-b', 'topic']).stderr).toBe('');
  // A file checkout (third argument 0) leaves artifacts to the user.
  expect(gitResult(repo, ['checkout', 'v1', '--', 'models/m.pkl.mvgit.yaml']).stderr).toBe('');
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 2)));
});

test('a model with unsaved changes is left alone, with a warning naming it and the way out', () => {
  twoVersions();
  writeFile(repo, 'models/m.pkl', 'my unsaved experiment');
  const r = gitResult(repo, ['checkout', '-q', 'v1']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    'mvgit: left models/m.pkl as it is: it has unsaved changes, content that is not in the cache.',
  );
  expect(r.stderr).toContain(
    'keep them: mvgit add models/m.pkl    or discard them: mvgit checkout models/m.pkl --force',
  );
  expect(fs.readFileSync(abs('models/m.pkl'), 'utf8')).toBe('my unsaved experiment');
});

test('objects missing from the cache give one warning that lists them and says how to get them', () => {
  twoVersions();
  fs.rmSync(objectFile(repo, sha256(bytes(40_000, 1))), { force: true });
  const r = gitResult(repo, ['checkout', '-q', 'v1']);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/mvgit: this artifact is not in the cache, so not restored: models\/m\.pkl \([0-9a-f]{8}\)/);
  expect(r.stderr).toContain('get it with: mvgit pull');
  expect(r.stderr.match(/not in the cache/g)).toHaveLength(1);
});

test('an artifact whose pointer went away is removed when its content is cached, kept with a warning when not', () => {
  twoVersions();
  git(repo, ['checkout', '-q', '-b', 'no-data']);
  writeFile(repo, 'models/extra.pkl', 'extra model');
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'extra']).code).toBe(0);
  expect(fs.existsSync(abs('models/extra.pkl.mvgit.yaml'))).toBe(true);

  const r = gitResult(repo, ['checkout', '-q', 'main']);
  expect(r.stderr).toContain('mvgit: removed models/extra.pkl (not tracked here; its content stays in the cache)');
  expect(fs.existsSync(abs('models/extra.pkl'))).toBe(false);

  expect(gitResult(repo, ['checkout', '-q', 'no-data']).stderr).toContain('mvgit: restored models/extra.pkl');
  writeFile(repo, 'models/extra.pkl', 'edited, saved nowhere');
  const kept = gitResult(repo, ['checkout', '-q', 'main']);
  expect(kept.stderr).toContain(
    "mvgit: kept models/extra.pkl: it is not tracked here, but it holds unsaved changes. Record it with 'mvgit add models/extra.pkl', or delete it.",
  );
  expect(fs.readFileSync(abs('models/extra.pkl'), 'utf8')).toBe('edited, saved nowhere');
});

test('git merge (fast-forward) and git rebase restore what they changed', () => {
  twoVersions();
  git(repo, ['checkout', '-q', '-b', 'old', 'v1']);
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 1)));
  const ff = gitResult(repo, ['merge', '-q', '--ff-only', 'main']);
  expect(ff.code).toBe(0);
  expect(ff.stderr).toContain('mvgit: restored models/m.pkl');
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 2)));

  // A branch from v1 with its own commit, rebased onto main: the model comes from main.
  git(repo, ['checkout', '-q', '-b', 'side', 'v1']);
  writeFile(repo, 'side.txt', 'side\n');
  git(repo, ['add', 'side.txt']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'side']).code).toBe(0);
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 1)));
  const rb = gitResult(repo, ['rebase', '-q', 'main']);
  expect(rb.code).toBe(0);
  expect(rb.stderr).toContain('mvgit: restored models/m.pkl');
  expect(shaOf('models/m.pkl')).toBe(sha256(bytes(40_000, 2)));
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});

test('a new dataset version: only the files that differ are written', () => {
  twoVersions();
  writeFile(repo, 'data/train/part-3.csv', 'changed\n');
  writeFile(repo, 'data/train/new.csv', 'new\n');
  fs.rmSync(abs('data/train/part-4.csv'));
  writeFile(repo, 'notes.md', 'v3\n');
  expect(gitResult(repo, ['commit', '-q', '-am', 'v3']).code).toBe(0);
  const r = gitResult(repo, ['checkout', '-q', 'HEAD~1']);
  expect(r.stderr).toContain('mvgit: restored data/train (2 written, 1 removed)');
  expect(fs.readFileSync(abs('data/train/part-3.csv'), 'utf8')).toBe('row,3\n');
  expect(fs.existsSync(abs('data/train/new.csv'))).toBe(false);
  expect(fs.readFileSync(abs('data/train/part-4.csv'), 'utf8')).toBe('row,4\n');
});
