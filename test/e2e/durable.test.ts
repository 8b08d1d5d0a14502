/**
 * cache.fsync: with it on, a command that wrote ends with one sync of the file systems of the
 * cache and the work tree (`sync -f`), not one per file; with it off (the default), none. A
 * `sync` on PATH that logs its arguments shows what mvgit asked for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, makeGitRepo, mvgitOk, tempDir, writeExecutable, writeFile } from '../helpers/repo.js';

let base: string;
let repo: string;
let log: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  base = tempDir('mvgit-durable-');
  repo = path.join(base, 'r');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  mvgitOk(repo, ['init', '--no-hooks']);
  log = path.join(base, 'sync.log');
  writeExecutable(base, 'bin/sync', `#!/bin/sh\necho "$@" >> '${log}'\n`);
  env = { PATH: `${path.join(base, 'bin')}:${process.env.PATH}` };
  for (let i = 0; i < 50; i++) writeFile(repo, `data/f${i}.csv`, `${i}\n`);
});
afterEach(() => cleanup(base));

const syncs = (): string[] => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);

test('off by default: add and checkout sync nothing', () => {
  mvgitOk(repo, ['add', 'data'], env);
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  mvgitOk(repo, ['checkout'], env);
  expect(syncs()).toEqual([]);
});

test('on: one sync of the cache and the work tree per command, whatever the number of files', () => {
  mvgitOk(repo, ['config', 'cache.fsync', 'true']);
  mvgitOk(repo, ['add', 'data'], env);
  const cache = path.join(fs.realpathSync(repo), '.git', 'mvgit', 'cache', 'objects', 'sha256');
  expect(syncs()).toEqual([`-f ${cache} ${fs.realpathSync(repo)}`]);
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  mvgitOk(repo, ['checkout'], env);
  expect(syncs()).toHaveLength(2);
  expect(fs.readdirSync(path.join(repo, 'data'))).toHaveLength(50);
});
