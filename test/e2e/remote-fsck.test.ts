/**
 * `mvgit fsck --remote` as a user runs it, against a folder remote: what it prints, its exit
 * codes and JSON, and that its memory stays flat on an object larger than it could hold.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  bytes,
  CLI,
  cleanup,
  git,
  makeGitRepo,
  mvgit,
  mvgitOk,
  objectFile,
  sha256,
  tempDir,
  testEnv,
  writeFile,
} from '../helpers/repo.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-e2e-fsck-remote-');
});
afterEach(() => cleanup(base));

const MODEL = bytes(80_000, 3);
const HEX = sha256(MODEL);

function remoteObject(store: string, hex: string): string {
  return path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
}

/** A repo whose model is pushed to a folder remote. */
function pushedRepo(model: Buffer | null = MODEL): { a: string; store: string } {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  const store = path.join(base, 'store');
  mvgitOk(a, ['init', '--remote', store]);
  if (model) writeFile(a, 'models/m.bin', model);
  mvgitOk(a, ['add', 'models/m.bin', '--kind', 'model']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'model']);
  mvgitOk(a, ['push']);
  return { a, store };
}

function flipBit(file: string): void {
  fs.chmodSync(file, 0o644);
  const fd = fs.openSync(file, 'r+');
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, 100);
  b[0] ^= 0x01;
  fs.writeSync(fd, b, 0, 1, 100);
  fs.closeSync(fd);
}

test('a flipped bit on the remote: fsck --remote exits 1 and names it; --repair mends it', () => {
  const { a, store } = pushedRepo();
  flipBit(remoteObject(store, HEX));
  expect(mvgitOk(a, ['push'])).toContain('Everything is already on the remote');

  const r = mvgit(a, ['fsck', '--remote']);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain(
    `corrupt: models/m.bin (sha256:${HEX}): its ${MODEL.length} bytes on remote 'origin' hash to`,
  );
  expect(r.stderr).toContain(
    `error: 1 corrupt object on remote 'origin' (${store}):\n  models/m.bin (${HEX.slice(0, 12)}):`,
  );
  expect(r.stderr).toContain("hint: run 'mvgit fsck --remote --repair' to upload good copies from the cache\n");

  const j = mvgit(a, ['fsck', '--remote', '-r', 'origin', '--json']);
  expect(j.code).toBe(1);
  const err = JSON.parse(j.stdout).error;
  expect(err.code).toBe('OBJECT_CORRUPT');
  expect(err.hint).toBe("run 'mvgit fsck --remote -r origin --repair' to upload good copies from the cache");
  expect(err.data.report.corrupt).toEqual([{ oid: `sha256:${HEX}`, path: 'models/m.bin', reason: expect.any(String) }]);

  const fixed = mvgit(a, ['fsck', '--remote', '--repair']);
  expect(fixed.code).toBe(0);
  expect(fixed.stdout).toContain(`repaired: sha256:${HEX}\nRepaired 1 object(s) on remote 'origin' from the cache.`);
  expect(sha256(fs.readFileSync(remoteObject(store, HEX)))).toBe(HEX);
  const clean = mvgit(a, ['fsck', '--remote', '--json']);
  expect(clean.code).toBe(0);
  expect(JSON.parse(clean.stdout)).toMatchObject({
    remote: 'origin',
    checked: 1,
    corrupt: [],
    missing: [],
    repaired: [],
  });
});

test('--repair with a bad cache copy says so and exits 1, leaving the remote copy alone', () => {
  const { a, store } = pushedRepo();
  flipBit(remoteObject(store, HEX));
  flipBit(objectFile(a, HEX));
  const r = mvgit(a, ['fsck', '--remote', '--repair']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    `error: 1 bad object on remote 'origin' (${store}) could not be repaired:\n  models/m.bin (${HEX.slice(0, 12)}): the local cache copy is corrupt too`,
  );
  expect(r.stderr).toContain("hint: run 'mvgit fsck --remote --repair' from a clone whose cache has good copies");
});

test('paths and scope options without --remote are a usage error', () => {
  const { a } = pushedRepo();
  const r = mvgit(a, ['fsck', 'models']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('go with --remote');
});

test('memory stays flat: a 256 MiB object is hashed as it streams', () => {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  const fd = fs.openSync(path.join(a, 'big.bin'), 'w');
  const block = Buffer.allocUnsafe(8 << 20);
  for (let i = 0; i < 32; i++) fs.writeSync(fd, randomFillSync(block));
  fs.closeSync(fd);
  const { a: repo } = pushedRepoAt(a, 'big.bin');
  // The child reports its peak resident memory as it exits.
  const rssFile = path.join(base, 'rss');
  const preload = path.join(base, 'rss.cjs');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`,
  );
  const r = spawnSync(process.execPath, ['--require', preload, CLI, 'fsck', '--remote'], {
    cwd: repo,
    env: testEnv(),
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('checked 1 object(s)');
  const peakMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  expect(peakMiB).toBeLessThan(160);
}, 120_000);

/** Like pushedRepo, for a file already written in `a`. */
function pushedRepoAt(a: string, file: string): { a: string } {
  makeGitRepo(a);
  mvgitOk(a, ['init', '--remote', path.join(base, 'store')]);
  mvgitOk(a, ['add', file]);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'big']);
  mvgitOk(a, ['push']);
  return { a };
}
