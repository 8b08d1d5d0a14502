/**
 * A folder whose every file matches its stat-cache record is reported up-to-date without the
 * full scan (src/core/workspace/quick-check.ts); anything else the quick check cannot vouch for
 * still gets the full scan's answer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import { cleanup, makeGitRepo, writeFile } from '../helpers/repo.js';

let repo: string;
let ws: Workspace;

/** Writes a file with an mtime a minute old, so its fingerprint is not racy and gets recorded. */
const writeOld = (rel: string, text: string): void => {
  writeFile(repo, rel, text);
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(path.join(repo, rel), old, old);
};
const summary = async (): Promise<unknown> =>
  (await status(ws, { cwd: repo })).map((s) => ({ path: s.path, status: s.status, changes: s.changes }));

beforeEach(async () => {
  repo = makeGitRepo();
  init(repo);
  ws = await openWorkspace({ cwd: repo, link: 'copy' });
  writeOld('ds/a.csv', 'a');
  writeOld('ds/sub/b.csv', 'b');
  await addPaths(ws, ['ds'], { cwd: repo });
});
afterEach(() => cleanup(repo));

const none = { added: [], modified: [], deleted: [] };

test('an unchanged folder is up-to-date, twice (the second from the record alone)', async () => {
  expect(await summary()).toEqual([{ path: 'ds', status: 'up-to-date', changes: none }]);
  expect(await summary()).toEqual([{ path: 'ds', status: 'up-to-date', changes: none }]);
});

test('a file added, removed or edited after the record is still seen', async () => {
  writeOld('ds/sub/c.csv', 'c');
  expect(await summary()).toEqual([
    { path: 'ds', status: 'modified', changes: { added: ['sub/c.csv'], modified: [], deleted: [] } },
  ]);
  fs.rmSync(path.join(repo, 'ds/sub/c.csv'));
  fs.rmSync(path.join(repo, 'ds/a.csv'));
  expect(await summary()).toEqual([
    { path: 'ds', status: 'modified', changes: { added: [], modified: [], deleted: ['a.csv'] } },
  ]);
});

test('a file named like an Object property is not taken for a recorded one', async () => {
  writeOld('ds/constructor', 'x');
  expect(await summary()).toEqual([
    { path: 'ds', status: 'modified', changes: { added: ['constructor'], modified: [], deleted: [] } },
  ]);
});

test('a symlink in place of a recorded file gets the full scan', async () => {
  fs.rmSync(path.join(repo, 'ds/a.csv'));
  fs.symlinkSync('sub/b.csv', path.join(repo, 'ds/a.csv'));
  expect(await summary()).toEqual([
    { path: 'ds', status: 'modified', changes: { added: [], modified: ['a.csv'], deleted: [] } },
  ]);
});
