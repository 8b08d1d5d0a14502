/**
 * Status at scale: a folder found whole and in step with its pointer is remembered (a snapshot
 * of its folders' and files' stats, folder-memo.ts), so the next status answers with one stat
 * per file and no stat cache; anything that changed since must still show. An edit of a few
 * files leaves the (large) stat cache as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import { cleanup, git, makeGitRepo, writeFile } from '../helpers/repo.js';

let repo: string;
let ws: Workspace;

const open = (): Promise<Workspace> => openWorkspace({ cwd: repo, link: 'copy' });
// Stats younger than the racy window (25 ms) are not trusted, so nothing would be remembered.
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));
const dirFiles = (sub: string): string[] =>
  fs.existsSync(path.join(repo, '.git', 'mvgit', sub)) ? fs.readdirSync(path.join(repo, '.git', 'mvgit', sub)) : [];
const changes = async (): Promise<unknown> => {
  const [ds] = await status(ws);
  return { status: ds.status, changes: ds.changes };
};
const clean = { status: 'up-to-date', changes: { added: [], modified: [], deleted: [] } };

beforeEach(async () => {
  repo = makeGitRepo();
  init(repo);
  ws = await open();
  writeFile(repo, 'ds/a/1.csv', 'one');
  writeFile(repo, 'ds/a/2.csv', 'two');
  writeFile(repo, 'ds/b/3.csv', 'three');
  writeFile(repo, 'ds/top.txt', 'top');
  await settle();
  await addPaths(ws, ['ds'], { cwd: repo });
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'ds']);
  // The first status remembers the folder; the second answers from the memo.
  expect(await changes()).toEqual(clean);
  expect(dirFiles('hooks')).toHaveLength(1);
  expect(await changes()).toEqual(clean);
});
afterEach(() => cleanup(repo));

describe('status of a remembered folder', () => {
  test('sees an edit that kept the size and the mtime', async () => {
    const file = path.join(repo, 'ds/a/1.csv');
    const { atime, mtime } = fs.statSync(file);
    fs.writeFileSync(file, 'ONE');
    fs.utimesSync(file, atime, mtime);
    expect(await changes()).toEqual({
      status: 'modified',
      changes: { added: [], modified: ['a/1.csv'], deleted: [] },
    });
  });

  test('sees a file added, one deleted and one renamed in subfolders', async () => {
    writeFile(repo, 'ds/b/4.csv', 'four');
    fs.rmSync(path.join(repo, 'ds/a/2.csv'));
    fs.renameSync(path.join(repo, 'ds/top.txt'), path.join(repo, 'ds/a/top.txt'));
    const got = (await status(ws))[0];
    expect(got.status).toBe('modified');
    expect({ ...got.changes, added: [...(got.changes?.added ?? [])].sort() }).toEqual({
      added: ['a/top.txt', 'b/4.csv'],
      modified: [],
      deleted: ['a/2.csv', 'top.txt'],
    });
  });

  test('sees a pointer file that changed under it (a checkout without hooks)', async () => {
    writeFile(repo, 'ds/a/1.csv', 'one, v2');
    await settle();
    await addPaths(ws, ['ds'], { cwd: repo });
    git(repo, ['commit', '-q', '-am', 'v2']);
    expect(await changes()).toEqual(clean);
    await changes(); // remembered at v2
    git(repo, ['checkout', '-q', 'HEAD~1', '--', 'ds.mvgit.yaml']);
    expect(await changes()).toEqual({
      status: 'modified',
      changes: { added: [], modified: ['a/1.csv'], deleted: [] },
    });
  });
});

describe('one file edited among many', () => {
  test('status reports it and leaves the stat cache as it was; add records it', async () => {
    const [stateFile] = dirFiles('state');
    const before = fs.readFileSync(path.join(repo, '.git', 'mvgit', 'state', stateFile), 'utf8');
    writeFile(repo, 'ds/b/3.csv', 'THREE!');
    for (let i = 0; i < 2; i++)
      expect(await changes()).toEqual({
        status: 'modified',
        changes: { added: [], modified: ['b/3.csv'], deleted: [] },
      });
    expect(fs.readFileSync(path.join(repo, '.git', 'mvgit', 'state', stateFile), 'utf8')).toBe(before);
    await settle();
    const [added] = await addPaths(ws, ['ds'], { cwd: repo });
    expect(added).toMatchObject({ path: 'ds', files: 4, changed: true });
    expect(await changes()).toEqual(clean);
  });
});

describe('files edited in place, named by the memo', () => {
  const stateDir = (): string => path.join(repo, '.git', 'mvgit', 'state');
  // The memo alone answers: the stat cache, removed here, is neither needed nor rewritten
  // (a status that walks would record every file it had to hash).
  const withoutStatCache = (): void => fs.rmSync(stateDir(), { recursive: true, force: true });

  test('an edit is found by hashing only that file', async () => {
    withoutStatCache();
    fs.writeFileSync(path.join(repo, 'ds/a/2.csv'), 'TWO');
    expect(await changes()).toEqual({ status: 'modified', changes: { added: [], modified: ['a/2.csv'], deleted: [] } });
    expect(fs.existsSync(stateDir())).toBe(false);
  });

  test('a touched file is up to date, and the memo takes its new stats', async () => {
    withoutStatCache();
    const file = path.join(repo, 'ds/b/3.csv');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(file, past, past);
    const memo = path.join(repo, '.git', 'mvgit', 'hooks', dirFiles('hooks')[0]);
    const before = fs.readFileSync(memo);
    await settle();
    expect(await changes()).toEqual(clean);
    expect(fs.readFileSync(memo).equals(before)).toBe(false);
    expect(await changes()).toEqual(clean);
    expect(fs.existsSync(stateDir())).toBe(false);
  });

  test('content the cache already has is left to the full status, which names the version', async () => {
    const file = path.join(repo, 'ds/a/1.csv');
    fs.writeFileSync(file, 'one, v2');
    await settle();
    await addPaths(ws, ['ds'], { cwd: repo });
    git(repo, ['commit', '-q', '-am', 'v2']);
    await changes(); // remembered at v2
    fs.writeFileSync(file, 'one');
    const [ds] = await status(ws);
    expect(ds.changes).toEqual({ added: [], modified: ['a/1.csv'], deleted: [] });
    expect(ds.holds?.version).toBeDefined();
    expect(ds.holds?.inCache).toBe(true);
  });
});
