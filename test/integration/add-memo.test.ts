/**
 * Adding a folder whose memo names the files edited in place since it was last found in step:
 * only those are stored and the old manifest's lines for them rewritten. What a user checks: the
 * pointer is the one a full add writes, git checkout between the versions restores each file's
 * bytes, and status, commit and add keep agreeing afterwards, racy edits included.
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
  objectFile,
  sha256,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
afterEach(() => cleanup(repo));

const abs = (rel: string): string => path.join(repo, rel);
const POINTER = 'data/ds.mvgit.yaml';
const mvgitDir = (sub: string): string => path.join(repo, '.git', 'mvgit', sub);
// Stats younger than the racy window (25 ms) are not trusted, so nothing would be remembered.
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));

/** A committed 40-file dataset (one script executable), remembered by a status. */
async function remembered(): Promise<void> {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'data/ds', '--kind', 'dataset']);
  for (let i = 0; i < 40; i++) writeFile(repo, `data/ds/${i % 4}/part-${i}.csv`, `row,${i}\n`);
  writeFile(repo, 'data/ds/run.sh', '#!/bin/sh\necho hi\n');
  fs.chmodSync(abs('data/ds/run.sh'), 0o755);
  await settle();
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'v1']).code).toBe(0);
  await settle();
  expect(mvgitOk(repo, ['status'])).toContain('up-to-date');
  expect(fs.readdirSync(mvgitDir('hooks')).filter((f) => f.endsWith('.memo'))).toHaveLength(1);
}

/** The pointer a full add writes for the same work tree: memo and stat cache set aside. */
function fullAddPointer(): string {
  const ours = fs.readFileSync(abs(POINTER), 'utf8');
  for (const sub of ['hooks', 'state']) fs.rmSync(mvgitDir(sub), { recursive: true, force: true });
  expect(mvgitOk(repo, ['add', 'data/ds'])).toContain('unchanged');
  return ours;
}

test('an edit in place gives the pointer a full add gives, and the memo becomes the record', async () => {
  await remembered();
  fs.writeFileSync(abs('data/ds/2/part-6.csv'), 'row,six,edited\n');
  fs.writeFileSync(abs('data/ds/run.sh'), '#!/bin/sh\necho edited\n');
  fs.chmodSync(abs('data/ds/0/part-0.csv'), 0o755); // a mode change alone: same bytes, now executable
  await settle();
  expect(mvgitOk(repo, ['add', 'data/ds'])).toContain('added');
  const [record] = fs.readdirSync(mvgitDir('state'));
  expect(JSON.parse(fs.readFileSync(path.join(mvgitDir('state'), record), 'utf8'))).toMatchObject({ memo: true });
  const pointer = fs.readFileSync(abs(POINTER), 'utf8');
  expect(mvgitOk(repo, ['status'])).toContain('up-to-date');
  expect(fullAddPointer()).toBe(pointer);
  expect(fs.readFileSync(abs(POINTER), 'utf8')).toBe(pointer);
});

test('git checkout between the versions restores the edited file from the record the memo holds', async () => {
  await remembered();
  const before = sha256(fs.readFileSync(abs('data/ds/1/part-5.csv')));
  fs.writeFileSync(abs('data/ds/1/part-5.csv'), 'row,five,v2\n');
  await settle();
  mvgitOk(repo, ['add', 'data/ds']);
  git(repo, ['add', POINTER]);
  expect(gitResult(repo, ['commit', '-q', '-m', 'v2']).code).toBe(0);
  expect(gitResult(repo, ['checkout', '-q', 'HEAD~1']).code).toBe(0);
  expect(sha256(fs.readFileSync(abs('data/ds/1/part-5.csv')))).toBe(before);
  expect(gitResult(repo, ['checkout', '-q', '-']).code).toBe(0);
  expect(fs.readFileSync(abs('data/ds/1/part-5.csv'), 'utf8')).toBe('row,five,v2\n');
  expect(mvgitOk(repo, ['status'])).toContain('up-to-date');
});

test('the pre-commit hook records an edit the memo names', async () => {
  await remembered();
  fs.writeFileSync(abs('data/ds/3/part-7.csv'), bytes(3000, 7));
  await settle();
  // Plain git sees nothing staged (the dataset is out of its index): mvgit commit runs the hook.
  mvgitOk(repo, ['commit', '-q', '-m', 'v2']);
  expect(git(repo, ['status', '--porcelain'])).toBe('');
  expect(git(repo, ['log', '--format=%s', '-1', '--', POINTER]).trim()).toBe('v2');
  // Recorded from the memo (no walk): the stat cache now points at it.
  const [record] = fs.readdirSync(mvgitDir('state'));
  expect(JSON.parse(fs.readFileSync(path.join(mvgitDir('state'), record), 'utf8'))).toMatchObject({ memo: true });
  expect(fs.readFileSync(abs(POINTER), 'utf8')).toBe(fullAddPointer());
});

test('an edit too recent to vouch for itself is recorded all the same, and hashed again next time', async () => {
  await remembered();
  fs.writeFileSync(abs('data/ds/0/part-4.csv'), 'row,four,now\n');
  mvgitOk(repo, ['add', 'data/ds']); // within the racy window: no memo can hold this file's stats
  const pointer = fs.readFileSync(abs(POINTER), 'utf8');
  await settle();
  expect(mvgitOk(repo, ['status'])).toContain('up-to-date');
  expect(fullAddPointer()).toBe(pointer);
});

describe('a first add', () => {
  /** A 30-file dataset added once (no commit), its files old enough to vouch for themselves. */
  async function added(): Promise<string> {
    repo = makeHookedRepo();
    for (let i = 0; i < 30; i++) writeFile(repo, `data/ds/${i % 3}/part-${i}.csv`, `row,${i}\n`);
    await settle();
    mvgitOk(repo, ['add', 'data/ds']);
    return fs.readFileSync(abs(POINTER), 'utf8');
  }

  test('remembers the folder, so the first status reads no stat cache and walks nothing', async () => {
    await added();
    const [record] = fs.readdirSync(mvgitDir('state'));
    expect(JSON.parse(fs.readFileSync(path.join(mvgitDir('state'), record), 'utf8'))).toMatchObject({ memo: true });
    fs.rmSync(mvgitDir('state'), { recursive: true });
    expect(mvgitOk(repo, ['status'])).toContain('up-to-date');
    expect(mvgitOk(repo, ['status'])).toContain('up-to-date');
    expect(fs.existsSync(mvgitDir('state'))).toBe(false);
  });

  test('an object deleted from the cache by hand is still reported by the first status', async () => {
    await added();
    const hex = sha256(Buffer.from('row,4\n'));
    fs.rmSync(objectFile(repo, hex), { force: true });
    const r = mvgit(repo, ['status', '--json']);
    const [ds] = JSON.parse(r.stdout);
    expect(ds).toMatchObject({ path: 'data/ds', status: 'not-in-cache', notInCache: [hex] });
  });
});
