/**
 * `mvgit add` killed with SIGKILL at several points. After every kill the user's files are
 * byte-identical, no partial object is visible in the cache, and running add again finishes.
 */
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  cacheObjects,
  cleanup,
  fileSha,
  git,
  makeMvgitRepo,
  mvgit,
  mvgitKilledAfter,
  mvgitOk,
  objectFile,
  objectsDir,
  treeSnapshot,
  writeFile,
} from '../helpers/repo.js';
import { expectNoStrayFiles, killDelays, killedMidway as killedMidwayAt, resetAdd, timed } from '../helpers/kill.js';

const LONG = 120_000;
const BIG = 96 << 20;
const FILES = 1000;

/** status --json of every artifact, as [path, status]. */
const statuses = (repo: string): [string, string][] =>
  JSON.parse(mvgitOk(repo, ['status', '--json'])).map((s: { path: string; status: string }) => [s.path, s.status]);

describe('SIGKILL during add of one large file', () => {
  let repo: string;
  let before: Record<string, string>;
  let hex: string;
  let full: number;

  beforeAll(() => {
    repo = makeMvgitRepo();
    git(repo, ['add', '.mvgit']);
    git(repo, ['commit', '-q', '-m', 'init']);
    const fd = fs.openSync(path.join(repo, 'big.bin'), 'w');
    const block = Buffer.allocUnsafe(8 << 20);
    for (let i = 0; i < BIG / block.length; i++) fs.writeSync(fd, randomFillSync(block));
    fs.closeSync(fd);
    writeFile(repo, 'notes.txt', "the user's own file\n");
    before = treeSnapshot(repo);
    hex = fileSha(path.join(repo, 'big.bin'));
    full = timed(() => mvgitOk(repo, ['add', 'big.bin']));
    resetAdd(repo, ['big.bin']);
  }, LONG);
  afterAll(() => cleanup(repo));

  test(
    'at each delay: file intact, cache clean, a second add finishes',
    async () => {
      let killedMidway = 0;
      for (const ms of [...killDelays(full), 'failpoint' as const]) {
        if (ms === 'failpoint') {
          // A kill at a named step lands mid-add every time, whatever the machine's load.
          const r = mvgit(repo, ['add', 'big.bin'], { MVGIT_FAILPOINT: 'add:after-store:kill' });
          expect(r.code).toBe(-1);
          killedMidway++;
        } else {
          const k = await mvgitKilledAfter(repo, ['add', 'big.bin'], ms);
          if (killedMidwayAt(full, ms, k.killed)) killedMidway++;
        }
        const now = treeSnapshot(repo);
        expect(now).toMatchObject(before);
        expect(
          Object.keys(now).filter((p) => !(p in before) && p !== '.gitignore' && p !== 'big.bin.mvgit.yaml'),
        ).toEqual([]);
        expect(cacheObjects(repo).filter((o) => !o.ok)).toEqual([]);

        const r = mvgit(repo, ['add', 'big.bin']);
        expect({ ms, code: r.code, stderr: r.stderr }).toEqual({ ms, code: 0, stderr: '' });
        expect(statuses(repo)).toEqual([['big.bin', 'up-to-date']]);
        expect(fs.readFileSync(path.join(repo, 'big.bin.mvgit.yaml'), 'utf8')).toContain(
          `oid: sha256:${hex}\nsize: ${BIG}\n`,
        );
        expect(fs.statSync(objectFile(repo, hex)).size).toBe(BIG);
        // No partial copy of the file is left to fill the disk.
        expect(fs.readdirSync(path.join(objectsDir(repo), 'tmp'))).toEqual([]);
        expectNoStrayFiles(repo, ['.gitignore', 'big.bin.mvgit.yaml', 'notes.txt']);
        resetAdd(repo, ['big.bin']);
      }
      // The delays are fractions of a full run, so some kills land while the file is stored; the
      // failpoint guarantees one under any load.
      expect(killedMidway).toBeGreaterThanOrEqual(1);
    },
    LONG,
  );
});

describe('SIGKILL during add of a folder of many files', () => {
  let repo: string;
  let before: Record<string, string>;
  let full: number;

  beforeAll(() => {
    repo = makeMvgitRepo();
    git(repo, ['add', '.mvgit']);
    git(repo, ['commit', '-q', '-m', 'init']);
    const buf = Buffer.allocUnsafe(1024);
    for (let i = 0; i < FILES; i++) writeFile(repo, `images/${i % 30}/img-${i}.bin`, randomFillSync(buf));
    fs.chmodSync(path.join(repo, 'images/0/img-0.bin'), 0o755);
    before = treeSnapshot(repo);
    full = timed(() => mvgitOk(repo, ['add', 'images', '--link', 'copy']));
    resetAdd(repo, ['images']);
  }, LONG);
  afterAll(() => cleanup(repo));

  test.each([
    ['copy', (full: number) => killDelays(full)],
    ['hardlink', (full: number) => killDelays(full).slice(2)],
  ] as const)(
    'link mode %s: at each delay: files intact, cache clean, a second add finishes',
    async (mode, delays) => {
      let killedMidway = 0;
      // The timed kills land where the machine's load puts them; the last one, at a named step
      // (a failpoint), lands mid-add every time.
      for (const ms of [...delays(full), 'failpoint' as const]) {
        if (ms === 'failpoint') {
          const r = mvgit(repo, ['add', 'images', '--link', mode], { MVGIT_FAILPOINT: 'add:after-store:kill' });
          expect(r.code).toBe(-1); // killed by the signal: no exit code
          killedMidway++;
        } else {
          const k = await mvgitKilledAfter(repo, ['add', 'images', '--link', mode], ms);
          if (killedMidwayAt(full, ms, k.killed)) killedMidway++;
        }
        // Same bytes, same executable bit (hard links only make the files read-only); at most
        // the pointer and the .gitignore line are new, when the kill came after them.
        const now = treeSnapshot(repo);
        expect(now).toMatchObject(before);
        expect(
          Object.keys(now).filter((p) => !(p in before) && p !== '.gitignore' && p !== 'images.mvgit.yaml'),
        ).toEqual([]);
        expect(cacheObjects(repo).filter((o) => !o.ok)).toEqual([]);

        const r = mvgit(repo, ['add', 'images', '--link', mode]);
        expect({ ms, code: r.code, stderr: r.stderr }).toEqual({ ms, code: 0, stderr: '' });
        expect(statuses(repo)).toEqual([['images', 'up-to-date']]);
        const objs = cacheObjects(repo);
        expect(objs.filter((o) => !o.ok)).toEqual([]);
        expect(objs).toHaveLength(FILES + 1);
        expectNoStrayFiles(repo, ['.gitignore', 'images.mvgit.yaml']);
        resetAdd(repo, ['images']);
      }
      // Every delay's invariants held; the failpoint guarantees one kill mid-add under any load.
      expect(killedMidway).toBeGreaterThanOrEqual(1);
    },
    LONG,
  );
});
