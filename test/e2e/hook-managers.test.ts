/**
 * mvgit's hooks through real hook managers (issue 11): for husky 9, lefthook, simple-git-hooks
 * and the pre-commit framework, installed by the test setup from npm and PyPI, a model
 * committed before and after the manager's own reinstall is recorded, `git checkout` restores
 * it, `git push` uploads it, and `mvgit uninstall` leaves the manager's files as they were.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, git, makeGitRepo, mvgit, mvgitOk, sha256, tempDir, testEnv } from '../helpers/repo.js';
import { fixturePath } from '../helpers/fixtures.js';
import { installManagers, NPM_MANAGERS, snapshot } from '../helpers/hook-managers.js';

const installed = installManagers();
const V1 = fs.readFileSync(fixturePath('models/churn-v1.pkl'));
const V2 = fs.readFileSync(fixturePath('models/churn-v2.pkl'));

/** The managers' tools on PATH, as their users have them. */
const PATH_WITH_TOOLS = [installed.preCommitBin, process.env.PATH].filter(Boolean).join(path.delimiter);
const env = { PATH: PATH_WITH_TOOLS, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

/** Runs a command in the repo the way a user does; throws with its output on failure. */
function sh(cwd: string, cmd: string): string {
  const r = spawnSync('sh', ['-c', cmd], { cwd, env: testEnv(env), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

function packageJson(repo: string, extra: Record<string, unknown>, deps: string[]): void {
  const devDependencies = Object.fromEntries(deps.map((d) => [d, NPM_MANAGERS[d as keyof typeof NPM_MANAGERS]]));
  const pkg = { name: 'churn', version: '1.0.0', private: true, ...extra, devDependencies };
  fs.writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.cpSync(installed.nodeModules as string, path.join(repo, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
}

interface Manager {
  name: string;
  skip: string;
  /** Sets the manager up as its users do, with a hook of their own. */
  setup(repo: string): void;
  /** The manager's reinstall, as its users run it. */
  reinstall: string;
  /** The manager's files (compared byte for byte before mvgit init and after mvgit uninstall). */
  files: (rel: string) => boolean;
}

const MANAGERS: Manager[] = [
  {
    name: 'husky',
    skip: installed.npmFailure,
    setup(repo) {
      packageJson(repo, {}, ['husky']);
      sh(repo, 'npx husky init');
      fs.writeFileSync(path.join(repo, '.husky', 'pre-commit'), 'echo user-pre-commit\n');
    },
    reinstall: 'npm install --no-audit --no-fund --offline',
    files: (rel) => rel === 'package.json' || (rel.startsWith('.husky/') && !rel.startsWith('.husky/_/')),
  },
  {
    name: 'lefthook',
    skip: installed.npmFailure,
    setup(repo) {
      packageJson(repo, {}, ['lefthook']);
      fs.writeFileSync(
        path.join(repo, 'lefthook.yml'),
        '# the team hooks\npre-commit:\n  parallel: true\n  commands:\n    lint:\n      run: echo user-lint\n',
      );
      sh(repo, 'npx lefthook install');
    },
    reinstall: 'npx lefthook install',
    files: (rel) => rel === 'lefthook.yml' || rel === 'package.json',
  },
  {
    name: 'simple-git-hooks',
    skip: installed.npmFailure,
    setup(repo) {
      packageJson(repo, { 'simple-git-hooks': { 'pre-commit': 'echo user-pre-commit' } }, ['simple-git-hooks']);
      sh(repo, 'npx simple-git-hooks');
    },
    reinstall: 'npx simple-git-hooks',
    files: (rel) => rel === 'package.json',
  },
  {
    name: 'pre-commit',
    skip: installed.preCommitFailure,
    setup(repo) {
      fs.writeFileSync(
        path.join(repo, '.pre-commit-config.yaml'),
        '# the team hooks\nrepos:\n-   repo: local\n    hooks:\n    -   id: user-check\n        name: user check\n        entry: echo user-check\n        language: system\n        pass_filenames: false\n',
      );
      sh(repo, 'pre-commit install');
    },
    reinstall: 'pre-commit install',
    files: (rel) => rel === '.pre-commit-config.yaml',
  },
];

/** The oid the committed pointer of models/churn.pkl holds at `rev`. */
const committedOid = (repo: string, rev: string): string =>
  /oid: sha256:([0-9a-f]{64})/.exec(git(repo, ['show', `${rev}:models/churn.pkl.mvgit.yaml`]))?.[1] ?? '';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) cleanup(d);
  dirs = [];
});

for (const m of MANAGERS) {
  if (m.skip) console.warn(`SKIPPED: ${m.name} could not be installed: ${m.skip}`);
  (m.skip ? test.skip : test)(
    `${m.name}: recorded before and after its reinstall, restored, uploaded; uninstall leaves its files as they were`,
    () => {
      const repo = makeGitRepo();
      const store = tempDir();
      const bare = tempDir();
      dirs.push(repo, store, bare);
      m.setup(repo);
      git(repo, ['add', '-A']);
      git(repo, ['commit', '-q', '-m', `${m.name} set up`], env);
      const before = snapshot(repo, m.files);

      const init = mvgit(repo, ['init'], env);
      expect(init.code).toBe(0);
      expect(init.stdout).toContain(`Git hooks through ${m.name}:`);
      if (m.name === 'husky')
        expect(fs.readFileSync(path.join(repo, '.husky/_/pre-commit'), 'utf8')).not.toContain('mvgit');
      mvgitOk(repo, ['track', 'models/*.pkl', '--kind', 'model'], env);
      mvgitOk(repo, ['remote', 'add', 'store', store, '--default'], env);
      fs.mkdirSync(path.join(repo, 'models'));
      fs.writeFileSync(path.join(repo, 'models/churn.pkl'), V1);
      git(repo, ['add', '-A']);
      git(repo, ['commit', '-q', '-m', 'v1'], env);
      expect(committedOid(repo, 'HEAD')).toBe(sha256(V1));
      const first = git(repo, ['rev-parse', 'HEAD']).trim();

      sh(repo, m.reinstall);
      fs.writeFileSync(path.join(repo, 'models/churn.pkl'), V2);
      // Only the (git-ignored) model changed: nothing is staged, and the manager must still run mvgit.
      const commit = spawnSync('git', ['commit', '-m', 'v2'], { cwd: repo, env: testEnv(env), encoding: 'utf8' });
      expect(commit.stdout + commit.stderr).toContain('mvgit: recorded models/churn.pkl (model, 687 B, ');
      expect(commit.stdout + commit.stderr).toContain('mvgit: hint: they are staged now: run the same commit again');
      expect(commit.status).toBe(1);
      git(repo, ['commit', '-q', '-m', 'v2'], env);
      expect(committedOid(repo, 'HEAD')).toBe(sha256(V2));

      git(repo, ['checkout', '-q', first], env);
      expect(sha256(fs.readFileSync(path.join(repo, 'models/churn.pkl')))).toBe(sha256(V1));
      git(repo, ['checkout', '-q', 'main'], env);
      expect(sha256(fs.readFileSync(path.join(repo, 'models/churn.pkl')))).toBe(sha256(V2));

      git(bare, ['init', '-q', '--bare']);
      git(repo, ['remote', 'add', 'origin', bare]);
      git(repo, ['push', '-q', 'origin', 'main'], env);
      for (const oid of [sha256(V1), sha256(V2)])
        expect(fs.existsSync(path.join(store, 'objects/sha256', oid.slice(0, 2), oid.slice(2)))).toBe(true);

      const un = mvgit(repo, ['uninstall'], env);
      expect(un.code).toBe(0);
      expect(snapshot(repo, m.files)).toEqual(before);
    },
    240_000,
  );
}

/** A repo with mvgit initialized and a folder remote, every check passing. */
function doctorRepo(): string {
  const repo = makeGitRepo();
  const store = tempDir();
  dirs.push(repo, store);
  mvgitOk(repo, ['init', '--remote', store]);
  return repo;
}

test('doctor: a removed hook is reported with its fix (exit 1); after the fix it passes', () => {
  const repo = doctorRepo();
  const ok = mvgit(repo, ['doctor']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('hook pre-commit     ok    installed directly');
  expect(ok.stdout).toMatch(/^merge driver {8}ok {4}merge\.mvgit\.driver$/m);
  expect(ok.stdout).toContain('Everything mvgit needs is in place.');

  fs.rmSync(path.join(repo, '.git/hooks/post-merge'));
  const bad = mvgit(repo, ['doctor']);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toContain('hook post-merge     FAIL  missing: not installed');
  expect(bad.stdout).toContain('1 problem(s). Fix with:\n  mvgit install\n');
  const json = JSON.parse(mvgit(repo, ['doctor', '--json']).stdout);
  expect(json.ok).toBe(false);
  expect(json.fixes).toEqual(['mvgit install']);
  expect(json.checks.find((c: { check: string }) => c.check === 'hook post-merge')).toEqual({
    check: 'hook post-merge',
    ok: false,
    detail: 'missing: not installed',
    fix: 'mvgit install',
  });
  expect(mvgit(repo, ['status']).stderr).toContain("warning: mvgit's post-merge hook is not installed");
  expect(mvgit(repo, ['add']).stderr).toBe(
    "warning: mvgit's post-merge hook is not installed: git checkout, merge and pull leave models and datasets as they were, and commits do not record them\nhint: install them with 'mvgit install'; to silence this in this clone: mvgit init --no-hooks\n",
  );

  mvgitOk(repo, ['install']);
  expect(mvgit(repo, ['doctor']).code).toBe(0);
});

test('doctor: drivers, remote and cache are checked, each with its fix', () => {
  const repo = doctorRepo();
  git(repo, ['config', '--unset', 'merge.mvgit.driver']);
  const store = /origin \((.+)\)/.exec(mvgit(repo, ['doctor']).stdout)?.[1] as string;
  cleanup(store);
  fs.chmodSync(path.join(repo, '.git/mvgit/cache/objects/sha256'), 0o500);
  const r = mvgit(repo, ['doctor']);
  fs.chmodSync(path.join(repo, '.git/mvgit/cache/objects/sha256'), 0o700);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('merge driver        FAIL  git config merge.mvgit.driver is not set');
  expect(r.stdout).toContain(`remote              FAIL  origin (${store}) not reachable: ${store} is not a folder`);
  if (process.getuid?.() !== 0) expect(r.stdout).toMatch(/^cache {14}FAIL {2}.*sha256 is not writable$/m);
  expect(r.stdout).toContain('  mvgit install\n');
});

(installed.npmFailure ? test.skip : test)(
  "doctor through a manager: a hook the manager has not written is reported with the manager's own command",
  () => {
    const repo = makeGitRepo();
    const store = tempDir();
    dirs.push(repo, store);
    packageJson(repo, { 'simple-git-hooks': { 'pre-commit': 'echo user-pre-commit' } }, ['simple-git-hooks']);
    sh(repo, 'npx simple-git-hooks');
    mvgitOk(repo, ['init', '--remote', store], env);
    expect(mvgit(repo, ['doctor'], env).code).toBe(0);
    fs.rmSync(path.join(repo, '.git/hooks/post-checkout'));
    const bad = mvgit(repo, ['doctor'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      "hook post-checkout  FAIL  missing (through simple-git-hooks): simple-git-hooks has not written git's post-checkout hook",
    );
    expect(bad.stdout).toContain('Fix with:\n  npx simple-git-hooks\n');
    sh(repo, 'npx simple-git-hooks');
    expect(mvgit(repo, ['doctor'], env).code).toBe(0);
  },
  120_000,
);

(installed.npmFailure ? test.skip : test)(
  'a clone where mvgit init has not run: the committed line says so in one line and the commit goes on; without .mvgit/ it is silent',
  () => {
    const repo = makeGitRepo();
    const clone = tempDir();
    dirs.push(repo, clone);
    packageJson(repo, { 'simple-git-hooks': { 'pre-commit': 'echo user-pre-commit' } }, ['simple-git-hooks']);
    mvgitOk(repo, ['init'], env);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'mvgit through simple-git-hooks'], env);

    git(clone, ['clone', '-q', repo, '.']);
    fs.cpSync(installed.nodeModules as string, path.join(clone, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    sh(clone, 'npx simple-git-hooks');
    fs.writeFileSync(path.join(clone, 'train.py'), 'n = 1\n');
    git(clone, ['add', 'train.py']);
    const c = spawnSync('git', ['commit', '-q', '-m', 'no init yet'], {
      cwd: clone,
      env: testEnv(env),
      encoding: 'utf8',
    });
    expect(c.status).toBe(0);
    // git sends a hook's stdout to stderr: the user's hook, then mvgit's one line.
    expect(c.stderr).toBe(
      "user-pre-commit\nmvgit: run 'mvgit init' in this clone: until then git does not record or restore models and datasets\n",
    );
    const status = mvgit(clone, ['status'], env);
    expect(status.stderr).toContain('hint: fix with: mvgit init; to silence this in this clone: mvgit init --no-hooks');

    git(clone, ['rm', '-q', '-r', '.mvgit']);
    const plain = spawnSync('git', ['commit', '-q', '-m', 'mvgit gone'], {
      cwd: clone,
      env: testEnv(env),
      encoding: 'utf8',
    });
    expect(plain).toMatchObject({ status: 0, stderr: 'user-pre-commit\n' });

    // This clone's uninstall has no record of lines it did not add: it says so instead of guessing.
    const un = mvgit(clone, ['uninstall'], env);
    expect(un.code).toBe(0);
    expect(un.stderr).toContain(
      "warning: package.json still runs mvgit: another clone's 'mvgit install' added those lines;",
    );
  },
  120_000,
);
