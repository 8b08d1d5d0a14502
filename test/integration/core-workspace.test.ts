/**
 * The library API (add / status / checkout) on real git repositories: what lands in the
 * work tree, the cache and .gitignore, and what status and checkout say about it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths, addTracked } from '../../src/core/workspace/add.js';
import { checkout } from '../../src/core/workspace/checkout.js';
import { openWorkspace, type ProgressEvent, type Workspace } from '../../src/core/repo/workspace.js';
import { isMvgitError } from '../../src/base/errors.js';
import { fsck } from '../../src/core/store/fsck.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import { addRules } from '../../src/core/workspace/track.js';
import {
  ageFiles,
  bytes,
  cacheObjects,
  cleanup,
  git,
  makeGitRepo,
  objectFile,
  objectsDir,
  sha256,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
let ws: Workspace;

async function open(): Promise<Workspace> {
  return openWorkspace({ cwd: repo, link: 'copy' });
}

beforeEach(async () => {
  repo = makeGitRepo();
  init(repo);
  git(repo, ['add', '.mvgit']);
  git(repo, ['commit', '-q', '-m', 'mvgit init']);
  ws = await open();
});
afterEach(() => cleanup(repo));

const read = (rel: string): string => fs.readFileSync(path.join(repo, rel), 'utf8');
const hexOf = (data: Buffer | string): string => sha256(data);
/** Files git would offer to commit (untracked, not ignored). */
const untracked = (): string[] =>
  git(repo, ['ls-files', '--others', '--exclude-standard']).split('\n').filter(Boolean).sort();
const ignoredByGit = (rel: string): boolean => {
  try {
    git(repo, ['check-ignore', '-q', '--no-index', rel]);
    return true;
  } catch {
    return false;
  }
};

/** Counts the files a call hashed or stored, from its progress events. */
function counter(): { onProgress: (e: ProgressEvent) => void; hashed: () => number; stored: () => number } {
  const events: ProgressEvent[] = [];
  return {
    onProgress: (e) => events.push(e),
    hashed: () => events.filter((e) => e.phase === 'hash').length,
    stored: () => events.filter((e) => e.phase === 'store').length,
  };
}

describe('add of a file', () => {
  test('writes the canonical pointer, fills the cache, ignores the file and not its pointer', async () => {
    const data = bytes(100_000, 3);
    writeFile(repo, 'models/churn.pkl', data);
    const [added] = await addPaths(ws, ['models/churn.pkl'], { cwd: repo, kind: 'model' });
    const hex = hexOf(data);

    expect(added).toEqual({
      path: 'models/churn.pkl',
      pointerPath: 'models/churn.pkl.mvgit.yaml',
      kind: 'model',
      oid: `sha256:${hex}`,
      size: 100_000,
      files: undefined,
      changed: true,
      gitignore: 'models/.gitignore',
    });
    expect(read('models/churn.pkl.mvgit.yaml')).toBe(
      `mvgit: 1\nkind: model\npath: churn.pkl\noid: sha256:${hex}\nsize: 100000\n`,
    );
    expect(fs.readFileSync(objectFile(repo, hex)).equals(data)).toBe(true);
    expect(fs.statSync(objectFile(repo, hex)).mode & 0o222).toBe(0);
    expect(read('models/.gitignore')).toBe('/churn.pkl\n');
    expect(ignoredByGit('models/churn.pkl')).toBe(true);
    expect(ignoredByGit('models/churn.pkl.mvgit.yaml')).toBe(false);
    expect(untracked()).toEqual(['models/.gitignore', 'models/churn.pkl.mvgit.yaml']);
    // The user's file is untouched and still theirs to edit (copy mode).
    expect(fs.readFileSync(path.join(repo, 'models/churn.pkl')).equals(data)).toBe(true);
    expect(fs.statSync(path.join(repo, 'models/churn.pkl')).mode & 0o200).not.toBe(0);

    const [st] = await status(ws);
    expect(st).toMatchObject({
      path: 'models/churn.pkl',
      status: 'up-to-date',
      modified: false,
      missing: false,
      notInCache: [],
    });
  });

  test('adding again changes nothing: same pointer bytes, one .gitignore line', async () => {
    writeFile(repo, 'm.bin', 'weights v1');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    const pointer = read('m.bin.mvgit.yaml');
    const [again] = await addPaths(ws, ['m.bin'], { cwd: repo });
    expect(again.changed).toBe(false);
    expect(again.gitignore).toBeNull();
    expect(read('m.bin.mvgit.yaml')).toBe(pointer);
    expect(read('.gitignore')).toBe('/m.bin\n');
  });

  test('a new version changes the pointer; the kind is kept unless given', async () => {
    writeFile(repo, 'm.bin', 'weights v1');
    await addPaths(ws, ['m.bin'], { cwd: repo, kind: 'model' });
    writeFile(repo, 'm.bin', 'weights v2!');
    const [v2] = await addPaths(ws, ['m.bin'], { cwd: repo });
    expect(v2).toMatchObject({ changed: true, kind: 'model', oid: `sha256:${hexOf('weights v2!')}`, size: 11 });
    expect(read('m.bin.mvgit.yaml')).toContain('kind: model');
    const [v3] = await addPaths(ws, ['m.bin'], { cwd: repo, kind: 'dataset' });
    expect(v3.kind).toBe('dataset');
    // Both versions stay in the cache, so either can be checked out.
    expect(fs.existsSync(objectFile(repo, hexOf('weights v1')))).toBe(true);
    expect(fs.existsSync(objectFile(repo, hexOf('weights v2!')))).toBe(true);
  });

  test('meta is written into the pointer and kept by a later add of the same bytes', async () => {
    writeFile(repo, 'm.bin', 'w');
    await addPaths(ws, ['m.bin'], { cwd: repo, meta: { description: 'churn model', metrics: { auc: 0.9 } } });
    await addPaths(ws, ['m.bin'], { cwd: repo });
    expect(read('m.bin.mvgit.yaml')).toContain('meta:\n  description: churn model\n  metrics:\n    auc: 0.9\n');
  });

  test('a new version keeps the description but not the old metrics, params and inputs', async () => {
    writeFile(repo, 'm.bin', 'w');
    await addPaths(ws, ['m.bin'], {
      cwd: repo,
      meta: { description: 'churn model', params: { depth: 8 }, metrics: { auc: 0.9 } },
    });
    writeFile(repo, 'm.bin', 'w2');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    const text = read('m.bin.mvgit.yaml');
    expect(text).toContain('meta:\n  description: churn model\n');
    expect(text).not.toContain('auc');
    expect(text).not.toContain('depth');
  });

  test('add repairs a damaged pointer (status names it until then)', async () => {
    writeFile(repo, 'm.bin', 'w');
    await addPaths(ws, ['m.bin'], { cwd: repo, kind: 'model' });
    const good = read('m.bin.mvgit.yaml');
    fs.writeFileSync(path.join(repo, 'm.bin.mvgit.yaml'), 'mvgit: 1\nkind: [model\n');
    await expect(status(ws)).rejects.toMatchObject({ code: 'POINTER_INVALID', data: { file: 'm.bin.mvgit.yaml' } });
    const [a] = await addPaths(ws, ['m.bin'], { cwd: repo, kind: 'model' });
    expect(a.changed).toBe(true);
    expect(read('m.bin.mvgit.yaml')).toBe(good);
    expect((await status(ws))[0].status).toBe('up-to-date');
  });

  test('an empty file is an artifact like any other', async () => {
    writeFile(repo, 'empty.bin', '');
    const [a] = await addPaths(ws, ['empty.bin'], { cwd: repo });
    expect(a.size).toBe(0);
    fs.rmSync(path.join(repo, 'empty.bin'));
    await checkout(ws);
    expect(read('empty.bin')).toBe('');
  });

  test('paths are taken relative to cwd', async () => {
    writeFile(repo, 'models/m.bin', 'w');
    const [a] = await addPaths(ws, ['m.bin'], { cwd: path.join(repo, 'models') });
    expect(a.path).toBe('models/m.bin');
  });

  test('a file named like ..foo is inside the repo', async () => {
    writeFile(repo, '..weights', 'w');
    const [a] = await addPaths(ws, ['..weights'], { cwd: repo });
    expect(a.path).toBe('..weights');
  });

  test('a path inside a folder artifact is refused: the folder owns it', async () => {
    writeFile(repo, 'data/a.csv', '1');
    await addPaths(ws, ['data'], { cwd: repo });
    await expect(addPaths(ws, ['data/a.csv'], { cwd: repo })).rejects.toMatchObject({
      code: 'NESTED_ARTIFACT',
      message:
        'data/a.csv is inside data, which is tracked as one artifact (data.mvgit.yaml): an artifact cannot hold another',
    });
  });

  test('the cache folder removed while a program keeps using the library', async () => {
    writeFile(repo, 'a.bin', 'aaa');
    writeFile(repo, 'big.bin', bytes(9 << 20, 5));
    await addPaths(ws, ['a.bin', 'big.bin'], { cwd: repo });
    fs.rmSync(path.join(repo, '.git', 'mvgit', 'cache'), { recursive: true, force: true });
    ws.state.drop('a.bin');
    ws.state.drop('big.bin');
    await addPaths(ws, ['a.bin', 'big.bin'], { cwd: repo });
    expect(cacheObjects(repo).map((o) => o.ok)).toEqual([true, true]);
  });
});

describe('.gitignore upkeep', () => {
  test('one anchored line per artifact in its own folder, existing text kept', async () => {
    writeFile(repo, 'models/.gitignore', '*.log');
    writeFile(repo, 'models/a.pkl', 'a');
    writeFile(repo, 'models/b.pkl', 'b');
    writeFile(repo, 'data/train/x.csv', 'x');
    await addPaths(ws, ['models/a.pkl', 'models/b.pkl', 'data/train'], { cwd: repo });
    await addPaths(ws, ['models/a.pkl', 'data/train'], { cwd: repo });
    expect(read('models/.gitignore')).toBe('*.log\n/a.pkl\n/b.pkl\n');
    expect(read('data/.gitignore')).toBe('/train/\n');
    expect(fs.existsSync(path.join(repo, '.gitignore'))).toBe(false);
    expect(ignoredByGit('data/train/x.csv')).toBe(true);
    expect(untracked()).toEqual([
      'data/.gitignore',
      'data/train.mvgit.yaml',
      'models/.gitignore',
      'models/a.pkl.mvgit.yaml',
      'models/b.pkl.mvgit.yaml',
    ]);
  });

  test('an entry the user already wrote is not doubled', async () => {
    writeFile(repo, '.gitignore', '/m.bin\n/data\n');
    writeFile(repo, 'm.bin', 'w');
    writeFile(repo, 'data/x', 'x');
    const added = await addPaths(ws, ['m.bin', 'data'], { cwd: repo });
    expect(added.map((a) => a.gitignore)).toEqual([null, null]);
    expect(read('.gitignore')).toBe('/m.bin\n/data\n');
  });

  test('names with characters .gitignore treats as patterns are escaped, and git ignores exactly them', async () => {
    for (const name of ['a[1].bin', '#notes.bin', '!important.bin', 'star*.bin']) writeFile(repo, name, name);
    writeFile(repo, 'a1.bin', 'not an artifact');
    writeFile(repo, 'starry.bin', 'not an artifact');
    await addPaths(ws, ['a[1].bin', '#notes.bin', '!important.bin', 'star*.bin'], { cwd: repo });
    for (const name of ['a[1].bin', '#notes.bin', '!important.bin', 'star*.bin']) expect(ignoredByGit(name)).toBe(true);
    expect(ignoredByGit('a1.bin')).toBe(false);
    expect(ignoredByGit('starry.bin')).toBe(false);
  });
});

describe('stat cache', () => {
  test('unchanged files are not re-hashed by status, add or checkout', async () => {
    for (let i = 0; i < 20; i++) writeFile(repo, `data/f${i}.txt`, `file ${i}`);
    writeFile(repo, 'm.bin', 'model');
    ageFiles(repo);
    await addPaths(ws, ['data', 'm.bin'], { cwd: repo });

    const c1 = counter();
    expect((await status(ws, { onProgress: c1.onProgress })).map((s) => s.status)).toEqual([
      'up-to-date',
      'up-to-date',
    ]);
    expect(c1.hashed()).toBe(0);

    // A fresh process (a new workspace) reads the same records.
    ws = await open();
    const c2 = counter();
    await status(ws, { onProgress: c2.onProgress });
    expect(c2.hashed()).toBe(0);

    // One file changed: only it is hashed, and only it is stored again.
    writeFile(repo, 'data/f7.txt', 'file 7, edited');
    const past = new Date(Date.now() - 5000);
    fs.utimesSync(path.join(repo, 'data/f7.txt'), past, past);
    const c3 = counter();
    const [dirStatus] = await status(ws, { onProgress: c3.onProgress });
    expect(c3.hashed()).toBe(1);
    expect(dirStatus.changes).toEqual({ added: [], modified: ['f7.txt'], deleted: [] });
    // utimes moved f7's ctime to now: a fingerprint that fresh vouches for nothing (racy git),
    // so let it age past the window before add records it.
    await new Promise((r) => setTimeout(r, 60));
    const c4 = counter();
    await addPaths(ws, ['data'], { cwd: repo, onProgress: c4.onProgress });
    expect(c4.stored()).toBe(1);
    const c5 = counter();
    await checkout(ws, { onProgress: c5.onProgress });
    expect(c5.hashed()).toBe(0);
  });

  test('a file rewritten with the same size and its old mtime put back is still seen as changed', async () => {
    const file = writeFile(repo, 'm.bin', 'version A');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    const before = fs.statSync(file);
    fs.writeFileSync(file, 'version B');
    fs.utimesSync(file, before.atime, before.mtime);
    const [st] = await status(ws);
    expect(st.status).toBe('modified');
  });

  test('a file checked out is known to the stat cache: the next status hashes nothing', async () => {
    for (let i = 0; i < 5; i++) writeFile(repo, `data/f${i}`, `${i}`);
    await addPaths(ws, ['data'], { cwd: repo });
    fs.rmSync(path.join(repo, 'data'), { recursive: true });
    await checkout(ws);
    const c = counter();
    expect((await status(ws, { onProgress: c.onProgress }))[0].status).toBe('up-to-date');
    expect(c.hashed()).toBe(0);
  });
});

describe('directory artifacts', () => {
  beforeEach(async () => {
    writeFile(repo, 'data/keep.csv', 'keep');
    writeFile(repo, 'data/change.csv', 'old');
    writeFile(repo, 'data/sub/gone.csv', 'gone');
    writeFile(repo, 'data/run.sh', '#!/bin/sh\necho hi\n');
    fs.chmodSync(path.join(repo, 'data/run.sh'), 0o755);
    await addPaths(ws, ['data'], { cwd: repo, kind: 'dataset' });
  });

  test('the pointer names a manifest of every file, with the executable bit', async () => {
    const pointer = read('data.mvgit.yaml');
    const oid = /oid: sha256:([0-9a-f]{64})/.exec(pointer)![1];
    expect(pointer).toContain('files: 4\n');
    expect(pointer).toContain(`size: ${4 + 3 + 4 + 18}\n`);
    const manifest = fs.readFileSync(objectFile(repo, oid), 'utf8');
    expect(manifest).toBe(
      `{"path":"change.csv","oid":"${hexOf('old')}","size":3}\n` +
        `{"path":"keep.csv","oid":"${hexOf('keep')}","size":4}\n` +
        `{"path":"run.sh","oid":"${hexOf('#!/bin/sh\necho hi\n')}","size":18,"x":true}\n` +
        `{"path":"sub/gone.csv","oid":"${hexOf('gone')}","size":4}\n`,
    );
  });

  test('status lists added, modified and deleted files', async () => {
    writeFile(repo, 'data/new.csv', 'new');
    writeFile(repo, 'data/change.csv', 'changed');
    fs.rmSync(path.join(repo, 'data/sub/gone.csv'));
    const [st] = await status(ws);
    expect(st).toMatchObject({
      status: 'modified',
      modified: true,
      missing: false,
      files: 4,
      changes: { added: ['new.csv'], modified: ['change.csv'], deleted: ['sub/gone.csv'] },
    });
  });

  test('checkout will not drop files whose content exists only in the work tree; --force does', async () => {
    writeFile(repo, 'data/new.csv', 'new');
    writeFile(repo, 'data/change.csv', 'changed');
    fs.rmSync(path.join(repo, 'data/sub/gone.csv'));

    const [refused] = await checkout(ws);
    expect(refused.result).toBe('conflict');
    expect(refused.conflicts.sort()).toEqual(['data/change.csv', 'data/new.csv']);
    expect(read('data/change.csv')).toBe('changed');
    expect(read('data/new.csv')).toBe('new');
    expect(fs.existsSync(path.join(repo, 'data/sub/gone.csv'))).toBe(false);

    const [forced] = await checkout(ws, { force: true });
    expect(forced).toMatchObject({ result: 'restored', restored: 2, removed: 1 });
    expect(read('data/change.csv')).toBe('old');
    expect(read('data/sub/gone.csv')).toBe('gone');
    expect(fs.existsSync(path.join(repo, 'data/new.csv'))).toBe(false);
    expect((await status(ws))[0].status).toBe('up-to-date');
  });

  test('a re-add records the changes; checkout of the old pointer brings the old folder back', async () => {
    const oldPointer = read('data.mvgit.yaml');
    writeFile(repo, 'data/new/deep/file.csv', 'new');
    fs.rmSync(path.join(repo, 'data/sub'), { recursive: true });
    const [a] = await addPaths(ws, ['data'], { cwd: repo });
    expect(a).toMatchObject({ changed: true, files: 4 });
    fs.writeFileSync(path.join(repo, 'data.mvgit.yaml'), oldPointer);
    // Every file now in the work tree is in the cache, so no --force is needed.
    const [r] = await checkout(ws);
    expect(r).toMatchObject({ result: 'restored', restored: 1, removed: 1 });
    expect(read('data/sub/gone.csv')).toBe('gone');
    expect(fs.existsSync(path.join(repo, 'data/new'))).toBe(false);
    expect((await status(ws))[0].status).toBe('up-to-date');
  });

  test('the executable bit comes back with the file', async () => {
    fs.rmSync(path.join(repo, 'data'), { recursive: true });
    await checkout(ws);
    expect(fs.statSync(path.join(repo, 'data/run.sh')).mode & 0o111).not.toBe(0);
    expect(fs.statSync(path.join(repo, 'data/keep.csv')).mode & 0o111).toBe(0);
    expect((await status(ws))[0].status).toBe('up-to-date');
  });

  test('an empty folder comes back as an empty folder', async () => {
    fs.mkdirSync(path.join(repo, 'empty'));
    const [a] = await addPaths(ws, ['empty'], { cwd: repo });
    expect(a).toMatchObject({ files: 0, size: 0 });
    fs.rmdirSync(path.join(repo, 'empty'));
    expect((await status(ws, { paths: ['empty'], cwd: repo }))[0].status).toBe('missing');
    expect((await checkout(ws, { paths: ['empty'], cwd: repo }))[0].result).toBe('restored');
    expect(fs.readdirSync(path.join(repo, 'empty'))).toEqual([]);
    expect((await status(ws, { paths: ['empty'], cwd: repo }))[0].status).toBe('up-to-date');
  });

  test('a file in place of the folder is modified; checkout --force puts the folder back', async () => {
    fs.rmSync(path.join(repo, 'data'), { recursive: true });
    writeFile(repo, 'data', 'a file now');
    expect((await status(ws))[0].status).toBe('modified');
    expect((await checkout(ws))[0].result).toBe('conflict');
    await checkout(ws, { force: true });
    expect(read('data/keep.csv')).toBe('keep');
  });
});

describe('checkout of files', () => {
  test('restores a deleted file; a second checkout has nothing to do', async () => {
    writeFile(repo, 'm.bin', 'model');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    fs.rmSync(path.join(repo, 'm.bin'));
    expect((await status(ws))[0]).toMatchObject({ status: 'missing', missing: true, modified: false });
    expect((await checkout(ws))[0]).toMatchObject({ result: 'restored', restored: 1 });
    expect(read('m.bin')).toBe('model');
    expect((await checkout(ws))[0].result).toBe('up-to-date');
  });

  test('checkout, delete, checkout again in the same process', async () => {
    writeFile(repo, 'data/sub/a', 'a');
    await addPaths(ws, ['data'], { cwd: repo });
    for (let i = 0; i < 2; i++) {
      fs.rmSync(path.join(repo, 'data'), { recursive: true });
      expect((await checkout(ws))[0].result).toBe('restored');
      expect(read('data/sub/a')).toBe('a');
    }
  });

  test('an edit whose content is not in the cache is never overwritten without force', async () => {
    writeFile(repo, 'm.bin', 'model');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    writeFile(repo, 'm.bin', 'my unsaved experiment');
    const [r] = await checkout(ws);
    expect(r).toMatchObject({ result: 'conflict', conflicts: ['m.bin'] });
    expect(read('m.bin')).toBe('my unsaved experiment');
    const [f] = await checkout(ws, { force: true });
    expect(f.result).toBe('restored');
    expect(read('m.bin')).toBe('model');
  });

  test('a work-tree version that is in the cache is replaced without force', async () => {
    writeFile(repo, 'm.bin', 'v1');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    const v1 = read('m.bin.mvgit.yaml');
    writeFile(repo, 'm.bin', 'v2');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    fs.writeFileSync(path.join(repo, 'm.bin.mvgit.yaml'), v1);
    expect((await status(ws))[0].status).toBe('modified');
    expect((await checkout(ws))[0].result).toBe('restored');
    expect(read('m.bin')).toBe('v1');
  });

  test('paths select artifacts; an unknown path is an error naming it', async () => {
    writeFile(repo, 'a.bin', 'a');
    writeFile(repo, 'models/b.bin', 'b');
    await addPaths(ws, ['a.bin', 'models/b.bin'], { cwd: repo });
    fs.rmSync(path.join(repo, 'a.bin'));
    fs.rmSync(path.join(repo, 'models/b.bin'));
    expect((await checkout(ws, { paths: ['models'], cwd: repo })).map((r) => r.path)).toEqual(['models/b.bin']);
    expect(fs.existsSync(path.join(repo, 'a.bin'))).toBe(false);
    await expect(checkout(ws, { paths: ['nope.bin'], cwd: repo })).rejects.toMatchObject({
      code: 'NOT_TRACKED',
      message: 'nope.bin is not a tracked artifact',
    });
  });

  test('an object missing from the cache: status says so, checkout restores the rest', async () => {
    writeFile(repo, 'data/a', 'a');
    writeFile(repo, 'data/b', 'b');
    await addPaths(ws, ['data'], { cwd: repo });
    fs.rmSync(objectFile(repo, hexOf('a')));
    expect((await status(ws))[0]).toMatchObject({ status: 'not-in-cache', notInCache: [hexOf('a')] });
    fs.rmSync(path.join(repo, 'data'), { recursive: true });
    const [r] = await checkout(ws);
    expect(r).toMatchObject({ result: 'incomplete', restored: 1, missing: [hexOf('a')] });
    expect(read('data/b')).toBe('b');
  });

  test('the cache deleted by hand after a status: the next status says what is gone', async () => {
    writeFile(repo, 'm.bin', 'm');
    writeFile(repo, 'data/a', 'a');
    ageFiles(repo);
    await addPaths(ws, ['m.bin', 'data'], { cwd: repo });
    expect((await status(ws)).map((s) => s.status)).toEqual(['up-to-date', 'up-to-date']);
    fs.rmSync(path.join(repo, '.git', 'mvgit', 'cache', 'objects'), { recursive: true });
    expect((await status(ws)).map((s) => [s.status, s.notInCache.length])).toEqual([
      ['not-in-cache', 1],
      ['not-in-cache', 1],
    ]);
  });

  test('a folder whose manifest is not in the cache', async () => {
    writeFile(repo, 'data/a', 'a');
    const [a] = await addPaths(ws, ['data'], { cwd: repo });
    fs.rmSync(objectFile(repo, a.oid.slice(7)));
    fs.rmSync(path.join(repo, 'data'), { recursive: true });
    expect((await status(ws))[0]).toMatchObject({ status: 'missing', notInCache: [a.oid.slice(7)] });
    expect((await checkout(ws))[0]).toMatchObject({ result: 'incomplete', missing: [a.oid.slice(7)] });
  });
});

describe('tracking rules', () => {
  test('add with no path records everything the rules match, once', async () => {
    writeFile(repo, 'models/a.pkl', 'a');
    writeFile(repo, 'models/b.pkl', 'b');
    writeFile(repo, 'models/notes.txt', 'n');
    writeFile(repo, 'data/train/x.csv', 'x');
    await addRules(ws.repo, ['models/*.pkl'], 'model');
    await addRules(ws.repo, ['data/train'], 'dataset');
    ws = await open();
    const added = await addTracked(ws);
    expect(added.map((a) => [a.path, a.kind, a.changed])).toEqual([
      ['data/train', 'dataset', true],
      ['models/a.pkl', 'model', true],
      ['models/b.pkl', 'model', true],
    ]);
    expect(fs.existsSync(path.join(repo, 'models/notes.txt.mvgit.yaml'))).toBe(false);
    expect((await addTracked(ws)).every((a) => !a.changed)).toBe(true);
  });

  test('a matching file git already tracks is left to git', async () => {
    writeFile(repo, 'models/small.pkl', 's');
    git(repo, ['add', 'models/small.pkl']);
    writeFile(repo, 'models/big.pkl', 'b');
    await addRules(ws.repo, ['models/*.pkl'], 'model');
    ws = await open();
    expect((await addTracked(ws)).map((a) => a.path)).toEqual(['models/big.pkl']);
  });

  test('a rule outside the repo is refused', async () => {
    await expect(addRules(ws.repo, ['../elsewhere/*.pkl'], 'model')).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_REPO',
    });
    await expect(addRules(ws.repo, ['/abs/*.pkl'], 'model')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_REPO' });
  });
});

describe('fsck', () => {
  test('re-hashes every object; repair moves the corrupt ones aside; temp files are cleared', async () => {
    writeFile(repo, 'data/a', 'a');
    writeFile(repo, 'data/b', 'b');
    writeFile(repo, 'big.bin', bytes(9 << 20, 4));
    await addPaths(ws, ['data', 'big.bin'], { cwd: repo });
    expect(await fsck(ws)).toEqual({ checked: 4, corrupt: [], tempsRemoved: 0 });

    const bad = objectFile(repo, hexOf('b'));
    fs.chmodSync(bad, 0o644);
    fs.writeFileSync(bad, 'B');
    const temp = path.join(path.dirname(bad), `.${path.basename(bad)}.mvgit-tmp-1-2-abc`);
    fs.writeFileSync(temp, 'partial');
    const report = await fsck(ws);
    expect(report).toEqual({ checked: 4, corrupt: [{ oid: `sha256:${hexOf('b')}`, file: bad }], tempsRemoved: 1 });
    expect(fs.existsSync(temp)).toBe(false);
    expect(fs.existsSync(bad)).toBe(true);

    const repaired = await fsck(ws, { repair: true });
    expect(repaired.corrupt[0].movedTo).toBeDefined();
    expect(fs.readFileSync(repaired.corrupt[0].movedTo!, 'utf8')).toBe('B');
    expect(fs.existsSync(bad)).toBe(false);
    expect(await fsck(ws)).toEqual({ checked: 3, corrupt: [], tempsRemoved: 0 });
    expect((await status(ws)).find((s) => s.path === 'data')).toMatchObject({
      status: 'not-in-cache',
      notInCache: [hexOf('b')],
    });
  });
});

describe('objects', () => {
  test('every object hashes to its name, and the store has no stray files', async () => {
    for (let i = 0; i < 30; i++) writeFile(repo, `d/f${i}`, bytes(1000 + i, i + 1));
    writeFile(repo, 'big.bin', bytes(9 << 20, 9));
    await addPaths(ws, ['d', 'big.bin'], { cwd: repo });
    const objs = cacheObjects(repo);
    expect(objs).toHaveLength(30 + 1 + 1);
    expect(objs.every((o) => o.ok)).toBe(true);
    const names = fs.readdirSync(objectsDir(repo)).filter((n) => n.length !== 2);
    for (const n of names) expect(fs.readdirSync(path.join(objectsDir(repo), n))).toEqual([]);
  });

  test('an error names what failed', async () => {
    writeFile(repo, 'm.bin', 'x');
    await addPaths(ws, ['m.bin'], { cwd: repo });
    try {
      await addPaths(ws, ['m.bin.mvgit.yaml'], { cwd: repo });
      throw new Error('accepted');
    } catch (err) {
      expect(isMvgitError(err, 'PATH_IS_POINTER')).toBe(true);
      expect((err as Error).message).toBe('m.bin.mvgit.yaml is a pointer file, not an artifact');
    }
  });
});
