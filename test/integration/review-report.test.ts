/**
 * The `report` API (the model of `mvgit report`) on a real repository: main trains v1 of a
 * model and its data; a branch trains a worse v2 and a better v3; origin is a bare clone, so
 * origin/HEAD names main. Summary counts, the biggest change, the merge-base default and its
 * fallbacks, a bad revision, and a base from before mvgit (everything added).
 */
import fs from 'node:fs';
import path from 'node:path';
import { report } from '../../src/api/review.js';
import { copyFixture } from '../helpers/fixtures.js';
import { cleanup, git, makeGitRepo, makeMvgitRepo, tempDir, writeFile } from '../helpers/repo.js';
import { recordTrainingRun } from '../helpers/review.js';

let dir: string;
let origin: string;
const commits: Record<string, string> = {};
const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');

function train(name: string, metrics: object): void {
  writeFile(dir, 'metrics.json', JSON.stringify(metrics));
  recordTrainingRun(dir);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `train ${name}`]);
  commits[name] = git(dir, ['rev-parse', 'HEAD']).trim();
}

beforeAll(() => {
  dir = makeMvgitRepo();
  commits.initial = git(dir, ['rev-parse', 'HEAD']).trim();
  copyFixture('models/churn-v1.pkl', path.join(dir, 'model.pkl'));
  copyFixture('params/params.yaml', path.join(dir, 'params.yaml'));
  copyFixture('datasets/digits', path.join(dir, 'data'));
  copyFixture('metrics/metrics.json', path.join(dir, 'metrics.json'));
  train('v1', JSON.parse(read('metrics.json')));
  origin = `${tempDir()}/origin.git`;
  git(dir, ['clone', '-q', '--bare', dir, origin]);
  git(dir, ['remote', 'add', 'origin', origin]);
  git(dir, ['fetch', '-q', 'origin']);
  git(dir, ['remote', 'set-head', 'origin', '--auto']);
  git(dir, ['checkout', '-q', '-b', 'feature']);
  copyFixture('models/churn-v2.pkl', path.join(dir, 'model.pkl'));
  writeFile(dir, 'data/extra.csv', 'x,y\n1,2\n');
  train('v2', { accuracy: 0.92, auc: 0.95, loss: 0.21 });
  writeFile(dir, 'params.yaml', read('params.yaml').replace(/max_depth: \d+/, 'max_depth: 12'));
  train('v3', { accuracy: 0.95, auc: 0.97, loss: 0.15 });
  // main moves on after the branch: the report still compares from where the branch left it.
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'later on main']);
  git(dir, ['push', '-q', 'origin', 'main']);
  git(dir, ['checkout', '-q', 'feature']);
});
afterAll(() => {
  cleanup(dir);
  cleanup(path.dirname(origin));
});

describe('report', () => {
  test('default base: the merge-base with the branch origin/HEAD names; head: HEAD', async () => {
    const r = await report({ cwd: dir });
    expect(r.baseFrom).toEqual({ mergeBaseWith: 'origin/main' });
    expect(r.base).toEqual({ label: 'merge-base with origin/main', commit: commits.v1 });
    expect(r.head).toEqual({ label: 'HEAD', commit: commits.v3 });
    expect(r.sections.map((s) => [s.diff.path, s.diff.kind, s.diff.status])).toEqual([
      ['data', 'dataset', 'modified'],
      ['model.pkl', 'model', 'modified'],
    ]);
  });

  test('summary: counts by kind and the biggest metric change by percent', async () => {
    const { summary } = await report({ cwd: dir });
    expect([summary.models, summary.datasets, summary.others]).toEqual([1, 1, 0]);
    expect(summary.biggest?.path).toBe('model.pkl');
    expect(summary.biggest?.metric).toMatchObject({ name: 'loss', old: 0.187, new: 0.15, status: 'better' });
  });

  test('a section: params, lineage, file counts and names, each metric across the head branch', async () => {
    const r = await report({ cwd: dir });
    const [data, model] = r.sections;
    expect(model.diff.params).toEqual([{ name: 'train.max_depth', old: 8, new: 12 }]);
    expect(model.inputs.map((i) => i.path)).toEqual(['data']);
    expect(model.diff.inputs).toHaveLength(1);
    expect([data.diff.old?.files, data.diff.new?.files]).toEqual([3, 4]);
    expect(data.diff.folder).toEqual({ source: 'manifests', added: ['extra.csv'], removed: [], modified: [] });
    expect(data.series).toEqual([]);
    const accuracy = model.series.find((s) => s.metric === 'accuracy');
    expect(accuracy?.direction).toBe('higher');
    expect(accuracy?.points.map((p) => [p.commit, p.value])).toEqual([
      [commits.v1, 0.931],
      [commits.v2, 0.92],
      [commits.v3, 0.95],
    ]);
    expect(model.series.map((s) => s.metric)).toEqual(['accuracy', 'auc', 'loss']);
  });

  test('--base and --head as named; the worse version is the biggest change then', async () => {
    const r = await report({ cwd: dir, base: 'feature~1', head: 'feature' });
    expect(r.baseFrom).toEqual({ named: 'feature~1' });
    expect(r.summary).toMatchObject({ models: 1, datasets: 0 });
    expect(r.summary.biggest?.metric).toMatchObject({ name: 'loss', old: 0.21, new: 0.15 });
    const worse = await report({ cwd: dir, base: 'feature~2', head: 'feature~1' });
    expect(worse.summary.biggest?.metric).toMatchObject({ name: 'loss', old: 0.187, new: 0.21, status: 'worse' });
  });

  test('a bad revision is REV_NOT_FOUND naming it', async () => {
    await expect(report({ cwd: dir, base: 'no-such-branch' })).rejects.toMatchObject({
      code: 'REV_NOT_FOUND',
      message: "revision 'no-such-branch' does not exist",
    });
    await expect(report({ cwd: dir, head: 'v9' })).rejects.toMatchObject({ code: 'REV_NOT_FOUND' });
  });

  test('a base from before mvgit (no config, no pointers): every artifact is added', async () => {
    expect(git(dir, ['ls-tree', '-r', '--name-only', commits.initial])).toBe('');
    const r = await report({ cwd: dir, base: commits.initial });
    expect(r.sections.map((s) => s.diff.status)).toEqual(['added', 'added']);
    expect(r.summary).toMatchObject({ models: 1, datasets: 1 });
    const model = r.sections[1];
    expect(model.diff.metrics.every((m) => m.status === 'added')).toBe(true);
    expect(model.diff.params.map((p) => p.name)).toContain('train.max_depth');
  });
});

describe('report: the default branch without origin/HEAD', () => {
  let bare: string;
  afterEach(() => cleanup(bare));

  test('no remote: the local main', async () => {
    bare = tempDir();
    git(bare, ['clone', '-q', '--no-local', dir, 'repo']);
    const clone = path.join(bare, 'repo');
    git(clone, ['checkout', '-q', 'feature']);
    git(clone, ['remote', 'remove', 'origin']);
    git(clone, ['branch', '-q', 'main', commits.v1]);
    const r = await report({ cwd: clone });
    expect(r.baseFrom).toEqual({ mergeBaseWith: 'main' });
    expect(r.base.commit).toBe(commits.v1);
  });

  test('a shallow clone (as CI makes): the merge-base is missing, the hint says how to fetch it', async () => {
    bare = tempDir();
    git(bare, ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${dir}`, 'repo']);
    const clone = path.join(bare, 'repo');
    git(clone, ['remote', 'set-head', 'origin', 'main']);
    await expect(report({ cwd: clone })).rejects.toMatchObject({
      code: 'REV_NOT_FOUND',
      message: 'origin/main and HEAD have no common commit in this shallow clone to compare from',
      hint: 'fetch the history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout), or pass --base REV',
    });
  });

  test('no main, no master, no remote: a clear error with a hint', async () => {
    bare = makeGitRepo();
    git(bare, ['branch', '-m', 'main', 'trunk']);
    await expect(report({ cwd: bare })).rejects.toMatchObject({
      code: 'REV_NOT_FOUND',
      message: 'no default branch to compare with: no remote, and there is no main or master branch',
      hint: "pass --base REV (for example --base main), or name the remote's default branch: git remote set-head origin --auto",
    });
  });
});
