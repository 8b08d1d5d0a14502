/**
 * Hardlink mode with a folder remote on the same file system: the remote is a backup, so it
 * holds its own copy of every object, never a hard link to the cache (which in hardlink mode
 * is the work-tree file itself). A write through the work file as root, who ignores the
 * read-only bit, must leave the remote's copy whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytes, cleanup, git, makeGitRepo, mvgitOk, objectFile, sha256, tempDir, writeFile } from '../helpers/repo.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-e2e-hardlink-');
});
afterEach(() => cleanup(base));

const MODEL = bytes(120_000, 5);
const HEX = sha256(MODEL);

function remoteObject(store: string, hex: string): string {
  return path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
}

/** Repo A in hardlink mode, a model added and committed, its default remote a folder beside it. */
function hardlinkRepo(): { a: string; store: string } {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  const store = path.join(base, 'store');
  mvgitOk(a, ['init', '--remote', store]);
  mvgitOk(a, ['config', 'cache.link', 'hardlink']);
  writeFile(a, 'models/m.bin', MODEL);
  mvgitOk(a, ['add', 'models/m.bin', '--kind', 'model']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'model']);
  return { a, store };
}

function clone(a: string, name: string): string {
  const dir = path.join(base, name);
  git(base, ['clone', '-q', a, dir]);
  mvgitOk(dir, ['init']);
  return dir;
}

/** Writes over a read-only file in place, as root can (and as any tool run by root does). */
function overwriteInPlace(file: string, data: Buffer): void {
  // Not root: make it writable first, which is what a user's tool would do; the inode is the same.
  if (process.getuid?.() !== 0) fs.chmodSync(file, 0o644);
  fs.writeFileSync(file, data);
}

test('push gives the remote its own copy: overwriting the work file as root leaves the backup whole', () => {
  const { a, store } = hardlinkRepo();
  mvgitOk(a, ['push']);
  const work = fs.statSync(path.join(a, 'models/m.bin'));
  const cached = fs.statSync(objectFile(a, HEX));
  const remote = fs.statSync(remoteObject(store, HEX));
  // Hardlink mode is on: the work file is the cache object.
  expect(work.ino).toBe(cached.ino);
  expect(remote.dev).toBe(cached.dev);
  expect(remote.ino).not.toBe(cached.ino);
  expect(remote.nlink).toBe(1);
  expect((remote.mode & 0o777).toString(8)).toBe('444');

  overwriteInPlace(path.join(a, 'models/m.bin'), Buffer.alloc(MODEL.length, 0x55));
  expect(sha256(fs.readFileSync(objectFile(a, HEX)))).not.toBe(HEX); // the cache went with it
  expect(sha256(fs.readFileSync(remoteObject(store, HEX)))).toBe(HEX);

  const b = clone(a, 'b');
  mvgitOk(b, ['pull']);
  expect(sha256(fs.readFileSync(path.join(b, 'models/m.bin')))).toBe(HEX);
});

test('fetch from a folder remote copies into the cache: a write in the clone leaves the remote whole', () => {
  const { a, store } = hardlinkRepo();
  mvgitOk(a, ['push']);
  const b = clone(a, 'b');
  mvgitOk(b, ['pull']);
  const fetched = fs.statSync(objectFile(b, HEX));
  const remote = fs.statSync(remoteObject(store, HEX));
  expect(fs.statSync(path.join(b, 'models/m.bin')).ino).toBe(fetched.ino); // B is in hardlink mode too
  expect(fetched.ino).not.toBe(remote.ino);
  expect(remote.nlink).toBe(1);

  overwriteInPlace(path.join(b, 'models/m.bin'), Buffer.alloc(MODEL.length, 0x66));
  expect(sha256(fs.readFileSync(remoteObject(store, HEX)))).toBe(HEX);
  const c = clone(a, 'c');
  mvgitOk(c, ['pull']);
  expect(sha256(fs.readFileSync(path.join(c, 'models/m.bin')))).toBe(HEX);
});
