import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyFlags, copyInto, storeFile, storeTempDir } from '../../src/core/store/file-ops.js';
import { objectPath, SEAL_SECONDS } from '../../src/base/object-layout.js';
import { bytes, cleanup, tempDir } from '../helpers/repo.js';

/** Large files (over 8 MiB) are copied by the kernel into a temp object, and the copy is hashed. */
describe('storing a large file', () => {
  let dir: string;
  let objects: string;
  const BIG = (8 << 20) + 12345;
  beforeEach(() => {
    dir = tempDir();
    objects = path.join(dir, 'objects');
  });
  afterEach(() => {
    copyFlags.clone = fs.constants.COPYFILE_FICLONE;
    cleanup(dir);
  });

  const expectStored = (file: string, data: Buffer): void => {
    const hex = createHash('sha256').update(data).digest('hex');
    const stored = storeFile(objects, file, 'copy');
    expect(stored).toMatchObject({ hex, size: data.length, executable: false });
    expect(stored.key).not.toBeNull();
    const obj = objectPath(objects, hex);
    expect(fs.readFileSync(obj).equals(data)).toBe(true);
    const st = fs.statSync(obj);
    expect(st.mode & 0o777).toBe(0o444);
    expect(st.mtimeMs).toBe(SEAL_SECONDS * 1000);
    // No temp object is left behind.
    expect(fs.readdirSync(storeTempDir(objects))).toEqual([]);
  };

  test('copy mode stores the bytes under their sha256, read-only and sealed', () => {
    const file = path.join(dir, 'model.bin');
    const data = bytes(BIG, 3);
    fs.writeFileSync(file, data);
    expectStored(file, data);
    // A second add of the same content finds the sealed object and drops its copy.
    expectStored(file, data);
  });

  test('where the file system refuses the kernel copy, a buffered copy stores the same object', () => {
    // FICLONE_FORCE fails on a file system that cannot clone (ext4, tmpfs: ENOTSUP), which is
    // how the fallback of network and FUSE file systems is reached here; where it can clone
    // (btrfs, xfs), the clone is the path taken, and the result must be the same.
    copyFlags.clone = fs.constants.COPYFILE_FICLONE_FORCE;
    const file = path.join(dir, 'model.bin');
    const data = bytes(BIG, 9);
    fs.writeFileSync(file, data);
    expectStored(file, data);
  });

  test('copyInto never overwrites an existing file', () => {
    fs.writeFileSync(path.join(dir, 'a'), 'new');
    fs.writeFileSync(path.join(dir, 'b'), 'old');
    expect(() => copyInto(path.join(dir, 'a'), path.join(dir, 'b'))).toThrow(/EEXIST/);
    copyFlags.clone = fs.constants.COPYFILE_FICLONE_FORCE;
    expect(() => copyInto(path.join(dir, 'a'), path.join(dir, 'b'))).toThrow(/EEXIST/);
    expect(fs.readFileSync(path.join(dir, 'b'), 'utf8')).toBe('old');
  });
});
