/**
 * docs/deploy.md's workflow, run: its YAML parses, it starts on NAME#prod#N tags, and its
 * shell steps, run in order as GitHub would (GITHUB_REF, GITHUB_WORKSPACE, GITHUB_OUTPUT,
 * step outputs substituted) in a fresh clone checked out at the pushed tag, deploy the version
 * the tag names: after a rollback, the earlier one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { bytes, CLI, cleanup, git, makeGitRepo, mvgitOk, PROJECT_ROOT, tempDir, testEnv } from '../helpers/repo.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed workflow, checked field by field below
type Doc = any;

const DOC = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
const workflow: Doc = parse(/```yaml\n([\s\S]*?)```/.exec(DOC)![1]);

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-deploy-doc-');
});
afterEach(() => cleanup(base));

test('the workflow starts on a push of NAME#prod#N and reads the registry with check-ref, then get', () => {
  expect(workflow.on).toEqual({ push: { tags: ['**#prod#*'] } });
  const steps: Doc[] = workflow.jobs.deploy.steps;
  expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
  const run = steps.map((s) => s.run ?? '').join('\n');
  expect(run).toContain('mvgit check-ref "$GITHUB_REF" --json');
  expect(run).toContain('mvgit get "$GITHUB_WORKSPACE" "$NAME@$VERSION" -o');
});

test('its steps, run after a rollback was pushed, deploy the version prod went back to', () => {
  const models = [bytes(2000, 1), bytes(2000, 2), bytes(2000, 3)];
  const origin = path.join(base, 'churn');
  fs.mkdirSync(origin);
  makeGitRepo(origin);
  mvgitOk(origin, ['init', '--remote', path.join(base, 'store')]);
  fs.mkdirSync(path.join(origin, 'models'));
  models.forEach((data, i) => {
    fs.writeFileSync(path.join(origin, 'models', 'churn.pkl'), data);
    mvgitOk(origin, ['add', 'models/churn.pkl', '--kind', 'model']);
    git(origin, ['add', '-A']);
    git(origin, ['commit', '-q', '-m', `churn ${i}`]);
    mvgitOk(origin, ['version', 'churn', `0.${i + 1}.0`]);
  });
  mvgitOk(origin, ['promote', 'churn', 'v0.2.0', 'prod']);
  mvgitOk(origin, ['promote', 'churn', 'v0.3.0', 'prod']);
  mvgitOk(origin, ['rollback', 'churn', 'prod']);
  mvgitOk(origin, ['push', '--all-commits']);

  // What actions/checkout leaves for a tag push: a clone, HEAD detached at the tag.
  const workspace = path.join(base, 'workspace');
  git(base, ['clone', '-q', origin, workspace]);
  git(workspace, ['checkout', '-q', '--detach', 'churn#prod#3']);
  const bin = path.join(base, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'mvgit'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  const outputs = path.join(base, 'github-output');
  const env = testEnv({
    PATH: `${bin}:${process.env.PATH}`,
    GITHUB_REF: 'refs/tags/churn#prod#3',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputs,
  });
  let log = '';
  for (const step of workflow.jobs.deploy.steps as Doc[]) {
    if (step.run === undefined || /npm install/.test(step.run)) continue;
    const stepEnv: NodeJS.ProcessEnv = { ...env };
    for (const [k, v] of Object.entries((step.env ?? {}) as Record<string, string>))
      stepEnv[k] = v
        .replace(/\$\{\{ steps\.ref\.outputs\.(\w+) \}\}/, (_m, key) => stepOutput(outputs, key))
        .replace(/\$\{\{ secrets\.\w+ \}\}/, '');
    const r = spawnSync('bash', ['-e', '-c', step.run], { cwd: workspace, env: stepEnv, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`step '${step.name}' failed:\n${r.stdout}\n${r.stderr}`);
    log += r.stdout;
  }
  expect(log).toContain('deploying churn@v0.2.0 (rollback)');
  expect(fs.readFileSync(path.join(workspace, 'deploy', 'churn.pkl')).equals(models[1])).toBe(true);
  expect(fs.readdirSync(path.join(workspace, 'deploy')).sort()).toEqual(['churn.pkl', 'version.json']);
});

/** A step output as GitHub reads it from GITHUB_OUTPUT (`key=value` lines, the last wins). */
function stepOutput(file: string, key: string): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const hit = lines.filter((l) => l.startsWith(`${key}=`)).pop();
  return hit ? hit.slice(key.length + 1) : '';
}
