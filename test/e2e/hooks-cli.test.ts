/**
 * The hooks end to end, the built CLI driven by the real git binary: the scenario
 * (three model versions committed with plain git, the first one back with git checkout, and
 * beside today's with mvgit checkout -o), the merge driver as git calls it, and pre-push
 * getting git's stdin through a chained hook.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  bytes,
  cleanup,
  fileSha,
  git,
  gitResult,
  makeHookedRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  writeExecutable,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
let outside: string;
beforeEach(() => {
  outside = tempDir();
});
afterEach(() => {
  if (repo) cleanup(repo);
  cleanup(outside);
});

test('three versions with git commit -am; git checkout of the first puts v1 back; mvgit checkout -o puts it beside today', () => {
  fs.mkdirSync(path.join(outside, 'project'));
  repo = makeHookedRepo(path.join(outside, 'project'));
  mvgitOk(repo, ['track', 'models/*.pkl', '--kind', 'model']);
  const versions = [1, 2, 3].map((v) => bytes(200_000 + v, v));
  for (const [i, model] of versions.entries()) {
    writeFile(repo, 'models/m.pkl', model);
    writeFile(repo, 'metrics.json', JSON.stringify({ accuracy: 0.8 + i / 100 }));
    if (i === 0) git(repo, ['add', '-A']);
    const r = gitResult(repo, ['commit', '-q', '-am', `model v${i + 1}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('mvgit: recorded models/m.pkl');
    if (i === 0) git(repo, ['tag', 'v1']);
  }
  expect(git(repo, ['status', '--porcelain'])).toBe('');
  const co = gitResult(repo, ['checkout', '-q', 'v1']);
  expect(co.stderr).toContain('mvgit: restored models/m.pkl');
  expect(fileSha(path.join(repo, 'models/m.pkl'))).toBe(sha256(versions[0]));
  expect(gitResult(repo, ['checkout', '-q', 'main']).code).toBe(0);
  expect(fileSha(path.join(repo, 'models/m.pkl'))).toBe(sha256(versions[2]));

  mvgitOk(repo, ['checkout', 'v1', '--', 'models/m.pkl', '-o', '../old.pkl']);
  expect(fileSha(path.join(outside, 'old.pkl'))).toBe(sha256(versions[0]));
  expect(fileSha(path.join(repo, 'models/m.pkl'))).toBe(sha256(versions[2]));
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});

test('the merge driver as git calls it: a folder merged file by file, and a conflict listing the files', () => {
  repo = makeHookedRepo();
  const driver = git(repo, ['config', 'merge.mvgit.driver']).trim();
  expect(driver).toMatch(/^sh '.*\/\.git\/mvgit\/merge-driver' %O %A %B %P$/);
  mvgitOk(repo, ['track', 'data/d', '--kind', 'dataset']);
  writeFile(repo, 'data/d/a.txt', 'a\n');
  writeFile(repo, 'data/d/b.txt', 'b\n');
  writeFile(repo, 'notes.md', 'base\n');
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'base']).code).toBe(0);
  const base = fs.readFileSync(path.join(repo, 'data/d.mvgit.yaml'));
  const version = (file: string, text: string): Buffer => {
    writeFile(repo, `data/d/${file}`, text);
    mvgitOk(repo, ['add', 'data/d']);
    const out = fs.readFileSync(path.join(repo, 'data/d.mvgit.yaml'));
    return out;
  };
  const oursA = version('a.txt', 'ours\n');
  writeFile(repo, 'data/d/a.txt', 'a\n');
  const theirsB = version('b.txt', 'theirs\n');
  writeFile(repo, 'data/d/b.txt', 'b\n');
  const theirsA = version('a.txt', 'theirs too\n');

  const files = (name: string, data: Buffer): string => writeFile(outside, name, data);
  const clean = mvgit(repo, [
    'merge-driver',
    files('O', base),
    files('A', oursA),
    files('B', theirsB),
    'data/d.mvgit.yaml',
  ]);
  expect(clean).toMatchObject({ code: 0, stderr: '' });
  const merged = fs.readFileSync(path.join(outside, 'A'), 'utf8');
  expect(merged).toMatch(/^mvgit: 1\nkind: dataset\npath: d\noid: sha256:[0-9a-f]{64}\nsize: \d+\nfiles: 2\n$/);
  expect(merged).not.toBe(oursA.toString());

  const conflict = mvgit(repo, [
    'merge-driver',
    files('O', base),
    files('A', oursA),
    files('B', theirsA),
    'data/d.mvgit.yaml',
  ]);
  expect(conflict.code).toBe(1);
  expect(conflict.stderr).toContain(
    'mvgit: conflict in data/d.mvgit.yaml: both sides changed 1 file(s) of the folder differently: a.txt',
  );
  expect(fs.readFileSync(path.join(outside, 'A'), 'utf8')).toContain(
    '# mvgit: merge conflict in data/d: both sides changed 1 file(s) of the folder differently: a.txt.',
  );
});

test('pre-push: a chained hook and mvgit both get the refs git writes on stdin, and the model reaches the remote', () => {
  repo = makeHookedRepo();
  const store = path.join(outside, 'store');
  const bare = path.join(outside, 'origin.git');
  git(outside, ['init', '-q', '--bare', bare]);
  git(repo, ['remote', 'add', 'origin', bare]);
  mvgitOk(repo, ['remote', 'add', 'origin', store, '--default']);
  writeExecutable(repo, '.git/hooks/pre-push.mvgit-chained', '#!/bin/sh\ncat > .git/pushed-refs\n');
  mvgitOk(repo, ['track', 'models/*.pkl', '--kind', 'model']);
  const model = bytes(10_000, 42);
  writeFile(repo, 'models/m.pkl', model);
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'model']).code).toBe(0);
  const r = gitResult(repo, ['push', '-q', 'origin', 'main']);
  expect(r.code).toBe(0);
  expect(fs.readFileSync(path.join(repo, '.git', 'pushed-refs'), 'utf8')).toMatch(
    /^refs\/heads\/main [0-9a-f]{40} refs\/heads\/main 0{40}\n$/,
  );
  const hex = sha256(model);
  const found = (dir: string): boolean =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .some((d) => (d.isDirectory() ? found(path.join(dir, d.name)) : d.name === hex.slice(2)));
  expect(found(store)).toBe(true);
});
