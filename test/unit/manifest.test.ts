import { createHash } from 'node:crypto';
import { isMvgitError, type MvgitError } from '../../src/base/errors.js';
import {
  buildManifest,
  parseManifest,
  serializeManifest,
  type ManifestEntry,
} from '../../src/core/pointer/manifest.js';
import { fixtureCases, readFixture } from '../helpers/fixtures.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function manifestError(text: string): MvgitError {
  try {
    parseManifest(text, 'data/images (abc123)');
  } catch (err) {
    if (!isMvgitError(err, 'MANIFEST_INVALID')) throw err;
    expect(err.message).toContain('manifest data/images (abc123)');
    expect(err.hint).toBeTruthy();
    return err;
  }
  throw new Error('parseManifest accepted a bad manifest');
}

const line = (path: unknown, extra = ''): string => `{"path":${JSON.stringify(path)},"oid":"${A}","size":1${extra}}\n`;

describe('serializeManifest', () => {
  test('JSON lines sorted by path (byte order), fixed key order, x only where executable', () => {
    const entries: ManifestEntry[] = [
      { size: 2, oid: B, path: 'b/z.txt' },
      { path: 'B.txt', oid: A, size: 0 },
      { path: 'a.sh', oid: A, size: 10, x: true },
      { path: 'b/a.txt', oid: B, size: 3, x: false },
    ];
    expect(serializeManifest(entries).toString('utf8')).toBe(
      `{"path":"B.txt","oid":"${A}","size":0}\n` +
        `{"path":"a.sh","oid":"${A}","size":10,"x":true}\n` +
        `{"path":"b/a.txt","oid":"${B}","size":3}\n` +
        `{"path":"b/z.txt","oid":"${B}","size":2}\n`,
    );
  });

  test('the same files in any order give the same oid, which is the sha256 of the bytes', () => {
    const e1: ManifestEntry[] = [
      { path: 'x', oid: A, size: 1 },
      { path: 'y', oid: B, size: 2 },
    ];
    const m1 = buildManifest(e1);
    const m2 = buildManifest([...e1].reverse());
    expect(m1.hex).toBe(m2.hex);
    expect(m1.bytes.equals(m2.bytes)).toBe(true);
    expect(m1.hex).toBe(createHash('sha256').update(m1.bytes).digest('hex'));
  });

  test('non-ASCII and quote characters survive a round trip', () => {
    const entries: ManifestEntry[] = [
      { path: 'données/été "1".csv', oid: A, size: 1 },
      { path: 'tab\tname', oid: B, size: 2, x: true },
    ];
    expect(parseManifest(serializeManifest(entries), 'm')).toEqual(entries.sort((a, b) => (a.path < b.path ? -1 : 1)));
  });

  test('an empty folder has an empty manifest', () => {
    expect(serializeManifest([]).length).toBe(0);
    expect(parseManifest(Buffer.alloc(0), 'm')).toEqual([]);
  });
});

describe('parseManifest refuses what could write outside the folder', () => {
  test.each([
    ['..', '../evil', "must not contain '..'"],
    ['.. deeper', 'a/../../evil', "must not contain '..'"],
    ['an absolute path', '/etc/cron.d/x', 'must be relative, not absolute'],
    ['a backslash', '..\\evil', 'must use / as separator'],
    ['an empty segment', 'a//b', 'must not contain empty or . segments'],
    ['a null path', null, 'must be a non-empty string'],
  ])('%s', (_what, p, problem) => {
    const err = manifestError(line('ok') + line(p));
    expect(err.message).toContain('line 2');
    expect(err.message).toContain(`path ${problem}`);
    expect(err.data).toMatchObject({ line: 2 });
  });

  test('bad JSON, bad oid, bad size', () => {
    expect(manifestError('{"path": "a"\n').message).toContain('line 1: not valid JSON');
    expect(manifestError('[1]\n').message).toContain('expected an object');
    expect(manifestError(`{"path":"a","oid":"${A.toUpperCase()}","size":1}\n`).message).toContain(
      'oid must be 64 lowercase hex digits',
    );
    expect(manifestError(`{"path":"a","oid":"sha256:${A}","size":1}\n`).message).toContain(
      'oid must be 64 lowercase hex digits',
    );
    expect(manifestError(`{"path":"a","oid":"${A}","size":-1}\n`).message).toContain('size must be a whole number');
  });

  test('a path listed twice', () => {
    expect(manifestError(line('a') + line('a')).message).toContain('path a appears twice');
  });

  test('a file that is also a folder', () => {
    expect(manifestError(line('a') + line('a/b/c')).message).toContain('a is both a file and a folder');
  });

  test('x is kept only when exactly true', () => {
    expect(parseManifest(line('a', ',"x":true') + line('b', ',"x":1'), 'm')).toEqual([
      { path: 'a', oid: A, size: 1, x: true },
      { path: 'b', oid: A, size: 1 },
    ]);
  });
});

describe('the committed fixtures', () => {
  test('the digits manifest parses, and its sha256 is the oid its pointer names', () => {
    const bytes = readFixture('manifests/digits.jsonl');
    const entries = parseManifest(bytes, 'digits');
    expect(entries.map((e) => e.path)).toEqual(['README.txt', 'test.csv', 'train.csv']);
    for (const e of entries)
      expect(e.oid).toBe(
        createHash('sha256')
          .update(readFixture(`datasets/digits/${e.path}`))
          .digest('hex'),
      );
    expect(buildManifest(entries).hex).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(readFixture('pointers/good/digits.mvgit.yaml').toString()).toContain(
      `oid: sha256:${buildManifest(entries).hex}`,
    );
  });

  test.each(fixtureCases<{ file: string; problem: string }>('manifests/bad'))(
    'bad manifest $file: $problem',
    ({ file, problem }) => {
      const err = manifestError(readFixture(`manifests/bad/${file}`).toString('utf8'));
      expect(err.message).toMatch(
        new RegExp(`^manifest data/images \\(abc123\\), line \\d: ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      );
    },
  );
});
