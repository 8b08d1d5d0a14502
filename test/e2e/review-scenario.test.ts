/**
 * The review issue's scenario, end to end with the built CLI and plain git: a hooked repository
 * whose tracking rule names params, metrics and the training data; three trainings of a model
 * (on two versions of a dataset) committed with `git commit` only; then what a reviewer sees in
 * `mvgit diff`, `mvgit log --md`, `git diff` and `git log -p` (through mvgit's textconv), and the
 * CI gate's exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { copyFixture } from '../helpers/fixtures.js';
import { cleanup, git, gitResult, makeHookedRepo, mvgit, mvgitOk, writeFile } from '../helpers/repo.js';

let repo: string;
const MODEL = 'models/churn.pkl.mvgit.yaml';
const DATA = 'data/digits.mvgit.yaml';

interface PointerDoc {
  oid: string;
  size: number;
  meta?: {
    framework?: string;
    params?: { seed: number; train: Record<string, number> };
    metrics?: Record<string, number>;
    inputs?: { path: string; oid: string }[];
  };
}
const pointerAt = (rev: string, file: string): PointerDoc => parse(git(repo, ['show', `${rev}:${file}`]));
const hexAt = (rev: string, file: string, n: number): string => pointerAt(rev, file).oid.slice(7, 7 + n);

/** One training: the model's bytes, its max_depth in params.yaml, its metrics; committed with git. */
function train(fixture: string, maxDepth: number, metrics: Record<string, number>, message: string): void {
  copyFixture(`models/${fixture}`, path.join(repo, 'models/churn.pkl'));
  const params = fs.readFileSync(path.join(repo, 'params.yaml'), 'utf8');
  writeFile(repo, 'params.yaml', params.replace(/max_depth: \d+/, `max_depth: ${maxDepth}`));
  writeFile(repo, 'metrics.json', `${JSON.stringify(metrics)}\n`);
  git(repo, ['add', '-A']);
  const r = gitResult(repo, ['commit', '-q', '-m', message]);
  expect([r.code, r.stderr]).toEqual([0, expect.stringContaining('mvgit: recorded models/churn.pkl')]);
}

const V1 = { accuracy: 0.931, auc: 0.962, loss: 0.187 };
const V2 = { accuracy: 0.92, auc: 0.95, loss: 0.21 }; // worse on every metric
const V3 = { accuracy: 0.95, auc: 0.97, loss: 0.15 }; // better than both

beforeAll(() => {
  repo = makeHookedRepo();
  copyFixture('datasets/digits', path.join(repo, 'data/digits'));
  copyFixture('params/params.yaml', path.join(repo, 'params.yaml'));
  mvgitOk(repo, ['track', 'data/digits', '--kind', 'dataset']);
  mvgitOk(repo, [
    'track',
    'models/*.pkl',
    '--kind',
    'model',
    '--params',
    'params.yaml',
    '--metrics',
    'metrics.json',
    '--input',
    'data/digits',
  ]);
  train('churn-v1.pkl', 8, V1, 'train v1');
  // The second version of the data: one row fewer.
  const csv = path.join(repo, 'data/digits/train.csv');
  const rows = fs.readFileSync(csv, 'utf8').split('\n');
  rows.splice(1, 1);
  fs.writeFileSync(csv, rows.join('\n'));
  train('churn-v2.pkl', 10, V2, 'train v2 on less data');
  train('sklearn-logreg.pkl', 12, V3, 'train v3: logistic regression');
});
afterAll(() => cleanup(repo));

test('every version holds its params, its metrics and the dataset version it was trained on', () => {
  expect(git(repo, ['status', '--porcelain'])).toBe('');
  const revs = ['HEAD~2', 'HEAD~1', 'HEAD'];
  expect(revs.map((rev) => pointerAt(rev, MODEL).meta)).toEqual(
    [
      [8, V1],
      [10, V2],
      [12, V3],
    ].map(([depth, metrics], i) => ({
      ...(i === 2 ? { framework: 'sklearn' } : {}),
      params: { seed: 42, train: { n_estimators: 200, max_depth: depth, learning_rate: 0.1 } },
      metrics,
      inputs: [{ path: 'data/digits', oid: pointerAt(revs[i], DATA).oid }],
    })),
  );
  // Two versions of the data: the first model's, then the one the other two were trained on.
  expect(hexAt('HEAD~2', DATA, 64)).not.toBe(hexAt('HEAD~1', DATA, 64));
  expect(hexAt('HEAD~1', DATA, 64)).toBe(hexAt('HEAD', DATA, 64));
});

test('mvgit diff HEAD~2 HEAD: sizes, the changed data file, metrics with directions, params, inputs', () => {
  const [d1, d3, m1, m3] = [
    hexAt('HEAD~2', DATA, 8),
    hexAt('HEAD', DATA, 8),
    hexAt('HEAD~2', MODEL, 8),
    hexAt('HEAD', MODEL, 8),
  ];
  const r = mvgit(repo, ['diff', 'HEAD~2', 'HEAD']);
  expect([r.code, r.stderr]).toEqual([0, '']);
  expect(r.stdout.trimEnd().split('\n')).toEqual([
    `modified  data/digits  dataset  ${d1} -> ${d3}  578 B -> 567 B (-11 B)`,
    '  files: 0 added, 0 removed, 1 modified',
    '    ~ train.csv',
    `modified  models/churn.pkl  model  ${m1} -> ${m3}  687 B -> 156 B (-531 B)`,
    '  metric accuracy: 0.931 -> 0.95 +0.019 (+2.04%) better',
    '  metric auc: 0.962 -> 0.97 +0.008 (+0.83%) better',
    '  metric loss: 0.187 -> 0.15 -0.037 (-19.79%) better',
    '  param train.max_depth: 8 -> 12',
    `  input data/digits: ${d1} -> ${d3}`,
  ]);
  const md = mvgitOk(repo, ['diff', 'HEAD~2', 'HEAD~1', '--md']);
  expect(md).toContain('- modified `train.csv`\n');
  expect(md).toContain('| accuracy | 0.931 | 0.92 | -0.011 | -1.18% | ❌ worse |\n');
  expect(md).toContain('| loss | 0.187 | 0.21 | +0.023 | +12.3% | ❌ worse |\n');
  expect(md).toContain('| train.max_depth | 8 | 10 |\n');
  expect(md).toContain(`| \`data/digits\` | ${d1} | ${d3} |\n`);
});

test('mvgit report --md from HEAD~2 to HEAD: the marker, metrics marked by direction, params, lineage, the data file', () => {
  const r = mvgit(repo, ['report', '--md', '--base', 'HEAD~2', '--head', 'HEAD']);
  expect([r.code, r.stderr]).toEqual([0, '']);
  const md = r.stdout;
  expect(md.startsWith('<!-- mvgit-report -->')).toBe(true);
  const lines = md.split('\n');
  for (const row of [
    '| size | 578 B | 567 B | -11 B |',
    '- modified `train.csv`',
    '| metric `accuracy` | 0.931 | 0.95 | +0.019 (+2.04%) ✅ better |',
    '| metric `auc` | 0.962 | 0.97 | +0.008 (+0.83%) ✅ better |',
    '| metric `loss` | 0.187 | 0.15 | -0.037 (-19.79%) ✅ better |',
    '| param `train.max_depth` | 8 | 12 | changed |',
  ])
    expect(lines).toContain(row);
  expect(md).toMatch(/\| input `data\/digits` \| [0-9a-f]{8} \| [0-9a-f]{8} \| changed \|/);
  expect(md).toContain('```mermaid');
});

test('mvgit log --md: one row per version, newest first, with its params and metrics', () => {
  const rows = mvgitOk(repo, ['log', 'models/churn.pkl', '--md']).trimEnd().split('\n');
  expect(rows.slice(0, 2)).toEqual([
    '| commit | date | author | tags | oid | size | params | metrics | subject |',
    '|---|---|---|---|---|---|---|---|---|',
  ]);
  const expected = [
    ['HEAD', '156 B', 12, 'accuracy=0.95 auc=0.97 loss=0.15', 'train v3: logistic regression'],
    ['HEAD~1', '687 B', 10, 'accuracy=0.92 auc=0.95 loss=0.21', 'train v2 on less data'],
    ['HEAD~2', '687 B', 8, 'accuracy=0.931 auc=0.962 loss=0.187', 'train v1'],
  ] as const;
  const cells = (row: string): string[] =>
    row
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim());
  expect(rows.slice(2).map((row) => cells(row).slice(3))).toEqual(
    expected.map(([rev, size, depth, metrics, subject]) => [
      '',
      `\`${hexAt(rev, MODEL, 8)}\``,
      size,
      `seed=42 train.learning_rate=0.1 train.max_depth=${depth} train.n_estimators=200`,
      metrics,
      subject,
    ]),
  );
  expect(rows.slice(2).map((row) => row.slice(0, 11))).toEqual(
    ['HEAD', 'HEAD~1', 'HEAD~2'].map((rev) => `| \`${git(repo, ['rev-parse', '--short=7', rev]).trim()}\``),
  );
});

/** The +/- and context lines of one file's part of a `git diff`, without its headers. */
function hunkLines(diff: string, file: string): string[] {
  const part = diff.split(/^diff --git /m).find((p) => p.startsWith(`a/${file} `));
  expect(part).toBeDefined();
  return part!.split('\n').filter((l) => /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l));
}

test('git diff HEAD~2 HEAD says the same in words, through the textconv driver the hooks installed', () => {
  const short = (rev: string, file: string): string => hexAt(rev, file, 12);
  const data = (rev: string): string => short(rev, DATA);
  const diff = git(repo, ['diff', 'HEAD~2', 'HEAD']);
  expect(hunkLines(diff, MODEL)).toEqual([
    ' kind: model',
    ' path: churn.pkl',
    `-oid: ${short('HEAD~2', MODEL)} (sha256)`,
    '-size: 687 bytes',
    `+oid: ${short('HEAD', MODEL)} (sha256)`,
    '+size: 156 bytes',
    '+framework: sklearn',
    ' param seed = 42',
    ' param train.learning_rate = 0.1',
    '-param train.max_depth = 8',
    '+param train.max_depth = 12',
    ' param train.n_estimators = 200',
    '-metric accuracy = 0.931',
    '-metric auc = 0.962',
    '-metric loss = 0.187',
    `-input data/digits = ${data('HEAD~2')}`,
    '+metric accuracy = 0.95',
    '+metric auc = 0.97',
    '+metric loss = 0.15',
    `+input data/digits = ${data('HEAD')}`,
  ]);
  expect(hunkLines(diff, DATA)).toEqual([
    ' kind: dataset',
    ' path: digits',
    `-oid: ${data('HEAD~2')} (sha256)`,
    '-size: 578 bytes',
    `+oid: ${data('HEAD')} (sha256)`,
    '+size: 567 bytes',
    ' files: 3',
    ' file README.txt 7da204becf3b (38 bytes)',
    ' file test.csv 152db42cfe50 (151 bytes)',
    '-file train.csv 6510eba8b28c (389 bytes)',
    '+file train.csv ee07bc0bfa5d (378 bytes)',
  ]);
  // git log -p reads the same way; --no-textconv still shows the YAML as committed.
  const log = git(repo, ['log', '-p', '--format=commit %s', '--', MODEL]);
  expect(log).toContain('commit train v2 on less data\n');
  expect(log).toContain('\n-param train.max_depth = 8\n+param train.max_depth = 10\n');
  expect(git(repo, ['diff', '--no-textconv', 'HEAD~2', 'HEAD', '--', MODEL])).toContain('\n-      max_depth: 8\n');
});

test('in a clone whose cache lacks the manifests, git diff says how to list the files', () => {
  const clone = `${repo}-clone`;
  git(path.dirname(repo), ['clone', '-q', repo, clone]);
  try {
    mvgitOk(clone, ['install']);
    expect(hunkLines(git(clone, ['diff', 'HEAD~2', 'HEAD', '--', DATA]), DATA).slice(-2)).toEqual([
      ' files: 3',
      ' files: (manifest not in the cache: mvgit fetch --rev REV lists them)',
    ]);
  } finally {
    cleanup(clone);
  }
});

test('mvgit diff --fail-on-regression: exit 3 on the worse model, 0 on the better one', () => {
  const worse = mvgit(repo, ['diff', 'HEAD~2', 'HEAD~1', '--fail-on-regression', '--', 'models/churn.pkl']);
  expect(worse.code).toBe(3);
  expect(worse.stdout).toContain('  metric auc: 0.962 -> 0.95 -0.012 (-1.25%) worse\n');
  expect(worse.stderr.split('\n')[0]).toBe(
    'error: a metric got worse: models/churn.pkl accuracy 0.931 -> 0.92; models/churn.pkl auc 0.962 -> 0.95; models/churn.pkl loss 0.187 -> 0.21',
  );
  expect(mvgit(repo, ['diff', 'HEAD~1', 'HEAD', '--fail-on-regression']).code).toBe(0);
  expect(mvgit(repo, ['diff', 'HEAD~2', 'HEAD', '--fail-on-regression']).code).toBe(0);
});

test('mvgit textconv never fails a git diff: other files pass through, an unreadable one prints nothing', () => {
  const conflict = '<<<<<<< ours\nmvgit: 1\n=======\nmvgit: 2\n>>>>>>> theirs';
  const file = writeFile(repo, 'conflict.mvgit.yaml', conflict);
  try {
    expect(mvgit(repo, ['textconv', 'conflict.mvgit.yaml'])).toEqual({ code: 0, stdout: conflict, stderr: '' });
  } finally {
    fs.rmSync(file);
  }
  const gone = mvgit(repo, ['textconv', 'nope.mvgit.yaml']);
  expect([gone.code, gone.stdout]).toEqual([0, '']);
  expect(gone.stderr).toMatch(/^mvgit textconv: cannot read nope\.mvgit\.yaml: ENOENT/);
});
