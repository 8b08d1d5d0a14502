import { createHash } from 'node:crypto';
import { isMvgitError, type MvgitError } from '../../src/base/errors.js';
import {
  buildManifest,
  manifestChanges,
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
    // In path order, names that sort between the file and the folder's files do not hide it.
    expect(manifestError(line('a') + line('a-1') + line('a.txt') + line('a/b')).message).toContain(
      'a is both a file and a folder',
    );
    expect(manifestError(line('x/a') + line('x/a b') + line('x/a/c')).message).toContain(
      'x/a is both a file and a folder',
    );
    // Out of order (a manifest not written by mvgit), the same checks hold.
    expect(manifestError(line('a/b/c') + line('b') + line('a')).message).toContain('a is both a file and a folder');
    expect(manifestError(line('b') + line('a') + line('b')).message).toContain('line 3: path b appears twice');
    expect(parseManifest(line('b') + line('a') + line('a-1/c'), 'm').map((e) => e.path)).toEqual(['b', 'a', 'a-1/c']);
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

describe('reading lines the way serializeManifest writes them', () => {
  test('a canonical line and the same entry written another way parse alike', () => {
    // In path order, as parsed back.
    const entries: ManifestEntry[] = [
      { path: 'caf\u00e9 \u2028', oid: B, size: 2 },
      { path: 'plain/a.bin', oid: A, size: 0 },
      { path: 'quote"and\ttab', oid: A, size: 1 },
      { path: 'run.sh', oid: B, size: 12345678901, x: true },
    ];
    const canonical = serializeManifest(entries).toString('utf8');
    // Other key orders, spaces and an explicit x: false go through JSON.parse.
    const other = entries
      .map((e) =>
        JSON.stringify({ size: e.size, oid: e.oid, path: e.path, x: e.x === true }, null, 1).replace(/\n/g, ''),
      )
      .join('\n');
    expect(parseManifest(canonical, 'm')).toEqual(entries);
    expect(parseManifest(other, 'm')).toEqual(entries);
  });

  test('a canonical-looking line with a bad value is refused as before', () => {
    expect(manifestError(`{"path":"a","oid":"${A}","size":99999999999999999}\n`).message).toMatch(
      /size must be a whole number$/,
    );
    expect(manifestError(`{"path":"../a","oid":"${A}","size":1}\n`).message).toMatch(/must not contain '\.\.'/);
    expect(manifestError(`{"path":".git/config","oid":"${A}","size":1}\n`).message).toMatch(/\.git/);
  });
});

describe('reading a manifest in pieces', () => {
  test('pieces cut anywhere, even inside a character, read as the whole', () => {
    const entries = ['été/ä.bin', 'd/f1', 'd/f2', 'über', 'z'].map((p, i) => ({
      path: p,
      oid: i % 2 ? A : B,
      size: i,
    }));
    const bytes = serializeManifest(entries);
    const whole = parseManifest(bytes, 'm');
    for (const cut of [1, 2, 3, 7, 50, 64, bytes.length - 1]) {
      const pieces = () =>
        Array.from({ length: Math.ceil(bytes.length / cut) }, (_, k) => bytes.subarray(k * cut, (k + 1) * cut));
      expect(parseManifest(pieces, 'm')).toEqual(whole);
    }
    // A last line without its newline is read too.
    expect(parseManifest(bytes.subarray(0, bytes.length - 1), 'm')).toEqual(whole);
  });
});

describe('manifestChanges: what a switch between two versions of a folder looks at', () => {
  const m = (entries: ManifestEntry[], name: string) => ({ bytes: serializeManifest(entries), name });
  /** The old version as the work tree's record gives it: each path's oid. */
  const recorded = (entries: ManifestEntry[]) => {
    const oids = new Map(entries.map((e) => [e.path, e.oid]));
    return { oidOf: (p: string) => oids.get(p), paths: () => oids.keys() };
  };
  const many = (n: number, oid: string): ManifestEntry[] =>
    Array.from({ length: n }, (_, i) => ({ path: `d/f${String(i).padStart(4, '0')}`, oid, size: 4 }));

  test('only changed, added and removed paths; the new entries for the ones still there', () => {
    const before = many(1000, A);
    const after = many(1000, A);
    after[10] = { ...after[10], oid: B }; // changed
    after.splice(30, 1); // removed
    after.push({ path: 'e/new', oid: B, size: 1 }); // added
    const { changed, target } = manifestChanges(recorded(before), m(after, 'new'));
    expect([...changed].sort()).toEqual(['d/f0010', 'd/f0030', 'e/new']);
    expect([...target.keys()].sort()).toEqual(['d/f0010', 'e/new']);
    expect(target.get('d/f0010')).toEqual({ path: 'd/f0010', oid: B, size: 4 });
  });

  test('a new manifest out of path order (not written by mvgit) gives the same answer', () => {
    const before = many(20, A);
    const after = many(20, A).reverse();
    after[3] = { ...after[3], oid: B }; // d/f0016 changed
    after.splice(7, 1); // d/f0012 removed
    const text = after.map((e) => line(e.path).replace(A, e.oid)).join('');
    const { changed, target } = manifestChanges(recorded(before), { bytes: Buffer.from(text), name: 'new' });
    expect([...changed].sort()).toEqual(['d/f0012', 'd/f0016']);
    expect([...target.keys()]).toEqual(['d/f0016']);
  });

  test('identical versions: nothing to look at', () => {
    const { changed, target } = manifestChanges(recorded(many(50, A)), m(many(50, A), 'new'));
    expect(changed.size).toBe(0);
    expect(target.size).toBe(0);
  });

  test('the new manifest is still validated whole: a bad line among unchanged ones is refused', () => {
    const good = serializeManifest(many(5, A)).toString('utf8');
    const bad = `${good}{"path":"d/f0001","oid":"${A}","size":4}\n`; // a path listed twice
    expect(() => manifestChanges(recorded(many(5, A)), { bytes: Buffer.from(bad), name: 'new' })).toThrow(
      /manifest new, line 6: path d\/f0001 appears twice/,
    );
    const outside = `{"path":"../x","oid":"${A}","size":4}\n${good}`;
    expect(() => manifestChanges(recorded(many(5, A)), { bytes: Buffer.from(outside), name: 'new' })).toThrow(
      /must not contain '\.\.'/,
    );
  });
});
