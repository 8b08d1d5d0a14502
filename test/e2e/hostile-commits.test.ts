/**
 * What a hostile commit can do to a teammate who pulls it: nothing outside the artifact's own
 * path, nothing inside any `.git`, whatever the pointers, manifests and committed symlinks say,
 * and `--force` does not widen that (shared/DESIGN.md, "Hostile content"). Each case goes
 * through the built CLI and the real git hooks.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanup,
  git,
  gitResult,
  makeGitRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  treeSnapshot,
  writeExecutable,
  writeFile,
  mvgitRepoIn,
} from '../helpers/repo.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-hostile-');
});
afterEach(() => cleanup(base));

const EVIL_HOOK = '#!/bin/sh\necho pwned > "$(git rev-parse --show-toplevel)/PWNED"\n';

/** An attacker's repo and a teammate's clone that share a bare origin and a folder remote. */
function team(): { attacker: string; teammate: string } {
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin]);
  const attacker = path.join(base, 'attacker');
  fs.mkdirSync(attacker);
  makeGitRepo(attacker);
  mvgitOk(attacker, ['init', '--remote', path.join(base, 'store')]);
  writeFile(attacker, 'README.md', 'project\n');
  git(attacker, ['add', '-A']);
  git(attacker, ['commit', '-q', '-m', 'start']);
  git(attacker, ['remote', 'add', 'origin', origin]);
  git(attacker, ['push', '-q', 'origin', 'HEAD:main']);
  const teammate = path.join(base, 'teammate');
  git(base, ['clone', '-q', '-b', 'main', origin, teammate]);
  mvgitOk(teammate, ['init']);
  return { attacker, teammate };
}

/** Commits everything in the attacker's repo (symlinks inside artifacts forced in) and pushes. */
function commitAndPush(attacker: string, forced: string[] = []): void {
  git(attacker, ['add', '-A']);
  if (forced.length > 0) git(attacker, ['add', '-f', ...forced]);
  git(attacker, ['commit', '-q', '-m', 'innocent update']);
  git(attacker, ['push', '-q', 'origin', 'HEAD:main']);
}

function hooksOf(repo: string): Record<string, string> {
  return treeSnapshot(path.join(repo, '.git', 'hooks'));
}

test('a committed symlink data/h -> ../.git/hooks: git pull does not write a hook, and --force does not either', () => {
  const { attacker, teammate } = team();
  writeExecutable(attacker, 'data/h/post-commit', EVIL_HOOK);
  writeFile(attacker, 'data/ok.csv', 'a,b\n1,2\n');
  mvgitOk(attacker, ['add', 'data']);
  fs.rmSync(path.join(attacker, 'data', 'h'), { recursive: true });
  fs.symlinkSync('../.git/hooks', path.join(attacker, 'data', 'h'));
  commitAndPush(attacker, ['data/h']);

  const hooksBefore = hooksOf(teammate);
  const pull = gitResult(teammate, ['pull', '-q', 'origin', 'main']);
  expect(pull.code).toBe(0);
  expect(pull.stderr).toContain(
    "data: mvgit never writes through a symlink committed to git, and this artifact's way holds: data/h",
  );
  expect(hooksOf(teammate)).toEqual(hooksBefore);
  expect(fs.existsSync(path.join(teammate, '.git', 'hooks', 'post-commit'))).toBe(false);

  for (const args of [['checkout'], ['checkout', '--force'], ['checkout', '--force', 'data']]) {
    const r = mvgit(teammate, args);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: data: mvgit never writes through a symlink committed to git, and this artifact's way holds: data/h\n" +
        "hint: if the commit is not yours, do not trust it; otherwise replace the link with a real folder ('git rm data/h') and commit\n",
    );
    expect(hooksOf(teammate)).toEqual(hooksBefore);
  }
  // The next commit runs no planted hook.
  writeFile(teammate, 'notes.txt', 'x');
  git(teammate, ['add', 'notes.txt']);
  git(teammate, ['commit', '-q', '-m', 'notes']);
  expect(fs.existsSync(path.join(teammate, 'PWNED'))).toBe(false);
});

test('the same attack on a teammate who has the folder already (a version switch looks only at changed files)', () => {
  const { attacker, teammate } = team();
  writeFile(attacker, 'data/ok.csv', 'a,b\n1,2\n');
  mvgitOk(attacker, ['add', 'data']);
  commitAndPush(attacker);
  expect(gitResult(teammate, ['pull', '-q', 'origin', 'main']).code).toBe(0);
  expect(fs.readFileSync(path.join(teammate, 'data', 'ok.csv'), 'utf8')).toBe('a,b\n1,2\n');

  writeExecutable(attacker, 'data/h/post-commit', EVIL_HOOK);
  mvgitOk(attacker, ['add', 'data']);
  fs.rmSync(path.join(attacker, 'data', 'h'), { recursive: true });
  fs.symlinkSync('../.git/hooks', path.join(attacker, 'data', 'h'));
  commitAndPush(attacker, ['data/h']);
  const hooksBefore = hooksOf(teammate);
  const pull = gitResult(teammate, ['pull', '-q', 'origin', 'main']);
  expect(pull.stderr).toContain("this artifact's way holds: data/h");
  expect(hooksOf(teammate)).toEqual(hooksBefore);
  expect(mvgit(teammate, ['checkout', '--force']).code).toBe(1);
  expect(hooksOf(teammate)).toEqual(hooksBefore);
});

test('a committed symlink data/o -> /elsewhere with a manifest entry o/x writes nothing there', () => {
  const { attacker, teammate } = team();
  const elsewhere = path.join(base, 'elsewhere');
  fs.mkdirSync(elsewhere);
  writeFile(elsewhere, 'precious.txt', 'keep me');
  writeFile(attacker, 'data/o/x', 'planted');
  writeFile(attacker, 'data/o/precious.txt', 'overwritten');
  mvgitOk(attacker, ['add', 'data']);
  fs.rmSync(path.join(attacker, 'data', 'o'), { recursive: true });
  fs.symlinkSync(elsewhere, path.join(attacker, 'data', 'o'));
  commitAndPush(attacker, ['data/o']);

  const before = treeSnapshot(elsewhere);
  gitResult(teammate, ['pull', '-q', 'origin', 'main']);
  for (const args of [['checkout'], ['checkout', '--force']]) {
    const r = mvgit(teammate, args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("this artifact's way holds: data/o");
  }
  expect(treeSnapshot(elsewhere)).toEqual(before);
});

test('an untracked symlink inside a folder is a conflict; --force replaces the link, never what it points to', () => {
  const repo = mvgitRepoIn(base);
  writeFile(repo, 'data/h/a.txt', 'A');
  mvgitOk(repo, ['add', 'data']);
  const elsewhere = path.join(base, 'elsewhere');
  writeFile(elsewhere, 'a.txt', 'mine');
  fs.rmSync(path.join(repo, 'data', 'h'), { recursive: true });
  fs.symlinkSync(elsewhere, path.join(repo, 'data', 'h'));

  const r = mvgit(repo, ['checkout']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('data/h');
  expect(fs.readFileSync(path.join(elsewhere, 'a.txt'), 'utf8')).toBe('mine');
  mvgitOk(repo, ['checkout', '--force']);
  expect(fs.lstatSync(path.join(repo, 'data', 'h')).isDirectory()).toBe(true);
  expect(fs.readFileSync(path.join(repo, 'data', 'h', 'a.txt'), 'utf8')).toBe('A');
  expect(fs.readFileSync(path.join(elsewhere, 'a.txt'), 'utf8')).toBe('mine');
});

test("the user's own untracked link for an artifact's top folder (data -> /mnt/big) keeps working", () => {
  const repo = mvgitRepoIn(base);
  writeFile(repo, 'data/train.csv', 'x,y\n');
  mvgitOk(repo, ['add', 'data']);
  // The data outgrew the disk: the user moves it and links the folder back.
  const big = path.join(base, 'big');
  fs.mkdirSync(big);
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  fs.symlinkSync(big, path.join(repo, 'data'));
  expect(mvgitOk(repo, ['checkout'])).toContain('data');
  expect(fs.readFileSync(path.join(big, 'train.csv'), 'utf8')).toBe('x,y\n');
  expect(fs.lstatSync(path.join(repo, 'data')).isSymbolicLink()).toBe(true);
});

describe('pointers that claim what is not an artifact', () => {
  const claims: [string, string, string][] = [
    ['a file git tracks', 'README.md', 'a pointer names README.md, a file git tracks; not overwriting it'],
    [
      "mvgit's own folder",
      '.mvgit/config.yaml',
      ".mvgit/config.yaml is mvgit's or git's own file, not an artifact; not writing there",
    ],
  ];
  test.each(claims)('%s: refused, --force included, the file kept', (_what, claimed, message) => {
    const repo = mvgitRepoIn(base);
    writeFile(repo, 'README.md', 'project\n');
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'start']);
    const before = fs.readFileSync(path.join(repo, claimed));
    const text = 'evil bytes\n';
    writeFile(
      repo,
      'claim.mvgit.yaml',
      `mvgit: 1\nkind: model\npath: ${claimed}\noid: sha256:${sha256(text)}\nsize: ${text.length}\n`,
    );
    // Put the claimed content in the cache, so only the guard stands in the way.
    writeFile(repo, 'evil.bin', text);
    mvgitOk(repo, ['add', 'evil.bin']);
    for (const args of [['checkout'], ['checkout', '--force']]) {
      const r = mvgit(repo, args);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe(`error: ${message}`);
      expect(fs.readFileSync(path.join(repo, claimed))).toEqual(before);
    }
  });

  test('another pointer file is refused when the pointer is read', () => {
    const repo = mvgitRepoIn(base);
    writeFile(repo, 'm.bin', 'model');
    mvgitOk(repo, ['add', 'm.bin']);
    const before = fs.readFileSync(path.join(repo, 'm.bin.mvgit.yaml'));
    writeFile(
      repo,
      'claim.mvgit.yaml',
      `mvgit: 1\nkind: model\npath: m.bin.mvgit.yaml\noid: sha256:${sha256('x')}\nsize: 1\n`,
    );
    const r = mvgit(repo, ['checkout', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'error: claim.mvgit.yaml: field \'path\' must not name a pointer file: "m.bin.mvgit.yaml"',
    );
    expect(fs.readFileSync(path.join(repo, 'm.bin.mvgit.yaml'))).toEqual(before);
  });
});

describe('manifest entries that would make a .git', () => {
  const names = [
    '.git/config',
    'sub/.git/HEAD',
    '.GIT/config',
    'sub/.Git/hooks/post-commit',
    '.git./config',
    '.git /config',
    'git~1/config',
    '.g\u200cit/config',
  ];
  test.each(names)('%s: refused, nothing written', (entry) => {
    const repo = mvgitRepoIn(base);
    const payload = '[core]\n\tfsmonitor = "echo pwned > PWNED"\n';
    writeFile(repo, 'payload.bin', payload);
    mvgitOk(repo, ['add', 'payload.bin']);
    const manifest = `{"path":${JSON.stringify(entry)},"oid":"${sha256(payload)}","size":${payload.length}}\n`;
    const hex = sha256(manifest);
    writeFile(repo, `.git/mvgit/cache/objects/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`, manifest);
    writeFile(
      repo,
      'data.mvgit.yaml',
      `mvgit: 1\nkind: dataset\npath: data\noid: sha256:${hex}\nsize: ${payload.length}\nfiles: 1\n`,
    );
    const r = mvgit(repo, ['checkout', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `error: manifest data (${hex.slice(0, 12)}), line 1: path must not point into '.git': ${JSON.stringify(entry)}`,
    );
    expect(fs.existsSync(path.join(repo, 'data'))).toBe(false);
  });

  test('add refuses a folder that holds a git repository', () => {
    const repo = mvgitRepoIn(base);
    writeFile(repo, 'data/a.csv', '1');
    git(path.join(repo, 'data'), ['init', '-q', 'inner']);
    const r = mvgit(repo, ['add', 'data']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: data/inner/.git is a git repository inside the folder; a manifest cannot hold one\nhint: remove it, or track the folders beside it separately\n',
    );
    expect(fs.existsSync(path.join(repo, 'data.mvgit.yaml'))).toBe(false);
  });
});

test('a newline in a path never reaches .gitignore', () => {
  const repo = mvgitRepoIn(base);
  writeFile(repo, 'a\nsrc', 'model');
  const r = mvgit(repo, ['add', 'a\nsrc']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    'error: "a\\nsrc": mvgit does not track a name with a control character (newline, tab, escape)\nhint: rename it (or the folder holding it) without control characters, then add it\n',
  );
  expect(
    fs.existsSync(path.join(repo, '.gitignore')) ? fs.readFileSync(path.join(repo, '.gitignore'), 'utf8') : '',
  ).not.toMatch(/^src$/m);
  writeFile(repo, 'x.mvgit.yaml', `mvgit: 1\nkind: model\npath: "x\\nsrc"\noid: sha256:${sha256('model')}\nsize: 5\n`);
  const c = mvgit(repo, ['checkout']);
  expect(c.code).toBe(1);
  expect(c.stderr.split('\n')[0]).toBe(
    'error: x.mvgit.yaml: field \'path\' must not contain control characters (newline, tab, escape): "x\\nsrc"',
  );
});

test('a dangling symlink on the way to an artifact is a clear error', () => {
  const repo = mvgitRepoIn(base);
  writeFile(repo, 'data/a.csv', '1');
  mvgitOk(repo, ['add', 'data']);
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  fs.symlinkSync(path.join(base, 'gone'), path.join(repo, 'data'));
  const r = mvgit(repo, ['checkout']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `error: data is a symlink to ${path.join(base, 'gone')}, which does not exist; not writing data\nhint: make the folder it points to, or remove the link (rm data) to let mvgit make a real folder\n`,
  );
});

test('out of space in a checkout: a clear error naming the file, and no staging folder left holding the space', () => {
  const repo = mvgitRepoIn(base);
  const small = path.join(base, 'small');
  fs.mkdirSync(small);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]).status !== 0) {
    console.warn('skipped: cannot mount a small tmpfs here (needs root)');
    return;
  }
  try {
    // The folder is built in a staging folder beside it, on the small file system.
    for (let i = 0; i < 4; i++) writeFile(repo, `mnt/data/f${i}.bin`, Buffer.alloc(100_000, i + 1));
    mvgitOk(repo, ['add', 'mnt/data']);
    // The pointer moves to the top (path: mnt/data), so the folder under it can be a link.
    const pointer = fs.readFileSync(path.join(repo, 'mnt', 'data.mvgit.yaml'), 'utf8');
    writeFile(repo, 'data.mvgit.yaml', pointer.replace('path: data', 'path: mnt/data'));
    fs.rmSync(path.join(repo, 'mnt'), { recursive: true });
    fs.symlinkSync(small, path.join(repo, 'mnt'));
    const r = mvgit(repo, ['checkout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: could not write mnt\/data(\/f\d\.bin)?: no space left on the device \(ENOSPC\)\nhint: free some space \('mvgit gc' removes objects nothing uses\) and run the command again\n$/,
    );
  } finally {
    const left = fs.readdirSync(small);
    spawnSync('umount', [small]);
    expect(left.filter((n) => n.includes('mvgit-tmp'))).toEqual([]);
  }
});

test('names near the 255-byte limit: add, checkout of a file and of a folder work (temp names fit)', () => {
  const repo = mvgitRepoIn(base);
  // 240 bytes: the pointer adds 11 more and still fits in 255; temp names must too.
  const long = `${'m'.repeat(236)}.pkl`;
  const folder = 'd'.repeat(240);
  writeFile(repo, long, 'weights');
  writeFile(repo, `${folder}/part.csv`, 'rows');
  mvgitOk(repo, ['add', long, folder]);
  fs.rmSync(path.join(repo, long));
  fs.rmSync(path.join(repo, folder), { recursive: true });
  mvgitOk(repo, ['checkout']);
  expect(fs.readFileSync(path.join(repo, long), 'utf8')).toBe('weights');
  expect(fs.readFileSync(path.join(repo, folder, 'part.csv'), 'utf8')).toBe('rows');
  writeFile(repo, long, 'retrained');
  mvgitOk(repo, ['add', long]);
  expect(fs.readdirSync(repo).filter((n) => n.includes('mvgit-tmp'))).toEqual([]);
});

test('a committed tracking rule that reaches out of the repo or into .git: the hook refuses it, writes nothing there', () => {
  const { attacker, teammate } = team();
  const outside = path.join(base, 'outside');
  writeFile(outside, 'weights.bin', 'not yours');
  const config = fs.readFileSync(path.join(attacker, '.mvgit', 'config.yaml'), 'utf8');
  fs.writeFileSync(
    path.join(attacker, '.mvgit', 'config.yaml'),
    config.replace('track: []', "track:\n  - pattern: '../outside/*.bin'\n    kind: model"),
  );
  // The attacker's own hooks refuse the rule too: they go around them.
  git(attacker, ['add', '-A']);
  git(attacker, ['commit', '-q', '--no-verify', '-m', 'innocent update']);
  git(attacker, ['push', '-q', '--no-verify', 'origin', 'HEAD:main']);
  gitResult(teammate, ['pull', '-q', 'origin', 'main']);
  const before = treeSnapshot(outside);
  writeFile(teammate, 'notes.txt', 'x');
  git(teammate, ['add', 'notes.txt']);
  const c = gitResult(teammate, ['commit', '-q', '-m', 'notes']);
  expect(c.code).toBe(1);
  expect(c.stderr).toContain(
    `.mvgit/config.yaml: track[0].pattern must stay inside the repository (no '..', no absolute path, no .git): "../outside/*.bin"`,
  );
  expect(treeSnapshot(outside)).toEqual(before);
  for (const pattern of ['/etc/*.conf', '.git/hooks/*', 'data/.GIT/*']) {
    fs.writeFileSync(
      path.join(teammate, '.mvgit', 'config.yaml'),
      config.replace('track: []', `track:\n  - pattern: '${pattern}'\n    kind: model`),
    );
    const r = mvgit(teammate, ['status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`track[0].pattern must stay inside the repository`);
  }
});
