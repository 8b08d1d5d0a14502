/**
 * Recording for review, through plain `git commit`s and the hooks: a tracking rule names a
 * params file, a metrics file and the training data, and each version of the model records the
 * params and metrics read at that commit and the data's oid as it was on disk. A changed dataset
 * is recorded in the same commit; a dataset put back to an older version stops the commit; metrics
 * that did not change with the model, or lineage that disagrees with the commit, are warned about.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type ProgressEvent } from '../../src/core/repo/workspace.js';
import { frameworkOfHeader, kindByExtension } from '../../src/core/workspace/framework.js';
import { copyFixture, fixturePath } from '../helpers/fixtures.js';
import { ageFiles, cleanup, git, gitResult, makeHookedRepo, mvgit, mvgitOk, writeFile } from '../helpers/repo.js';

let repo: string;
afterEach(() => cleanup(repo));

interface PointerDoc {
  kind: string;
  oid: string;
  meta?: {
    framework?: string;
    params?: Record<string, unknown>;
    metrics?: Record<string, unknown>;
    inputs?: { path: string; oid: string }[];
  };
}
const pointerAt = (rev: string, pointer: string): PointerDoc =>
  parse(git(repo, ['show', `${rev}:${pointer}`])) as PointerDoc;
const pointerNow = (pointer: string): PointerDoc =>
  parse(fs.readFileSync(path.join(repo, pointer), 'utf8')) as PointerDoc;
const MODEL = 'models/churn.pkl.mvgit.yaml';
const DATA = 'data/train.mvgit.yaml';
const PARAMS = { seed: 42, train: { n_estimators: 200, max_depth: 8, learning_rate: 0.1 } };

/** The digits dataset without its first data row: a second version of the training data. */
function removeRow(): void {
  const file = path.join(repo, 'data/train/train.csv');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.splice(1, 1);
  fs.writeFileSync(file, lines.join('\n'));
}

/** A model trained: its bytes from a fixture, its metrics as the training script writes them. */
function train(fixture: string, metrics: Record<string, unknown>): void {
  copyFixture(`models/${fixture}`, path.join(repo, 'models/churn.pkl'));
  writeFile(repo, 'reports/metrics.json', `${JSON.stringify(metrics)}\n`);
}

/** A hooked repo with the digits dataset recorded and the rule; v1 of the model committed with git commit. */
function withV1(): void {
  repo = makeHookedRepo();
  copyFixture('datasets/digits', path.join(repo, 'data/train'));
  copyFixture('params/params.yaml', path.join(repo, 'params.yaml'));
  mvgitOk(repo, ['add', 'data/train', '--kind', 'dataset']);
  mvgitOk(repo, [
    'track',
    'models/*.pkl',
    '--params',
    'params.yaml',
    '--metrics',
    'reports/metrics.json',
    '--input',
    'data/train',
  ]);
  train('churn-v1.pkl', { accuracy: 0.91, auc: 0.95 });
  git(repo, ['add', '-A']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'v1']);
  expect(r.code).toBe(0);
}

test('three versions through git commit: each pointer holds its params, metrics and the data on disk', () => {
  withV1();
  const data1 = pointerAt('HEAD', DATA).oid;
  const v1 = pointerAt('HEAD', MODEL);
  expect(v1.kind).toBe('model'); // the rule gave no kind: .pkl says model
  expect(v1.meta).toEqual({
    params: PARAMS,
    metrics: { accuracy: 0.91, auc: 0.95 },
    inputs: [{ path: 'data/train', oid: data1 }],
  });

  // v2: trained on the dataset with a row removed; the hook records the dataset in the same commit.
  removeRow();
  train('churn-v2.pkl', { accuracy: 0.93, auc: 0.96 });
  const r2 = gitResult(repo, ['commit', '-q', '-am', 'v2']);
  expect(r2.code).toBe(0);
  expect(r2.stderr).toMatch(/^mvgit: recorded data\/train \(dataset, 3 files, [\d.]+ B, [0-9a-f]{8}\)$/m);
  expect(r2.stderr).not.toContain('warning');
  const data2 = pointerAt('HEAD', DATA).oid;
  expect(data2).not.toBe(data1);
  expect(git(repo, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual([
    DATA,
    MODEL,
    'reports/metrics.json',
  ]);
  expect(pointerAt('HEAD', MODEL).meta).toEqual({
    params: PARAMS,
    metrics: { accuracy: 0.93, auc: 0.96 },
    inputs: [{ path: 'data/train', oid: data2 }],
  });

  // v3: an sklearn model on the same data: the header says sklearn, the input's oid is unchanged.
  writeFile(repo, 'params.yaml', 'seed: 7\ntrain:\n  C: 1.0\n');
  train('sklearn-logreg.pkl', { accuracy: 0.95, auc: 0.97, note: 'logistic baseline' });
  const r3 = gitResult(repo, ['commit', '-q', '-am', 'v3']);
  expect(r3.code).toBe(0);
  expect(pointerAt('HEAD', MODEL).meta).toEqual({
    framework: 'sklearn',
    params: { seed: 7, train: { C: 1 } },
    metrics: { accuracy: 0.95, auc: 0.97, note: 'logistic baseline' }, // text is kept as text
    inputs: [{ path: 'data/train', oid: data2 }],
  });
  // Each commit kept its own version.
  expect(pointerAt('HEAD~2', MODEL).meta?.metrics).toEqual({ accuracy: 0.91, auc: 0.95 });
  expect(pointerAt('HEAD~1', MODEL).meta?.inputs).toEqual([{ path: 'data/train', oid: data2 }]);
  expect(git(repo, ['status', '--porcelain'])).toBe('');
});

test('new model bytes with the same metrics as the version before: recorded, with a warning', () => {
  withV1();
  copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
  writeFile(repo, 'train.py', 'fit()\n');
  git(repo, ['add', 'train.py']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'retrain']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    "mvgit: warning: models/churn.pkl changed but its metrics (reports/metrics.json) are the same as the previous version's: were they computed for this version? Stale metrics mislead more than none.\n",
  );
  expect(pointerAt('HEAD', MODEL).meta?.metrics).toEqual({ accuracy: 0.91, auc: 0.95 });
});

test('the dataset put back to a version an older commit recorded: the commit stops and says which', () => {
  withV1();
  removeRow();
  train('churn-v2.pkl', { accuracy: 0.93 });
  expect(gitResult(repo, ['commit', '-q', '-am', 'v2']).code).toBe(0);
  const head = git(repo, ['rev-parse', 'HEAD']);
  const dataV1Commit = git(repo, ['log', '--format=%h', '-1', 'HEAD~1', '--', DATA]).trim();
  const subject = git(repo, ['log', '--format=%s', '-1', dataV1Commit]).trim();
  // Training on the old data again: the work tree holds v1's dataset under v2's pointer.
  copyFixture('datasets/digits/train.csv', path.join(repo, 'data/train/train.csv'));
  train('churn-v1.pkl', { accuracy: 0.9 });
  const r = gitResult(repo, ['commit', '-q', '-am', 'v3']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    `mvgit: input data/train of models/churn.pkl holds the version of ${dataV1Commit} "${subject}", not the one its pointer names: models/churn.pkl would be recorded as made from old data\n`,
  );
  expect(r.stderr).toContain(
    "mvgit: hint: put the pointer's version in place (mvgit checkout data/train) and train again; or, if the old data is what you mean, record it as the newest version first: mvgit add data/train --force\n",
  );
  expect(git(repo, ['rev-parse', 'HEAD'])).toBe(head);
  // Nothing was written: both pointers are still v2's.
  expect(git(repo, ['status', '--porcelain', '--', DATA, MODEL])).toBe('');
});

test("a commit changing a model whose recorded input is not the commit's input: a warning naming both", () => {
  withV1();
  const data1 = pointerNow(DATA).oid;
  removeRow();
  mvgitOk(repo, ['add', 'data/train']);
  const data2 = pointerNow(DATA).oid;
  // Same bytes, a new description: the pointer changes, its lineage (data1) is carried.
  mvgitOk(repo, ['add', 'models/churn.pkl', '-m', 'churn model']);
  git(repo, ['add', '-A']);
  const r = gitResult(repo, ['commit', '-q', '-m', 'describe']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(
    `mvgit: warning: models/churn.pkl was recorded from data/train ${data1.slice(7, 15)}, but this commit holds data/train ${data2.slice(7, 15)}: train models/churn.pkl again on it, or record what it was made from: mvgit add models/churn.pkl --input data/train\n`,
  );
  expect(pointerAt('HEAD', MODEL).meta?.inputs).toEqual([{ path: 'data/train', oid: data1 }]);
});

test("an input's oid comes from the stat cache: an unchanged dataset is not hashed again, a changed one is recorded too", async () => {
  repo = makeHookedRepo();
  copyFixture('datasets/digits', path.join(repo, 'data/train'));
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl'));
  ageFiles(repo);
  const ws = await openWorkspace({ cwd: repo });
  await addPaths(ws, ['data/train'], { cwd: repo, kind: 'dataset' });
  const events: ProgressEvent[] = [];
  const onProgress = (e: ProgressEvent): void => {
    events.push(e);
  };
  const added = await addPaths(ws, ['models/churn.pkl'], { cwd: repo, inputs: ['data/train'], onProgress });
  expect(added.map((a) => a.path)).toEqual(['models/churn.pkl']);
  expect(events.filter((e) => e.path === 'data/train')).toEqual([]);
  expect(pointerNow(MODEL).meta?.inputs).toEqual([{ path: 'data/train', oid: pointerNow(DATA).oid }]);

  const before = pointerNow(DATA).oid;
  removeRow();
  const past = new Date(Date.now() - 5000); // out of the racy window, as a user's edit is
  fs.utimesSync(path.join(repo, 'data/train/train.csv'), past, past);
  copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
  const again = await addPaths(ws, ['models/churn.pkl'], { cwd: repo, inputs: ['data/train'], onProgress });
  expect(again.map((a) => [a.path, a.changed])).toEqual([
    ['models/churn.pkl', true],
    ['data/train', true],
  ]);
  // Only the edited file of the dataset was hashed and stored.
  expect(events.filter((e) => e.path === 'data/train' && e.phase === 'store')).toHaveLength(1);
  expect(pointerNow(DATA).oid).not.toBe(before);
  expect(pointerNow(MODEL).meta?.inputs).toEqual([{ path: 'data/train', oid: pointerNow(DATA).oid }]);
});

describe('bad metadata files stop the commit, naming the file', () => {
  test.each([
    [
      'missing metrics',
      () => fs.rmSync(path.join(repo, 'reports/metrics.json')),
      'mvgit: metrics file reports/metrics.json does not exist',
    ],
    [
      'malformed metrics',
      () => writeFile(repo, 'reports/metrics.json', '{"accuracy": 0.9'),
      'mvgit: metrics file reports/metrics.json is not valid YAML or JSON',
    ],
    [
      'metrics as a list',
      () => writeFile(repo, 'reports/metrics.json', '[0.9]\n'),
      'mvgit: metrics file reports/metrics.json must hold a mapping of names to values',
    ],
    [
      'malformed params',
      () => writeFile(repo, 'params.yaml', 'train: [1\n'),
      'mvgit: params file params.yaml is not valid YAML or JSON',
    ],
  ])('%s', (_name, spoil, message) => {
    withV1();
    const head = git(repo, ['rev-parse', 'HEAD']);
    copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
    writeFile(repo, 'train.py', 'fit()\n');
    git(repo, ['add', 'train.py']);
    spoil();
    const r = gitResult(repo, ['commit', '-q', '-am', 'v2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/^mvgit: hint: /m);
    expect(r.stderr).toContain(
      "mvgit: nothing was committed. To commit without mvgit's checks this once: git commit --no-verify\n",
    );
    expect(git(repo, ['rev-parse', 'HEAD'])).toBe(head);
    expect(pointerNow(MODEL).oid).toBe(pointerAt('HEAD', MODEL).oid);
  });
});

test('kind by extension and framework by header when no rule says', () => {
  repo = makeHookedRepo();
  copyFixture('models/sklearn-logreg.pkl', path.join(repo, 'models/logreg.pkl'));
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl'));
  writeFile(repo, 'data/blob.bin', 'bytes');
  mvgitOk(repo, ['add', 'models/logreg.pkl', 'models/churn.pkl', 'data/blob.bin']);
  expect(pointerNow('models/logreg.pkl.mvgit.yaml')).toMatchObject({ kind: 'model', meta: { framework: 'sklearn' } });
  // A pickle of a plain dict names no framework: none is recorded.
  expect(pointerNow('models/churn.pkl.mvgit.yaml').kind).toBe('model');
  expect(pointerNow('models/churn.pkl.mvgit.yaml').meta).toBeUndefined();
  expect(pointerNow('data/blob.bin.mvgit.yaml').kind).toBe('artifact');
  // An explicit kind still wins.
  expect(mvgit(repo, ['add', 'models/churn.pkl', '--kind', 'artifact']).code).toBe(0);
  expect(pointerNow('models/churn.pkl.mvgit.yaml').kind).toBe('artifact');
});

test('framework headers: read, never unpickled', () => {
  for (const ext of ['.pkl', '.joblib', '.pt', '.pth', '.onnx', '.safetensors', '.h5', '.keras', '.gguf'])
    expect(kindByExtension(`m/model${ext.toUpperCase()}`)).toBe('model');
  expect(kindByExtension('data/train.csv')).toBeUndefined();
  const pickleNaming = (module: string): Buffer =>
    Buffer.concat([
      Buffer.from([0x80, 0x04, 0x95, 0x20, 0, 0, 0, 0, 0, 0, 0, 0x8c, module.length]),
      Buffer.from(`${module}\x94`),
    ]);
  expect(frameworkOfHeader(fs.readFileSync(fixturePath('models/sklearn-logreg.pkl')))).toBe('sklearn');
  expect(frameworkOfHeader(pickleNaming('xgboost.sklearn'))).toBe('xgboost');
  expect(frameworkOfHeader(pickleNaming('lightgbm.basic'))).toBe('lightgbm');
  expect(frameworkOfHeader(pickleNaming('torch._utils'))).toBe('torch');
  expect(frameworkOfHeader(fs.readFileSync(fixturePath('models/churn-v1.pkl')))).toBeUndefined();
  const json = Buffer.from('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  expect(frameworkOfHeader(Buffer.concat([len, json, Buffer.alloc(8)]))).toBe('safetensors');
  expect(frameworkOfHeader(Buffer.from('GGUF\x03\x00\x00\x00', 'latin1'))).toBe('gguf');
  expect(frameworkOfHeader(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('keras');
  expect(frameworkOfHeader(Buffer.from('PK\x03\x04\x00\x00archive/data.pklPK', 'latin1'))).toBe('torch');
  expect(frameworkOfHeader(Buffer.from('\x08\x07\x12\x08skl2onnx\x1a\x041.16', 'latin1'))).toBe('onnx');
  expect(frameworkOfHeader(Buffer.from('plain text, not a model'))).toBeUndefined();
});

test('the config checks the rule fields: lists of repo-relative paths', () => {
  repo = makeHookedRepo();
  for (const [value, field] of [
    ['params: params.yaml', 'params'],
    ['metrics: [/tmp/metrics.json]', 'metrics'],
    ['inputs: [../data]', 'inputs'],
  ]) {
    writeFile(repo, '.mvgit/config.yaml', `track:\n  - pattern: models/*.pkl\n    ${value}\n`);
    const r = mvgit(repo, ['status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: .mvgit/config.yaml: track[0].${field} must be a list of paths relative to the repository's top folder\n`,
    );
  }
});
