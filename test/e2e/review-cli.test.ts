/**
 * The built CLI: `mvgit diff` (table, Markdown, JSON, the CI gate's exit codes), `mvgit log`
 * with params, tags, --md, --csv and --sort-by, and `mvgit show`, over three trainings of a
 * model: v1 (the fixtures' params and metrics), a worse v2 with changed data, a better v3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, readFixture } from '../helpers/fixtures.js';
import { cleanup, git, makeMvgitRepo, mvgit, mvgitOk, writeFile } from '../helpers/repo.js';
import { recordTrainingRun } from '../helpers/review.js';

let repo: string;
let commits: string[];
const read = (rel: string): string => fs.readFileSync(path.join(repo, rel), 'utf8');
const oidOf = (rel: string): string => /oid: sha256:([0-9a-f]{8})/.exec(read(`${rel}.mvgit.yaml`))![1];
const oids: Record<string, string> = {};
const short = (i: number): string => commits[i].slice(0, 7);

function train(version: string, metrics: object, maxDepth: number): void {
  writeFile(repo, 'metrics.json', JSON.stringify(metrics));
  writeFile(repo, 'params.yaml', read('params.yaml').replace(/max_depth: \d+/, `max_depth: ${maxDepth}`));
  recordTrainingRun(repo);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', `train ${version}`]);
  commits.push(git(repo, ['rev-parse', 'HEAD']).trim());
  oids[`model-${version}`] = oidOf('model.pkl');
  oids[`data-${version}`] = oidOf('data');
}

beforeAll(() => {
  repo = makeMvgitRepo();
  commits = [];
  copyFixture('models/churn-v1.pkl', path.join(repo, 'model.pkl'));
  copyFixture('params/params.yaml', path.join(repo, 'params.yaml'));
  copyFixture('datasets/digits', path.join(repo, 'data'));
  train('v1', JSON.parse(readFixture('metrics/metrics.json').toString('utf8')), 8);
  git(repo, ['tag', 'v1.0']);
  copyFixture('models/churn-v2.pkl', path.join(repo, 'model.pkl'));
  writeFile(repo, 'data/extra.csv', 'x,y\n1,2\n');
  train('v2', { accuracy: 0.92, auc: 0.95, loss: 0.21 }, 10);
  writeFile(repo, 'model.pkl', `${read('model.pkl')}v3`);
  train('v3', { accuracy: 0.95, auc: 0.97, loss: 0.15 }, 12);
  git(repo, ['tag', 'v3.0']);
});
afterAll(() => cleanup(repo));

const sizeOf = (rel: string): number => fs.statSync(path.join(repo, rel)).size;

describe('mvgit diff', () => {
  test('HEAD~2 HEAD: one heading line per artifact, its changes below', () => {
    const r = mvgit(repo, ['diff', 'HEAD~2', 'HEAD']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `modified  data  dataset  ${oids['data-v1']} -> ${oids['data-v3']}  578 B -> 586 B (+8 B)`,
      '  files: 1 added, 0 removed, 0 modified',
      '    + extra.csv',
      `modified  model.pkl  model  ${oids['model-v1']} -> ${oids['model-v3']}  687 B -> 1.1 KiB (+433 B)`,
      '  metric accuracy: 0.931 -> 0.95 +0.019 (+2.04%) better',
      '  metric auc: 0.962 -> 0.97 +0.008 (+0.83%) better',
      '  metric loss: 0.187 -> 0.15 -0.037 (-19.79%) better',
      '  param train.max_depth: 8 -> 12',
      `  input data: ${oids['data-v1']} -> ${oids['data-v3']}`,
    ]);
    expect(sizeOf('model.pkl')).toBe(1120);
  });

  test('--md: a summary table, then metrics marked better/worse in words, params and inputs', () => {
    const r = mvgit(repo, ['diff', 'HEAD~2', 'HEAD~1', '--md', 'model.pkl']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '### mvgit diff: HEAD\\~2 → HEAD\\~1',
      '',
      '| artifact | change | kind | oid | size |',
      '|---|---|---|---|---|',
      `| \`model.pkl\` | modified | model | ${oids['model-v1']} → ${oids['model-v2']} | 687 B |`,
      '',
      '#### `model.pkl`',
      '',
      '| metric | old | new | Δ | % | |',
      '|---|---|---|---|---|---|',
      '| accuracy | 0.931 | 0.92 | -0.011 | -1.18% | ❌ worse |',
      '| auc | 0.962 | 0.95 | -0.012 | -1.25% | ❌ worse |',
      '| loss | 0.187 | 0.21 | +0.023 | +12.3% | ❌ worse |',
      '',
      '| param | old | new |',
      '|---|---|---|',
      '| train.max_depth | 8 | 10 |',
      '',
      '| input | old | new |',
      '|---|---|---|',
      `| \`data\` | ${oids['data-v1']} | ${oids['data-v2']} |`,
    ]);
  });

  test('--json: the typed comparison, one document', () => {
    const r = mvgit(repo, ['diff', 'HEAD~1', 'HEAD', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.from).toEqual({ label: 'HEAD~1', commit: commits[1] });
    expect(j.to).toEqual({ label: 'HEAD', commit: commits[2] });
    expect(j.regression).toBe(false);
    expect(j.artifacts).toHaveLength(1);
    expect(j.artifacts[0]).toMatchObject({
      status: 'modified',
      path: 'model.pkl',
      kind: 'model',
      sizeDelta: 433,
      params: [{ name: 'train.max_depth', old: 10, new: 12 }],
      inputs: [],
    });
    expect(j.artifacts[0].metrics[2]).toEqual({
      name: 'loss',
      old: 0.21,
      new: 0.15,
      delta: -0.06,
      percent: -28.5714285714,
      direction: 'lower',
      status: 'better',
      regression: false,
    });
  });

  test('--fail-on-regression: exit 3 on a worse model, 0 on a better one', () => {
    const worse = mvgit(repo, ['diff', 'HEAD~2', 'HEAD~1', '--fail-on-regression']);
    expect(worse.code).toBe(3);
    expect(worse.stdout).toContain('  metric loss: 0.187 -> 0.21 +0.023 (+12.3%) worse\n');
    expect(worse.stderr.split('\n')).toEqual([
      'error: a metric got worse: model.pkl accuracy 0.931 -> 0.92; model.pkl auc 0.962 -> 0.95; model.pkl loss 0.187 -> 0.21',
      'hint: set a tolerance in .mvgit/config.yaml (metrics: { NAME: { direction: higher, tolerance: 0.01 } }) if this change is acceptable',
      '',
    ]);
    const json = mvgit(repo, ['diff', 'HEAD~2', 'HEAD~1', '--fail-on-regression', '--json']);
    expect([json.code, JSON.parse(json.stdout).regression]).toEqual([3, true]);
    expect(mvgit(repo, ['diff', 'HEAD~1', 'HEAD', '--fail-on-regression']).code).toBe(0);
    expect(mvgit(repo, ['diff', 'HEAD~2', 'HEAD~1']).code).toBe(0);
  });

  test('the work tree by default; nothing changed says so', () => {
    const r = mvgit(repo, ['diff']);
    expect([r.code, r.stdout]).toEqual([0, 'no artifact changed between HEAD and work tree\n']);
  });

  test('a revision that does not exist', () => {
    const r = mvgit(repo, ['diff', 'v9.9', 'HEAD']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      "error: revision 'v9.9' does not exist (nor is it a path in the work tree)",
      "hint: name a commit, branch or tag (see 'git log --oneline' and 'git tag'); put paths of deleted artifacts after '--'",
      '',
    ]);
  });

  test('a bad direction in the config names the file and the key', () => {
    const config = read('.mvgit/config.yaml');
    try {
      writeFile(repo, '.mvgit/config.yaml', `${config}metrics:\n  accuracy: up\n`);
      const r = mvgit(repo, ['diff', 'HEAD~1', 'HEAD']);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe(
        'error: .mvgit/config.yaml: metrics.accuracy must be higher or lower, got "up"',
      );
      expect(r.stderr).toContain("hint: write it as 'metrics: { accuracy: higher, loss: lower }'");
      // Reversed by the config, a lower accuracy is better: the gate passes.
      writeFile(
        repo,
        '.mvgit/config.yaml',
        `${config}metrics:\n  accuracy: lower\n  auc: { tolerance: 0.02 }\n  loss: { direction: higher }\n`,
      );
      const gate = mvgit(repo, ['diff', 'HEAD~2', 'HEAD~1', '--fail-on-regression']);
      expect(gate.stdout).toContain('  metric accuracy: 0.931 -> 0.92 -0.011 (-1.18%) better\n');
      expect(gate.stdout).toContain('  metric auc: 0.962 -> 0.95 -0.012 (-1.25%) worse (within tolerance)\n');
      expect(gate.code).toBe(0);
    } finally {
      writeFile(repo, '.mvgit/config.yaml', config);
    }
  });
});

describe('mvgit log', () => {
  const params = (depth: number): string =>
    `seed=42 train.learning_rate=0.1 train.max_depth=${depth} train.n_estimators=200`;

  test('params and tags in the table; --sort-by loss puts the lowest first', () => {
    const r = mvgit(repo, ['log', 'model.pkl', '--sort-by', 'loss']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(['commit', 'date', 'author', 'oid', 'size', 'params', 'metrics', 'subject']);
    expect(lines.slice(1).map((l) => [l[0], l[5], l[6], l[7]])).toEqual([
      [short(2), params(12), 'accuracy=0.95 auc=0.97 loss=0.15', '(tag: v3.0) train v3'],
      [short(0), params(8), 'accuracy=0.931 auc=0.962 loss=0.187', '(tag: v1.0) train v1'],
      [short(1), params(10), 'accuracy=0.92 auc=0.95 loss=0.21', 'train v2'],
    ]);
    const auc = mvgit(repo, ['log', 'model.pkl', '--sort-by', 'auc']).stdout.trimEnd().split('\n');
    expect(auc.slice(1).map((l) => l.slice(0, 7))).toEqual([short(2), short(0), short(1)]);
    const bad = mvgit(repo, ['log', 'model.pkl', '--sort-by', 'f1']);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      "error: no version of model.pkl has a metric 'f1'\nhint: its metrics: accuracy, auc, loss\n",
    ]);
  });

  test('--md and --csv', () => {
    const md = mvgit(repo, ['log', 'model.pkl', '--md', '-n', '2']).stdout.trimEnd().split('\n');
    expect(md[0]).toBe('| commit | date | author | tags | oid | size | params | metrics | subject |');
    expect(md[1]).toBe('|---|---|---|---|---|---|---|---|---|');
    expect(md).toHaveLength(4);
    expect(md[2]).toMatch(
      new RegExp(
        `^\\| \`${short(2)}\` \\| [0-9-]+ [0-9:]+ \\| Test \\| v3.0 \\| \`${oids['model-v3']}\` \\| 1.1 KiB \\| ${params(12)} \\| accuracy=0.95 auc=0.97 loss=0.15 \\| train v3 \\|$`,
      ),
    );
    const csv = mvgit(repo, ['log', 'model.pkl', '--csv']).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe(
      'commit,date,author,tags,path,oid,size,files,params.seed,params.train.learning_rate,params.train.max_depth,params.train.n_estimators,metrics.accuracy,metrics.auc,metrics.loss,subject',
    );
    expect(csv[3]).toMatch(
      new RegExp(
        `^${commits[0]},[^,]+,Test,v1.0,model.pkl,sha256:${oids['model-v1']}[0-9a-f]{56},687,,42,0.1,8,200,0.931,0.962,0.187,train v1$`,
      ),
    );
  });

  test('--json carries inputs and tags', () => {
    const [v3] = JSON.parse(mvgitOk(repo, ['log', 'model.pkl', '--json', '-n', '1']));
    expect(v3.tags).toEqual(['v3.0']);
    expect(v3.inputs).toEqual([{ path: 'data', oid: expect.stringMatching(new RegExp(`^sha256:${oids['data-v3']}`)) }]);
  });
});

describe('mvgit show', () => {
  test('one version, readable: params flattened, metrics, inputs, the commit and its tags', () => {
    const r = mvgit(repo, ['show', 'model.pkl', '--rev', 'v1.0']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('path    model.pkl');
    expect(lines[1]).toBe('kind    model');
    expect(lines[2]).toMatch(new RegExp(`^oid     sha256:${oids['model-v1']}[0-9a-f]{56}$`));
    expect(lines.slice(3, 7)).toEqual([
      'size    687 B (687 bytes)',
      'from    v1.0',
      `commit  ${commits[0].slice(0, 10)} ${lines[5].slice(19, 29)} Test: train v1`,
      'tags    v1.0',
    ]);
    expect(lines.slice(7, 20)).toEqual([
      '',
      'params',
      '  seed                 42',
      '  train.learning_rate  0.1',
      '  train.max_depth      8',
      '  train.n_estimators   200',
      '',
      'metrics',
      '  accuracy  0.931',
      '  auc       0.962',
      '  loss      0.187',
      '',
      'inputs',
    ]);
    expect(lines[20]).toMatch(new RegExp(`^  data  sha256:${oids['data-v1']}[0-9a-f]{56}$`));
  });

  test('--json of the work tree version, and an untracked path', () => {
    const j = JSON.parse(mvgitOk(repo, ['show', 'model.pkl', '--json']));
    expect(j).toMatchObject({
      source: 'work tree',
      size: 1120,
      metrics: { loss: 0.15 },
      recordedIn: { commit: commits[2], tags: ['v3.0'] },
    });
    const r = mvgit(repo, ['show', 'params.yaml']);
    expect([r.code, r.stderr]).toEqual([
      1,
      "error: params.yaml is not tracked in the work tree\nhint: 'mvgit log params.yaml' lists its versions; 'mvgit status' lists what is tracked\n",
    ]);
  });
});

// Last: it changes the work tree's data (and puts it back).
test('diff of a folder in the work tree: the first 5 names of each kind, --all lists all', () => {
  for (let i = 1; i <= 7; i++) writeFile(repo, `data/new-${i}.csv`, `${i}\n`);
  mvgitOk(repo, ['add', 'data']);
  try {
    const r = mvgit(repo, ['diff', 'data']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      `modified  data  dataset  ${oids['data-v3']} -> ${oidOf('data')}  586 B -> 600 B (+14 B)`,
      '  files: 7 added, 0 removed, 0 modified',
      ...[1, 2, 3, 4, 5].map((i) => `    + new-${i}.csv`),
      '    + … 2 more (--all lists them)',
    ]);
    const all = mvgit(repo, ['diff', 'HEAD', '--all', '--', 'data']).stdout.trimEnd().split('\n');
    expect(all.slice(2)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `    + new-${i}.csv`));
  } finally {
    for (let i = 1; i <= 7; i++) fs.rmSync(path.join(repo, `data/new-${i}.csv`));
    git(repo, ['checkout', '--', 'data.mvgit.yaml']);
  }
});
