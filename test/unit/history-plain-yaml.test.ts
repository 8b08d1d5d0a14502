/**
 * The plain-YAML reader behind fast pointer parsing (mvgit log reads hundreds of pointers): it
 * must either give exactly what the full YAML parser gives, or step aside (undefined).
 */
import { parse, stringify } from 'yaml';
import { parsePlainYaml } from '../../src/core/pointer/plain-yaml.js';
import { parsePointer, serializePointer, type Pointer } from '../../src/core/pointer/pointer.js';

const OID = `sha256:${'9f86d081'.repeat(8)}`;

/** Same as the full parser, or undefined; returns which. */
function agrees(text: string): 'fast' | 'full' {
  const fast = parsePlainYaml(text);
  if (fast === undefined) return 'full';
  expect(fast).toStrictEqual(parse(text, { uniqueKeys: true }));
  return 'fast';
}

test('pointers as mvgit writes them are read without the full parser', () => {
  const pointers: Pointer[] = [
    { kind: 'model', path: 'm.pkl', oid: OID, size: 1048576 },
    { kind: 'dataset', path: 'images', oid: OID, size: 0, files: 20000 },
    {
      kind: 'model',
      path: 'churn-v2.pkl',
      oid: OID,
      size: 123,
      meta: {
        framework: 'sklearn',
        params: {
          n_estimators: 200,
          max_depth: 8,
          lr: 0.05,
          tiny: 1e-7,
          big: -2.5e30,
          name: 'gbm',
          flag: true,
          none: null,
          layers: [64, 32, { dropout: 0.1 }],
          empty: {},
          none2: [],
        },
        metrics: { accuracy: 0.931, auc: 0.962, 'val/loss': 0.25, 'f1.macro': 0.8 },
        inputs: [
          { path: 'data/train', oid: OID },
          { path: 'data/eval', oid: OID },
        ],
      },
    },
  ];
  for (const p of pointers) {
    const text = serializePointer(p);
    expect(agrees(text)).toBe('fast');
    expect(parsePointer(text, 'x')).toStrictEqual(parsePointer(text.replace(/\n$/, '\n# comment: full parser\n'), 'x'));
  }
});

test('values that need the full parser are left to it, and nothing disagrees', () => {
  const tricky: unknown[] = [
    'a b',
    '1.0',
    'true',
    'True',
    'yes',
    'no',
    'on',
    'null',
    '~',
    '',
    ' lead',
    'trail ',
    'a: b',
    'a #b',
    '#x',
    '-x',
    '- x',
    '@x',
    '`x',
    '!x',
    '&x',
    '*x',
    '0x1F',
    '0o17',
    '007',
    '1_000',
    '.inf',
    '-.inf',
    '.nan',
    '1e400',
    '-0',
    // biome-ignore lint/correctness/noPrecisionLoss: a number YAML cannot round-trip exactly is part of the test
    12345678901234567890,
    -0,
    0,
    -1,
    1.5,
    1e21,
    'é',
    'a\u0001b',
    'he said "x"',
    'back\\slash',
    "it's",
    '{a: 1}',
    '[1]',
    'x:',
    'x:y',
    '/abs/path',
    'a/b.c',
    'sha256:abc',
    'Infinity',
    'NaN',
    '2024-01-01',
    '12:30',
    '=',
    '<<',
  ];
  let fast = 0;
  for (const v of tricky) {
    for (const doc of [{ key: v }, { list: [v, { k: v }] }, { nested: { deeper: { k: v } } }]) {
      if (agrees(stringify(doc, { lineWidth: 0 })) === 'fast') fast++;
    }
  }
  expect(fast).toBeGreaterThan(30);
  // keys the schemas read as other things, and hand-written shapes outside the subset
  for (const text of [
    'true: 1\n',
    'null: 1\n',
    'y: 1\n',
    '__proto__: 1\n',
    'a: 1\na: 2\n',
    'a: 1',
    'a: 1\r\n',
    'a:\n\tb: 1\n',
    'a:\n   b: 1\n',
    'a:\n- 1\n',
    'a: 1\n  b: 2\n',
    'a: 1 # c\n',
    '---\na: 1\n',
    'a: &x 1\nb: *x\n',
    'a: |\n  text\n',
    'a:\n  - \n',
    'a: !!str 1\n',
    'a:\n\n  b: 1\n',
    'a: [1, 2]\n',
    'a: {b: 1}\n',
    '- 1\n- 2\n',
  ]) {
    let full: unknown;
    try {
      full = parse(text, { uniqueKeys: true });
    } catch {
      full = Symbol('error');
    }
    const fastValue = parsePlainYaml(text);
    if (fastValue !== undefined) expect(fastValue).toStrictEqual(full);
  }
  expect(parsePlainYaml('a: 1\na: 2\n')).toBeUndefined(); // the full parser reports the repeated key
  expect(parsePlainYaml('__proto__: 1\n')).toBeUndefined();
});

test('a bad pointer gets the same error either way', () => {
  expect(() => parsePointer('mvgit: 1\nkind: model\npath: ../x\noid: x\nsize: 1\n', 'p.mvgit.yaml')).toThrow(
    "p.mvgit.yaml: field 'path' must not contain '..': \"../x\"",
  );
  expect(() => parsePointer('mvgit: 7\n', 'p.mvgit.yaml')).toThrow('p.mvgit.yaml: unknown format version mvgit: 7');
  expect(() => parsePointer('mvgit: 1\nmvgit: 1\n', 'p.mvgit.yaml')).toThrow(
    /^p\.mvgit\.yaml: not valid YAML \(line 2, column 1\)/,
  );
});
