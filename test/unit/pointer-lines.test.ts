/**
 * A pointer as the lines `git diff` shows through mvgit's textconv: one fact a line, params and
 * metrics flattened and sorted, short oids, a folder's files from its manifest or a note saying
 * how to list them, and anything that is not a pointer passed through untouched.
 */
import { parsePointer } from '../../src/core/pointer/pointer.js';
import { pointerLines } from '../../src/core/review/pointer-lines.js';
import { textconv } from '../../src/core/review/textconv.js';
import { readFixture } from '../helpers/fixtures.js';
import { tempDir, cleanup } from '../helpers/repo.js';

const hex = (c: string): string => c.repeat(64);

test('a model: kind, path, short oid, size in both units, framework, params, metrics and inputs', () => {
  const lines = pointerLines({
    kind: 'model',
    path: 'churn.pkl',
    oid: `sha256:${hex('9')}`,
    size: 1258291,
    meta: {
      framework: 'sklearn',
      params: { seed: 42, train: { lr: 0.1, layers: [64, 32] }, name: 'gbm' },
      metrics: { eval: { auc: 0.962 }, accuracy: 0.93, note: '0.9' },
      inputs: [
        { path: 'data/zeta', oid: `sha256:${hex('b')}` },
        { path: 'data/train', oid: `sha256:${hex('a')}` },
      ],
    },
  });
  expect(lines).toEqual([
    'kind: model',
    'path: churn.pkl',
    'oid: 999999999999 (sha256)',
    'size: 1.2 MiB (1258291 bytes)',
    'framework: sklearn',
    'param name = gbm',
    'param seed = 42',
    'param train.layers = [64,32]',
    'param train.lr = 0.1',
    'metric accuracy = 0.93',
    'metric eval.auc = 0.962',
    'metric note = 0.9',
    'input data/train = aaaaaaaaaaaa',
    'input data/zeta = bbbbbbbbbbbb',
  ]);
});

test('a folder: its files from the manifest, or one line saying how to list them', () => {
  const p = parsePointer(readFixture('pointers/good/digits.mvgit.yaml').toString(), 'digits.mvgit.yaml');
  const files = [
    { path: 'run.sh', oid: hex('c'), size: 12, x: true },
    { path: 'train.csv', oid: hex('4'), size: 389 },
  ];
  expect(pointerLines(p, files)).toEqual([
    'kind: dataset',
    'path: digits',
    'oid: a064fb7181e4 (sha256)',
    'size: 578 bytes',
    'files: 3',
    'file run.sh cccccccccccc (12 bytes, executable)',
    'file train.csv 444444444444 (389 bytes)',
  ]);
  expect(pointerLines(p, 'missing').at(-1)).toBe(
    'files: (manifest not in the cache: mvgit fetch --rev REV lists them)',
  );
});

test('textconv: a pointer becomes its lines; anything else is passed through byte for byte', () => {
  const dir = tempDir(); // not a repository: a folder's manifest cannot be found
  try {
    const model = textconv(readFixture('pointers/good/churn-v1.pkl.mvgit.yaml'), dir).toString();
    expect(model.split('\n').slice(0, 4)).toEqual([
      'kind: model',
      'path: churn-v1.pkl',
      'oid: b3f0308febc0 (sha256)',
      'size: 687 bytes',
    ]);
    expect(textconv(readFixture('pointers/good/digits.mvgit.yaml'), dir).toString()).toContain(
      'files: (manifest not in the cache: mvgit fetch --rev REV lists them)\n',
    );
    for (const raw of [
      Buffer.from('<<<<<<< ours\nmvgit: 1\n=======\n>>>>>>> theirs\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      Buffer.alloc(0),
    ])
      expect(textconv(raw, dir).equals(raw)).toBe(true);
  } finally {
    cleanup(dir);
  }
});
