/**
 * The library as a Node user gets it: the built package imported by its name (`mvgit`, through
 * package.json `exports`), one options object per operation, a remote added by one call that
 * the next call uses (no stale settings), and the README's "Use from Node" example as written.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, readFixture } from '../helpers/fixtures.js';
import { cleanup, makeGitRepo, PROJECT_ROOT, tempDir, testEnv } from '../helpers/repo.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-library-');
});
afterEach(() => cleanup(base));

/** Runs an ES module script in a Node of its own, from the project's folder so `import 'mvgit'` resolves to this package. */
function runScript(script: string, env: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: testEnv(env),
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('init, add, status, push to a folder remote, checkout: by the package name', () => {
  const repo = path.join(base, 'repo');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  copyFixture('models/churn-v1.pkl', path.join(repo, 'models', 'churn.pkl'));
  const script = `
    import fs from 'node:fs';
    import { init, add, addRemote, status, push, checkout, isMvgitError } from 'mvgit';
    const cwd = process.env.REPO;
    const out = {};
    out.init = (await init({ cwd, hooks: false })).createdConfig;
    out.added = (await add({ cwd, paths: ['models/churn.pkl'], kind: 'model', meta: { metrics: { auc: 0.9 } } })).map((a) => [a.path, a.kind]);
    // A remote added by one call is what the next one uses.
    await addRemote({ cwd, name: 'team', url: process.env.STORE, default: true });
    out.pushed = (await push({ cwd })).transferred;
    fs.rmSync(cwd + '/models/churn.pkl');
    out.before = (await status({ cwd })).map((s) => s.status);
    out.restored = (await checkout({ cwd })).map((r) => r.result);
    out.content = fs.readFileSync(cwd + '/models/churn.pkl', 'latin1');
    try {
      await add({ cwd, paths: ['nope.bin'] });
    } catch (err) {
      out.error = isMvgitError(err) ? err.code : 'not an MvgitError';
    }
    console.log(JSON.stringify(out));
  `;
  const r = runScript(script, { REPO: repo, STORE: path.join(base, 'store') });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    init: true,
    added: [['models/churn.pkl', 'model']],
    pushed: 1,
    before: ['missing'],
    restored: ['restored'],
    content: readFixture('models/churn-v1.pkl').toString('latin1'),
    error: 'PATH_NOT_FOUND',
  });
  const pointer = fs.readFileSync(path.join(repo, 'models', 'churn.pkl.mvgit.yaml'), 'utf8');
  expect(pointer).toContain('auc: 0.9');
});

test("the README's Use from Node example runs as written", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use from Node'));
  const example = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(example).toBeDefined();
  const repo = path.join(base, 'churn');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  fs.mkdirSync(path.join(repo, 'models'));
  fs.writeFileSync(path.join(repo, 'models', 'churn.pkl'), 'weights');
  const r = runScript(`process.chdir(process.env.REPO);\n${example}`, {
    REPO: repo,
    MVGIT_STORE: path.join(base, 'store'),
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('models/churn.pkl');
  expect(fs.existsSync(path.join(base, 'store', 'objects', 'sha256'))).toBe(true);
});
