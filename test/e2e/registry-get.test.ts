/**
 * `mvgit get REPO REF -o OUT` with the built CLI, from folders outside any repository: a
 * model at a stage, a version, a path at a revision, a folder artifact; and every way it can
 * fail, each leaving no OUT, no temp beside it and nothing in the temp dir.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { copyFixture, fixturePath, readFixture } from '../helpers/fixtures.js';
import {
  bytes,
  cacheObjects,
  CLI,
  cleanup,
  git,
  makeGitRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  testEnv,
} from '../helpers/repo.js';

let base: string;
let tmp: string;
/** One source repository and its store for every test (made once: ten mvgit runs); tests that break the store mend it. */
let shared: string;
let src: { repo: string; store: string };
beforeAll(() => {
  shared = tempDir('mvgit-get-src-');
  src = makeSource(shared);
});
afterAll(() => cleanup(shared));
beforeEach(() => {
  base = tempDir('mvgit-get-test-');
  // Every run below gets its own TMPDIR: what get leaves there is seen.
  tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp);
});
afterEach(() => cleanup(base));

const V1 = readFixture('models/churn-v1.pkl');
const V2 = readFixture('models/churn-v2.pkl');
const V3 = bytes(3000, 7);

/**
 * The done-when repository: churn gets v0.1.0..v0.3.0 over three commits (mvgit version);
 * prod goes to v0.2.0, then v0.3.0, then is rolled back (mvgit promote, rollback); every object
 * pushed to a folder remote; a later commit on main that does not touch the model.
 */
function makeSource(dir: string): { repo: string; store: string } {
  const repo = path.join(dir, 'churn-repo');
  const store = path.join(dir, 'store');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  mvgitOk(repo, ['init', '--remote', store]);
  const versions: [Buffer, string][] = [
    [V1, '0.1.0'],
    [V2, '0.2.0'],
    [V3, '0.3.0'],
  ];
  fs.mkdirSync(path.join(repo, 'models'));
  for (const [data, v] of versions) {
    fs.writeFileSync(path.join(repo, 'models', 'churn.pkl'), data);
    mvgitOk(repo, ['add', 'models/churn.pkl', '--kind', 'model']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', `churn ${v}`]);
    mvgitOk(repo, ['version', 'churn', v]);
  }
  mvgitOk(repo, ['promote', 'churn', 'v0.2.0', 'prod']);
  mvgitOk(repo, ['promote', 'churn', 'v0.3.0', 'prod']);
  mvgitOk(repo, ['rollback', 'churn', 'prod']);
  mvgitOk(repo, ['push', '--all-commits']);
  fs.writeFileSync(path.join(repo, 'README.md'), 'later\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'docs']);
  return { repo, store };
}

/** A folder outside any repository, where a deploy job would run. */
function deployDir(): string {
  const dir = path.join(base, 'deploy');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function get(cwd: string, args: string[]) {
  return mvgit(cwd, ['get', ...args], { TMPDIR: tmp });
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

test('done when: churn#prod from outside any repository writes exactly v0.2.0 and leaves nothing else', () => {
  const { repo } = src;
  const dir = deployDir();
  const r = get(dir, [repo, 'churn#prod', '-o', 'model.pkl']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const commit = git(repo, ['rev-parse', 'churn@v0.2.0^{}']).trim();
  expect(r.stdout).toBe(
    `churn#prod is churn@v0.2.0 (churn#prod#3) at ${commit.slice(0, 10)}; wrote model.pkl (687 B, sha256:${sha256(V2)})\n`,
  );
  expect(fs.readFileSync(path.join(dir, 'model.pkl')).equals(V2)).toBe(true);
  expect(listing(dir)).toEqual(['model.pkl']);
  expect(listing(tmp)).toEqual([]);
});

test('a version, the latest, a path at a revision and at the default branch; file:// URLs too', () => {
  const { repo } = src;
  const dir = deployDir();
  const url = pathToFileURL(repo).href;
  mvgitOk(dir, ['get', url, 'churn@v0.1.0', '-o', 'v1.pkl']);
  mvgitOk(dir, ['get', repo, 'churn@latest', '-o', 'latest.pkl']);
  mvgitOk(dir, ['get', repo, 'models/churn.pkl', '--rev', 'churn@v0.2.0', '-o', 'at-tag.pkl']);
  mvgitOk(dir, ['get', url, 'models/churn.pkl', '-o', 'head.pkl']);
  const c1 = git(repo, ['rev-parse', 'churn@v0.1.0^{}']).trim();
  mvgitOk(dir, ['get', repo, 'models/churn.pkl.mvgit.yaml', '--rev', c1, '-o', 'by-commit.pkl']);
  expect(fs.readFileSync(path.join(dir, 'v1.pkl')).equals(V1)).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'latest.pkl')).equals(V3)).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'at-tag.pkl')).equals(V2)).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'head.pkl')).equals(V3)).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'by-commit.pkl')).equals(V1)).toBe(true);
  expect(listing(dir)).toEqual(['at-tag.pkl', 'by-commit.pkl', 'head.pkl', 'latest.pkl', 'v1.pkl']);
  expect(listing(tmp)).toEqual([]);
});

test('--show says what a reference names and downloads nothing; --json for scripts', () => {
  const { repo, store } = src;
  const dir = deployDir();
  const commit = git(repo, ['rev-parse', 'churn@v0.2.0^{}']).trim();
  const r = get(dir, [repo, 'churn#prod', '--show']);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')).toEqual([
    'ref      churn#prod',
    'name     churn',
    'version  v0.2.0',
    'stage    prod',
    'tag      churn#prod#3',
    `commit   ${commit}`,
    'path     models/churn.pkl',
    'kind     model',
    `oid      sha256:${sha256(V2)}`,
    'size     687 B (687 bytes)',
    `remote   origin (${store})`,
    '',
  ]);
  const j = JSON.parse(get(dir, [repo, 'churn#prod', '--show', '--json']).stdout);
  expect(j).toEqual({
    ref: 'churn#prod',
    name: 'churn',
    version: 'v0.2.0',
    stage: 'prod',
    tag: 'churn#prod#3',
    commit,
    path: 'models/churn.pkl',
    pointerPath: 'models/churn.pkl.mvgit.yaml',
    repo,
    kind: 'model',
    oid: `sha256:${sha256(V2)}`,
    size: 687,
    remote: { name: 'origin', url: store },
  });
  expect(listing(dir)).toEqual([]);
  expect(listing(tmp)).toEqual([]);
});

test('only what is needed is read: an unrelated blob and an older commit missing in REPO do not matter', () => {
  // A plain shallow clone reads every blob of the commit, and fails here; get reads none but its own.
  const repo = path.join(base, 'sparse-repo');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  fs.writeFileSync(path.join(repo, 'code.txt'), 'code nobody asked for\n');
  git(repo, ['add', 'code.txt']);
  git(repo, ['commit', '-q', '-m', 'code']);
  mvgitOk(repo, ['init', '--remote', path.join(base, 'store')]);
  fs.mkdirSync(path.join(repo, 'models'));
  fs.writeFileSync(path.join(repo, 'models', 'churn.pkl'), V1);
  mvgitOk(repo, ['add', 'models/churn.pkl', '--kind', 'model']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'model']);
  mvgitOk(repo, ['version', 'churn', '0.1.0']);
  git(repo, ['commit', '-q', '-am', 'name churn']);
  mvgitOk(repo, ['push']);
  for (const o of [
    git(repo, ['rev-list', '--max-parents=0', 'HEAD']).trim(),
    git(repo, ['rev-parse', 'HEAD:code.txt']).trim(),
  ])
    fs.rmSync(path.join(repo, '.git', 'objects', o.slice(0, 2), o.slice(2)));
  expect(() => git(base, ['clone', '-q', '--depth', '1', pathToFileURL(repo).href, 'clone'])).toThrow();
  const dir = deployDir();
  const r = get(dir, [repo, 'churn@v0.1.0', '-o', 'model.pkl']);
  const commit = git(repo, ['rev-parse', 'churn@v0.1.0^{}']).trim();
  expect(r.stdout).toBe(`churn@v0.1.0 at ${commit.slice(0, 10)}; wrote model.pkl (687 B, sha256:${sha256(V1)})\n`);
  expect(fs.readFileSync(path.join(dir, 'model.pkl')).equals(V1)).toBe(true);
  expect(get(dir, [repo, 'models/churn.pkl', '-o', 'head.pkl']).code).toBe(0);
  expect(listing(dir)).toEqual(['head.pkl', 'model.pkl']);
  expect(listing(tmp)).toEqual([]);
});

test('a folder artifact: every file, verified, executable bits kept', () => {
  const repo = path.join(base, 'data-repo');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  mvgitOk(repo, ['init', '--remote', path.join(base, 'store')]);
  copyFixture('datasets/digits', path.join(repo, 'data', 'digits'));
  fs.writeFileSync(path.join(repo, 'data', 'digits', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  mvgitOk(repo, ['add', 'data/digits', '--kind', 'dataset']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'digits']);
  mvgitOk(repo, ['push']);
  const dir = deployDir();
  mvgitOk(dir, ['get', repo, 'data/digits', '-o', 'digits'], { TMPDIR: tmp });
  expect(listing(path.join(dir, 'digits'))).toEqual(['README.txt', 'run.sh', 'test.csv', 'train.csv']);
  for (const f of ['README.txt', 'test.csv', 'train.csv'])
    expect(
      fs.readFileSync(path.join(dir, 'digits', f)).equals(fs.readFileSync(fixturePath(`datasets/digits/${f}`))),
    ).toBe(true);
  expect(fs.statSync(path.join(dir, 'digits', 'run.sh')).mode & 0o111).not.toBe(0);
  // --force replaces the folder whole: a file it did not have is gone.
  fs.writeFileSync(path.join(dir, 'digits', 'extra.txt'), 'old');
  mvgitOk(dir, ['get', repo, 'data/digits', '-o', 'digits', '--force'], { TMPDIR: tmp });
  expect(listing(path.join(dir, 'digits'))).toEqual(['README.txt', 'run.sh', 'test.csv', 'train.csv']);
  expect(listing(dir)).toEqual(['digits']);
  expect(listing(tmp)).toEqual([]);
});

test('run inside another repository, get leaves its cache alone: it writes OUT and nothing else', () => {
  const { repo } = src;
  const here = path.join(base, 'service');
  fs.mkdirSync(here);
  makeGitRepo(here);
  mvgitOk(here, ['init']);
  fs.writeFileSync(path.join(here, 'own.bin'), bytes(100, 3));
  mvgitOk(here, ['add', 'own.bin']);
  const before = cacheObjects(here).map((o) => o.hex);
  expect(get(here, [repo, 'churn#prod', '-o', 'model.pkl']).code).toBe(0);
  expect(cacheObjects(here).map((o) => o.hex)).toEqual(before);
  expect(fs.readFileSync(path.join(here, 'model.pkl')).equals(V2)).toBe(true);
  expect(listing(tmp)).toEqual([]);
});

test('--rev is for a path: a registry reference names its version itself', () => {
  const r = get(deployDir(), [src.repo, 'churn#prod', '--rev', 'main', '-o', 'model.pkl']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    `error: --rev is for a path; churn#prod names its version itself\nhint: drop --rev, or name the file: mvgit get ${src.repo} PATH --rev main\n`,
  );
  expect(listing(tmp)).toEqual([]);
});

describe('stopped by a signal', () => {
  /** Starts get paused at `point`, sends SIGTERM once `ready` sees its temp, and waits for the end. */
  async function stopAt(
    point: string,
    ready: (dir: string) => boolean,
  ): Promise<{ signal: string | null; dir: string }> {
    const dir = deployDir();
    const child = spawn(process.execPath, [CLI, 'get', src.repo, 'churn#prod', '-o', 'model.pkl'], {
      cwd: dir,
      env: testEnv({ TMPDIR: tmp, MVGIT_FAILPOINT: `${point}:sleep=20000` }),
      stdio: 'ignore',
    });
    const ended = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for (let i = 0; i < 400 && !ready(dir); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    return { signal: await ended, dir };
  }

  test('while the temp repository exists: it is removed, and the process dies of the signal', async () => {
    const { signal, dir } = await stopAt('get:after-resolve', () => listing(tmp).length > 0);
    expect(signal).toBe('SIGTERM');
    expect(listing(tmp)).toEqual([]);
    expect(listing(dir)).toEqual([]);
  });

  test('with the bytes in a temp beside OUT: the temp is removed, OUT never appears', async () => {
    const { signal, dir } = await stopAt('get:before-publish', (d) => listing(d).length > 0);
    expect(signal).toBe('SIGTERM');
    expect(listing(dir)).toEqual([]);
    expect(listing(tmp)).toEqual([]);
  });
});

describe('OUT', () => {
  test('an existing OUT is refused (as dvc get does) unless --force, which replaces it', () => {
    const { repo } = src;
    const dir = deployDir();
    fs.writeFileSync(path.join(dir, 'model.pkl'), 'mine');
    const r = get(dir, [repo, 'churn#prod', '-o', 'model.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: model.pkl already exists\nhint: pick another path, or add --force to replace it\n');
    expect(fs.readFileSync(path.join(dir, 'model.pkl'), 'utf8')).toBe('mine');
    expect(get(dir, [repo, 'churn#prod', '-o', 'model.pkl', '--force']).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'model.pkl')).equals(V2)).toBe(true);
    expect(listing(dir)).toEqual(['model.pkl']);
    expect(listing(tmp)).toEqual([]);
  });

  test('--force never replaces the current folder, nor a folder with a file', () => {
    const { repo } = src;
    const dir = deployDir();
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const r = get(dir, [repo, 'churn#prod', '-o', '.', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: . holds the current folder; it cannot be replaced\nhint: write to a new file or folder, e.g. -o model.pkl\n',
    );
    fs.mkdirSync(path.join(dir, 'models'));
    const f = get(dir, [repo, 'churn#prod', '-o', 'models', '--force']);
    expect(f.code).toBe(1);
    expect(f.stderr.split('\n')[0]).toBe(`error: ${path.join(dir, 'models')} is a folder and the artifact is a file`);
    expect(listing(dir)).toEqual(['keep.txt', 'models']);
    expect(listing(path.join(dir, 'models'))).toEqual([]);
    expect(listing(tmp)).toEqual([]);
  });

  test('OUT in a folder that does not exist is refused before anything is fetched', () => {
    const { repo } = src;
    const dir = deployDir();
    const r = get(dir, [repo, 'churn#prod', '-o', 'models/model.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: the folder of models/model.pkl does not exist: ${path.join(dir, 'models')}\nhint: create it first (mkdir -p ${path.join(dir, 'models')}), or choose another -o\n`,
    );
    expect(listing(dir)).toEqual([]);
    expect(listing(tmp)).toEqual([]);
  });

  test('-o is required unless --show', () => {
    const { repo } = src;
    const r = get(deployDir(), [repo, 'churn#prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: -o OUT is required (or --show)\nhint: see mvgit get --help\n');
  });
});

describe('bad input', () => {
  /** Runs a get that must fail, and checks it left nothing anywhere. */
  function fails(args: string[], cwd = deployDir()): string {
    const r = get(cwd, [...args, '-o', 'model.pkl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(listing(cwd)).toEqual([]);
    expect(listing(tmp)).toEqual([]);
    return r.stderr;
  }

  test('an unreachable repository: the URL and git’s own message', () => {
    const missing = path.join(base, 'no-such-repo');
    expect(fails([missing, 'churn#prod'])).toBe(
      `error: cannot read the repository ${missing}: '${missing}' does not appear to be a git repository; Could not read from remote repository.\nhint: check the URL or path, and that git can reach it (git ls-remote URL); credentials come from git itself (ssh keys, a credential helper)\n`,
    );
  });

  test("a token in REPO's URL is masked in the message", () => {
    const err = fails(['https://deploy:s3cr3t@127.0.0.1:9/acme/churn.git', 'churn#prod']);
    expect(err.split('\n')[0]).toMatch(
      /^error: cannot read the repository https:\/\/\*\*\*@127\.0\.0\.1:9\/acme\/churn\.git: /,
    );
    expect(err).not.toContain('s3cr3t');
  });

  test('a repository without mvgit', () => {
    const plain = path.join(base, 'plain');
    fs.mkdirSync(plain);
    makeGitRepo(plain);
    expect(fails([plain, 'churn#prod'])).toBe(
      `error: ${plain} has no .mvgit/config.yaml on its default branch: it does not use mvgit\nhint: check the URL; a repository starts using mvgit with mvgit init, committed and pushed\n`,
    );
    expect(fails([plain, 'models/churn.pkl'])).toBe(
      `error: ${plain} has no .mvgit/config.yaml: it does not use mvgit\nhint: check the URL; a repository starts using mvgit with mvgit init, committed and pushed\n`,
    );
  });

  test('a path that is not an artifact at REV; a REV that is not there', () => {
    const { repo } = src;
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    expect(fails([repo, 'README.md'])).toBe(
      `error: README.md is not an artifact at ${head.slice(0, 10)} in ${repo}\nhint: name the artifact's path (its pointer file is PATH.mvgit.yaml), or another revision with --rev\n`,
    );
    expect(fails([repo, 'models/churn.pkl', '--rev', 'nope'])).toBe(
      `error: revision 'nope' is not a branch or tag of ${repo}\nhint: name a branch, a tag, or a full commit id (see git ls-remote URL)\n`,
    );
  });

  test('unknown name, version or stage: the resolver’s error, naming the repository; a version that is not semver', () => {
    const { repo } = src;
    expect(fails([repo, 'nosuch#prod'])).toBe(
      `error: no artifact named 'nosuch' in the registry of ${repo}\nhint: known artifacts: churn\n`,
    );
    expect(fails([repo, 'churn@v9.9.9'])).toBe(
      `error: churn has no version v9.9.9 in ${repo}\nhint: its versions: v0.3.0, v0.2.0, v0.1.0 (mvgit show churn)\n`,
    );
    expect(fails([repo, 'churn#staging'])).toBe(
      `error: churn has no version in stage 'staging' in ${repo}\nhint: its stages: prod (v0.2.0); assign one with mvgit promote churn VERSION staging\n`,
    );
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    expect(fails([repo, 'churn@9.9'])).toBe(
      `error: churn@9.9 is not an artifact at ${head.slice(0, 10)} in ${repo}\nhint: a registry reference is NAME#STAGE, NAME@vX.Y.Z or NAME@latest (GTO's grammar); anything else is taken as a path\n`,
    );
  });

  test('an unreachable remote: its name, URL and what failed', () => {
    const { repo, store } = src;
    fs.renameSync(store, `${store}-moved`);
    try {
      expect(fails([repo, 'churn#prod'])).toBe(
        `error: remote 'origin' of ${repo} (${store}) is unreachable: the folder does not exist\nhint: mount the share, or run where that folder is\n`,
      );
    } finally {
      fs.renameSync(`${store}-moved`, store);
    }
  });

  test('an object missing on the remote', () => {
    const { repo, store } = src;
    const hex = sha256(V2);
    const obj = path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
    fs.renameSync(obj, `${obj}-away`);
    try {
      expect(fails([repo, 'churn#prod'])).toBe(
        `error: object ${hex} is not on remote 'origin' (${store})\nhint: that version's bytes were never pushed there: in a clone of ${repo} that has them, run mvgit push --rev ${git(repo, ['rev-parse', 'churn@v0.2.0^{}']).slice(0, 10)}\n`,
      );
    } finally {
      fs.renameSync(`${obj}-away`, obj);
    }
  });

  test('a corrupt object on the remote: OUT is not written', () => {
    const { repo, store } = src;
    const hex = sha256(V2);
    const obj = path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
    fs.chmodSync(obj, 0o644);
    fs.writeFileSync(obj, Buffer.concat([V2.subarray(0, 100), Buffer.from('x'), V2.subarray(101)]));
    let err: string;
    try {
      err = fails([repo, 'churn#prod']);
    } finally {
      fs.writeFileSync(obj, V2);
    }
    expect(err).toMatch(
      new RegExp(
        `^error: object ${hex} for models/churn.pkl \\(churn#prod\\) on remote 'origin' \\(${store}\\) is corrupt: its content hashes to [0-9a-f]{12}; nothing was written\\n`,
      ),
    );
    expect(err).toContain('hint: ask the owners of that repository to repair it');
  });
});
