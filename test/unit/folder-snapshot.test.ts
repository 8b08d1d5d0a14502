import fs from 'node:fs';
import path from 'node:path';
import { statKey } from '../../src/base/fs/stat-key.js';
import { keyOf, snapshotFromKeys, snapshotHolds } from '../../src/core/workspace/folder-snapshot.js';
import { cleanup, tempDir, writeFile } from '../helpers/repo.js';

/** What a walk hands status: each file's fingerprint, in walk order, and each folder's. */
function walkKeys(root: string): { files: { rel: string; key: string }[]; dirs: Record<string, string> } {
  const files: { rel: string; key: string }[] = [];
  const dirs: Record<string, string> = {};
  const walk = (rel: string): void => {
    const abs = rel === '' ? root : `${root}/${rel}`;
    dirs[rel] = keyOf(abs)!;
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) walk(child);
      else files.push({ rel: child, key: statKey(fs.lstatSync(`${root}/${child}`)) });
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
    const snap = snapshotFromKeys(files, dirs, Date.now() + 60_000);
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
    const snap = snapshotFromKeys(files, dirs, Date.now() + 60_000)!;
    writeFile(dir, 'a/new.bin', 'new');
    expect(snapshotHolds(dir, snap)).toBe(false);
  });

  test('fingerprints younger than the racy window vouch for nothing', () => {
    const { files, dirs } = walkKeys(dir);
    const newest = Math.max(...files.map((f) => Number(f.key.split(':')[3])));
    expect(snapshotFromKeys(files, dirs, newest + 10)).toBeNull();
    expect(snapshotFromKeys([{ rel: 'x', key: 'not a key' }], {}, Date.now() + 60_000)).toBeNull();
  });
});
