/**
 * The CI examples in docs/ci: both workflows parse, fetch the whole history, make the report and
 * carry the marker; the GitHub comment logic (docs/ci/post-report.sh) runs against a fake `gh`
 * that logs its calls: an existing marked comment is updated (PATCH), else one is posted (POST).
 * The GitLab one runs the same way against a fake `curl`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cleanup, PROJECT_ROOT, tempDir } from '../helpers/repo.js';

const CI = path.join(PROJECT_ROOT, 'docs', 'ci');
const MARKER = '<!-- mvgit-report -->';
const read = (name: string): string => fs.readFileSync(path.join(CI, name), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: a parsed workflow, checked field by field below
type Doc = any;

test('the GitHub workflow: pull_request, full history, node 20, init, report --md -o, the posting script', () => {
  const wf: Doc = parse(read('github-actions.yml'));
  expect(Object.keys(wf.on)).toEqual(['pull_request']);
  expect(wf.permissions['pull-requests']).toBe('write');
  expect(wf.env.MVGIT_REPORT_MARKER).toBe(MARKER);
  const steps: Doc[] = wf.jobs.report.steps;
  expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
  expect(steps.find((s) => s.uses === 'actions/setup-node@v4').with['node-version']).toBe(20);
  const run = steps.map((s) => s.run ?? '').join('\n');
  expect(run).toContain('npm pack');
  expect(run).toContain('mvgit init --no-hooks');
  expect(run).toContain('mvgit pull');
  expect(run).toContain('mvgit report --md --base "$BASE_SHA" --head HEAD -o report.md');
  expect(run).toContain('post-report.sh" report.md');
});

test('the GitLab job: merge request pipelines, full history, init, report --md -o, the posting script', () => {
  const job: Doc = parse(read('gitlab-ci.yml'))['mvgit-report'];
  expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
  expect(job.variables).toMatchObject({ GIT_DEPTH: '0', MVGIT_REPORT_MARKER: MARKER });
  const script = job.script.join('\n');
  expect(script).toContain('mvgit init --no-hooks');
  expect(script).toContain('mvgit pull');
  expect(script).toContain('mvgit report --md --base "$BASE" --head HEAD -o report.md');
  expect(script).toContain('post-report-gitlab.sh report.md');
});

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

/**
 * A fake command on PATH: it appends its arguments (and any `@file` argument's content) as one
 * JSON line to calls.log and prints what `respond` gives for them.
 */
function fakeCommand(name: string, respond: string): void {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const file = path.join(bin, name);
  fs.writeFileSync(
    file,
    `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const files = {};
for (const a of args) {
  const at = a.indexOf('@');
  if (at >= 0 && fs.existsSync(a.slice(at + 1))) files[a] = fs.readFileSync(a.slice(at + 1), 'utf8');
}
fs.appendFileSync(${JSON.stringify(path.join(dir, 'calls.log'))}, JSON.stringify({ args, files }) + '\\n');
${respond}
`,
  );
  fs.chmodSync(file, 0o755);
}

function calls(): { args: string[]; files: Record<string, string> }[] {
  return fs
    .readFileSync(path.join(dir, 'calls.log'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
}

function run(script: string, env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  fs.writeFileSync(path.join(dir, 'report.md'), `${MARKER}\n### mvgit report\n`);
  const r = spawnSync('sh', [path.join(CI, script), 'report.md'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The comments GitHub lists; the fake applies the script's --jq filter to them as gh would.
const GH_RESPONSE = `
const comments = JSON.parse(process.env.FAKE_COMMENTS);
if (!args.includes('--method')) {
  const jq = args[args.indexOf('--jq') + 1];
  const marker = /contains\\("(.*)"\\)/.exec(jq)[1];
  for (const c of comments) if (c.body.includes(marker)) console.log(c.id);
}`;
const github = { GITHUB_REPOSITORY: 'acme/churn', PR_NUMBER: '7', GH_TOKEN: 'x' };

test('post-report.sh: a comment with the marker is updated (PATCH)', () => {
  fakeCommand('gh', GH_RESPONSE);
  const comments = [
    { id: 11, body: 'LGTM' },
    { id: 12, body: `${MARKER}\nold report` },
  ];
  const r = run('post-report.sh', { ...github, FAKE_COMMENTS: JSON.stringify(comments) });
  expect([r.code, r.stdout, r.stderr]).toEqual([0, 'mvgit: updated the report comment (12) on #7\n', '']);
  const [list, patch] = calls();
  expect(list.args).toEqual([
    'api',
    '--paginate',
    'repos/acme/churn/issues/7/comments',
    '--jq',
    `.[] | select(.body | contains("${MARKER}")) | .id`,
  ]);
  expect(patch.args.slice(0, 4)).toEqual(['api', '--method', 'PATCH', 'repos/acme/churn/issues/comments/12']);
  expect(Object.values(patch.files)).toEqual([`${MARKER}\n### mvgit report\n`]);
  expect(calls()).toHaveLength(2);
});

test('post-report.sh: without one, a comment is posted (POST), with the marker added when the report lacks it', () => {
  fakeCommand('gh', GH_RESPONSE);
  const r = run('post-report.sh', { ...github, FAKE_COMMENTS: JSON.stringify([{ id: 11, body: 'LGTM' }]) });
  expect([r.code, r.stdout]).toEqual([0, 'mvgit: posted the report comment on #7\n']);
  const post = calls()[1];
  expect(post.args.slice(0, 4)).toEqual(['api', '--method', 'POST', 'repos/acme/churn/issues/7/comments']);
  expect(calls()).toHaveLength(2);

  fs.rmSync(path.join(dir, 'calls.log'));
  fs.writeFileSync(path.join(dir, 'plain.md'), 'no marker\n');
  const plain = spawnSync('sh', [path.join(CI, 'post-report.sh'), 'plain.md'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`, ...github, FAKE_COMMENTS: '[]' },
  });
  expect(plain.status).toBe(0);
  expect(Object.values(calls()[1].files)).toEqual([`${MARKER}\nno marker\n`]);
});

test('post-report.sh: a failed listing stops before posting anything', () => {
  fakeCommand('gh', 'process.exit(1);');
  const r = run('post-report.sh', github);
  expect(r.code).not.toBe(0);
  expect(calls()).toHaveLength(1);
});

// GitLab lists notes a page at a time; the fake answers page 1 with FAKE_NOTES, later pages with [].
const CURL_RESPONSE = `
if (!args.includes('-X')) {
  const page = /[?&]page=(\\d+)/.exec(args.at(-1))[1];
  process.stdout.write(page === '1' ? process.env.FAKE_NOTES : '[]');
}`;
const gitlab = {
  CI_API_V4_URL: 'https://gitlab.example/api/v4',
  CI_PROJECT_ID: '42',
  CI_MERGE_REQUEST_IID: '5',
  MVGIT_GITLAB_TOKEN: 'glpat-x',
};
const notesUrl = 'https://gitlab.example/api/v4/projects/42/merge_requests/5/notes';

test('post-report-gitlab.sh: a marked note is updated (PUT), else one is posted (POST)', () => {
  fakeCommand('curl', CURL_RESPONSE);
  const notes = [
    { id: 3, body: 'nice' },
    { id: 4, body: `${MARKER}\nold` },
  ];
  const r = run('post-report-gitlab.sh', { ...gitlab, FAKE_NOTES: JSON.stringify(notes) });
  expect([r.code, r.stdout, r.stderr]).toEqual([0, 'mvgit: updated the report note (4) on !5\n', '']);
  const [list, put] = calls();
  expect(list.args).toEqual(['-fsS', '--header', 'PRIVATE-TOKEN: glpat-x', `${notesUrl}?sort=asc&per_page=100&page=1`]);
  expect(put.args).toEqual([
    '-fsS',
    '-X',
    'PUT',
    '--header',
    'PRIVATE-TOKEN: glpat-x',
    '--data-urlencode',
    expect.stringMatching(/^body@/),
    `${notesUrl}/4`,
  ]);
  expect(Object.values(put.files)).toEqual([`${MARKER}\n### mvgit report\n`]);

  fs.rmSync(path.join(dir, 'calls.log'));
  const post = run('post-report-gitlab.sh', { ...gitlab, FAKE_NOTES: JSON.stringify([notes[0]]) });
  expect([post.code, post.stdout]).toEqual([0, 'mvgit: posted the report note on !5\n']);
  expect(calls().map((c) => c.args.at(-1))).toEqual([
    `${notesUrl}?sort=asc&per_page=100&page=1`,
    `${notesUrl}?sort=asc&per_page=100&page=2`,
    notesUrl,
  ]);
});

test('post-report-gitlab.sh without a token says why and posts nothing', () => {
  fakeCommand('curl', CURL_RESPONSE);
  const { MVGIT_GITLAB_TOKEN: _, ...noToken } = gitlab;
  const r = run('post-report-gitlab.sh', noToken);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe(
    'mvgit: MVGIT_GITLAB_TOKEN is not set (a project access token with the api scope); the report is not posted\n',
  );
  expect(fs.existsSync(path.join(dir, 'calls.log'))).toBe(false);
});
