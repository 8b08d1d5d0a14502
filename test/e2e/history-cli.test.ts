/**
 * The built CLI with the real git binary: `mvgit log` and `mvgit checkout REV [-- PATH] [-o OUT]`
 * over three committed versions of a model, and the messages a user sees when input is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, git, makeMvgitRepo, mvgit, mvgitOk, tempDir, writeFile } from '../helpers/repo.js';

let parent: string;
let repo: string;
/** Commit oids of v1..v3. */
let commits: string[];
const V = ['weights v1', 'weights v2 (bigger)', 'weights v3'];
const read = (rel: string): string => fs.readFileSync(path.join(repo, rel), 'utf8');

beforeAll(() => {
  // The repo sits in its own folder so that ../old.pkl lands in a folder the test owns.
  parent = tempDir('mvgit-history-');
  fs.mkdirSync(path.join(parent, 'project'));
  repo = makeMvgitRepo(path.join(parent, 'project'));
  commits = [];
  for (let i = 0; i < 3; i++) {
    writeFile(repo, 'models/m.pkl', V[i]);
    writeFile(repo, 'metrics.json', JSON.stringify({ accuracy: 0.9 + i / 100, loss: 0.3 - i / 10 }));
    mvgitOk(repo, ['add', 'models/m.pkl', '--kind', 'model', '--metrics', 'metrics.json']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', `train v${i + 1}`]);
    commits.push(git(repo, ['rev-parse', 'HEAD']).trim());
    if (i === 0) git(repo, ['tag', 'v1-tag']);
    writeFile(repo, 'train.py', `# change ${i}\n`);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', `code ${i}`]);
  }
});
afterAll(() => cleanup(parent));

function mkdirFresh(...rels: string[]): void {
  for (const r of rels) fs.rmSync(path.join(parent, r), { recursive: true, force: true });
}

describe('mvgit log', () => {
  test('lists the three versions newest first, with metrics', () => {
    const r = mvgit(repo, ['log', 'models/m.pkl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(/\s{2,}/)).toEqual(['commit', 'date', 'author', 'oid', 'size', 'metrics', 'subject']);
    for (let i = 0; i < 3; i++) {
      const line = lines[3 - i];
      expect(line.startsWith(commits[i].slice(0, 7))).toBe(true);
      expect(line).toContain(`accuracy=${0.9 + i / 100} loss=${0.3 - i / 10}`);
      expect(line).toMatch(new RegExp(`Test\\s+[0-9a-f]{8}\\s+${Buffer.byteLength(V[i])} B\\s+.*train v${i + 1}$`));
    }
  });

  test('--json and -n', () => {
    const all = JSON.parse(mvgitOk(repo, ['log', 'models/m.pkl.mvgit.yaml', '--json'])) as {
      commit: string;
      metrics: { accuracy: number };
      size: number;
    }[];
    expect(all.map((v) => v.commit)).toEqual([...commits].reverse());
    expect(all.map((v) => v.metrics.accuracy)).toEqual([0.92, 0.91, 0.9]);
    const one = JSON.parse(mvgitOk(repo, ['log', 'models/m.pkl', '--json', '-n', '1'])) as unknown[];
    expect(one).toHaveLength(1);
  });

  test('an unknown path fails with a hint', () => {
    const r = mvgit(repo, ['log', 'models/none.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: models/none.pkl has no history: no commit has models/none.pkl.mvgit.yaml\nhint: track it with 'mvgit add models/none.pkl' and commit the pointer; 'mvgit status' lists what is tracked\n",
    );
    const j = mvgit(repo, ['log', 'models/none.pkl', '--json']);
    expect(JSON.parse(j.stdout).error.code).toBe('NOT_TRACKED');
  });

  test('a missing path is a usage error', () => {
    expect(mvgit(repo, ['log']).code).toBe(2);
  });
});

describe('mvgit checkout REV', () => {
  afterEach(() => {
    // every test leaves the work tree at HEAD
    mvgitOk(repo, ['checkout', 'HEAD', '--', 'models/m.pkl', '--force']);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  test("-o ../old.pkl gives v1 byte for byte beside today's model", () => {
    mkdirFresh('old.pkl');
    const r = mvgit(repo, ['checkout', 'v1-tag', '--', 'models/m.pkl', '-o', '../old.pkl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote models/m.pkl as at v1-tag (${commits[0].slice(0, 7)}) to ../old.pkl\n`);
    expect(fs.readFileSync(path.join(parent, 'old.pkl'), 'utf8')).toBe(V[0]);
    expect(read('models/m.pkl')).toBe(V[2]);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    // the form with -o before the path, and a REV without --
    mkdirFresh('v2.pkl');
    mvgitOk(repo, ['checkout', commits[1], 'models/m.pkl', '-o', '../v2.pkl']);
    expect(fs.readFileSync(path.join(parent, 'v2.pkl'), 'utf8')).toBe(V[1]);
  });

  test('the first commit in place: v1 is back, with its pointer', () => {
    const r = mvgit(repo, ['checkout', commits[0], '--', 'models/m.pkl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `restored models/m.pkl as at ${commits[0]}: 1 written, 0 removed\n\n` +
        'The pointer now differs from HEAD (not staged). To keep this: git add models/m.pkl.mvgit.yaml && git commit\n' +
        'To go back: mvgit checkout HEAD -- models/m.pkl\n',
    );
    expect(read('models/m.pkl')).toBe(V[0]);
    expect(git(repo, ['status', '--porcelain'])).toBe(' M models/m.pkl.mvgit.yaml\n');
    expect(git(repo, ['diff', '--cached'])).toBe('');
    const st = JSON.parse(mvgitOk(repo, ['status', '--json'])) as { status: string }[];
    expect(st.map((s) => s.status)).toEqual(['up-to-date']);
  });

  test('plain mvgit checkout [PATH] still restores from the pointers', () => {
    fs.rmSync(path.join(repo, 'models/m.pkl'));
    expect(mvgitOk(repo, ['checkout', 'models/m.pkl'])).toBe('restored models/m.pkl (1 written, 0 removed)\n');
    fs.rmSync(path.join(repo, 'models/m.pkl'));
    expect(mvgitOk(repo, ['checkout', '--', 'models/m.pkl'])).toBe('restored models/m.pkl (1 written, 0 removed)\n');
    expect(mvgitOk(repo, ['checkout'])).toBe('Everything is up to date.\n');
    expect(read('models/m.pkl')).toBe(V[2]);
  });

  test('unsaved work is refused with the way out', () => {
    writeFile(repo, 'models/m.pkl', 'my unsaved experiment');
    const r = mvgit(repo, ['checkout', 'v1-tag', '--', 'models/m.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: not overwriting 1 file(s) whose content is not in the cache: models/m.pkl\nhint: keep the changes with 'mvgit add PATH' first, or discard them: mvgit checkout v1-tag -- PATH --force\n",
    );
    expect(read('models/m.pkl')).toBe('my unsaved experiment');
  });
});

describe('bad input', () => {
  const run = (args: string[]) => mvgit(repo, args);

  test('a revision that does not exist', () => {
    const r = run(['checkout', 'v9', '--', 'models/m.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: revision 'v9' does not exist\nhint: name a commit, branch or tag (see 'git log --oneline' and 'git tag')\n",
    );
  });

  test('a path not tracked at REV', () => {
    const r = run(['checkout', 'v1-tag', '--', 'models/other.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: models/other.pkl is not tracked at v1-tag (${commits[0].slice(0, 10)})\nhint: see the commits that have it with 'mvgit log models/other.pkl', and what v1-tag tracks with 'git ls-tree -r --name-only v1-tag'\n`,
    );
  });

  test('OUT that exists is refused without --force', () => {
    mkdirFresh('taken.pkl');
    fs.writeFileSync(path.join(parent, 'taken.pkl'), 'keep me');
    const r = run(['checkout', 'v1-tag', '--', 'models/m.pkl', '-o', '../taken.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: ../taken.pkl already exists\nhint: pick another path, or add --force to replace it\n',
    );
    expect(fs.readFileSync(path.join(parent, 'taken.pkl'), 'utf8')).toBe('keep me');
    mvgitOk(repo, ['checkout', 'v1-tag', '--', 'models/m.pkl', '-o', '../taken.pkl', '--force']);
    expect(fs.readFileSync(path.join(parent, 'taken.pkl'), 'utf8')).toBe(V[0]);
  });

  test('a REV typed without -- is read as a path, and the hint says so', () => {
    const r = run(['checkout', 'v1-tag']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: v1-tag is not a tracked artifact\nhint: to check out revision v1-tag, put it before --: mvgit checkout v1-tag --\n',
    );
  });

  test('with -o the first word is the revision, and a path there gets a hint', () => {
    const r = run(['checkout', 'models/m.pkl', '-o', '../x.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: revision 'models/m.pkl' does not exist\nhint: with -o, the first word is the revision; for a path write: mvgit checkout HEAD -- models/m.pkl -o ../x.pkl\n",
    );
  });

  test('two revisions before --, and -o without a path, are usage errors', () => {
    const two = run(['checkout', 'v1-tag', 'HEAD', '--', 'models/m.pkl']);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(
      'error: only one revision goes before --, got: v1-tag HEAD\nhint: mvgit checkout REV -- PATH...\n',
    );
    const noOut = run(['checkout', 'v1-tag', '--', 'models/m.pkl', '-o']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toBe(
      'error: -o needs a path\nhint: for example: mvgit checkout v1 -- models/m.pkl -o ../old.pkl\n',
    );
  });

  test('a malformed pointer at REV names the file and the commit', () => {
    const clone = path.join(parent, 'broken');
    mkdirFresh('broken');
    git(parent, ['clone', '-q', repo, clone]);
    fs.writeFileSync(
      path.join(clone, 'models/m.pkl.mvgit.yaml'),
      'mvgit: 1\nkind: model\npath: m.pkl\noid: sha256:abc\nsize: 1\n',
    );
    git(clone, ['commit', '-q', '-am', 'damage']);
    const bad = git(clone, ['rev-parse', 'HEAD']).trim();
    mvgitOk(clone, ['init', '--no-hooks']);
    const r = mvgit(clone, ['checkout', 'HEAD', '--', 'models/m.pkl', '-o', '../broken-out.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: models/m.pkl.mvgit.yaml at ${bad.slice(0, 10)}: field 'oid' must be sha256: and 64 lowercase hex digits, got "sha256:abc"\n` +
        "hint: the pointer committed at HEAD is damaged; pick another revision ('mvgit log models/m.pkl' lists them)\n",
    );
    expect(fs.existsSync(path.join(parent, 'broken-out.pkl'))).toBe(false);
  });

  test('an object missing from the cache: OBJECT_MISSING with the pull hint', () => {
    const clone = path.join(parent, 'fresh');
    mkdirFresh('fresh');
    git(parent, ['clone', '-q', repo, clone]);
    mvgitOk(clone, ['init', '--no-hooks']);
    const r = mvgit(clone, ['checkout', 'v1-tag', '--', 'models/m.pkl', '-o', '../fresh-old.pkl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: 1 object\(s\) are not in the cache: models\/m\.pkl \([0-9a-f]{12}\)\nhint: fetch them with 'mvgit pull --rev v1-tag' \(from a remote that has them\), then run this again\n$/,
    );
    expect(fs.existsSync(path.join(parent, 'fresh-old.pkl'))).toBe(false);
  });
});
