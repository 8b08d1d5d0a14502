/**
 * The built CLI's `mvgit report`: the Markdown a CI job posts on a pull request (marker,
 * summary, tables, Mermaid charts), the one-file HTML with SVG charts, `-o`, a fresh clone with
 * no cache (pointers alone), and hostile names from a pointer, escaped in both formats.
 */
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture } from '../helpers/fixtures.js';
import { cleanup, git, makeMvgitRepo, mvgit, mvgitOk, tempDir, writeFile } from '../helpers/repo.js';

let repo: string;
let origin: string;
const commits: Record<string, string> = {};
const short = (name: string): string => commits[name].slice(0, 7);
const oid8 = (rel: string): string =>
  /oid: sha256:([0-9a-f]{8})/.exec(fs.readFileSync(path.join(repo, `${rel}.mvgit.yaml`), 'utf8'))![1];
const oids: Record<string, string> = {};

function train(name: string, metrics: object): void {
  writeFile(repo, 'metrics.json', JSON.stringify(metrics));
  mvgitOk(repo, ['add', 'data', '--kind', 'dataset']);
  mvgitOk(repo, ['add', 'model.pkl', '--kind', 'model', '--params', 'params.yaml', '--metrics', 'metrics.json']);
  mvgitOk(repo, ['add', 'model.pkl', '--input', 'data']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', `train ${name}`]);
  commits[name] = git(repo, ['rev-parse', 'HEAD']).trim();
  oids[`data-${name}`] = oid8('data');
}

beforeAll(() => {
  repo = makeMvgitRepo();
  copyFixture('models/churn-v1.pkl', path.join(repo, 'model.pkl'));
  copyFixture('params/params.yaml', path.join(repo, 'params.yaml'));
  copyFixture('datasets/digits', path.join(repo, 'data'));
  train('v1', { accuracy: 0.931, auc: 0.962, loss: 0.187 });
  origin = path.join(tempDir(), 'origin.git');
  git(repo, ['clone', '-q', '--bare', repo, origin]);
  git(repo, ['remote', 'add', 'origin', origin]);
  git(repo, ['fetch', '-q', 'origin']);
  git(repo, ['remote', 'set-head', 'origin', '--auto']);
  git(repo, ['checkout', '-q', '-b', 'better-model']);
  copyFixture('models/churn-v2.pkl', path.join(repo, 'model.pkl'));
  writeFile(repo, 'data/extra.csv', 'x,y\n1,2\n');
  writeFile(
    repo,
    'params.yaml',
    fs.readFileSync(path.join(repo, 'params.yaml'), 'utf8').replace(/max_depth: \d+/, 'max_depth: 12'),
  );
  train('v2', { accuracy: 0.95, auc: 0.96, loss: 0.15 });
});
afterAll(() => {
  cleanup(repo);
  cleanup(path.dirname(origin));
});

const HOSTILE = 'evil <img src=x onerror=alert(1)> @admin [x](javascript:alert(1)) | `tick`.pkl';

/** A branch off better-model that adds a model with a hostile name, metric names and values. */
function hostileBranch(): void {
  git(repo, ['checkout', '-q', '-b', 'hostile', 'better-model']);
  writeFile(repo, HOSTILE, 'weights');
  writeFile(repo, 'evil.json', JSON.stringify({ '<script>alert(1)</script>': 1, note: '</td><b>x</b> ![i](x.png)' }));
  mvgitOk(repo, ['add', HOSTILE, '--kind', 'model', '--metrics', 'evil.json']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'hostile']);
  git(repo, ['checkout', '-q', 'better-model']);
}

describe('mvgit report', () => {
  test('Markdown: the marker, a summary line, a table per artifact, a Mermaid chart per metric', () => {
    const r = mvgit(repo, ['report']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const chart = (metric: string, title: string, values: string): string[] => [
      '```mermaid',
      'xychart-beta',
      `  title "model.pkl: ${metric} (${title} is better)"`,
      `  x-axis ["${short('v1')}", "${short('v2')}"]`,
      `  y-axis "${metric}"`,
      `  line [${values}]`,
      '```',
    ];
    expect(r.stdout.split('\n')).toEqual([
      '<!-- mvgit-report -->',
      `### mvgit report: merge-base with origin/main (${short('v1')}) → HEAD (${short('v2')})`,
      '',
      '**1 model, 1 dataset changed.** Biggest metric change: `model.pkl` `loss` 0.187 → 0.15 -0.037 (-19.79%) ✅ better.',
      '',
      '#### `data` (dataset, modified)',
      '',
      '| | base | head | change |',
      '|---|---|---|---|',
      '| size | 578 B | 586 B | +8 B |',
      '| files | 3 | 4 | +1 |',
      '',
      '- added `extra.csv`',
      '',
      '#### `model.pkl` (model, modified)',
      '',
      '| | base | head | change |',
      '|---|---|---|---|',
      '| size | 687 B | 687 B | ±0 B |',
      '| metric `accuracy` | 0.931 | 0.95 | +0.019 (+2.04%) ✅ better |',
      '| metric `auc` | 0.962 | 0.96 | -0.002 (-0.21%) ❌ worse |',
      '| metric `loss` | 0.187 | 0.15 | -0.037 (-19.79%) ✅ better |',
      '| param `train.max_depth` | 8 | 12 | changed |',
      `| input \`data\` | ${oids['data-v1']} | ${oids['data-v2']} | changed |`,
      '',
      ...chart('accuracy', 'higher', '0.931, 0.95'),
      '',
      ...chart('auc', 'higher', '0.962, 0.96'),
      '',
      ...chart('loss', 'lower', '0.187, 0.15'),
      '',
    ]);
    // --md is the default, said outright.
    expect(mvgit(repo, ['report', '--md']).stdout).toBe(r.stdout);
  });

  test('--html -o report.html: one file, SVG charts, no URL, nothing printed', () => {
    const r = mvgit(repo, ['report', '--html', '-o', 'report.html']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    const html = fs.readFileSync(path.join(repo, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<polyline points="[^"]+"/g)?.map((p) => p.split(' ').length - 1)).toEqual([2, 2, 2]);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|src=/i);
    expect(html).toContain('<!-- mvgit-report -->');
    expect(html).toContain('<td>metric <code>loss</code></td><td>0.187</td><td>0.15</td><td class="better">');
    expect(fs.readdirSync(repo).filter((f) => f.startsWith('report'))).toEqual(['report.html']);
    fs.rmSync(path.join(repo, 'report.html'));
  });

  test('--json: the report model', () => {
    const r = mvgit(repo, ['report', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ models: 1, datasets: 1, others: 0, biggest: { path: 'model.pkl' } });
    expect(json.base).toEqual({ label: 'merge-base with origin/main', commit: commits.v1 });
    expect(json.sections[1].series[0]).toMatchObject({ metric: 'accuracy', direction: 'higher' });
  });

  test('-o into a missing folder: an error naming it, with a hint', () => {
    const r = mvgit(repo, ['report', '-o', 'out/report.md']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write out/report.md: the folder out does not exist');
    expect(r.stderr).toContain('mkdir -p out');
  });

  test('a bad --base: exit 1 naming it, with a hint', () => {
    const r = mvgit(repo, ['report', '--base', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("revision 'nope' does not exist");
    expect(r.stderr).toContain('git log --oneline');
  });

  test('a fresh clone, no cache, no mvgit init: metrics and counts from pointers, a hint for file names', () => {
    const dir = tempDir();
    try {
      // As CI checks out a pull request: the branch pushed, origin/HEAD naming main.
      git(repo, ['push', '-q', 'origin', 'better-model']);
      git(dir, ['clone', '-q', '-b', 'better-model', origin, 'c']);
      const clone = path.join(dir, 'c');
      const r = mvgit(clone, ['report']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const lines = r.stdout.split('\n');
      expect(lines).toContain('| files | 3 | 4 | +1 |');
      expect(lines).toContain('| metric `loss` | 0.187 | 0.15 | -0.037 (-19.79%) ✅ better |');
      expect(lines).toContain(
        `_file names unknown: the cache lacks the folder's manifest; run 'mvgit fetch --rev ${commits.v1}' and 'mvgit fetch --rev ${commits.v2}' to list its files_`,
      );
    } finally {
      cleanup(dir);
    }
  });

  test('hostile names and values are text in both formats', () => {
    hostileBranch();
    const md = mvgit(repo, ['report', '--base', 'better-model', '--head', 'hostile']);
    expect(md.code).toBe(0);
    const lines = md.stdout.split('\n');
    expect(lines).toContain(
      '#### ``evil <img src=x onerror=alert(1)> @admin [x](javascript:alert(1)) \\| `tick`.pkl`` (model, added)',
    );
    expect(lines).toContain('| metric `<script>alert(1)</script>` | - | 1 | added |');
    expect(lines).toContain('| metric `note` | - | \\</td\\>\\<b\\>x\\</b\\> \\!\\[i\\](x.png) | added |');
    expect(lines).toContain(
      '  title "evil _img src=x onerror=alert(1)_ @admin _x_(javascript:alert(1)) _ _tick_.pkl: _script_alert(1)_/script_"',
    );
    const html = mvgit(repo, ['report', '--base', 'better-model', '--head', 'hostile', '--html']);
    expect(html.code).toBe(0);
    expect(html.stdout).not.toMatch(/<script|<img|<b>|<\/td><b>/i);
    expect(html.stdout).toContain(
      '<code>evil &lt;img src=x onerror=alert(1)&gt; @admin [x](javascript:alert(1)) | `tick`.pkl</code>',
    );
    expect(html.stdout).toContain('<td>&lt;/td&gt;&lt;b&gt;x&lt;/b&gt; ![i](x.png)</td>');
  });
});
