/**
 * mvgit install / uninstall with the real git: idempotent, chaining a hook that was there
 * before (and giving it back byte for byte), core.hooksPath (husky's layout), repos without
 * .mvgit, and what a hook says when mvgit is gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { installHooks, uninstallHooks } from '../../src/core/hooks/install.js';
import { HOOK_NAMES } from '../../src/core/hooks/script.js';
import { committedLine } from '../../src/core/hooks/managers/line.js';
import { findRepo } from '../../src/core/repo/repo.js';
import {
  CLI,
  cleanup,
  git,
  gitResult,
  makeGitRepo,
  makeMvgitRepo,
  mvgit,
  mvgitOk,
  writeExecutable,
  writeFile,
} from '../helpers/repo.js';

const launcher = { node: process.execPath, cli: CLI };
let repo: string;
afterEach(() => cleanup(repo));

const hookFile = (name: string, dir = path.join(repo, '.git', 'hooks')): string => path.join(dir, name);

test('install writes every hook, the merge driver and the attribute once; a second run changes nothing', () => {
  repo = makeMvgitRepo();
  const first = installHooks(findRepo(repo), launcher);
  expect(first.hooks.map((h) => [h.name, h.action])).toEqual(HOOK_NAMES.map((n) => [n, 'installed']));
  expect(first.gitattributes).toBe('.gitattributes');
  for (const name of HOOK_NAMES) {
    expect(fs.statSync(hookFile(name)).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(hookFile(name), 'utf8')).toContain(`# mvgit-hook: ${name}`);
  }
  expect(git(repo, ['config', 'merge.mvgit.driver'])).toMatch(/merge-driver' %O %A %B %P/);
  expect(git(repo, ['config', 'diff.mvgit.textconv']).trim()).toMatch(/^sh '.*\/\.git\/mvgit\/textconv'$/);
  expect(git(repo, ['config', 'diff.mvgit.cachetextconv']).trim()).toBe('false');
  const before = Object.fromEntries(HOOK_NAMES.map((n) => [n, fs.readFileSync(hookFile(n), 'utf8')]));

  const second = installHooks(findRepo(repo), launcher);
  expect(second.hooks.every((h) => h.action === 'unchanged')).toBe(true);
  expect(second.gitattributes).toBeNull();
  expect(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8')).toBe('*.mvgit.yaml merge=mvgit diff=mvgit\n');
  for (const name of HOOK_NAMES) expect(fs.readFileSync(hookFile(name), 'utf8')).toBe(before[name]);
  expect(fs.readdirSync(path.join(repo, '.git', 'hooks')).filter((f) => f.includes('mvgit-chained'))).toEqual([]);

  const out = uninstallHooks(findRepo(repo));
  expect(out.hooks.every((h) => h.action === 'removed')).toBe(true);
  for (const name of HOOK_NAMES) expect(fs.existsSync(hookFile(name))).toBe(false);
  expect(gitResult(repo, ['config', 'merge.mvgit.driver']).code).not.toBe(0);
  expect(gitResult(repo, ['config', 'diff.mvgit.textconv']).code).not.toBe(0);
  expect(fs.existsSync(path.join(repo, '.git', 'mvgit', 'textconv'))).toBe(false);
  // A line install added stays: it is committed, and harmless without the config.
  expect(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8')).toBe('*.mvgit.yaml merge=mvgit diff=mvgit\n');
  expect(uninstallHooks(findRepo(repo)).hooks.every((h) => h.action === 'not-installed')).toBe(true);
});

test('an older attribute line is upgraded in place, and uninstall puts it back exactly', () => {
  repo = makeMvgitRepo();
  const original = '*.csv text\r\n*.mvgit.yaml   merge=mvgit \r\n*.bin binary\r\n';
  writeFile(repo, '.gitattributes', original);
  const r = installHooks(findRepo(repo), launcher);
  expect(r.attributes).toEqual({ line: '*.mvgit.yaml   merge=mvgit diff=mvgit', action: 'updated' });
  expect(r.gitattributes).toBe('.gitattributes');
  expect(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8')).toBe(
    '*.csv text\r\n*.mvgit.yaml   merge=mvgit diff=mvgit\r\n*.bin binary\r\n',
  );
  expect(installHooks(findRepo(repo), launcher).attributes.action).toBe('unchanged');
  uninstallHooks(findRepo(repo));
  expect(fs.readFileSync(path.join(repo, '.gitattributes'), 'utf8')).toBe(original);

  // A diff driver the user chose is theirs: only the missing merge driver is added.
  writeFile(repo, '.gitattributes', '*.mvgit.yaml -diff\n');
  expect(installHooks(findRepo(repo), launcher).attributes).toEqual({
    line: '*.mvgit.yaml -diff merge=mvgit',
    action: 'updated',
  });
});

test('an existing hook is kept, runs first with its arguments, stops the commit when it fails, and comes back exactly', () => {
  repo = makeMvgitRepo();
  const original =
    '#!/bin/sh\necho "user hook ran as $(basename "$0")" >> .git/user-hook.log\n[ -f stop ] && exit 3\nexit 0\n';
  const userHook = writeExecutable(repo, '.git/hooks/pre-commit', original);
  fs.chmodSync(userHook, 0o750);
  const r = installHooks(findRepo(repo), launcher);
  expect(r.hooks.find((h) => h.name === 'pre-commit')?.action).toBe('chained');
  expect(fs.readFileSync(`${userHook}.mvgit-chained`, 'utf8')).toBe(original);

  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'set up']);
  // Sourced with $0 set to the hook's own name, as hook managers expect.
  expect(fs.readFileSync(path.join(repo, '.git', 'user-hook.log'), 'utf8')).toBe('user hook ran as pre-commit\n');

  writeFile(repo, 'stop', 'x');
  git(repo, ['add', 'stop']);
  const refused = gitResult(repo, ['commit', '-q', '-m', 'refused']);
  expect(refused.code).toBe(1);
  expect(git(repo, ['log', '--format=%s', '-1']).trim()).toBe('set up');

  // Installing again keeps the chain as it is.
  expect(installHooks(findRepo(repo), launcher).hooks.find((h) => h.name === 'pre-commit')?.action).toBe('unchanged');
  const out = uninstallHooks(findRepo(repo));
  expect(out.hooks.find((h) => h.name === 'pre-commit')?.action).toBe('restored');
  expect(fs.readFileSync(userHook, 'utf8')).toBe(original);
  expect(fs.statSync(userHook).mode & 0o777).toBe(0o750);
  expect(fs.existsSync(`${userHook}.mvgit-chained`)).toBe(false);
});

test('a hook whose chained slot is taken by another is a conflict that changes nothing', () => {
  repo = makeMvgitRepo();
  writeExecutable(repo, '.git/hooks/post-merge', '#!/bin/sh\nexit 0\n');
  writeExecutable(repo, '.git/hooks/post-merge.mvgit-chained', '#!/bin/sh\nexit 0\n');
  expect(() => installHooks(findRepo(repo), launcher)).toThrow(expect.objectContaining({ code: 'HOOK_CONFLICT' }));
  expect(fs.existsSync(hookFile('pre-commit'))).toBe(false);
});

test("husky's core.hooksPath: mvgit's line goes into the committed .husky/<hook>, never into husky's generated .husky/_", () => {
  repo = makeMvgitRepo();
  git(repo, ['config', 'core.hooksPath', '.husky/_']);
  // husky 9's layout: .husky/_/pre-commit sources .husky/_/h, which runs .husky/<name of $0>.
  writeFile(
    repo,
    '.husky/_/h',
    '#!/usr/bin/env sh\nn=$(basename "$0")\ns=$(dirname "$(dirname "$0")")/$n\n[ ! -f "$s" ] && exit 0\nsh -e "$s" "$@"\n',
  );
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, as husky writes it
  writeExecutable(repo, '.husky/_/pre-commit', '#!/usr/bin/env sh\n. "${0%/*}/h"\n');
  writeFile(repo, '.husky/pre-commit', 'echo husky-ran >> .git/husky.log\n');
  const r = installHooks(findRepo(repo), launcher);
  expect(r.hooksDir).toBe(path.join(fs.realpathSync(repo), '.husky', '_'));
  expect(r.manager?.manager).toBe('husky');
  expect(fs.readdirSync(path.join(repo, '.husky', '_')).sort()).toEqual(['h', 'pre-commit']);
  expect(fs.readFileSync(path.join(repo, '.husky', 'pre-commit'), 'utf8')).toBe(
    `echo husky-ran >> .git/husky.log\n${committedLine('pre-commit')}\n`,
  );
  expect(fs.existsSync(hookFile('post-checkout'))).toBe(false);

  writeFile(repo, 'code.py', 'print(1)\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'with husky']);
  expect(fs.readFileSync(path.join(repo, '.git', 'husky.log'), 'utf8')).toBe('husky-ran\n');
});

test('a hook that gets stdin (post-rewrite) passes it whole to the chained hook, and mvgit still runs after it', () => {
  repo = makeMvgitRepo();
  writeExecutable(repo, '.git/hooks/post-rewrite', '#!/bin/sh\ncat > .git/rewrite-stdin\n');
  installHooks(findRepo(repo), launcher);
  writeFile(repo, 'a.txt', 'a');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'one']);
  const before = git(repo, ['rev-parse', 'HEAD']).trim();
  git(repo, ['commit', '-q', '--amend', '-m', 'one, amended']);
  const after = git(repo, ['rev-parse', 'HEAD']).trim();
  expect(fs.readFileSync(path.join(repo, '.git', 'rewrite-stdin'), 'utf8')).toBe(`${before} ${after}\n`);
});

test('in a repository without .mvgit every hook exits 0 and does nothing', () => {
  repo = makeGitRepo();
  installHooks(findRepo(repo), launcher);
  writeFile(repo, 'big.bin', Buffer.alloc(11 << 20)); // over the guard, which must not run here
  git(repo, ['add', '-A']);
  const c = gitResult(repo, ['commit', '-q', '-m', 'plain git']);
  expect(c).toMatchObject({ code: 0, stderr: '' });
  for (const [name, args] of [
    ['pre-commit', []],
    ['post-checkout', ['0', '0', '1']],
    ['post-merge', ['0']],
    ['pre-push', ['origin', 'x']],
  ] as const) {
    const r = mvgit(repo, ['hook', name, ...args]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  }
});

test('when mvgit is gone, the hook says what to do: commit and push stop, checkouts go on with a warning', () => {
  repo = makeMvgitRepo();
  installHooks(findRepo(repo), { node: '/nonexistent/node', cli: '/nonexistent/mvgit/bin/mvgit.js' });
  const env = { PATH: '/usr/bin:/bin' }; // git and sh, no mvgit
  writeFile(repo, 'code.py', 'x');
  git(repo, ['add', '-A'], env);
  const c = gitResult(repo, ['commit', '-q', '-m', 'x'], env);
  expect(c.code).toBe(1);
  expect(c.stderr).toContain('the pre-commit hook cannot find mvgit (installed from /nonexistent/mvgit/bin/mvgit.js');
  expect(c.stderr).toContain("run 'mvgit install'");
  expect(c.stderr).toContain('git commit --no-verify');
  git(repo, ['commit', '-q', '--no-verify', '-m', 'x'], env);
  writeFile(repo, 'code.py', 'y');
  git(repo, ['commit', '-q', '--no-verify', '-am', 'y'], env);
  const sw = gitResult(repo, ['checkout', '-q', 'HEAD~1'], env);
  expect(sw.code).toBe(0);
  expect(sw.stderr).toContain("Reinstall mvgit, then run 'mvgit checkout'");
  // git diff of a pointer still works: the textconv script shows the file as it is.
  writeFile(repo, 'm.pkl.mvgit.yaml', 'mvgit: 1\nkind: model\n');
  git(repo, ['add', 'm.pkl.mvgit.yaml'], env);
  writeFile(repo, 'm.pkl.mvgit.yaml', 'mvgit: 1\nkind: dataset\n');
  const diff = gitResult(repo, ['diff', '--', 'm.pkl.mvgit.yaml'], env);
  expect(diff.code).toBe(0);
  expect(diff.stdout).toContain('-kind: model\n+kind: dataset\n');
  expect(diff.stderr).toContain('mvgit: textconv cannot find mvgit; showing the pointer file as it is');
});

test('mvgit install and uninstall from the CLI; mvgit init installs unless --no-hooks', () => {
  repo = makeGitRepo();
  const init = mvgitOk(repo, ['init']);
  expect(init).toContain('pre-commit    installed');
  expect(init).toContain("Added '*.mvgit.yaml merge=mvgit diff=mvgit' to .gitattributes");
  expect(mvgitOk(repo, ['install'])).toContain('pre-commit    already installed');
  expect(mvgitOk(repo, ['uninstall'])).toContain('removed   pre-commit');
  const other = makeGitRepo();
  try {
    expect(mvgitOk(other, ['init', '--no-hooks'])).toContain('Git hooks not installed (--no-hooks).');
    expect(fs.existsSync(path.join(other, '.git', 'hooks', 'pre-commit'))).toBe(false);
  } finally {
    cleanup(other);
  }
});
