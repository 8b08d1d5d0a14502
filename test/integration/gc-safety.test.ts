/**
 * gc must never delete objects in use: an unreadable pointer stops it (naming the file), and
 * objects younger than gc.keepRecent are kept. Temp files: only mvgit's own, of processes that
 * are gone, are ever deleted, by walks, add and gc. Real git repositories in temp dirs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { checkout } from '../../src/core/workspace/checkout.js';
import { setSetting } from '../../src/core/repo/config-settings.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { gc } from '../../src/core/transfer/gc.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import { cleanup, git, makeGitRepo, objectFile, objectsDir, sha256, writeFile } from '../helpers/repo.js';

let repo: string;
beforeEach(() => {
  repo = makeGitRepo();
  init(repo);
});
afterEach(() => cleanup(repo));

const ws = (link: 'copy' | 'symlink' = 'copy'): Promise<Workspace> => openWorkspace({ cwd: repo, link });
const removed = (r: { removed: { oid: string }[] }): string[] => r.removed.map((x) => x.oid.slice(7)).sort();
const CONFLICT = '<<<<<<< HEAD\nmvgit: 1\nkind: model\n=======\nmvgit: 1\nkind: dataset\n>>>>>>> theirs\n';

/** The pid of a process that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('an unreadable pointer stops gc', () => {
  test('a merge conflict in another pointer: gc stops naming it, and the work tree keeps its data', async () => {
    writeFile(repo, 'models/a.bin', 'model a');
    await addPaths(await ws('symlink'), ['models/a.bin'], { cwd: repo });
    writeFile(repo, 'other.bin.mvgit.yaml', CONFLICT);
    await expect(gc(await ws(), { pruneNow: true })).rejects.toMatchObject({
      code: 'POINTER_INVALID',
      message: expect.stringMatching(
        /^gc stopped before removing anything: cannot read other\.bin\.mvgit\.yaml in the work tree: it holds an unresolved merge conflict/,
      ),
      hint: expect.stringContaining('resolve the merge conflict in other.bin.mvgit.yaml'),
    });
    await expect(gc(await ws(), { dryRun: true, pruneNow: true })).rejects.toMatchObject({ code: 'POINTER_INVALID' });
    expect(fs.existsSync(objectFile(repo, sha256('model a')))).toBe(true);
    expect(fs.readFileSync(path.join(repo, 'models/a.bin'), 'utf8')).toBe('model a');
    // Resolved, gc runs and keeps what the work tree names.
    fs.rmSync(path.join(repo, 'other.bin.mvgit.yaml'));
    expect((await gc(await ws(), { pruneNow: true })).removed).toEqual([]);
  });

  test('in a linked worktree: gc stops naming the worktree', async () => {
    const wt = path.join(path.dirname(repo), `${path.basename(repo)}-wt`);
    git(repo, ['worktree', 'add', '-q', '-b', 'side', wt]);
    try {
      writeFile(wt, 'x.bin.mvgit.yaml', 'mvgit: 1\nkind: model\n');
      await expect(gc(await ws(), { pruneNow: true })).rejects.toMatchObject({
        code: 'POINTER_INVALID',
        message: expect.stringContaining(
          `cannot read x.bin.mvgit.yaml in the worktree at ${fs.realpathSync(wt)}: missing field 'path'`,
        ),
      });
    } finally {
      cleanup(wt);
    }
  });

  test('with --all-commits, one in history stops gc naming the commit and the file', async () => {
    writeFile(repo, 'bad.bin.mvgit.yaml', CONFLICT);
    git(repo, ['add', 'bad.bin.mvgit.yaml']);
    git(repo, ['commit', '-q', '-m', 'committed a conflict']);
    const bad = git(repo, ['rev-parse', 'HEAD']).trim();
    git(repo, ['rm', '-q', 'bad.bin.mvgit.yaml']);
    git(repo, ['commit', '-q', '-m', 'fixed']);
    writeFile(repo, 'old.bin', 'old');
    await addPaths(await ws(), ['old.bin'], { cwd: repo });
    fs.rmSync(path.join(repo, 'old.bin.mvgit.yaml'));

    await expect(gc(await ws(), { allCommits: true, pruneNow: true })).rejects.toMatchObject({
      code: 'POINTER_INVALID',
      message: expect.stringContaining(`cannot read bad.bin.mvgit.yaml in commit ${bad.slice(0, 10)}: not valid YAML`),
      hint: expect.stringContaining("run 'mvgit gc' without --all-commits"),
      data: { file: 'bad.bin.mvgit.yaml', where: `in commit ${bad.slice(0, 10)}` },
    });
    expect(fs.existsSync(objectFile(repo, sha256('old')))).toBe(true);
    // The tips are readable: the narrower gc works.
    expect(removed(await gc(await ws(), { pruneNow: true }))).toEqual([sha256('old')]);
  });

  test('at a branch tip, gc stops naming the commit', async () => {
    git(repo, ['checkout', '-q', '-b', 'broken']);
    writeFile(repo, 'bad.bin.mvgit.yaml', 'mvgit: 2\n');
    git(repo, ['add', 'bad.bin.mvgit.yaml']);
    git(repo, ['commit', '-q', '-m', 'bad pointer']);
    const tip = git(repo, ['rev-parse', 'HEAD']).trim();
    git(repo, ['checkout', '-q', 'main']);
    await expect(gc(await ws(), { pruneNow: true })).rejects.toMatchObject({
      code: 'POINTER_INVALID',
      message: expect.stringContaining(
        `cannot read bad.bin.mvgit.yaml in commit ${tip.slice(0, 10)}: unknown format version`,
      ),
    });
  });
});

describe('gc keeps recent objects', () => {
  async function garbage(): Promise<string> {
    writeFile(repo, 'tmp.bin', 'stored a moment ago');
    await addPaths(await ws(), ['tmp.bin'], { cwd: repo });
    fs.rmSync(path.join(repo, 'tmp.bin.mvgit.yaml'));
    return sha256('stored a moment ago');
  }

  test('an unreferenced object younger than gc.keepRecent (1h) is kept; pruneNow removes it', async () => {
    const hex = await garbage();
    const kept = await gc(await ws());
    expect(kept).toMatchObject({ removed: [], keptRecent: 1, kept: 1, keepRecentMs: 3_600_000 });
    expect(fs.existsSync(objectFile(repo, hex))).toBe(true);
    expect(removed(await gc(await ws(), { pruneNow: true }))).toEqual([hex]);
    expect(fs.existsSync(objectFile(repo, hex))).toBe(false);
  });

  test('gc.keepRecent sets the age; a bad value is refused naming the setting', async () => {
    const hex = await garbage();
    await setSetting((await ws()).repo, 'gc.keepRecent', '2d', true);
    expect(await gc(await ws(), { dryRun: true })).toMatchObject({
      removed: [],
      keptRecent: 1,
      keepRecentMs: 2 * 86_400_000,
    });
    await expect(setSetting((await ws()).repo, 'gc.keepRecent', 'soon', true)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('gc.keepRecent must be a duration such as 1h, got "soon"'),
    });
    await setSetting((await ws()).repo, 'gc.keepRecent', '0', true);
    expect(removed(await gc(await ws()))).toEqual([hex]);
  });
});

describe('temp files', () => {
  let live: ChildProcess;
  beforeAll(() => {
    live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    live.kill();
  });

  test("a user's backup.mvgit-tmp-old.txt is data: add records it, status and checkout keep it", async () => {
    writeFile(repo, 'ds/a.txt', 'a');
    const backup = writeFile(repo, 'ds/backup.mvgit-tmp-old.txt', 'my backup');
    const [added] = await addPaths(await ws(), ['ds'], { cwd: repo });
    expect(added.files).toBe(2);
    expect(fs.readFileSync(backup, 'utf8')).toBe('my backup');
    fs.writeFileSync(backup, 'my backup, edited');
    expect((await status(await ws())).map((s) => [s.path, s.status])).toEqual([['ds', 'modified']]);
    expect(fs.readFileSync(backup, 'utf8')).toBe('my backup, edited');
    fs.rmSync(path.join(repo, 'ds'), { recursive: true });
    await checkout(await ws());
    expect(fs.readFileSync(backup, 'utf8')).toBe('my backup');
  });

  test("a status walk leaves a running process's temp alone and clears a dead one's", async () => {
    writeFile(repo, 'ds/a.txt', 'a');
    await addPaths(await ws(), ['ds'], { cwd: repo });
    const liveTemp = writeFile(repo, `ds/.a.txt.mvgit-tmp-${live.pid}-0-abcdef`, 'being written by a checkout');
    const deadTemp = writeFile(repo, `ds/.a.txt.mvgit-tmp-${deadPid()}-0-abcdef`, 'left by a killed run');
    expect((await status(await ws())).map((s) => [s.path, s.status])).toEqual([['ds', 'up-to-date']]);
    expect(fs.existsSync(liveTemp)).toBe(true);
    expect(fs.existsSync(deadTemp)).toBe(false);
  });

  test("a later add clears a killed add's temps in the store's temp folder; gc clears them anywhere in the store", async () => {
    const tmpDir = path.join(objectsDir(repo), 'tmp');
    const dead = deadPid();
    const killed = [
      writeFile(tmpDir, `.object.mvgit-tmp-${dead}-0-abcdef`, 'half'),
      writeFile(tmpDir, `.object.mvgit-tmp-${dead}-1-abcdef`, 'half'),
    ];
    const running = writeFile(tmpDir, `.object.mvgit-tmp-${live.pid}-0-abcdef`, 'being written');
    writeFile(repo, 'm.bin', 'm');
    await addPaths(await ws(), ['m.bin'], { cwd: repo });
    for (const f of killed) expect(fs.existsSync(f)).toBe(false);
    expect(fs.existsSync(running)).toBe(true);

    const fan = path.dirname(objectFile(repo, sha256('m')));
    const inFan = writeFile(fan, `.${sha256('m').slice(2)}.mvgit-tmp-${dead}-2-abcdef`, 'half a download');
    await gc(await ws());
    expect(fs.existsSync(inFan)).toBe(false);
    expect(fs.existsSync(running)).toBe(true);
  });
});
