/**
 * Bad input through the built CLI: every case exits 1 with a message naming the file and the
 * problem and a hint, and writes nothing (work tree, cache, outside the repo).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fixtureCases, readFixture } from '../helpers/fixtures.js';
import {
  cacheObjects,
  cleanup,
  git,
  makeMvgitRepo,
  mvgit,
  mvgitOk,
  objectFile,
  sha256,
  tempDir,
  treeSnapshot,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
let outside: string;
const MODEL = 'trained weights\n';
const MODEL_HEX = sha256(MODEL);

beforeAll(() => {
  repo = makeMvgitRepo();
  outside = tempDir('mvgit-outside-');
  writeFile(repo, 'model.bin', MODEL);
  mvgitOk(repo, ['add', 'model.bin', '--kind', 'model']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'model']);
});
afterAll(() => {
  cleanup(repo);
  cleanup(outside);
});

/** Runs the CLI and checks the failure a user sees: exit 1, `error: MESSAGE`, `hint: HINT`, and nothing written. */
function failsCleanly(args: string[], message: string | RegExp, hint: string | RegExp, cwd = repo): { stderr: string } {
  const before = treeSnapshot(repo);
  const objects = cacheObjects(repo).length;
  const outsideBefore = treeSnapshot(outside);
  const r = mvgit(cwd, args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0].startsWith('error: ')).toBe(true);
  expect(lines[1].startsWith('hint: ')).toBe(true);
  const msg = lines[0].slice('error: '.length);
  const h = lines[1].slice('hint: '.length);
  if (typeof message === 'string') expect(msg).toBe(message);
  else expect(msg).toMatch(message);
  if (typeof hint === 'string') expect(h).toBe(hint);
  else expect(h).toMatch(hint);
  expect(treeSnapshot(repo)).toEqual(before);
  expect(cacheObjects(repo).length).toBe(objects);
  expect(treeSnapshot(outside)).toEqual(outsideBefore);
  return r;
}

const good = (over: Record<string, string> = {}, drop: string[] = [], extra = ''): string => {
  const fields: Record<string, string> = {
    mvgit: '1',
    kind: 'model',
    path: 'other.bin',
    oid: `sha256:${MODEL_HEX}`,
    size: String(MODEL.length),
    ...over,
  };
  return `${Object.entries(fields)
    .filter(([k]) => !drop.includes(k))
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n${extra}`;
};

describe('bad pointer files: status and checkout refuse them, naming the file and the field', () => {
  const cases = fixtureCases<{ name: string; file: string; message: string; hint: string }>('pointers/bad').map(
    (c) => [c.name, readFixture(`pointers/bad/${c.file}`).toString('utf8'), c.message, c.hint] as const,
  );

  test.each(cases)('%s', (_what, text, message, hint) => {
    const pointer = path.join(repo, 'other.bin.mvgit.yaml');
    const abs = path.join(outside, 'evil.bin');
    fs.writeFileSync(pointer, text.replace('/ABS/evil.bin', abs));
    try {
      const msg = message.replace('/ABS/evil.bin', abs);
      for (const cmd of [['checkout', '--force']])
        failsCleanly(cmd, msg.endsWith(']') ? new RegExp(`^${msg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : msg, hint);
      expect(fs.existsSync(path.join(path.dirname(repo), 'escaped.bin'))).toBe(false);
      expect(fs.existsSync(abs)).toBe(false);
    } finally {
      fs.rmSync(pointer);
    }
  });

  test('--json prints the error as JSON on stdout, with the file', () => {
    const pointer = path.join(repo, 'other.bin.mvgit.yaml');
    fs.writeFileSync(pointer, good({ mvgit: '2' }));
    try {
      const r = mvgit(repo, ['status', '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toEqual({
        error: {
          code: 'POINTER_INVALID',
          message: 'other.bin.mvgit.yaml: unknown format version mvgit: 2',
          hint: 'this mvgit reads format 1; upgrade mvgit if the pointer was written by a newer one',
          data: { file: 'other.bin.mvgit.yaml' },
        },
      });
    } finally {
      fs.rmSync(pointer);
    }
  });
});

describe('bad manifests: a folder pointer whose manifest would write outside the folder', () => {
  /** Puts a manifest object in the cache and a pointer to it; returns the manifest's hex. */
  function craftManifest(text: string): string {
    const hex = sha256(text);
    const file = objectFile(repo, hex);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { mode: 0o444 });
    fs.writeFileSync(
      path.join(repo, 'data.mvgit.yaml'),
      `mvgit: 1\nkind: dataset\npath: data\noid: sha256:${hex}\nsize: ${MODEL.length}\nfiles: 1\n`,
    );
    return hex;
  }

  afterEach(() => {
    fs.rmSync(path.join(repo, 'data.mvgit.yaml'), { force: true });
    for (const o of cacheObjects(repo)) if (o.hex !== MODEL_HEX) fs.rmSync(o.file);
  });

  test.each([
    ['..', '../escaped.txt', `path must not contain '..': "../escaped.txt"`],
    ['.. deeper', 'a/../../escaped.txt', `path must not contain '..': "a/../../escaped.txt"`],
    ['an absolute path', '/ABS/escaped.txt', `path must be relative, not absolute: "/ABS/escaped.txt"`],
  ])('an entry with %s', (_what, entryPath, problem) => {
    const abs = path.join(outside, 'escaped.txt');
    const hex = craftManifest(
      `{"path":${JSON.stringify(entryPath.replace('/ABS/escaped.txt', abs))},"oid":"${MODEL_HEX}","size":${MODEL.length}}\n`,
    );
    const message = `manifest data (${hex.slice(0, 12)}), line 1: ${problem.replace('/ABS/escaped.txt', abs)}`;
    const hint = "the directory's manifest is damaged; run 'mvgit fsck', or restore the pointer from git history";
    failsCleanly(['checkout', '--force', 'data'], message, hint);
    failsCleanly(['status'], message, hint);
    expect(fs.existsSync(path.join(path.dirname(repo), 'escaped.txt'))).toBe(false);
    expect(fs.existsSync(abs)).toBe(false);
  });
});

describe('add refuses paths it must not take', () => {
  test('a path outside the repo, absolute or relative', () => {
    const file = writeFile(outside, 'elsewhere.bin', 'x');
    const hint = 'mvgit tracks files inside the work tree only; move or copy the file into the repo first';
    failsCleanly(['add', file], `${file} is outside the repository ${repo}`, hint);
    const rel = path.relative(repo, file);
    failsCleanly(['add', rel], `${rel} is outside the repository ${repo}`, hint);
  });

  test('a file git already tracks: the hint says how to hand it over', () => {
    writeFile(repo, 'small.csv', 'a,b\n');
    git(repo, ['add', 'small.csv']);
    try {
      failsCleanly(
        ['add', 'small.csv'],
        'small.csv is already tracked by git',
        'stop git tracking it first (the file stays on disk): git rm --cached small.csv',
      );
    } finally {
      git(repo, ['rm', '-q', '--cached', 'small.csv']);
      fs.rmSync(path.join(repo, 'small.csv'));
    }
  });

  test('a folder holding files git tracks', () => {
    writeFile(repo, 'data/labels.csv', 'a,b\n');
    git(repo, ['add', 'data/labels.csv']);
    try {
      failsCleanly(
        ['add', 'data'],
        'data is already tracked by git',
        'stop git tracking it first (the file stays on disk): git rm -r --cached data',
      );
    } finally {
      git(repo, ['rm', '-q', '-r', '--cached', 'data']);
      fs.rmSync(path.join(repo, 'data'), { recursive: true });
    }
  });

  test('a symlink that leads outside the repo, to a file or through a folder', () => {
    const target = writeFile(outside, 'weights.bin', 'outside data');
    fs.symlinkSync(target, path.join(repo, 'link.bin'));
    fs.symlinkSync(outside, path.join(repo, 'linkdir'));
    fs.mkdirSync(path.join(repo, 'ds'));
    fs.symlinkSync(target, path.join(repo, 'ds', 'inner.bin'));
    const hint = 'copy the data into the repository instead of linking to it';
    try {
      failsCleanly(['add', 'link.bin'], `link.bin leads outside the repository through a symlink (to ${target})`, hint);
      failsCleanly(
        ['add', 'linkdir/weights.bin'],
        `linkdir/weights.bin leads outside the repository through a symlink (to ${target})`,
        hint,
      );
      failsCleanly(['add', 'linkdir'], `linkdir leads outside the repository through a symlink (to ${outside})`, hint);
      failsCleanly(['add', 'ds'], `ds/inner.bin leads outside the repository through a symlink (to ${target})`, hint);
      // Checked before anything is written, whatever the order of the paths.
      writeFile(repo, 'fresh.bin', 'fresh');
      failsCleanly(
        ['add', 'fresh.bin', 'ds'],
        `ds/inner.bin leads outside the repository through a symlink (to ${target})`,
        hint,
      );
      fs.rmSync(path.join(repo, 'fresh.bin'));
    } finally {
      for (const p of ['link.bin', 'linkdir', 'ds']) fs.rmSync(path.join(repo, p), { recursive: true });
      fs.rmSync(target);
    }
  });

  test('a path that does not exist', () => {
    failsCleanly(
      ['add', 'models/nope.pkl'],
      'models/nope.pkl does not exist',
      'check the path; mvgit add takes files and folders in the work tree',
    );
  });

  test('one bad path among good ones: nothing is added', () => {
    writeFile(repo, 'fresh.bin', 'fresh');
    try {
      failsCleanly(
        ['add', 'fresh.bin', 'nope.bin'],
        'nope.bin does not exist',
        'check the path; mvgit add takes files and folders in the work tree',
      );
    } finally {
      fs.rmSync(path.join(repo, 'fresh.bin'));
    }
  });

  test("a pointer file, the git dir, mvgit's config", () => {
    failsCleanly(
      ['add', 'model.bin.mvgit.yaml'],
      'model.bin.mvgit.yaml is a pointer file, not an artifact',
      'add the artifact itself: mvgit add model.bin',
    );
    failsCleanly(['add', '.git/config'], '.git/config is inside the git dir', 'pick a path in the work tree');
    failsCleanly(['add', '.mvgit'], ".mvgit is mvgit's own config", 'add models and datasets, not the .mvgit folder');
  });

  test('bad options exit 2 (usage), naming the option', () => {
    const r = mvgit(repo, ['add', 'model.bin', '--kind', 'weights']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Argument: kind, Given: "weights", Choices: "model", "dataset", "artifact"');
    expect(r.stderr).toContain('hint: see mvgit add --help');
  });
});

describe('checkout never overwrites content that is only in the work tree', () => {
  afterEach(() => {
    mvgitOk(repo, ['checkout', '--force', 'model.bin']);
  });

  test('a modified file whose content is not in the cache is refused; --force restores it', () => {
    writeFile(repo, 'model.bin', 'my experiment, not saved anywhere');
    failsCleanly(
      ['checkout'],
      'not overwriting 1 file(s) whose content is not in the cache: model.bin',
      "keep the changes with 'mvgit add PATH', or discard them with 'mvgit checkout PATH --force'",
    );
    expect(fs.readFileSync(path.join(repo, 'model.bin'), 'utf8')).toBe('my experiment, not saved anywhere');

    const r = mvgit(repo, ['checkout', '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('restored model.bin (1 written, 0 removed)\n');
    expect(fs.readFileSync(path.join(repo, 'model.bin'), 'utf8')).toBe(MODEL);
  });

  test('--json: one JSON document, the error with the conflicts and the outcome', () => {
    writeFile(repo, 'model.bin', 'another experiment');
    const r = mvgit(repo, ['checkout', '--json']);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({
      code: 'WOULD_OVERWRITE',
      data: { conflicts: ['model.bin'], result: [{ path: 'model.bin', result: 'conflict', conflicts: ['model.bin'] }] },
    });
    expect(error.hint).toBe(
      "keep the changes with 'mvgit add PATH', or discard them with 'mvgit checkout PATH --force'",
    );
    expect(fs.readFileSync(path.join(repo, 'model.bin'), 'utf8')).toBe('another experiment');
  });
});

describe('checkout will not write through a symlink that leads out of the work tree', () => {
  test('a committed symlink to a folder elsewhere, or a link into .git', () => {
    fs.symlinkSync(outside, path.join(repo, 'out'));
    fs.symlinkSync(path.join(repo, '.git', 'hooks'), path.join(repo, 'hk'));
    git(repo, ['add', 'out']);
    const pointer = path.join(repo, 'x.mvgit.yaml');
    try {
      fs.writeFileSync(pointer, good({ path: 'out/evil.txt' }));
      failsCleanly(
        ['checkout'],
        "out/evil.txt: mvgit never writes through a symlink committed to git, and this artifact's way holds: out",
        "if the commit is not yours, do not trust it; otherwise replace the link with a real folder ('git rm out') and commit",
      );
      // Not committed, but into the git dir: no one's data lives there.
      fs.writeFileSync(pointer, good({ path: 'hk/post-checkout' }));
      failsCleanly(
        ['checkout'],
        `hk/post-checkout leads into a git dir through the symlink hk (to ${fs.realpathSync(path.join(repo, '.git', 'hooks'))}); not writing there`,
        'remove the link (rm hk), or remove the pointer if it is not yours',
      );
      expect(fs.existsSync(path.join(repo, '.git', 'hooks', 'post-checkout'))).toBe(false);
      // A folder artifact whose folder is such a link: not even --force removes files there.
      writeFile(outside, 'precious.txt', 'keep me');
      fs.writeFileSync(pointer, good({ path: 'out', oid: `sha256:${MODEL_HEX}` }, [], 'files: 1\n'));
      failsCleanly(
        ['checkout', '--force'],
        "out: mvgit never writes through a symlink committed to git, and this artifact's way holds: out",
        "if the commit is not yours, do not trust it; otherwise replace the link with a real folder ('git rm out') and commit",
      );
      expect(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    } finally {
      git(repo, ['rm', '-q', '--cached', 'out']);
      fs.rmSync(pointer, { force: true });
      fs.rmSync(path.join(repo, 'out'));
      fs.rmSync(path.join(repo, 'hk'));
      fs.rmSync(path.join(outside, 'precious.txt'), { force: true });
    }
  });
});

describe('commands outside a set-up repo', () => {
  test('init outside a git work tree', () => {
    const dir = tempDir();
    try {
      const r = mvgit(dir, ['init']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: not inside a git work tree: ${dir}\nhint: run 'git init' first, or cd into your project\n`,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      cleanup(dir);
    }
  });

  test('a command before mvgit init', () => {
    const dir = tempDir();
    try {
      git(dir, ['init', '-q']);
      for (const cmd of [['status'], ['add', 'x'], ['checkout'], ['fsck'], ['config', 'cache.link']]) {
        const r = mvgit(dir, cmd);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(`error: mvgit is not set up in ${dir}\nhint: run 'mvgit init' first\n`);
      }
      expect(fs.readdirSync(dir)).toEqual(['.git']);
    } finally {
      cleanup(dir);
    }
  });
});
