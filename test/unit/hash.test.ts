import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CHUNK, hashFile, hashFileSync, sha256Hex } from '../../src/base/hash.js';
import { bytes, cleanup, fileSha, tempDir } from '../helpers/repo.js';

describe('sha256 hashing', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => cleanup(dir));

  test('known digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test.each([
    ['empty', 0],
    ['one byte', 1],
    ['exactly one chunk', CHUNK],
    ['one chunk and a byte', CHUNK + 1],
    ['several chunks and a tail', 2 * CHUNK + 12345],
  ])('streams a file (%s) to the same digest as sha256sum', async (_what, size) => {
    const file = path.join(dir, `f-${size}`);
    const data = bytes(size, size + 7);
    fs.writeFileSync(file, data);
    const expected = createHash('sha256').update(data).digest('hex');
    expect(fileSha(file)).toBe(expected);
    let seen = 0;
    const r = await hashFile(file, (n) => (seen += n));
    expect(r).toEqual({ hex: expected, size });
    expect(seen).toBe(size);
    expect(hashFileSync(file)).toEqual({ hex: expected, size });
  });

  test('a missing file is an ENOENT error, not a digest', async () => {
    await expect(hashFile(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => hashFileSync(path.join(dir, 'nope'))).toThrow(/ENOENT/);
  });
});
