/**
 * `diffRevisions` and the `diff`/`show` API on a real repository whose pointers carry params,
 * metrics and inputs (recorded by `mvgit add --params F --metrics F --input D`): two commits
 * of a model and its training data, then renames, additions, removals, paths and tolerances.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMvgitError } from '../../src/base/errors.js';
import { diff, show } from '../../src/api/review.js';
import { oidHex } from '../../src/core/pointer/pointer.js';
import { findRepo } from '../../src/core/repo/repo.js';
import { diffRevisions } from '../../src/core/review/revisions.js';
import { copyFixture, fixturePath } from '../helpers/fixtures.js';
import { cleanup, git, makeMvgitRepo, mvgitOk, objectFile, writeFile } from '../helpers/repo.js';
import { recordTrainingRun } from '../helpers/review.js';

let dir: string;
const pointerOid = (rel: string): string => /oid: (sha256:[0-9a-f]{64})/.exec(read(`${rel}.mvgit.yaml`))![1];
const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');
const commitAll = (msg: string): void => {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', msg]);
};
const recordModel = (): void => {
  recordTrainingRun(dir);
};
let oids: Record<string, string>;

beforeEach(() => {
  dir = makeMvgitRepo();
  copyFixture('models/churn-v1.pkl', path.join(dir, 'model.pkl'));
  copyFixture('params/params.yaml', path.join(dir, 'params.yaml'));
  copyFixture('metrics/metrics.json', path.join(dir, 'metrics.json'));
  copyFixture('datasets/digits', path.join(dir, 'data'));
  recordModel();
  commitAll('train v1');
  git(dir, ['tag', 'v1']);
  oids = { model1: pointerOid('model.pkl'), data1: pointerOid('data') };
  // v2: more trees, better accuracy and loss, one file of the data changed, one added, one removed.
  copyFixture('models/churn-v2.pkl', path.join(dir, 'model.pkl'));
  writeFile(dir, 'params.yaml', read('params.yaml').replace('n_estimators: 200', 'n_estimators: 400'));
  writeFile(dir, 'metrics.json', JSON.stringify({ accuracy: 0.945, auc: 0.962, loss: 0.15 }));
  writeFile(dir, 'data/train.csv', `${read('data/train.csv')}9,9\n`);
  writeFile(dir, 'data/extra.csv', 'a,b\n');
  fs.rmSync(path.join(dir, 'data/README.txt'));
  recordModel();
  commitAll('train v2');
  oids.model2 = pointerOid('model.pkl');
  oids.data2 = pointerOid('data');
});
afterEach(() => cleanup(dir));

test('two commits: the model (metrics, params, inputs) and its data (files), sorted by path', async () => {
  const r = await diffRevisions(findRepo(dir), { args: ['HEAD~1', 'HEAD'], cwd: dir });
  expect([r.from.label, r.to.label]).toEqual(['HEAD~1', 'HEAD']);
  expect(r.artifacts.map((a) => [a.status, a.path, a.kind])).toEqual([
    ['modified', 'data', 'dataset'],
    ['modified', 'model.pkl', 'model'],
  ]);
  const [data, model] = r.artifacts;
  expect(data.folder).toEqual({
    source: 'manifests',
    added: ['extra.csv'],
    removed: ['README.txt'],
    modified: ['train.csv'],
  });
  expect(data.old?.files).toBe(3);
  expect(data.new?.files).toBe(3);
  expect(model.old?.oid).toBe(oids.model1);
  expect(model.new?.oid).toBe(oids.model2);
  expect(model.sizeDelta).toBe(
    fs.statSync(fixturePath('models/churn-v2.pkl')).size - fs.statSync(fixturePath('models/churn-v1.pkl')).size,
  );
  expect(model.metrics.map((m) => [m.name, m.old, m.new, m.delta, m.status, m.regression])).toEqual([
    ['accuracy', 0.931, 0.945, 0.014, 'better', false],
    ['auc', 0.962, 0.962, 0, 'unchanged', false],
    ['loss', 0.187, 0.15, -0.037, 'better', false],
  ]);
  expect(model.params).toEqual([{ name: 'train.n_estimators', old: 200, new: 400 }]);
  expect(model.inputs).toEqual([{ path: 'data', old: oids.data1, new: oids.data2 }]);
  // The other way round, every metric got worse: loss is lower-is-better by its name.
  const back = await diff({ cwd: dir, from: 'HEAD', to: 'HEAD~1' });
  expect(back.artifacts[1].metrics.filter((m) => m.regression).map((m) => m.name)).toEqual(['accuracy', 'loss']);
});

test('default: HEAD against the work tree pointers; one revision: it against the work tree', async () => {
  expect((await diff({ cwd: dir })).artifacts).toEqual([]);
  writeFile(dir, 'metrics.json', JSON.stringify({ accuracy: 0.9, auc: 0.962, loss: 0.15 }));
  mvgitOk(dir, ['add', 'model.pkl', '--metrics', 'metrics.json']);
  const r = await diff({ cwd: dir });
  expect([r.from.label, r.to.label, r.to.commit]).toEqual(['HEAD', 'work tree', undefined]);
  expect(r.artifacts.map((a) => [a.status, a.path, a.old?.oid === a.new?.oid])).toEqual([
    ['modified', 'model.pkl', true],
  ]);
  expect(r.artifacts[0].metrics[0]).toMatchObject({
    name: 'accuracy',
    old: 0.945,
    new: 0.9,
    status: 'worse',
    regression: true,
  });
  const fromV1 = await diff({ cwd: dir, from: 'v1' });
  expect(fromV1.artifacts[1].metrics[0]).toMatchObject({ old: 0.931, new: 0.9 });
});

test('a tolerance in the config lets a small drop pass; a bad direction names the file and key', async () => {
  writeFile(
    dir,
    '.mvgit/config.yaml',
    `${read('.mvgit/config.yaml')}metrics:\n  accuracy: { direction: higher, tolerance: 0.02 }\n`,
  );
  const back = await diff({ cwd: dir, from: 'HEAD', to: 'HEAD~1' });
  expect(back.artifacts[1].metrics[0]).toMatchObject({ name: 'accuracy', status: 'worse', regression: false });
  writeFile(dir, '.mvgit/config.yaml', 'metrics:\n  accuracy: up\n');
  await expect(diff({ cwd: dir })).rejects.toMatchObject({
    code: 'CONFIG_INVALID',
    message: '.mvgit/config.yaml: metrics.accuracy must be higher or lower, got "up"',
    data: { file: '.mvgit/config.yaml', key: 'metrics.accuracy' },
  });
});

test('a folder whose old manifest is not in the cache: counts from the pointers and a fetch hint', async () => {
  fs.rmSync(objectFile(dir, oidHex(oids.data1)));
  const r = await diff({ cwd: dir, from: 'HEAD~1', to: 'HEAD', paths: ['data'] });
  expect(r.artifacts.map((a) => a.path)).toEqual(['data']);
  expect(r.artifacts[0].folder).toEqual({
    source: 'pointers',
    filesBefore: 3,
    filesAfter: 3,
    hint: "the cache lacks the folder's manifest; run 'mvgit fetch --rev HEAD~1' to list its files",
  });
});

test('renamed, added and removed artifacts; one without metadata is compared by oid and size', async () => {
  fs.mkdirSync(path.join(dir, 'models'));
  git(dir, ['mv', 'model.pkl.mvgit.yaml', 'models/model.pkl.mvgit.yaml']);
  fs.renameSync(path.join(dir, 'model.pkl'), path.join(dir, 'models/model.pkl'));
  writeFile(dir, 'notes.bin', 'plain bytes');
  mvgitOk(dir, ['add', 'notes.bin']);
  fs.rmSync(path.join(dir, 'data.mvgit.yaml'));
  commitAll('reorganise');
  const r = await diff({ cwd: dir, from: 'HEAD~1', to: 'HEAD' });
  expect(r.artifacts.map((a) => [a.status, a.path, a.oldPath])).toEqual([
    ['removed', 'data', undefined],
    ['renamed', 'models/model.pkl', 'model.pkl'],
    ['added', 'notes.bin', undefined],
  ]);
  const notes = r.artifacts[2];
  expect(notes).toMatchObject({
    kind: 'artifact',
    new: { size: 11 },
    sizeDelta: 11,
    metrics: [],
    params: [],
    inputs: [],
  });
  expect(notes.old).toBeUndefined();
  expect(r.artifacts[0].folder).toMatchObject({ source: 'manifests', removed: ['extra.csv', 'test.csv', 'train.csv'] });
});

test('a revision that does not exist, and a path that is not tracked', async () => {
  const err = await diff({ cwd: dir, from: 'nope' }).catch((e: unknown) => e);
  expect(isMvgitError(err, 'REV_NOT_FOUND')).toBe(true);
  expect((err as Error).message).toBe("revision 'nope' does not exist");
  expect((err as { hint: string }).hint).toBe("name a commit, branch or tag (see 'git log --oneline' and 'git tag')");
  await expect(diff({ cwd: dir, from: 'HEAD~1', paths: ['params.yaml'] })).rejects.toMatchObject({
    code: 'NOT_TRACKED',
    message: 'params.yaml is not a tracked artifact in HEAD~1 or work tree',
  });
});

test('show: one version with flattened params, inputs, the commit and tags that recorded it', async () => {
  const v1 = await show({ cwd: dir, path: 'model.pkl', rev: 'v1' });
  expect(v1).toMatchObject({
    path: 'model.pkl',
    kind: 'model',
    oid: oids.model1,
    size: fs.statSync(fixturePath('models/churn-v1.pkl')).size,
    params: { 'train.n_estimators': 200, 'train.max_depth': 8, 'train.learning_rate': 0.1, seed: 42 },
    metrics: { accuracy: 0.931, auc: 0.962, loss: 0.187 },
    inputs: [{ path: 'data', oid: oids.data1 }],
    source: 'v1',
    recordedIn: { commit: git(dir, ['rev-parse', 'v1']).trim(), subject: 'train v1', tags: ['v1'] },
  });
  const now = await show({ cwd: path.join(dir, 'data'), path: '../model.pkl' });
  expect(now).toMatchObject({ oid: oids.model2, source: 'work tree', recordedIn: { subject: 'train v2', tags: [] } });
  await expect(show({ cwd: dir, path: 'model.pkl', rev: 'nope' })).rejects.toMatchObject({ code: 'REV_NOT_FOUND' });
  await expect(show({ cwd: dir, path: 'params.yaml' })).rejects.toMatchObject({
    code: 'NOT_TRACKED',
    message: 'params.yaml is not tracked in the work tree',
  });
});
