import fs from 'node:fs';
import path from 'node:path';
import { statKey } from '../../src/base/fs/stat-key.js';
import { createHash } from 'node:crypto';
import {
  decodeSnapshot,
  encodeSnapshot,
  hashAt,
  keyOf,
  restat,
  snapshotChanges,
  snapshotFromKeys,
  snapshotHolds,
} from '../../src/core/store/folder-snapshot.js';
import { cleanup, tempDir, writeFile } from '../helpers/repo.js';

type Walked = { rel: string; key: string; hex: string };
const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** What a walk hands status: each file's fingerprint and hash, in walk order, and each folder's. */
function walkKeys(root: string): { files: Walked[]; dirs: Record<string, string> } {
  const files: Walked[] = [];
  const dirs: Record<string, string> = {};
  const walk = (rel: string): void => {
    const abs = rel === '' ? root : `${root}/${rel}`;
    dirs[rel] = keyOf(abs)!;
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) walk(child);
      else files.push({ rel: child, key: statKey(fs.lstatSync(`${root}/${child}`)), hex: sha(`${root}/${child}`) });
    }
  };
  walk('');
  return { files, dirs };
}

describe('snapshotFromKeys', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
    writeFile(dir, 'a/1.bin', 'one');
    writeFile(dir, 'b/2.bin', 'two');
    writeFile(dir, 'top.bin', 'top');
  });
  afterEach(() => cleanup(dir));

  test("a snapshot made from a walk's fingerprints holds until a file changes", () => {
    const { files, dirs } = walkKeys(dir);
    const snap = snapshotFromKeys(files, dirs, false, Date.now() + 60_000);
    expect(snap).not.toBeNull();
    expect(snap?.files).toEqual(files.map((f) => f.rel));
    expect(snapshotHolds(dir, snap!)).toBe(true);
    const file = path.join(dir, 'b/2.bin');
    const { atime, mtime } = fs.statSync(file);
    fs.writeFileSync(file, 'TWO');
    fs.utimesSync(file, atime, mtime);
    expect(snapshotHolds(dir, snap!)).toBe(false);
  });

  test('a file added to a folder breaks it through the folder fingerprint', () => {
    const { files, dirs } = walkKeys(dir);
    const snap = snapshotFromKeys(files, dirs, false, Date.now() + 60_000)!;
    writeFile(dir, 'a/new.bin', 'new');
    expect(snapshotHolds(dir, snap)).toBe(false);
  });

  test('fingerprints younger than the racy window vouch for nothing', () => {
    const { files, dirs } = walkKeys(dir);
    const newest = Math.max(...files.map((f) => Number(f.key.split(':')[3])));
    expect(snapshotFromKeys(files, dirs, false, newest + 10)).toBeNull();
    expect(
      snapshotFromKeys([{ rel: 'x', key: 'not a key', hex: 'a'.repeat(64) }], {}, false, Date.now() + 60_000),
    ).toBeNull();
  });

  test('names the files edited in place, and only up to a limit', () => {
    const { files, dirs } = walkKeys(dir);
    const snap = snapshotFromKeys(files, dirs, false, Date.now() + 60_000)!;
    expect(snapshotChanges(dir, snap)).toEqual([]);
    const edited = files.findIndex((f) => f.rel === 'b/2.bin');
    fs.writeFileSync(path.join(dir, 'b/2.bin'), 'TWO!');
    expect(snapshotChanges(dir, snap)).toEqual([edited]);
    expect(snapshotChanges(dir, snap, 0)).toBeNull();
    expect(hashAt(snap, edited)).toBe(files[edited].hex);
    // A file gone changes its folder: the snapshot can no longer say which files differ.
    fs.rmSync(path.join(dir, 'a/1.bin'));
    expect(snapshotChanges(dir, snap)).toBeNull();
  });

  test('a touched file takes its new stats unless they are too recent to vouch for it', () => {
    const { files, dirs } = walkKeys(dir);
    const snap = snapshotFromKeys(files, dirs, false, Date.now() + 60_000)!;
    const i = files.findIndex((f) => f.rel === 'top.bin');
    const file = path.join(dir, 'top.bin');
    fs.utimesSync(file, new Date(), new Date());
    const st = fs.lstatSync(file);
    expect(restat(snap, i, st, st.ctimeMs + 5)).toBe(false);
    expect(snapshotChanges(dir, snap)).toEqual([i]);
    expect(restat(snap, i, st, st.ctimeMs + 60_000)).toBe(true);
    expect(snapshotChanges(dir, snap)).toEqual([]);
  });
});

describe('encodeSnapshot / decodeSnapshot', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
    writeFile(dir, 'a/1.bin', 'one');
    writeFile(dir, 'ü n/2.bin', 'two');
  });
  afterEach(() => cleanup(dir));

  test('read back whole, wherever the bytes sit in memory', () => {
    const { files, dirs } = walkKeys(dir);
    const snap = snapshotFromKeys(files, dirs, false, Date.now() + 60_000)!;
    const bytes = Buffer.concat([...encodeSnapshot({ v: 2, oid: 'x' }, snap)]);
    // Shifted by one byte: the stats are then not 8-byte aligned and must be copied.
    const shifted = Buffer.concat([Buffer.from([0]), bytes]).subarray(1);
    for (const buf of [bytes, shifted]) {
      const back = decodeSnapshot(buf)!;
      expect(back.head).toMatchObject({ v: 2, oid: 'x', n: files.length });
      expect(back.snap.files).toEqual(snap.files);
      expect([...back.snap.stats]).toEqual([...snap.stats]);
      expect(files.map((_, i) => hashAt(back.snap, i))).toEqual(files.map((f) => f.hex));
      expect(snapshotChanges(dir, back.snap)).toEqual([]);
    }
  });

  test('names written in several pieces read back in order', () => {
    const n = 70_000;
    const files = Array.from({ length: n }, (_, i) => `d${i % 70}/f${i}.bin`);
    const snap = {
      dirs: {},
      files,
      stats: new Float64Array(n * 4).fill(1),
      hashes: Buffer.alloc(n * 32, 7),
      links: false,
      dev: 1,
    };
    const back = decodeSnapshot(Buffer.concat([...encodeSnapshot({ v: 2 }, snap)]))!;
    expect(back.snap.files).toEqual(files);
    expect(hashAt(back.snap, n - 1)).toBe('07'.repeat(32));
  });

  test('damaged or foreign bytes are no snapshot', () => {
    const { files, dirs } = walkKeys(dir);
    const bytes = Buffer.concat([
      ...encodeSnapshot({ v: 2 }, snapshotFromKeys(files, dirs, false, Date.now() + 60_000)!),
    ]);
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 40))).toBeNull();
    expect(decodeSnapshot(Buffer.from('{"v":1,"snapshot":{}}'))).toBeNull();
    expect(decodeSnapshot(Buffer.alloc(0))).toBeNull();
  });
});
