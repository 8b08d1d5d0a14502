import { isMvgitError, type MvgitError } from '../../src/base/errors.js';
import {
  artifactPathOf,
  parsePointer,
  pointerPathFor,
  serializePointer,
  unsafePathReason,
  type Pointer,
} from '../../src/core/pointer/pointer.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const FILE = 'models/churn.pkl.mvgit.yaml';

const GOOD = `mvgit: 1
kind: model
path: churn.pkl
oid: sha256:${A}
size: 1048576
`;

/** The error parsePointer throws for `text`, checked to be POINTER_INVALID and to name the file. */
function pointerError(text: string, file = FILE): MvgitError {
  try {
    parsePointer(text, file);
  } catch (err) {
    if (!isMvgitError(err, 'POINTER_INVALID')) throw err;
    expect(err.message.startsWith(`${file}: `)).toBe(true);
    expect(err.data).toEqual({ file });
    expect(err.hint).toBeTruthy();
    return err;
  }
  throw new Error('parsePointer accepted a bad pointer');
}

/** GOOD with one line replaced or appended. */
function withLine(prefix: string, line: string | null): string {
  const lines = GOOD.trimEnd().split('\n');
  const i = lines.findIndex((l) => l.startsWith(prefix));
  if (i < 0) lines.push(line!);
  else if (line === null) lines.splice(i, 1);
  else lines[i] = line;
  return `${lines.join('\n')}\n`;
}

describe('parsePointer: good pointers', () => {
  test('reads every field of a file pointer', () => {
    expect(parsePointer(GOOD, FILE)).toEqual({ kind: 'model', path: 'churn.pkl', oid: `sha256:${A}`, size: 1048576 });
  });

  test('reads a directory pointer with files and full meta', () => {
    const text = `mvgit: 1
kind: dataset
path: images
oid: sha256:${A}
size: 20
files: 2
meta:
  description: training images
  framework: torch
  params: { lr: 0.1, layers: [1, 2] }
  metrics: { auc: 0.96 }
  inputs:
    - path: data/raw
      oid: sha256:${B}
`;
    expect(parsePointer(text, 'data/images.mvgit.yaml')).toEqual({
      kind: 'dataset',
      path: 'images',
      oid: `sha256:${A}`,
      size: 20,
      files: 2,
      meta: {
        description: 'training images',
        framework: 'torch',
        params: { lr: 0.1, layers: [1, 2] },
        metrics: { auc: 0.96 },
        inputs: [{ path: 'data/raw', oid: `sha256:${B}` }],
      },
    });
  });

  test('accepts the fields in any order and a null meta', () => {
    const text = `size: 3\noid: sha256:${A}\npath: m.bin\nkind: artifact\nmvgit: 1\nmeta:\n`;
    expect(parsePointer(text, 'm.bin.mvgit.yaml')).toEqual({
      kind: 'artifact',
      path: 'm.bin',
      oid: `sha256:${A}`,
      size: 3,
    });
  });

  test('a size of 0 (an empty file) is valid', () => {
    expect(parsePointer(withLine('size:', 'size: 0'), FILE).size).toBe(0);
  });
});

describe('parsePointer: bad pointers name the file and the field', () => {
  test('YAML syntax error: says where', () => {
    const err = pointerError('mvgit: 1\nkind: [model\npath: x\n');
    expect(err.message).toMatch(/not valid YAML \(line \d+, column \d+\)/);
    expect(err.hint).toContain('git checkout --');
  });

  test('tab indentation is a YAML error', () => {
    expect(pointerError('mvgit: 1\n\tkind: model\n').message).toContain('not valid YAML');
  });

  test('a duplicated key is refused, not silently overridden', () => {
    expect(pointerError(`${GOOD}oid: sha256:${B}\n`).message).toContain('not valid YAML');
  });

  test('YAML aliases are refused (no billion-laughs, no hidden values)', () => {
    expect(
      pointerError(`mvgit: 1\nkind: model\npath: &p m\noid: sha256:${A}\nsize: 1\nmeta:\n  description: *p\n`).message,
    ).toContain('not valid YAML');
  });

  test.each([
    ['an empty file', ''],
    ['a list', '- mvgit: 1\n'],
    ['a scalar', 'hello\n'],
  ])('%s is not a pointer', (_what, text) => {
    expect(pointerError(text).message).toContain('expected a mapping of fields');
  });

  test.each(['mvgit', 'kind', 'path', 'oid', 'size'])('missing field %s', (field) => {
    const err = pointerError(withLine(`${field}:`, null));
    expect(err.message).toContain(`missing field '${field}'`);
  });

  test('extra field: named, and the hint lists the allowed ones', () => {
    const err = pointerError(`${GOOD}owner: alice\n`);
    expect(err.message).toBe(`${FILE}: unknown field 'owner'`);
    expect(err.hint).toBe('allowed fields: mvgit, kind, path, oid, size, files, meta');
  });

  test('extra field under meta', () => {
    const err = pointerError(`${GOOD}meta:\n  created: 2024-01-01\n`);
    expect(err.message).toContain("unknown field 'meta.created'");
    expect(err.hint).toContain('description, framework, params, metrics, inputs');
  });

  test.each([
    ['too short', `sha256:${A.slice(1)}`],
    ['upper case', `sha256:${A.toUpperCase()}`],
    ['no algorithm', A],
    ['another algorithm', `md5:${A}`],
    ['not hex', `sha256:${'g'.repeat(64)}`],
    ['a number', '12345'],
  ])('bad oid: %s', (_what, oid) => {
    const err = pointerError(withLine('oid:', `oid: ${oid}`));
    expect(err.message).toContain("field 'oid' must be sha256: and 64 lowercase hex digits");
  });

  test('unknown format version: says which, hint says to upgrade', () => {
    const err = pointerError(withLine('mvgit:', 'mvgit: 2'));
    expect(err.message).toBe(`${FILE}: unknown format version mvgit: 2`);
    expect(err.hint).toContain('upgrade mvgit');
  });

  test('a format version written as text is not 1', () => {
    expect(pointerError(withLine('mvgit:', "mvgit: '1'")).message).toContain('unknown format version mvgit: "1"');
  });

  test('unknown kind lists the kinds', () => {
    expect(pointerError(withLine('kind:', 'kind: weights')).message).toContain(
      "field 'kind' must be one of model, dataset, artifact",
    );
  });

  test.each([
    ['absolute', '/etc/passwd', 'must be relative, not absolute'],
    ['a drive letter', 'C:/x', 'must be relative, not absolute'],
    ['..', '../../outside.bin', "must not contain '..'"],
    ['.. in the middle', 'a/../../b', "must not contain '..'"],
    ['a backslash', '..\\evil', 'must use / as separator'],
    ['an empty segment', 'a//b', 'must not contain empty or . segments'],
    ['a trailing slash', 'a/', 'must not contain empty or . segments'],
    ['a . segment', './a', 'must not contain empty or . segments'],
    ['.git', '.git/hooks/post-checkout', "must not point into '.git'"],
    ['.GIT on a case-insensitive disk', '.GIT/hooks', "must not point into '.git'"],
  ])('path %s is refused', (_what, p, problem) => {
    const err = pointerError(withLine('path:', `path: ${JSON.stringify(p)}`));
    expect(err.message).toContain(`field 'path' ${problem}`);
  });

  test('an empty path is refused', () => {
    expect(pointerError(withLine('path:', "path: ''")).message).toContain("field 'path' must be a non-empty string");
  });

  test.each([
    ['negative', '-1'],
    ['fractional', '1.5'],
    ['text', 'big'],
  ])('size %s is refused', (_what, v) => {
    expect(pointerError(withLine('size:', `size: ${v}`)).message).toContain(
      "field 'size' must be a whole number of bytes",
    );
  });

  test('files must be a whole number', () => {
    expect(pointerError(`${GOOD}files: many\n`).message).toContain("field 'files' must be a whole number");
  });

  test('meta fields are type-checked', () => {
    expect(pointerError(`${GOOD}meta: [1]\n`).message).toContain("field 'meta' must be a mapping");
    expect(pointerError(`${GOOD}meta:\n  description: [1]\n`).message).toContain(
      "field 'meta.description' must be text",
    );
    expect(pointerError(`${GOOD}meta:\n  params: 3\n`).message).toContain("field 'meta.params' must be a mapping");
    expect(pointerError(`${GOOD}meta:\n  inputs: data\n`).message).toContain("field 'meta.inputs' must be a list");
    expect(pointerError(`${GOOD}meta:\n  inputs:\n    - path: ../x\n      oid: sha256:${A}\n`).message).toContain(
      "field 'meta.inputs[0].path' must not contain '..'",
    );
    expect(pointerError(`${GOOD}meta:\n  inputs:\n    - path: x\n      oid: nope\n`).message).toContain(
      "field 'meta.inputs[0].oid'",
    );
  });

  test('a huge file is refused before YAML parsing', () => {
    expect(pointerError(GOOD + '#'.repeat(2 << 20)).message).toMatch(/a pointer is a few hundred/);
  });
});

describe('serializePointer: canonical bytes', () => {
  const full: Pointer = {
    kind: 'model',
    path: 'churn.pkl',
    oid: `sha256:${A}`,
    size: 5,
    meta: {
      metrics: { auc: 0.96, acc: 0.9 },
      params: { z: 1, a: { y: 2, b: 3 } },
      framework: 'sklearn',
      description: 'churn model',
      inputs: [
        { path: 'data/z', oid: `sha256:${B}` },
        { path: 'data/a', oid: `sha256:${C}` },
      ],
    },
  };

  test('a file pointer is exactly these bytes', () => {
    expect(serializePointer({ kind: 'model', path: 'churn.pkl', oid: `sha256:${A}`, size: 1048576 })).toBe(GOOD);
  });

  test('fixed key order, sorted maps and inputs, whatever order the object had', () => {
    expect(serializePointer(full)).toBe(`mvgit: 1
kind: model
path: churn.pkl
oid: sha256:${A}
size: 5
meta:
  description: churn model
  framework: sklearn
  params:
    a:
      b: 3
      y: 2
    z: 1
  metrics:
    acc: 0.9
    auc: 0.96
  inputs:
    - path: data/a
      oid: sha256:${C}
    - path: data/z
      oid: sha256:${B}
`);
  });

  test('same content gives the same bytes: key order in the file does not matter', () => {
    const shuffled = `meta:
  metrics: { auc: 0.96, acc: 0.9 }
  inputs:
    - oid: sha256:${B}
      path: data/z
    - { oid: "sha256:${C}", path: data/a }
  params: { z: 1, a: { b: 3, y: 2 } }
  description: churn model
  framework: sklearn
size: 5
oid: sha256:${A}
path: churn.pkl
kind: model
mvgit: 1
`;
    expect(serializePointer(parsePointer(shuffled, FILE))).toBe(serializePointer(full));
  });

  test('parse(serialize(p)) gives p back, with values YAML would misread unquoted', () => {
    const tricky: Pointer = {
      kind: 'dataset',
      path: '0123',
      oid: `sha256:${A}`,
      size: 0,
      files: 0,
      meta: {
        description: 'line one\nline two: "quoted" # not a comment',
        framework: '1.0',
        params: { yes: 'no', n: null, on: true },
        metrics: { tiny: 1e-7 },
      },
    };
    const text = serializePointer(tricky);
    expect(parsePointer(text, FILE)).toEqual(tricky);
    expect(serializePointer(parsePointer(text, FILE))).toBe(text);
  });

  test('empty meta sections are left out', () => {
    expect(
      serializePointer({
        kind: 'model',
        path: 'churn.pkl',
        oid: `sha256:${A}`,
        size: 1048576,
        meta: { params: {}, metrics: {}, inputs: [] },
      }),
    ).toBe(GOOD);
  });

  test('no timestamps, user names or absolute paths creep in', () => {
    const text = serializePointer(full);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(process.env.USER ?? 'root');
    expect(text).not.toContain(process.cwd());
  });
});

describe('paths', () => {
  test('unsafePathReason accepts ordinary relative paths', () => {
    for (const p of ['m.pkl', 'a/b/c.bin', '.hidden', 'a..b', '..foo', 'dir/.gitignore', 'x.git'])
      expect(unsafePathReason(p)).toBeUndefined();
  });

  test('pointer and artifact paths', () => {
    expect(pointerPathFor('models/m.pkl')).toBe('models/m.pkl.mvgit.yaml');
    const p = parsePointer(GOOD, FILE);
    expect(artifactPathOf(FILE, p)).toBe('models/churn.pkl');
    expect(artifactPathOf('churn.pkl.mvgit.yaml', p)).toBe('churn.pkl');
  });
});
