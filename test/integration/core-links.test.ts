/**
 * Work-tree links: copy, hardlink, symlink (and auto). Each must give the user their data
 * back, and hardlinked or symlinked files must be read-only so an edit cannot reach the cache.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { checkout } from '../../src/core/workspace/checkout.js';
import type { LinkMode } from '../../src/core/repo/config.js';
import { openWorkspace, type ProgressEvent, type Workspace } from '../../src/core/repo/workspace.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import {
  ageFiles,
  bytes,
  cacheObjects,
  cleanup,
  git,
  makeGitRepo,
  objectFile,
  sha256,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
beforeEach(() => {
  repo = makeGitRepo();
  init(repo);
});
afterEach(() => cleanup(repo));

const abs = (rel: string): string => path.join(repo, rel);
const BIG = bytes(9 << 20, 11); // above the size add reads whole: the streaming path
const SMALL = Buffer.from('small model');

async function addAll(mode: LinkMode): Promise<Workspace> {
  const ws = await openWorkspace({ cwd: repo, link: mode });
  writeFile(repo, 'big.bin', BIG);
  writeFile(repo, 'small.bin', SMALL);
  writeFile(repo, 'data/a.txt', 'a');
  writeFile(repo, 'data/sub/b.txt', 'b');
  ageFiles(repo);
  await addPaths(ws, ['big.bin', 'small.bin', 'data'], { cwd: repo });
  return ws;
}

/** How a work-tree file relates to its object. */
function relation(rel: string, content: Buffer | string): 'copy' | 'hardlink' | 'symlink' {
  const obj = objectFile(repo, sha256(content));
  const lst = fs.lstatSync(abs(rel));
  expect(fs.readFileSync(abs(rel)).equals(Buffer.from(content))).toBe(true);
  if (lst.isSymbolicLink()) {
    expect(fs.realpathSync(abs(rel))).toBe(fs.realpathSync(obj));
    return 'symlink';
  }
  return lst.ino === fs.statSync(obj).ino ? 'hardlink' : 'copy';
}

const everything: [string, Buffer | string][] = [
  ['big.bin', BIG],
  ['small.bin', SMALL],
  ['data/a.txt', 'a'],
  ['data/sub/b.txt', 'b'],
];

async function allUpToDate(ws: Workspace): Promise<number> {
  let hashed = 0;
  const st = await status(ws, { onProgress: (e: ProgressEvent) => (hashed += e.phase === 'hash' ? 1 : 0) });
  expect(st.map((s) => s.status)).toEqual(['up-to-date', 'up-to-date', 'up-to-date']);
  return hashed;
}

describe.each(['copy', 'hardlink', 'symlink'] as const)('link mode %s', (mode) => {
  test('add links the work tree to the cache, status is up to date without re-hashing', async () => {
    const ws = await addAll(mode);
    for (const [rel, content] of everything) expect(relation(rel, content)).toBe(mode);
    expect(cacheObjects(repo).every((o) => o.ok)).toBe(true);
    expect(await allUpToDate(ws)).toBe(0);
  });

  test('checkout after deleting everything restores it the same way', async () => {
    const ws = await addAll(mode);
    for (const rel of ['big.bin', 'small.bin', 'data']) fs.rmSync(abs(rel), { recursive: true });
    const outcomes = await checkout(ws);
    expect(outcomes.map((o) => o.result)).toEqual(['restored', 'restored', 'restored']);
    for (const [rel, content] of everything) expect(relation(rel, content)).toBe(mode);
    expect(await allUpToDate(ws)).toBe(0);
  });

  test(
    mode === 'copy'
      ? "copies are the user's to edit, objects stay read-only"
      : 'linked files are read-only, so an edit cannot reach the cache',
    async () => {
      await addAll(mode);
      for (const [rel, content] of everything) {
        const obj = objectFile(repo, sha256(content));
        expect(fs.statSync(obj).mode & 0o222).toBe(0);
        const writable = (fs.statSync(abs(rel)).mode & 0o222) !== 0;
        expect(writable).toBe(mode === 'copy');
      }
    },
  );
});

describe.each(['copy', 'hardlink', 'symlink'] as const)('link mode %s keeps the executable bit', (mode) => {
  test('add twice records the same thing; a checkout brings the bit back', async () => {
    const ws = await openWorkspace({ cwd: repo, link: mode });
    writeFile(repo, 'tools/run.sh', '#!/bin/sh\necho run\n');
    writeFile(repo, 'tools/README', 'docs');
    fs.chmodSync(abs('tools/run.sh'), 0o755);
    const [first] = await addPaths(ws, ['tools'], { cwd: repo });
    expect(fs.statSync(abs('tools/run.sh')).mode & 0o111).not.toBe(0);
    const [again] = await addPaths(ws, ['tools'], { cwd: repo });
    expect(again).toMatchObject({ oid: first.oid, changed: false });
    fs.rmSync(abs('tools'), { recursive: true });
    await checkout(ws);
    expect(fs.statSync(abs('tools/run.sh')).mode & 0o111).not.toBe(0);
    expect(fs.statSync(abs('tools/README')).mode & 0o111).toBe(0);
    expect((await addPaths(ws, ['tools'], { cwd: repo }))[0]).toMatchObject({ oid: first.oid, changed: false });
  });
});

test('auto works on this file system (reflink where it can clone, else copy)', async () => {
  const ws = await addAll('auto');
  expect(['reflink', 'copy']).toContain(ws.mode);
  for (const [rel, content] of everything) expect(relation(rel, content)).toBe('copy');
  expect(await allUpToDate(ws)).toBe(0);
});

test('changing the link mode: the next checkout of a deleted file uses the new mode', async () => {
  await addAll('copy');
  fs.rmSync(abs('small.bin'));
  const ws = await openWorkspace({ cwd: repo, link: 'hardlink' });
  await checkout(ws);
  expect(relation('small.bin', SMALL)).toBe('hardlink');
  expect(relation('big.bin', BIG)).toBe('copy');
});

test('hardlink mode: a modified linked file is new content, the old object stays intact', async () => {
  const ws = await addAll('hardlink');
  // A user who forces their way past the read-only bit replaces the file (as editors do).
  fs.rmSync(abs('small.bin'));
  writeFile(repo, 'small.bin', 'retrained');
  expect((await status(ws))[2].status).toBe('modified');
  await addPaths(ws, ['small.bin'], { cwd: repo });
  expect(cacheObjects(repo).every((o) => o.ok)).toBe(true);
  expect(relation('small.bin', 'retrained')).toBe('hardlink');
});

test("symlink mode in a linked worktree: links into the shared cache are mvgit's own", async () => {
  git(repo, ['add', '.mvgit']);
  git(repo, ['commit', '-q', '-m', 'init']);
  const wt = `${repo}-wt`;
  git(repo, ['worktree', 'add', '-q', wt]);
  try {
    init(wt);
    const ws = await openWorkspace({ cwd: wt, link: 'symlink' });
    expect(ws.store.dir.startsWith(path.join(repo, '.git'))).toBe(true);
    writeFile(wt, 'data/a.txt', 'a');
    writeFile(wt, 'm.bin', 'm');
    await addPaths(ws, ['data', 'm.bin'], { cwd: wt });
    expect(fs.readlinkSync(path.join(wt, 'm.bin')).startsWith(path.join(repo, '.git'))).toBe(true);
    expect((await status(ws)).map((s) => s.status)).toEqual(['up-to-date', 'up-to-date']);
    expect((await addPaths(ws, ['data', 'm.bin'], { cwd: wt })).map((a) => a.changed)).toEqual([false, false]);
    fs.rmSync(path.join(wt, 'data'), { recursive: true });
    fs.rmSync(path.join(wt, 'm.bin'));
    expect((await checkout(ws)).map((o) => o.result)).toEqual(['restored', 'restored']);
    expect((await status(ws)).map((s) => s.status)).toEqual(['up-to-date', 'up-to-date']);
  } finally {
    cleanup(wt);
  }
});

test('hardlink mode: an object damaged through a link is replaced, never linked into another file', async () => {
  const ws = await openWorkspace({ cwd: repo, link: 'hardlink' });
  writeFile(repo, 'a.bin', 'original weights');
  await addPaths(ws, ['a.bin'], { cwd: repo });
  // Someone forces a write through the read-only link: the object's bytes change with it.
  fs.chmodSync(abs('a.bin'), 0o644);
  fs.writeFileSync(abs('a.bin'), 'tampered weights');
  expect(cacheObjects(repo).filter((o) => !o.ok)).toHaveLength(1);

  // Another file with the original content is added: it must keep its content.
  writeFile(repo, 'b.bin', 'original weights');
  await addPaths(ws, ['b.bin'], { cwd: repo });
  expect(fs.readFileSync(abs('b.bin'), 'utf8')).toBe('original weights');
  expect(fs.readFileSync(objectFile(repo, sha256('original weights')), 'utf8')).toBe('original weights');
  expect(fs.readFileSync(abs('a.bin'), 'utf8')).toBe('tampered weights');
});
