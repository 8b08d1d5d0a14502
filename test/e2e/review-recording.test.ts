/**
 * Recording for review, as a user sees it from the CLI: `mvgit track` with params, metrics and
 * inputs; `mvgit add` and `mvgit commit` reading them; the stale-metrics warning; and bad input
 * (missing or malformed files, untracked or old inputs) refused with the file named and a hint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { copyFixture } from '../helpers/fixtures.js';
import { cleanup, git, makeMvgitRepo, mvgit, mvgitOk, writeFile } from '../helpers/repo.js';

let repo: string;
beforeEach(() => {
  repo = makeMvgitRepo();
  copyFixture('datasets/digits', path.join(repo, 'data/train'));
  copyFixture('params/params.yaml', path.join(repo, 'params.yaml'));
  copyFixture('metrics/metrics.json', path.join(repo, 'reports/metrics.json'));
  mvgitOk(repo, ['add', 'data/train', '--kind', 'dataset']);
});
afterEach(() => cleanup(repo));

const pointer = (rel: string): { kind: string; oid: string; meta?: Record<string, unknown> } =>
  parse(fs.readFileSync(path.join(repo, rel), 'utf8'));
const track = (): void => {
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
};

test('mvgit track --params --metrics --input: says what the rule reads and writes it to the config', () => {
  const r = mvgit(repo, [
    'track',
    'models/*.pkl',
    '--kind',
    'model',
    '--params',
    'params.yaml',
    '--metrics',
    'reports/metrics.json',
    '--metrics',
    'reports/extra.json',
    '--input',
    'data/train',
  ]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    "Tracking 'models/*.pkl' as model, with params params.yaml, metrics reports/metrics.json, metrics reports/extra.json, input data/train\nNothing matches yet.\nCommit the rule: git add .mvgit/config.yaml\n",
  );
  expect(parse(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).track).toEqual([
    {
      pattern: 'models/*.pkl',
      kind: 'model',
      params: ['params.yaml'],
      metrics: ['reports/metrics.json', 'reports/extra.json'],
      inputs: ['data/train'],
    },
  ]);
  const outside = mvgit(repo, ['track', 'x/*', '--input', '../elsewhere']);
  expect(outside.code).toBe(1);
  expect(outside.stderr).toMatch(/^error: \.\.\/elsewhere is outside the repository /);
});

test('mvgit add with no path reads the rule: params and metrics nested as in the files, the input as on disk', () => {
  track();
  copyFixture('models/sklearn-logreg.pkl', path.join(repo, 'models/churn.pkl'));
  const r = mvgit(repo, ['add']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^added {5}models\/churn\.pkl \(model, 156 B, [0-9a-f]{8}\)\n/);
  expect(r.stderr).toBe('');
  expect(pointer('models/churn.pkl.mvgit.yaml').meta).toEqual({
    framework: 'sklearn',
    params: { seed: 42, train: { n_estimators: 200, max_depth: 8, learning_rate: 0.1 } },
    metrics: { accuracy: 0.931, auc: 0.962, loss: 0.187 },
    inputs: [{ path: 'data/train', oid: pointer('data/train.mvgit.yaml').oid }],
  });
});

test('new model bytes, same metrics: mvgit add warns on stderr, --json carries the warning', () => {
  track();
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl'));
  mvgitOk(repo, ['add']);
  copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
  const warning =
    "models/churn.pkl changed but its metrics (reports/metrics.json) are the same as the previous version's: were they computed for this version? Stale metrics mislead more than none.";
  const r = mvgit(repo, ['add', 'models/churn.pkl']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(`warning: ${warning}\n`);
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl'));
  const j = mvgit(repo, ['add', '--json']);
  expect(j.code).toBe(0);
  expect(JSON.parse(j.stdout)[0].warnings).toEqual([warning]);
  // Fresh metrics: no warning.
  copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
  writeFile(repo, 'reports/metrics.json', '{"accuracy": 0.94}');
  const fresh = mvgit(repo, ['add']);
  expect(fresh.code).toBe(0);
  expect(fresh.stderr).toBe('');
});

test('mvgit commit records a retrained model with a changed dataset in one commit, and warns about stale metrics', () => {
  track();
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl'));
  git(repo, ['add', '-A']);
  expect(mvgit(repo, ['commit', '-q', '-m', 'v1']).code).toBe(0);
  const train = path.join(repo, 'data/train/train.csv');
  fs.writeFileSync(train, fs.readFileSync(train, 'utf8').split('\n').slice(0, -2).join('\n'));
  copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
  const r = mvgit(repo, ['commit', '-q', '-am', 'v2']);
  expect(r.code).toBe(0);
  expect(r.stderr.split('\n')).toEqual([
    expect.stringMatching(/^mvgit: recorded models\/churn\.pkl \(model, 687 B, [0-9a-f]{8}\)$/),
    expect.stringMatching(/^mvgit: recorded data\/train \(dataset, 3 files, \d+ B, [0-9a-f]{8}\)$/),
    "mvgit: warning: models/churn.pkl changed but its metrics (reports/metrics.json) are the same as the previous version's: were they computed for this version? Stale metrics mislead more than none.",
    '',
  ]);
  const data = parse(git(repo, ['show', 'HEAD:data/train.mvgit.yaml']));
  expect(parse(git(repo, ['show', 'HEAD:models/churn.pkl.mvgit.yaml'])).meta.inputs).toEqual([
    { path: 'data/train', oid: data.oid },
  ]);
});

test('mvgit commit with the dataset put back to an older version: exit 1, nothing committed', () => {
  track();
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl'));
  git(repo, ['add', '-A']);
  mvgitOk(repo, ['commit', '-q', '-m', 'v1']);
  writeFile(repo, 'data/train/README.txt', 'digits, cleaned\n');
  mvgitOk(repo, ['add', 'data/train']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'clean data']);
  copyFixture('datasets/digits/README.txt', path.join(repo, 'data/train/README.txt'));
  copyFixture('models/churn-v2.pkl', path.join(repo, 'models/churn.pkl'));
  writeFile(repo, 'reports/metrics.json', '{"accuracy": 0.5}');
  const head = git(repo, ['rev-parse', 'HEAD']);
  const r = mvgit(repo, ['commit', '-q', '-am', 'v2']);
  expect(r.code).toBe(1);
  const v1 = git(repo, ['rev-parse', '--short=7', 'HEAD~1']).trim();
  expect(r.stderr).toBe(
    `error: input data/train of models/churn.pkl holds the version of ${v1} "v1", not the one its pointer names: models/churn.pkl would be recorded as made from old data\nhint: put the pointer's version in place (mvgit checkout data/train) and train again; or, if the old data is what you mean, record it as the newest version first: mvgit add data/train --force\n`,
  );
  expect(git(repo, ['rev-parse', 'HEAD'])).toBe(head);
});

describe('bad input: exit 1, the file named, a hint', () => {
  beforeEach(() => copyFixture('models/churn-v1.pkl', path.join(repo, 'models/churn.pkl')));
  test.each([
    [
      ['--metrics', 'reports/nope.json'],
      'error: metrics file reports/nope.json does not exist\nhint: write it before recording (the training script usually does), or change --metrics; it must be YAML or JSON such as metrics.json\n',
    ],
    [
      ['--params', 'bad.yaml'],
      'error: params file bad.yaml is not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1\nhint: fix the file (or let the training script write it again), then run the command again\n',
    ],
    [
      ['--metrics', 'list.json'],
      'error: metrics file list.json must hold a mapping of names to values\nhint: for example: {"accuracy": 0.93, "auc": 0.96}\n',
    ],
    [
      ['--input', 'notes.txt'],
      'error: input notes.txt of models/churn.pkl is not a tracked artifact\nhint: record it first: mvgit add notes.txt --kind dataset\n',
    ],
  ])('mvgit add %j', (args, stderr) => {
    writeFile(repo, 'bad.yaml', 'train: [1\n');
    writeFile(repo, 'list.json', '[0.9]\n');
    writeFile(repo, 'notes.txt', 'n\n');
    const r = mvgit(repo, ['add', 'models/churn.pkl', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(stderr);
    expect(fs.existsSync(path.join(repo, 'models/churn.pkl.mvgit.yaml'))).toBe(false);
  });

  test("a rule's missing metrics file: mvgit add names the file and the rule", () => {
    track();
    fs.rmSync(path.join(repo, 'reports/metrics.json'));
    const r = mvgit(repo, ['add']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: metrics file reports/metrics.json does not exist\nhint: write it before recording (the training script usually does), or change the tracking rule's metrics in .mvgit/config.yaml; it must be YAML or JSON such as metrics.json\n",
    );
  });

  test('metrics that are not numbers are kept as text, lists and nesting as they are', () => {
    writeFile(
      repo,
      'm.yaml',
      'accuracy: 0.9\nnote: baseline run\nbest_epoch: "12"\nconfusion: [[5, 1], [2, 7]]\nper_class:\n  cat: {f1: 0.8}\n',
    );
    expect(mvgit(repo, ['add', 'models/churn.pkl', '--metrics', 'm.yaml']).code).toBe(0);
    expect(pointer('models/churn.pkl.mvgit.yaml').meta?.metrics).toEqual({
      accuracy: 0.9,
      note: 'baseline run',
      best_epoch: '12',
      confusion: [
        [5, 1],
        [2, 7],
      ],
      per_class: { cat: { f1: 0.8 } },
    });
  });
});
