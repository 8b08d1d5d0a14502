/**
 * The built CLI, run the way a user runs it: each core command's happy path, its --json
 * shape, and its exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ageFiles,
  cacheObjects,
  cleanup,
  git,
  makeGitRepo,
  makeMvgitRepo,
  mvgit,
  mvgitOk,
  objectFile,
  sha256,
  writeFile,
} from '../helpers/repo.js';

const OID = /^sha256:[0-9a-f]{64}$/;

describe('init', () => {
  let repo: string;
  beforeEach(() => {
    repo = makeGitRepo();
  });
  afterEach(() => cleanup(repo));

  test('writes the committed config and the cache folders, says what to do next', () => {
    const r = mvgit(repo, ['init', '--no-hooks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Initialized mvgit in ${repo}\n`);
    expect(r.stdout).toContain('Next:\n');
    expect(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).toContain('link: auto');
    expect(fs.statSync(path.join(repo, '.git/mvgit/cache/objects/sha256')).isDirectory()).toBe(true);
    // Nothing of mvgit's machinery shows up for git but the config to commit.
    expect(git(repo, ['status', '--porcelain'])).toBe('?? .mvgit/\n');
  });

  test('in a clone that already has the config: only the local set-up, config untouched', () => {
    mvgitOk(repo, ['init', '--no-hooks']);
    fs.appendFileSync(path.join(repo, '.mvgit/config.yaml'), '# mine\n');
    const before = fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8');
    fs.rmSync(path.join(repo, '.git/mvgit'), { recursive: true });
    const r = mvgit(repo, ['init', '--no-hooks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`mvgit is already configured in ${repo}; cache set up`);
    expect(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(repo, '.git/mvgit/cache/objects/sha256'))).toBe(true);
  });
});

describe('a session: add, status, checkout, fsck', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeMvgitRepo();
    writeFile(repo, 'models/churn.pkl', 'model v1');
    writeFile(repo, 'data/train/a.csv', 'a');
    writeFile(repo, 'data/train/b.csv', 'b');
    writeFile(repo, 'params.json', '{"n_estimators": 200, "max_depth": 8}');
    writeFile(repo, 'metrics.yaml', 'auc: 0.96\naccuracy: 0.93\n');
    ageFiles(repo);
  });
  afterAll(() => cleanup(repo));

  test('add prints what it recorded and the git add to run', () => {
    const r = mvgit(repo, ['add', 'data/train', '--kind', 'dataset']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^added {5}data\/train \(dataset, 2 files, 2 B, [0-9a-f]{8}\)\n\nTo record this in git:\n {2}git add data\/train\.mvgit\.yaml data\/\.gitignore\n$/,
    );
    expect(r.stderr).toBe('');
    // Running the printed command stages exactly what is needed.
    git(repo, ['add', 'data/train.mvgit.yaml', 'data/.gitignore']);
    expect(git(repo, ['status', '--porcelain', 'data'])).toBe('A  data/.gitignore\nA  data/train.mvgit.yaml\n');
  });

  test('add --json with params, metrics, lineage and a description', () => {
    const r = mvgit(repo, [
      'add',
      'models/churn.pkl',
      '--kind',
      'model',
      '--params',
      'params.json',
      '--metrics',
      'metrics.yaml',
      '--input',
      'data/train',
      '-m',
      'churn model',
      '--framework',
      'sklearn',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const added = JSON.parse(r.stdout);
    expect(added).toEqual([
      {
        path: 'models/churn.pkl',
        pointerPath: 'models/churn.pkl.mvgit.yaml',
        kind: 'model',
        oid: `sha256:${sha256('model v1')}`,
        size: 8,
        changed: true,
        gitignore: 'models/.gitignore',
      },
    ]);
    const dataOid = /oid: (\S+)/.exec(fs.readFileSync(path.join(repo, 'data/train.mvgit.yaml'), 'utf8'))![1];
    expect(fs.readFileSync(path.join(repo, 'models/churn.pkl.mvgit.yaml'), 'utf8')).toBe(`mvgit: 1
kind: model
path: churn.pkl
oid: sha256:${sha256('model v1')}
size: 8
meta:
  description: churn model
  framework: sklearn
  params:
    max_depth: 8
    n_estimators: 200
  metrics:
    accuracy: 0.93
    auc: 0.96
  inputs:
    - path: data/train
      oid: ${dataOid}
`);
  });

  test('add of something unchanged says so and asks for no git add', () => {
    const r = mvgit(repo, ['add', 'models/churn.pkl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^unchanged models\/churn\.pkl \(model, 8 B, [0-9a-f]{8}\)\n$/);
  });

  test('status: a table, and --json with every field', () => {
    const r = mvgit(repo, ['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'data/train        dataset  up-to-date  2 files, 2 B\nmodels/churn.pkl  model    up-to-date  8 B\n',
    );
    const j = JSON.parse(mvgitOk(repo, ['status', '--json']));
    expect(j).toEqual([
      {
        path: 'data/train',
        pointerPath: 'data/train.mvgit.yaml',
        kind: 'dataset',
        oid: expect.stringMatching(OID),
        size: 2,
        files: 2,
        status: 'up-to-date',
        modified: false,
        missing: false,
        notInCache: [],
        changes: { added: [], modified: [], deleted: [] },
      },
      {
        path: 'models/churn.pkl',
        pointerPath: 'models/churn.pkl.mvgit.yaml',
        kind: 'model',
        oid: `sha256:${sha256('model v1')}`,
        size: 8,
        status: 'up-to-date',
        modified: false,
        missing: false,
        notInCache: [],
      },
    ]);
  });

  test('status names changed files and says how to record or discard them; exit 0', () => {
    writeFile(repo, 'data/train/a.csv', 'a changed');
    writeFile(repo, 'data/train/c.csv', 'c');
    fs.rmSync(path.join(repo, 'data/train/b.csv'));
    fs.rmSync(path.join(repo, 'models/churn.pkl'));
    const r = mvgit(repo, ['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'data/train        dataset  modified  2 files, 2 B\n' +
        'models/churn.pkl  model    missing   8 B\n' +
        '  added:    data/train/c.csv\n' +
        '  modified: data/train/a.csv\n' +
        '  deleted:  data/train/b.csv\n' +
        '\n(record changes: mvgit add PATH   discard them: mvgit checkout PATH --force)\n' +
        '\n(restore missing artifacts: mvgit checkout)\n',
    );
    const j = JSON.parse(mvgitOk(repo, ['status', 'data/train', '--json']));
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({
      status: 'modified',
      modified: true,
      changes: { added: ['c.csv'], modified: ['a.csv'], deleted: ['b.csv'] },
    });
  });

  test('checkout of one path restores only it', () => {
    const r = mvgit(repo, ['checkout', 'models/churn.pkl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('restored models/churn.pkl (1 written, 0 removed)\n');
    expect(fs.readFileSync(path.join(repo, 'models/churn.pkl'), 'utf8')).toBe('model v1');
    expect(fs.existsSync(path.join(repo, 'data/train/c.csv'))).toBe(true);
  });

  test('checkout --force --json discards the folder edits', () => {
    const r = mvgit(repo, ['checkout', '--force', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { path: 'data/train', result: 'restored', restored: 2, removed: 1, conflicts: [], missing: [], corrupt: [] },
      {
        path: 'models/churn.pkl',
        result: 'up-to-date',
        restored: 0,
        removed: 0,
        conflicts: [],
        missing: [],
        corrupt: [],
      },
    ]);
    expect(fs.readdirSync(path.join(repo, 'data/train')).sort()).toEqual(['a.csv', 'b.csv']);
    expect(fs.readFileSync(path.join(repo, 'data/train/a.csv'), 'utf8')).toBe('a');
  });

  test('checkout with nothing to do', () => {
    expect(mvgit(repo, ['checkout'])).toEqual({ code: 0, stdout: 'Everything is up to date.\n', stderr: '' });
  });

  test('checkout and status of a path that is not tracked', () => {
    for (const cmd of ['checkout', 'status']) {
      const r = mvgit(repo, [cmd, 'nope.bin']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "error: nope.bin is not a tracked artifact\nhint: track it with 'mvgit add nope.bin', or see 'mvgit status' for what is tracked\n",
      );
    }
  });

  test('paths are relative to the current folder, as with git', () => {
    const sub = path.join(repo, 'models');
    fs.rmSync(path.join(sub, 'churn.pkl'));
    expect(JSON.parse(mvgitOk(sub, ['status', 'churn.pkl', '--json'])).map((s: { path: string }) => s.path)).toEqual([
      'models/churn.pkl',
    ]);
    expect(mvgitOk(sub, ['checkout', './churn.pkl'])).toBe('restored models/churn.pkl (1 written, 0 removed)\n');
    expect(mvgitOk(repo, ['status', 'data/train/', '--json'])).toContain('"path": "data/train"');
  });

  test('fsck checks every object; --json shape', () => {
    const count = cacheObjects(repo).length;
    expect(mvgit(repo, ['fsck'])).toEqual({ code: 0, stdout: `checked ${count} object(s)\n`, stderr: '' });
    expect(JSON.parse(mvgitOk(repo, ['fsck', '--json']))).toEqual({ checked: count, corrupt: [], tempsRemoved: 0 });
  });

  test('fsck clears temp files left by killed runs', () => {
    const fan = path.dirname(objectFile(repo, 'ab'.repeat(32)));
    fs.mkdirSync(fan, { recursive: true });
    fs.writeFileSync(path.join(fan, '.abab.mvgit-tmp-123-0-xyz'), 'half an obj');
    const r = mvgit(repo, ['fsck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed 1 temp file(s) left by interrupted runs');
    expect(fs.readdirSync(fan)).toEqual([]);
  });
});

describe('track and untrack', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeMvgitRepo();
  });
  afterAll(() => cleanup(repo));

  test('track writes the rule, reports matches; add with no path records them', () => {
    writeFile(repo, 'models/a.pkl', 'a');
    const r = mvgit(repo, ['track', 'models/*.pkl', '--kind', 'model']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "Tracking 'models/*.pkl' as model\n1 match now: run 'mvgit add' (or just commit, with the hooks installed) to record them.\nCommit the rule: git add .mvgit/config.yaml\n",
    );
    expect(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).toContain(
      'track:\n  - pattern: models/*.pkl\n    kind: model\n',
    );
    writeFile(repo, 'models/b.pkl', 'b');
    const add = mvgit(repo, ['add']);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('added     models/a.pkl (model, 1 B,');
    expect(add.stdout).toContain('added     models/b.pkl (model, 1 B,');
  });

  test('track again without --kind keeps the kind; --json shape', () => {
    const j = JSON.parse(mvgitOk(repo, ['track', 'models/*.pkl', '--json']));
    expect(j.rules).toEqual([{ pattern: 'models/*.pkl', kind: 'model' }]);
    expect(j.matches.map((m: { path: string }) => m.path)).toEqual(['models/a.pkl', 'models/b.pkl']);
  });

  test('untrack removes the rule; an unknown rule is a warning and exit 1', () => {
    expect(mvgit(repo, ['untrack', 'models/*.pkl'])).toEqual({
      code: 0,
      stdout: "No longer tracking 'models/*.pkl'\n",
      stderr: '',
    });
    expect(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).not.toContain('models/*.pkl');
    // Artifacts already recorded keep their pointers.
    expect(fs.existsSync(path.join(repo, 'models/a.pkl.mvgit.yaml'))).toBe(true);
    const r = mvgit(repo, ['untrack', 'nope/*']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("warning: 'nope/*' was not a tracking rule (see .mvgit/config.yaml)\n");
  });

  test('add with no path and no rules', () => {
    expect(mvgitOk(repo, ['add'])).toBe("Nothing to add: no tracking rule matches a file (see 'mvgit track').\n");
  });

  test('a rule that leaves the repo', () => {
    const r = mvgit(repo, ['track', '../x/*.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: tracking rule '../x/*.pkl' must be a pattern relative to the repository's top folder\nhint: for example: mvgit track 'models/*.pkl' --kind model\n",
    );
  });
});

describe('config', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeMvgitRepo();
  });
  afterAll(() => cleanup(repo));

  test('reads defaults, sets the committed file, keeps its comments', () => {
    expect(mvgitOk(repo, ['config', 'cache.link'])).toBe('auto\n');
    expect(mvgitOk(repo, ['config', 'guard.maxFileSize'])).toBe('10MB\n');
    expect(mvgit(repo, ['config', 'cache.link', 'hardlink'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(mvgitOk(repo, ['config', 'cache.link'])).toBe('hardlink\n');
    const text = fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8');
    expect(text).toContain('link: hardlink');
    expect(text).toContain('# mvgit settings, committed with the code.');
    mvgitOk(repo, ['config', 'guard.maxFileSize', '50MB']);
    expect(mvgitOk(repo, ['config', 'guard.maxFileSize'])).toBe('50MB\n');
  });

  test('--local writes the git dir file, which wins over the committed one', () => {
    mvgitOk(repo, ['config', '--local', 'cache.link', 'copy']);
    // 'init --no-hooks' put this clone's opt-out there first.
    expect(fs.readFileSync(path.join(repo, '.git/mvgit/config.yaml'), 'utf8')).toBe(
      'hooks:\n  skip: true\ncache:\n  link: copy\n',
    );
    expect(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).toContain('link: hardlink');
    expect(mvgitOk(repo, ['config', 'cache.link'])).toBe('copy\n');
    // And the commands use it: add makes a copy, not a hard link.
    writeFile(repo, 'm.bin', 'x');
    mvgitOk(repo, ['add', 'm.bin']);
    expect(fs.statSync(path.join(repo, 'm.bin')).ino).not.toBe(fs.statSync(objectFile(repo, sha256('x'))).ino);
  });

  test.each([
    [
      ['config', 'cache.link', 'clone'],
      "cache.link must be one of auto, reflink, copy, hardlink, symlink, got 'clone'",
      'for example: mvgit config cache.link hardlink',
    ],
    [
      ['config', 'cache.fsync', 'maybe'],
      "cache.fsync must be true or false, got 'maybe'",
      'for example: mvgit config cache.fsync false',
    ],
    [
      ['config', 'guard.maxFileSize', 'huge'],
      'guard.maxFileSize must be a size such as 10MB, got "huge"',
      'use a number of bytes or a size like 500KB, 10MB, 1GB; 0 turns the check off',
    ],
    [
      ['config', 'cache.colour', 'x'],
      "unknown setting 'cache.colour'",
      'known settings: cache.link, cache.fsync, guard.maxFileSize, core.autoFetch, core.remote, gc.keepRecent, gc.remoteKeepRecent, remotes.NAME.FIELD, artifacts.NAME',
    ],
    [['config', 'core.remote'], 'core.remote is not set', 'set it with: mvgit config core.remote VALUE'],
  ])('%j fails with exit 1, message and hint, file unchanged', (args, message, hint) => {
    const before = fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8');
    expect(mvgit(repo, args)).toEqual({ code: 1, stdout: '', stderr: `error: ${message}\nhint: ${hint}\n` });
    expect(fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8')).toBe(before);
  });

  test('a broken config file is named with the line', () => {
    const file = path.join(repo, '.mvgit/config.yaml');
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, 'cache:\n  link: [copy\n');
    try {
      const r = mvgit(repo, ['status']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: \.mvgit\/config\.yaml: not valid YAML \(line \d+\): /);
      expect(r.stderr).toContain('hint: fix the file by hand, or restore it with git checkout -- .mvgit/config.yaml\n');
      fs.writeFileSync(file, 'core:\n  autoFetch: maybe\n');
      expect(mvgit(repo, ['status'])).toEqual({
        code: 1,
        stdout: '',
        stderr:
          "error: .mvgit/config.yaml: core.autoFetch must be true or false\nhint: edit .mvgit/config.yaml, or set it with 'mvgit config KEY VALUE'\n",
      });
    } finally {
      fs.writeFileSync(file, before);
    }
  });
});

describe('help, version, usage errors', () => {
  let repo: string;
  beforeAll(() => {
    repo = makeMvgitRepo();
  });
  afterAll(() => cleanup(repo));

  test.each(['init', 'track', 'untrack', 'add', 'status', 'checkout', 'fsck', 'config'])(
    '%s --help has an example',
    (cmd) => {
      const r = mvgit(repo, [cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`mvgit ${cmd}`);
      expect(r.stdout).toMatch(/Examples:\n {2}mvgit /);
    },
  );

  test('--version prints the package version', () => {
    const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(mvgit(repo, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test.each([
    [[], 'name a command; see mvgit --help', 'see mvgit --help, or mvgit COMMAND --help'],
    [['status', '--bogus'], 'unknown option --bogus', 'see mvgit status --help'],
    [['config'], 'missing argument; usage: mvgit config <key> [value]', 'see mvgit config --help'],
    [['track'], 'missing argument; usage: mvgit track <patterns..>', 'see mvgit track --help'],
  ])('usage error %j exits 2 with a hint', (args, message, hint) => {
    const r = mvgit(repo, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${message}\nhint: ${hint}\n`);
  });

  test('a usage error with --json is JSON', () => {
    const r = mvgit(repo, ['status', '--json', '--bogus']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'USAGE', message: 'unknown option --bogus', hint: 'see mvgit status --help' },
    });
  });

  test('no progress bar when stderr is not a terminal', () => {
    for (let i = 0; i < 500; i++) writeFile(repo, `many/f${i}`, `${i}`);
    const r = mvgit(repo, ['add', 'many'], { MVGIT_NO_PROGRESS: undefined });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('NO_COLOR and a pipe: no escape codes anywhere', () => {
    writeFile(repo, 'm.bin', 'x');
    mvgitOk(repo, ['add', 'm.bin']);
    fs.rmSync(path.join(repo, 'm.bin'));
    for (const args of [['status'], ['checkout', 'nope'], ['status', '--bogus']]) {
      const r = mvgit(repo, args, { FORCE_COLOR: undefined });
      expect(r.stdout + r.stderr).not.toContain('\u001b[');
    }
  });
});
