// Issue 11: the hook managers mvgit's hooks go through, set up for the bench as their users set
// them up: husky, lefthook and simple-git-hooks from npm (installed once into a scratch project,
// its node_modules copied into each repo), the pre-commit framework from PyPI in a venv cached
// under ~/.cache/mvgit-test/ (the one the e2e tests make). Each returns a repo with a user hook of
// its own, or throws why it could not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sh } from './proc.js';

const NPM = { husky: '9.1.7', lefthook: '2.2.2', 'simple-git-hooks': '2.14.0' };
const PRE_COMMIT = '4.7.0';

/** Installs the npm managers into `dir`; returns its node_modules. */
export function installNpmManagers(dir) {
  const pkg = { name: 'managers', version: '1.0.0', private: true, devDependencies: NPM };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir });
  return path.join(dir, 'node_modules');
}

/** The venv bin folder holding `pre-commit`, made when missing. */
export function preCommitBin() {
  const venv = path.join(os.homedir(), '.cache', 'mvgit-test', `pre-commit-${PRE_COMMIT}`);
  const bin = path.join(venv, 'bin');
  if (sh(path.join(bin, 'pre-commit'), ['--version'], { allowFail: true }) !== null) return bin;
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  sh('python3', ['-m', 'venv', venv]);
  sh(path.join(bin, 'pip'), ['install', '-q', `pre-commit==${PRE_COMMIT}`]);
  return bin;
}

function npmProject(repo, nodeModules, extra, dep) {
  const pkg = { name: 'bench', version: '1.0.0', private: true, ...extra, devDependencies: { [dep]: NPM[dep] } };
  fs.writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.cpSync(nodeModules, path.join(repo, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
}

/** Sets manager `name` up in `repo` (env: the bench's tool environment), with one user hook. */
export function setUpManager(name, repo, { nodeModules, preCommit, env }) {
  const run = (cmd, args) => sh(cmd, args, { cwd: repo, env });
  const bin = (b) => path.join(repo, 'node_modules', '.bin', b);
  if (name === 'husky') {
    npmProject(repo, nodeModules, {}, 'husky');
    run(bin('husky'), ['init']);
    fs.writeFileSync(path.join(repo, '.husky', 'pre-commit'), 'true\n');
  } else if (name === 'lefthook') {
    npmProject(repo, nodeModules, {}, 'lefthook');
    fs.writeFileSync(path.join(repo, 'lefthook.yml'), 'pre-commit:\n  commands:\n    lint:\n      run: "true"\n');
    run(bin('lefthook'), ['install']);
  } else if (name === 'simple-git-hooks') {
    npmProject(repo, nodeModules, { 'simple-git-hooks': { 'pre-commit': 'true' } }, 'simple-git-hooks');
    run(bin('simple-git-hooks'), []);
  } else {
    fs.writeFileSync(
      path.join(repo, '.pre-commit-config.yaml'),
      'repos:\n- repo: local\n  hooks:\n  - id: user\n    name: user\n    entry: "true"\n    language: system\n    always_run: true\n    pass_filenames: false\n',
    );
    run(path.join(preCommit, 'pre-commit'), ['install']);
  }
}

export const MANAGER_NAMES = ['husky', 'lefthook', 'simple-git-hooks', 'pre-commit'];
