/**
 * The merge driver for pointer files, through real `git merge`: a folder changed on both
 * sides in different files merges cleanly (manifests merged, the merged one stored, the work
 * tree restored); anything else is a conflict whose text compares both sides.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mergePointers } from '../../src/core/history/merge.js';
import type { Pointer } from '../../src/core/pointer/pointer.js';
import { bytes, cleanup, git, gitResult, makeHookedRepo, mvgit, mvgitOk, sha256, writeFile } from '../helpers/repo.js';

let repo: string;
afterEach(() => cleanup(repo));

const abs = (rel: string): string => path.join(repo, rel);
const read = (rel: string): string => fs.readFileSync(abs(rel), 'utf8');

/** Commits everything, with a note beside it (a commit whose only change is a pointer is the pre-commit tests' business). */
function commitAll(message: string): void {
  writeFile(repo, `notes/${message.replace(/\W+/g, '-')}.md`, message);
  git(repo, ['add', '-A']);
  const r = gitResult(repo, ['commit', '-q', '-m', message]);
  if (r.code !== 0) throw new Error(r.stderr);
}

test('a dataset changed on both branches in different files merges cleanly, and the work tree gets both changes', () => {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'data/train', '--kind', 'dataset']);
  for (let i = 0; i < 10; i++) writeFile(repo, `data/train/${i}.csv`, `row ${i}\n`);
  commitAll('dataset');
  git(repo, ['checkout', '-q', '-b', 'feature']);
  writeFile(repo, 'data/train/1.csv', 'feature edit\n');
  writeFile(repo, 'data/train/new-feature.csv', 'added on feature\n');
  commitAll('feature edits');
  git(repo, ['checkout', '-q', 'main']);
  expect(read('data/train/1.csv')).toBe('row 1\n');
  fs.rmSync(abs('data/train/7.csv'));
  writeFile(repo, 'data/train/2.csv', 'main edit\n');
  commitAll('main edits');

  const r = gitResult(repo, ['merge', '-q', '--no-edit', 'feature']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('mvgit: restored data/train');
  expect(read('data/train/1.csv')).toBe('feature edit\n');
  expect(read('data/train/2.csv')).toBe('main edit\n');
  expect(read('data/train/new-feature.csv')).toBe('added on feature\n');
  expect(fs.existsSync(abs('data/train/7.csv'))).toBe(false);
  const pointer = git(repo, ['show', 'HEAD:data/train.mvgit.yaml']);
  expect(pointer).toContain('files: 10');
  expect(pointer).not.toContain('<<<<<<<');
  const st = mvgit(repo, ['status', '--json']);
  expect(JSON.parse(st.stdout)).toEqual(
    expect.arrayContaining([expect.objectContaining({ path: 'data/train', status: 'up-to-date' })]),
  );
});

test('a model retrained on both branches is a conflict that shows both oids, sizes and metrics', () => {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'models/*.pkl', '--kind', 'model']);
  writeFile(repo, 'models/m.pkl', bytes(30_000, 1));
  commitAll('v1');
  git(repo, ['checkout', '-q', '-b', 'feature']);
  writeFile(repo, 'models/m.pkl', bytes(31_000, 2));
  writeFile(repo, 'feature-metrics.json', '{"auc": 0.91}');
  mvgitOk(repo, ['add', 'models/m.pkl', '--metrics', 'feature-metrics.json']);
  commitAll('feature model');
  git(repo, ['checkout', '-q', 'main']);
  writeFile(repo, 'models/m.pkl', bytes(32_000, 3));
  writeFile(repo, 'main-metrics.json', '{"auc": 0.88}');
  mvgitOk(repo, ['add', 'models/m.pkl', '--metrics', 'main-metrics.json']);
  commitAll('main model');

  const r = gitResult(repo, ['merge', '--no-edit', 'feature']);
  expect(r.code).toBe(1);
  expect(r.stdout + r.stderr).toContain('Merge conflict in models/m.pkl.mvgit.yaml');
  const text = read('models/m.pkl.mvgit.yaml');
  const ours = sha256(bytes(32_000, 3)).slice(0, 12);
  const theirs = sha256(bytes(31_000, 2)).slice(0, 12);
  expect(text).toContain('# mvgit: merge conflict in models/m.pkl: both sides changed the content.');
  expect(text).toContain(`#   ours:   sha256:${ours}  31.3 KiB  auc=0.88`);
  expect(text).toContain(`#   theirs: sha256:${theirs}  30.3 KiB  auc=0.91`);
  expect(text).toMatch(/<<<<<<< ours\n[\s\S]*=======\n[\s\S]*>>>>>>> theirs\n$/);

  // Committing the markers is refused; keeping their side works.
  git(repo, ['add', 'models/m.pkl.mvgit.yaml']);
  expect(gitResult(repo, ['commit', '-q', '--no-edit']).stderr).toContain('still has conflict markers');
  const theirsBlock = /=======\n([\s\S]*)>>>>>>> theirs/.exec(text)![1];
  writeFile(repo, 'models/m.pkl.mvgit.yaml', theirsBlock);
  git(repo, ['add', 'models/m.pkl.mvgit.yaml']);
  mvgitOk(repo, ['checkout', 'models/m.pkl']);
  expect(sha256(fs.readFileSync(abs('models/m.pkl')))).toBe(sha256(bytes(31_000, 2)));
  expect(gitResult(repo, ['commit', '-q', '--no-edit']).code).toBe(0);
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});

describe('mergePointers', () => {
  const p = (hex: string, extra: Partial<Pointer> = {}): Pointer => ({
    kind: 'model',
    path: 'm.pkl',
    oid: `sha256:${hex.repeat(64)}`,
    size: 10,
    ...extra,
  });
  const none = (): null => null;

  test('one side changes the content, the other the description: both are kept', () => {
    const r = mergePointers(p('a'), p('b'), p('a', { meta: { description: 'better' } }), none);
    expect(r).toEqual({ clean: true, pointer: p('b', { meta: { description: 'better' } }) });
  });

  test('identical changes merge; different content on both sides does not', () => {
    expect(mergePointers(p('a'), p('b'), p('b'), none).clean).toBe(true);
    expect(mergePointers(p('a'), p('b'), p('c'), none)).toEqual({
      clean: false,
      reason: 'both sides changed the content',
    });
    expect(mergePointers(null, p('b'), p('c'), none)).toEqual({
      clean: false,
      reason: 'both sides added this artifact with different content',
    });
  });

  test('folders changed on both sides need their manifests: without a cache it is a conflict', () => {
    const r = mergePointers(p('a', { files: 2 }), p('b', { files: 2 }), p('c', { files: 2 }), none);
    expect(r.clean).toBe(false);
    expect(r.reason).toContain('no cache here to merge their manifests');
  });
});
