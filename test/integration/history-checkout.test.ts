/**
 * `checkoutRev`: artifacts as they were at a revision, in place or beside the work tree (-o),
 * read from REV's tree without touching HEAD or the index, never losing unsaved work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { checkoutRev } from '../../src/core/workspace/checkout-rev.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { MvgitError } from '../../src/base/errors.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import { cleanup, git, makeGitRepo, objectFile, sha256, tempDir, treeSnapshot, writeFile } from '../helpers/repo.js';

let repo: string;
let outside: string;
let ws: Workspace;
/** Commit oids of versions 1..3 of models/m.pkl. */
let commits: string[];

const V = ['model version one', 'model version two, longer', 'model version three'];
const abs = (rel: string): string => path.join(repo, rel);
const read = (rel: string): string => fs.readFileSync(abs(rel), 'utf8');

beforeEach(async () => {
  repo = makeGitRepo();
  outside = tempDir('mvgit-out-');
  init(repo);
  ws = await openWorkspace({ cwd: repo });
  commits = [];
  for (let i = 0; i < 3; i++) {
    writeFile(repo, 'models/m.pkl', V[i]);
    await addPaths(ws, ['models/m.pkl'], { cwd: repo, kind: 'model', meta: { metrics: { accuracy: 0.8 + i / 100 } } });
    if (i === 1) {
      writeFile(repo, 'data/images/a.txt', 'a');
      writeFile(repo, 'data/images/sub/b.txt', 'b');
      await addPaths(ws, ['data/images'], { cwd: repo, kind: 'dataset' });
    }
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', `v${i + 1}`]);
    commits.push(git(repo, ['rev-parse', 'HEAD']).trim());
  }
  git(repo, ['tag', 'v1', commits[0]]);
});
afterEach(() => {
  cleanup(repo);
  cleanup(outside);
});

function gitState(): { head: string; index: string; status: string } {
  return {
    head: git(repo, ['rev-parse', 'HEAD']),
    index: git(repo, ['ls-files', '-s']),
    status: git(repo, ['status', '--porcelain']),
  };
}

async function rejects(p: Promise<unknown>, code: string): Promise<MvgitError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MvgitError);
  expect((err as MvgitError).code).toBe(code);
  return err as MvgitError;
}

describe('in place', () => {
  test('restores the content and the pointer as at REV; HEAD and the index stay', async () => {
    const before = gitState();
    const r = await checkoutRev(ws, { rev: commits[0], paths: ['models/m.pkl'], cwd: repo });
    expect(r.commit).toBe(commits[0]);
    expect(r.outcomes.map((o) => [o.path, o.result, o.pointerUpdated, o.differsFromHead])).toEqual([
      ['models/m.pkl', 'restored', true, true],
    ]);
    expect(read('models/m.pkl')).toBe(V[0]);
    expect(read('models/m.pkl.mvgit.yaml')).toBe(git(repo, ['show', `${commits[0]}:models/m.pkl.mvgit.yaml`]));
    const after = gitState();
    expect(after.head).toBe(before.head);
    expect(after.index).toBe(before.index);
    expect(after.status).toBe(' M models/m.pkl.mvgit.yaml\n'); // the rollback shows as an unstaged change
    // status tells the truth: the work tree matches its (rolled back) pointer
    expect((await status(ws, { paths: ['models/m.pkl'], cwd: repo })).map((s) => s.status)).toEqual(['up-to-date']);
    // and HEAD puts everything back
    await checkoutRev(ws, { rev: 'HEAD', paths: ['models/m.pkl'], cwd: repo });
    expect(read('models/m.pkl')).toBe(V[2]);
    expect(gitState()).toEqual(before);
  });

  test('no path: every artifact at REV; a tag, a branch and a pointer path all work', async () => {
    git(repo, ['branch', 'old', commits[1]]);
    const all = await checkoutRev(ws, { rev: 'old', cwd: repo });
    expect(all.outcomes.map((o) => o.path).sort()).toEqual(['data/images', 'models/m.pkl']);
    expect(read('models/m.pkl')).toBe(V[1]);
    await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl.mvgit.yaml'], cwd: repo });
    expect(read('models/m.pkl')).toBe(V[0]);
  });

  test('a folder selects the artifacts under it, and paths are relative to cwd', async () => {
    writeFile(repo, 'data/images/a.txt', 'changed but saved');
    await addPaths(ws, ['data/images'], { cwd: repo });
    const r = await checkoutRev(ws, { rev: commits[1], paths: ['images'], cwd: abs('data') });
    expect(r.outcomes.map((o) => [o.path, o.result])).toEqual([['data/images', 'restored']]);
    expect(read('data/images/a.txt')).toBe('a');
  });

  test('unsaved work is left alone (conflict, pointer untouched) unless force', async () => {
    writeFile(repo, 'models/m.pkl', 'unsaved edit');
    const pointer = read('models/m.pkl.mvgit.yaml');
    const r = await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], cwd: repo });
    expect(r.outcomes[0].result).toBe('conflict');
    expect(r.outcomes[0].conflicts).toEqual(['models/m.pkl']);
    expect(r.outcomes[0].pointerUpdated).toBe(false);
    expect(read('models/m.pkl')).toBe('unsaved edit');
    expect(read('models/m.pkl.mvgit.yaml')).toBe(pointer);
    const forced = await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], force: true, cwd: repo });
    expect(forced.outcomes[0].result).toBe('restored');
    expect(read('models/m.pkl')).toBe(V[0]);
  });

  test('an artifact the work tree no longer has comes back, git-ignored', async () => {
    git(repo, ['rm', '-q', '--cached', 'data/images.mvgit.yaml']);
    fs.rmSync(abs('data/images.mvgit.yaml'));
    fs.rmSync(abs('data/images'), { recursive: true });
    fs.writeFileSync(abs('data/.gitignore'), '');
    git(repo, ['commit', '-q', '-am', 'drop images']);
    await checkoutRev(ws, { rev: commits[1], paths: ['data/images'], cwd: repo });
    expect(read('data/images/sub/b.txt')).toBe('b');
    expect(git(repo, ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean).sort()).toEqual([
      ' M data/.gitignore',
      '?? data/images.mvgit.yaml',
    ]);
  });

  test('objects missing from the cache: incomplete, and the pointer is not moved', async () => {
    fs.rmSync(objectFile(repo, sha256(V[0])), { force: true });
    const pointer = read('models/m.pkl.mvgit.yaml');
    const r = await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], cwd: repo });
    expect(r.outcomes[0].result).toBe('incomplete');
    expect(r.outcomes[0].missing).toEqual([sha256(V[0])]);
    expect(read('models/m.pkl.mvgit.yaml')).toBe(pointer);
    expect(read('models/m.pkl')).toBe(V[2]);
  });
});

describe('-o OUT', () => {
  test('writes the old version outside the repo; the work tree is untouched', async () => {
    const before = treeSnapshot(repo);
    const git0 = gitState();
    const r = await checkoutRev(ws, {
      rev: 'v1',
      paths: ['models/m.pkl'],
      out: `../${path.basename(outside)}/old/old.pkl`,
      cwd: repo,
    });
    const out = path.join(outside, 'old', 'old.pkl');
    expect(r.out).toBe(out);
    expect(r.outcomes[0].dest).toBe(out);
    expect(fs.readFileSync(out, 'utf8')).toBe(V[0]); // parent folder created
    expect(treeSnapshot(repo)).toEqual(before);
    expect(gitState()).toEqual(git0);
    // a copy, not a link into the cache: editing it cannot touch the object
    expect(fs.statSync(out).ino).not.toBe(fs.statSync(objectFile(repo, sha256(V[0]))).ino);
    fs.appendFileSync(out, 'edit');
  });

  test('a directory artifact is written as a folder', async () => {
    const out = path.join(outside, 'images-v2');
    await checkoutRev(ws, { rev: commits[1], paths: ['data/images'], out, cwd: repo });
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('a');
    expect(fs.readFileSync(path.join(out, 'sub', 'b.txt'), 'utf8')).toBe('b');
  });

  test('OUT that exists is refused without --force, replaced with it', async () => {
    const out = path.join(outside, 'old.pkl');
    fs.writeFileSync(out, 'precious');
    const err = await rejects(checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out, cwd: repo }), 'OUTPUT_EXISTS');
    expect(err.message).toBe(`${out} already exists`);
    expect(err.hint).toBe('pick another path, or add --force to replace it');
    expect(fs.readFileSync(out, 'utf8')).toBe('precious');
    await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out, force: true, cwd: repo });
    expect(fs.readFileSync(out, 'utf8')).toBe(V[0]);
  });

  test('--force never replaces the repository or a folder with a file', async () => {
    await rejects(
      checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out: repo, force: true, cwd: repo }),
      'OUTPUT_EXISTS',
    );
    await rejects(
      checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out: path.dirname(repo), force: true, cwd: repo }),
      'OUTPUT_EXISTS',
    );
    await rejects(
      checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out: '.git/x', force: true, cwd: repo }),
      'OUTPUT_EXISTS',
    );
    const err = await rejects(
      checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out: outside, force: true, cwd: repo }),
      'OUTPUT_EXISTS',
    );
    expect(err.message).toBe(`${outside} is a folder and models/m.pkl is a file`);
    expect(fs.statSync(outside).isDirectory()).toBe(true);
  });

  test('-o with several artifacts is a usage error that names them', async () => {
    const err = await rejects(checkoutRev(ws, { rev: commits[1], out: path.join(outside, 'x'), cwd: repo }), 'USAGE');
    expect(err.message).toBe(`-o writes one artifact, but 2 match at ${commits[1]}: data/images, models/m.pkl`);
    expect(err.hint).toBe(`name one: mvgit checkout ${commits[1]} -- data/images -o ${path.join(outside, 'x')}`);
  });

  test('a missing object leaves no OUT behind', async () => {
    fs.rmSync(objectFile(repo, sha256(V[0])), { force: true });
    const out = path.join(outside, 'old.pkl');
    const r = await checkoutRev(ws, { rev: 'v1', paths: ['models/m.pkl'], out, cwd: repo });
    expect(r.outcomes[0].result).toBe('incomplete');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('bad input', () => {
  test('a revision that does not exist', async () => {
    const err = await rejects(
      checkoutRev(ws, { rev: 'no-such-tag', paths: ['models/m.pkl'], cwd: repo }),
      'REV_NOT_FOUND',
    );
    expect(err.message).toBe("revision 'no-such-tag' does not exist");
    expect(err.hint).toBe("name a commit, branch or tag (see 'git log --oneline' and 'git tag')");
  });

  test('a path not tracked at REV (it came later)', async () => {
    const err = await rejects(checkoutRev(ws, { rev: 'v1', paths: ['data/images'], cwd: repo }), 'NOT_TRACKED');
    expect(err.message).toBe(`data/images is not tracked at v1 (${commits[0].slice(0, 10)})`);
    expect(err.hint).toBe(
      "see the commits that have it with 'mvgit log data/images', and what v1 tracks with 'git ls-tree -r --name-only v1'",
    );
  });

  test('a malformed pointer at REV: the work-tree error, naming the file and the commit', async () => {
    fs.writeFileSync(
      abs('models/m.pkl.mvgit.yaml'),
      'mvgit: 1\nkind: model\npath: m.pkl\noid: sha256:nothex\nsize: 3\n',
    );
    git(repo, ['commit', '-q', '-am', 'broken pointer']);
    const bad = git(repo, ['rev-parse', 'HEAD']).trim();
    const err = await rejects(
      checkoutRev(ws, { rev: 'HEAD', paths: ['models/m.pkl'], out: path.join(outside, 'x'), cwd: repo }),
      'POINTER_INVALID',
    );
    expect(err.message).toBe(
      `models/m.pkl.mvgit.yaml at ${bad.slice(0, 10)}: field 'oid' must be sha256: and 64 lowercase hex digits, got "sha256:nothex"`,
    );
    expect(err.hint).toBe(
      "the pointer committed at HEAD is damaged; pick another revision ('mvgit log models/m.pkl' lists them)",
    );
    expect(err.data).toEqual({ file: 'models/m.pkl.mvgit.yaml', rev: 'HEAD', commit: bad });
    expect(fs.existsSync(path.join(outside, 'x'))).toBe(false);
  });

  test('a path outside the repository', async () => {
    await rejects(checkoutRev(ws, { rev: 'v1', paths: ['../elsewhere.pkl'], cwd: repo }), 'PATH_OUTSIDE_REPO');
  });
});
