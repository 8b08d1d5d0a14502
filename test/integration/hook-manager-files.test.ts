/**
 * mvgit's edits of hook managers' files, on layouts users have: the result parses, names every
 * hook, a second install changes nothing, and uninstall gives back the exact bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { installHooks, uninstallHooks } from '../../src/core/hooks/install.js';
import { HOOK_NAMES } from '../../src/core/hooks/script.js';
import { findRepo } from '../../src/core/repo/repo.js';
import { CLI, cleanup, git, makeMvgitRepo } from '../helpers/repo.js';

const launcher = { node: process.execPath, cli: CLI };
let repo: string;
afterEach(() => cleanup(repo));

/** Installs twice and uninstalls; returns the file's text after the first install. */
function roundTrip(file: string, text: string, mode = 0o644): string {
  repo = makeMvgitRepo();
  fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  fs.writeFileSync(path.join(repo, file), text, { mode });
  const r = installHooks(findRepo(repo), launcher);
  expect(r.hooks).toEqual([]);
  expect(r.manager?.changed).toEqual([file]);
  const installed = fs.readFileSync(path.join(repo, file), 'utf8');
  expect(installHooks(findRepo(repo), launcher).manager?.changed).toEqual([]);
  expect(fs.readFileSync(path.join(repo, file), 'utf8')).toBe(installed);
  expect(uninstallHooks(findRepo(repo))).toMatchObject({ managerFiles: [file], managerLeft: [] });
  expect(fs.readFileSync(path.join(repo, file), 'utf8')).toBe(text);
  expect(fs.statSync(path.join(repo, file)).mode & 0o777).toBe(mode);
  expect(fs.existsSync(path.join(repo, '.git/mvgit/hook'))).toBe(false);
  return installed;
}

test('lefthook: four-space indents, a hook with scripts only, comments, no final newline', () => {
  const text =
    '# team hooks\npre-commit:\n    parallel: true\n    commands:\n        lint:\n            run: eslint {staged_files}\npre-push:\n    scripts:\n        "check.sh":\n            runner: bash';
  const doc = parse(roundTrip('lefthook.yml', text));
  expect(doc['pre-commit'].parallel).toBe(true);
  expect(Object.keys(doc['pre-commit'].commands)).toEqual(['mvgit', 'lint']);
  expect(doc['pre-push'].scripts['check.sh'].runner).toBe('bash');
  expect(doc['pre-push'].commands.mvgit.use_stdin).toBe(true);
  for (const hook of HOOK_NAMES) expect(doc[hook].commands.mvgit.run).toContain(`"$mvgit_hook" ${hook} {0}`);
});

test('pre-commit: a flow list of hook types and "-   repo:" items', () => {
  const text =
    'default_install_hook_types: [pre-commit, commit-msg]\nrepos:\n-   repo: local\n    hooks:\n    -   id: check\n        name: check\n        entry: "true"\n        language: system\n';
  const doc = parse(roundTrip('.pre-commit-config.yaml', text));
  expect(doc.default_install_hook_types).toEqual(['pre-commit', 'commit-msg', ...HOOK_NAMES.slice(1)]);
  expect(doc.repos.map((r: { repo: string }) => r.repo)).toEqual(['local', 'local']);
  expect(doc.repos[0].hooks.map((h: { stages: string[] }) => h.stages[0])).toEqual([...HOOK_NAMES]);
  expect(doc.repos[0].hooks[0]).toMatchObject({ language: 'system', always_run: true, pass_filenames: false });
  expect(doc.repos[1].hooks[0].id).toBe('check');
});

test('pre-commit: a block list of hook types and indented "  - repo:" items', () => {
  const text = 'default_install_hook_types:\n  - pre-push\nrepos:\n  - repo: meta\n    hooks:\n      - id: identity\n';
  const doc = parse(roundTrip('.pre-commit-config.yaml', text));
  expect(doc.default_install_hook_types).toEqual(['pre-push', ...HOOK_NAMES.slice(0, 4)]);
  expect(doc.repos.map((r: { repo: string }) => r.repo)).toEqual(['local', 'meta']);
});

test('simple-git-hooks: package.json with a command to extend and an empty one; .simple-git-hooks.json with none', () => {
  const pkg = `{\n  "name": "x",\n  "simple-git-hooks": {\n    "pre-commit": "npx lint-staged",\n    "pre-push": ""\n  }\n}\n`;
  const hooks = JSON.parse(roundTrip('package.json', pkg))['simple-git-hooks'];
  expect(Object.keys(hooks).sort()).toEqual([...HOOK_NAMES].sort());
  expect(hooks['pre-commit']).toMatch(/^npx lint-staged && if mvgit_hook=/);
  expect(hooks['pre-push']).toMatch(/^if mvgit_hook=/);
  cleanup(repo);
  const own = JSON.parse(roundTrip('.simple-git-hooks.json', '{}'));
  expect(Object.keys(own)).toEqual([...HOOK_NAMES]);
});

test("husky: a hook file without a final newline keeps its mode; the ones mvgit made go; .husky/_ is husky's", () => {
  repo = makeMvgitRepo();
  git(repo, ['config', 'core.hooksPath', '.husky/_']);
  fs.mkdirSync(path.join(repo, '.husky/_'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.husky/pre-commit'), 'npm test', { mode: 0o600 });
  const r = installHooks(findRepo(repo), launcher);
  expect(r.manager?.manager).toBe('husky');
  expect(fs.readdirSync(path.join(repo, '.husky/_'))).toEqual([]);
  expect(fs.readFileSync(path.join(repo, '.husky/pre-commit'), 'utf8')).toMatch(/^npm test\nif mvgit_hook=.*fi$/);
  uninstallHooks(findRepo(repo));
  expect(fs.readdirSync(path.join(repo, '.husky')).sort()).toEqual(['_', 'pre-commit']);
  expect(fs.readFileSync(path.join(repo, '.husky/pre-commit'), 'utf8')).toBe('npm test');
  expect(fs.statSync(path.join(repo, '.husky/pre-commit')).mode & 0o777).toBe(0o600);
});

test('a manager file that is a committed symlink is refused, and nothing is written through it', () => {
  repo = makeMvgitRepo();
  const target = path.join(repo, '.git', 'lefthook-target.yml');
  fs.writeFileSync(target, 'pre-commit:\n  commands: {}\n');
  fs.symlinkSync('.git/lefthook-target.yml', path.join(repo, 'lefthook.yml'));
  expect(() => installHooks(findRepo(repo), launcher)).toThrow(
    expect.objectContaining({ code: 'HOOK_CONFLICT', message: expect.stringContaining('lefthook.yml is a symlink') }),
  );
  expect(fs.readFileSync(target, 'utf8')).toBe('pre-commit:\n  commands: {}\n');
  expect(fs.lstatSync(path.join(repo, 'lefthook.yml')).isSymbolicLink()).toBe(true);
});
