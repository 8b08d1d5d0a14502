/**
 * `mvgit checkout v1` reads v1 as a path and hints "put it before --: mvgit checkout v1 --".
 * Following that hint to the letter must work: `mvgit checkout v1 --` restores every artifact
 * as it was at v1, in place, like `mvgit checkout v1 -- .`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, git, makeMvgitRepo, mvgit, mvgitOk, writeFile } from '../helpers/repo.js';

let repo: string;
const read = (rel: string): string => fs.readFileSync(path.join(repo, rel), 'utf8');

beforeEach(() => {
  repo = makeMvgitRepo();
  writeFile(repo, 'models/m.pkl', 'model v1');
  writeFile(repo, 'data/train.csv', 'data v1');
  mvgitOk(repo, ['add', 'models/m.pkl', 'data/train.csv']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'v1']);
  git(repo, ['tag', 'v1']);
  writeFile(repo, 'models/m.pkl', 'model v2');
  writeFile(repo, 'data/train.csv', 'data v2');
  mvgitOk(repo, ['add', 'models/m.pkl', 'data/train.csv']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'v2']);
});
afterEach(() => cleanup(repo));

test('the hint for a revision typed as a path, run exactly as printed, restores v1', () => {
  const r = mvgit(repo, ['checkout', 'v1']);
  expect(r.code).toBe(1);
  const hinted = /put it before --: (mvgit .+)$/m.exec(r.stderr)?.[1];
  expect(hinted).toBe('mvgit checkout v1 --');
  const follow = mvgit(repo, hinted!.split(' ').slice(1));
  expect(follow.stderr).toBe('');
  expect(follow.code).toBe(0);
  expect(read('models/m.pkl')).toBe('model v1');
  expect(read('data/train.csv')).toBe('data v1');
  expect(read('models/m.pkl.mvgit.yaml')).toBe(git(repo, ['show', 'v1:models/m.pkl.mvgit.yaml']));
});

test('`checkout v1 --` does what `checkout v1 -- .` does, and keeps unsaved work unless --force', () => {
  writeFile(repo, 'models/m.pkl', 'unsaved work');
  const refused = mvgit(repo, ['checkout', 'v1', '--']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('not overwriting 1 file(s) whose content is not in the cache: models/m.pkl');
  expect(read('models/m.pkl')).toBe('unsaved work');
  mvgitOk(repo, ['add', 'models/m.pkl']);
  const ok = mvgit(repo, ['checkout', 'v1', '--']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('restored models/m.pkl as at v1');
  expect(read('models/m.pkl')).toBe('model v1');
  expect(read('data/train.csv')).toBe('data v1');
});
