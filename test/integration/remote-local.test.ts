/**
 * push / fetch / pull / gc / pre-push through the library API, against a local-folder remote,
 * on real git repositories in temp dirs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { checkout } from '../../src/core/workspace/checkout.js';
import { setSetting } from '../../src/core/repo/config-settings.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { isMvgitError } from '../../src/base/errors.js';
import { gc } from '../../src/core/transfer/gc.js';
import { gcRemote } from '../../src/core/transfer/gc-remote.js';
import { prePush } from '../../src/core/hooks/pre-push.js';
import { init } from '../../src/core/repo/init.js';
import { addRemote, listRemotes, removeRemote } from '../../src/core/repo/remote-settings.js';
import { fetch } from '../../src/core/transfer/fetch.js';
import { push } from '../../src/core/transfer/push.js';
import { pull } from '../../src/core/workspace/pull.js';
import { loadConfig } from '../../src/core/repo/config.js';
import {
  bytes,
  cacheObjects,
  cleanup,
  git,
  makeGitRepo,
  objectFile,
  sha256,
  tempDir,
  writeFile,
} from '../helpers/repo.js';

let base: string;
let a: string;
let store: string;

const MODEL = bytes(300_000, 7);
const FILES: Record<string, Buffer> = {
  'f1.csv': bytes(1000, 1),
  'f2.csv': bytes(2000, 2),
  'sub/f3.csv': bytes(3000, 3),
};

function remoteObject(hex: string): string {
  return path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
}

async function ws(dir: string): Promise<Workspace> {
  return openWorkspace({ cwd: dir, link: 'copy' });
}

/** Repo A: a model and a dataset, committed, with the store as its default remote. */
async function makeRepoA(): Promise<void> {
  a = makeGitRepo(path.join(base, 'a'));
  init(a);
  await addRemote((await ws(a)).repo, { name: 'origin', url: store }, true);
  writeFile(a, 'models/model.bin', MODEL);
  for (const [rel, data] of Object.entries(FILES)) writeFile(a, `data/train/${rel}`, data);
  await addPaths(await ws(a), ['models/model.bin'], { cwd: a, kind: 'model' });
  await addPaths(await ws(a), ['data/train'], { cwd: a, kind: 'dataset' });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'model and data']);
}

/** A clone of A with mvgit set up and an empty cache. */
function cloneOfA(name: string): string {
  const dir = path.join(base, name);
  git(base, ['clone', '-q', a, dir]);
  init(dir);
  return dir;
}

beforeEach(async () => {
  base = tempDir('mvgit-remote-local-');
  fs.mkdirSync(path.join(base, 'a'));
  store = path.join(base, 'store');
  await makeRepoA();
});
afterEach(() => cleanup(base));

describe('push', () => {
  test('uploads every object, files before manifest, as copies of its own; a second push moves nothing', async () => {
    const report = await push(await ws(a), { head: true, workTree: true });
    expect(report.failed).toEqual([]);
    expect(report.transferred).toBe(5); // model, 3 files, manifest
    expect(report.bytes).toBeGreaterThan(MODEL.length);
    const modelHex = sha256(MODEL);
    expect(fs.readFileSync(remoteObject(modelHex))).toEqual(MODEL);
    expect(fs.statSync(remoteObject(modelHex)).ino).not.toBe(fs.statSync(objectFile(a, modelHex)).ino);
    // A backup nobody writes by mistake: the copy keeps the cache object's read-only mode.
    expect(fs.statSync(remoteObject(modelHex)).mode & 0o777).toBe(0o444);
    for (const data of Object.values(FILES)) expect(fs.existsSync(remoteObject(sha256(data)))).toBe(true);

    const again = await push(await ws(a), { head: true, workTree: true });
    expect(again.transferred).toBe(0);
    expect(again.present).toBe(2); // the model and the dataset's manifest answer for everything
  });

  test('skips what the remote has and resumes what it lacks', async () => {
    await push(await ws(a), { head: true });
    const dataHex = sha256(FILES['f2.csv']);
    const manifestHex = (await ws(a)).store.list();
    // An interrupted push leaves files without the manifest: remove the manifest and one file.
    const pointer = fs.readFileSync(path.join(a, 'data/train.mvgit.yaml'), 'utf8');
    const mHex = /oid: sha256:([0-9a-f]{64})/.exec(pointer)![1];
    expect(manifestHex.has(mHex)).toBe(true);
    fs.rmSync(remoteObject(mHex));
    fs.rmSync(remoteObject(dataHex));
    const report = await push(await ws(a), { head: true });
    expect(report.transferred).toBe(2);
    expect(report.present).toBe(1 + 2); // the model, and two of the dataset's files
    expect(fs.existsSync(remoteObject(mHex))).toBe(true);
  });

  test('scopes: PATH, --rev and --all-commits', async () => {
    const v1 = sha256(MODEL);
    const v2data = bytes(5000, 99);
    writeFile(a, 'models/model.bin', v2data);
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '-am', 'model v2']);

    const onlyModel = await push(await ws(a), { head: true, paths: ['models/model.bin'] });
    expect(onlyModel.artifacts).toBe(1);
    expect(fs.existsSync(remoteObject(sha256(v2data)))).toBe(true);
    expect(fs.existsSync(remoteObject(v1))).toBe(false);

    await push(await ws(a), { revs: ['HEAD~1'], paths: ['models'] });
    expect(fs.existsSync(remoteObject(v1))).toBe(true);

    fs.rmSync(store, { recursive: true, force: true });
    const all = await push(await ws(a), { allCommits: true });
    expect(all.artifacts).toBe(3); // model v1, model v2, the dataset
    expect(fs.existsSync(remoteObject(v1))).toBe(true);
    expect(fs.existsSync(remoteObject(sha256(v2data)))).toBe(true);
  });

  test('an object missing from the cache and the remote is a failure that names it', async () => {
    const hex = sha256(FILES['f1.csv']);
    fs.rmSync(objectFile(a, hex), { force: true });
    const report = await push(await ws(a), { head: true });
    expect(report.failed).toHaveLength(2);
    expect(report.failed[0]).toMatchObject({ oid: `sha256:${hex}`, path: 'data/train/f1.csv', code: 'OBJECT_MISSING' });
    // The manifest stays off the remote while one of its files is missing there.
    expect(report.failed[1]).toMatchObject({ path: 'data/train', code: 'TRANSFER_FAILED' });
  });

  test('on another file system the remote gets read-only copies, never temp files', async () => {
    const shm = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/mvgit-remote-') : null;
    const other = shm ?? path.join(base, 'store2');
    try {
      const report = await push(await ws(a), { head: true }, { remote: other });
      expect(report.transferred).toBe(5);
      const hex = sha256(MODEL);
      const copy = path.join(other, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
      expect(fs.readFileSync(copy)).toEqual(MODEL);
      if (shm) {
        expect(
          fs.statSync(copy).ino === fs.statSync(objectFile(a, hex)).ino &&
            fs.statSync(copy).dev === fs.statSync(objectFile(a, hex)).dev,
        ).toBe(false);
        expect(fs.statSync(copy).mode & 0o777).toBe(0o444);
      }
      const names = fs.readdirSync(path.join(other, 'objects', 'sha256'), { recursive: true }) as string[];
      expect(names.filter((f) => f.includes('.mvgit-tmp-'))).toEqual([]);
    } finally {
      if (shm) fs.rmSync(shm, { recursive: true, force: true });
    }
  });
});

describe('fetch and pull', () => {
  test('a clone pulls byte-identical files; a second pull moves nothing', async () => {
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const result = await pull(await ws(b), { head: true });
    expect(result.fetch.failed).toEqual([]);
    expect(result.fetch.transferred).toBe(5);
    expect(fs.readFileSync(path.join(b, 'models/model.bin'))).toEqual(MODEL);
    for (const [rel, data] of Object.entries(FILES))
      expect(fs.readFileSync(path.join(b, 'data/train', rel))).toEqual(data);
    expect(cacheObjects(b).every((o) => o.ok)).toBe(true);
    const again = await pull(await ws(b), { head: true });
    expect(again.fetch.transferred).toBe(0);
  });

  test('an object several paths share is fetched once, and every path gets it', async () => {
    // The dataset holds a copy of the model and two equal files: 3 paths, 1 object.
    writeFile(a, 'data/train/model-copy.bin', MODEL);
    writeFile(a, 'data/train/dup/f1.csv', FILES['f1.csv']);
    await addPaths(await ws(a), ['data/train'], { cwd: a, kind: 'dataset' });
    git(a, ['add', '-A']);
    git(a, ['commit', '-q', '-m', 'duplicates']);
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const result = await pull(await ws(b), { head: true });
    expect(result.fetch.failed).toEqual([]);
    expect(result.fetch.transferred).toBe(5); // model, f1, f2, f3, the manifest
    expect(fs.readFileSync(path.join(b, 'data/train/model-copy.bin'))).toEqual(MODEL);
    expect(fs.readFileSync(path.join(b, 'data/train/dup/f1.csv'))).toEqual(FILES['f1.csv']);
    expect(fs.readFileSync(path.join(b, 'models/model.bin'))).toEqual(MODEL);
  });

  test('fetch resumes: what the cache has is skipped', async () => {
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const first = await fetch(await ws(b), { head: true, paths: ['models'] });
    expect(first.transferred).toBe(1);
    const rest = await fetch(await ws(b), { head: true });
    expect(rest.transferred).toBe(4);
    expect(rest.present).toBe(1);
  });

  test('a corrupted remote object is refused, named with the remote, and not kept', async () => {
    await push(await ws(a), { head: true });
    const hex = sha256(FILES['f2.csv']);
    // Replace, as a bad disk or a careless tool would leave it (the file is read-only).
    const bad = `${remoteObject(hex)}.bad`;
    fs.writeFileSync(bad, 'not the right bytes');
    fs.renameSync(bad, remoteObject(hex));
    const b = cloneOfA('b');
    const report = await fetch(await ws(b), { head: true });
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ oid: `sha256:${hex}`, path: 'data/train/f2.csv', code: 'OBJECT_CORRUPT' });
    expect(report.failed[0].reason).toContain(`object ${hex}`);
    expect(report.failed[0].reason).toContain(`remote 'origin' (${store})`);
    expect(fs.existsSync(objectFile(b, hex))).toBe(false);
    expect(cacheObjects(b).every((o) => o.ok)).toBe(true);
    const leftovers = (fs.readdirSync(path.join(b, '.git/mvgit/cache'), { recursive: true }) as string[]).filter((f) =>
      f.includes('.mvgit-tmp-'),
    );
    expect(leftovers).toEqual([]);
  });

  test('a remote missing one object: exactly that object is reported, the rest is restored', async () => {
    await push(await ws(a), { head: true });
    const hex = sha256(FILES['sub/f3.csv']);
    fs.rmSync(remoteObject(hex));
    const b = cloneOfA('b');
    const result = await pull(await ws(b), { head: true });
    expect(result.fetch.failed).toEqual([
      {
        oid: `sha256:${hex}`,
        path: 'data/train/sub/f3.csv',
        code: 'OBJECT_MISSING',
        reason: expect.stringContaining(`object ${hex} is not on remote 'origin'`),
        hint: expect.any(String),
      },
    ]);
    expect(fs.readFileSync(path.join(b, 'models/model.bin'))).toEqual(MODEL);
    const data = result.restored.find((r) => r.path === 'data/train')!;
    expect(data.missing).toEqual([hex]);
  });

  test('--rev fetches an older version without touching the work tree', async () => {
    const v1 = sha256(MODEL);
    await push(await ws(a), { head: true });
    writeFile(a, 'models/model.bin', bytes(4000, 5));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '-am', 'v2']);
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const r = await fetch(await ws(b), { revs: ['HEAD~1'], paths: ['models/model.bin'] });
    expect(r.transferred).toBe(1);
    expect(fs.existsSync(objectFile(b, v1))).toBe(true);
    expect(fs.existsSync(path.join(b, 'models/model.bin'))).toBe(false);
  });
});

describe('autoFetch', () => {
  test('checkout fetches missing objects from the default remote', async () => {
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const outcomes = await checkout(await ws(b));
    expect(outcomes.map((o) => o.result)).toEqual(['restored', 'restored']);
    expect(fs.readFileSync(path.join(b, 'data/train/sub/f3.csv'))).toEqual(FILES['sub/f3.csv']);
  });

  test('core.autoFetch false: checkout only reports what is missing', async () => {
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const bws = await ws(b);
    await setSetting(bws.repo, 'core.autoFetch', 'false', true);
    const outcomes = await checkout(await ws(b));
    expect(outcomes.map((o) => o.result)).toEqual(['incomplete', 'incomplete']);
  });
});

describe('gc', () => {
  async function commitModel(data: Buffer, message: string): Promise<string> {
    writeFile(a, 'models/model.bin', data);
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '-am', message]);
    return sha256(data);
  }

  test('keeps what the work tree, index, branches, tags and stash reference; removes the rest', async () => {
    const v1 = sha256(MODEL);
    const dataHexes = Object.values(FILES).map(sha256);
    const tagged = await commitModel(bytes(1100, 11), 'tagged');
    git(a, ['tag', 'v-tagged']);
    const onBranch = await commitModel(bytes(1200, 12), 'on a branch');
    git(a, ['branch', 'keep-me']);
    const history = await commitModel(bytes(1300, 13), 'history only');
    const head = await commitModel(bytes(1400, 14), 'head');
    // A stashed version and a staged one.
    writeFile(a, 'models/model.bin', bytes(1500, 15));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    const stashed = sha256(bytes(1500, 15));
    git(a, ['stash', '-q']);
    writeFile(a, 'models/model.bin', bytes(1600, 16));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    const staged = sha256(bytes(1600, 16));
    git(a, ['add', 'models/model.bin.mvgit.yaml']);
    writeFile(a, 'models/model.bin', bytes(1700, 17));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    const workTree = sha256(bytes(1700, 17));
    // Garbage: stored once, referenced by nothing.
    writeFile(a, 'tmp.bin', bytes(1800, 18));
    await addPaths(await ws(a), ['tmp.bin'], { cwd: a });
    fs.rmSync(path.join(a, 'tmp.bin.mvgit.yaml'));
    const garbage = sha256(bytes(1800, 18));

    const dry = await gc(await ws(a), { dryRun: true, pruneNow: true });
    const removedHexes = (r: { removed: { oid: string }[] }): string[] => r.removed.map((x) => x.oid.slice(7)).sort();
    expect(removedHexes(dry)).toEqual([v1, history, garbage].sort());
    expect(fs.existsSync(objectFile(a, v1))).toBe(true);

    const withHistory = await gc(await ws(a), { dryRun: true, allCommits: true, pruneNow: true });
    expect(removedHexes(withHistory)).toEqual([garbage]);

    const real = await gc(await ws(a), { pruneNow: true });
    expect(removedHexes(real)).toEqual([v1, history, garbage].sort());
    expect(real.bytesFreed).toBe(MODEL.length + 1300 + 1800);
    for (const h of [tagged, onBranch, head, stashed, staged, workTree, ...dataHexes])
      expect(fs.existsSync(objectFile(a, h))).toBe(true);
    for (const h of [v1, history, garbage]) expect(fs.existsSync(objectFile(a, h))).toBe(false);
  });

  test('keeps what another worktree has in its work tree, index and HEAD', async () => {
    const wt = path.join(base, 'wt');
    git(a, ['worktree', 'add', '-q', '-b', 'side', wt]);
    init(wt);
    writeFile(wt, 'models/model.bin', bytes(2500, 25));
    await addPaths(await ws(wt), ['models/model.bin'], { cwd: wt });
    const onlyInWorktree = sha256(bytes(2500, 25));
    // Main moves on, so the worktree's files are referenced from the worktree alone.
    writeFile(a, 'models/model.bin', bytes(2600, 26));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '-am', 'main moves on']);
    const report = await gc(await ws(a), { dryRun: true, pruneNow: true });
    expect(report.removed.map((r) => r.oid)).not.toContain(`sha256:${onlyInWorktree}`);
    expect(report.removed.map((r) => r.oid)).not.toContain(`sha256:${sha256(MODEL)}`); // the worktree's HEAD
    git(a, ['worktree', 'remove', '--force', wt]);
    git(a, ['branch', '-q', '-D', 'side']);
    const after = await gc(await ws(a), { dryRun: true, pruneNow: true });
    expect(after.removed.map((r) => r.oid).sort()).toEqual(
      [`sha256:${onlyInWorktree}`, `sha256:${sha256(MODEL)}`].sort(),
    );
  });

  test('remote gc refuses without a dry run, then deletes what the dry run listed', async () => {
    await push(await ws(a), { head: true });
    const v1 = sha256(MODEL);
    // Push v2, then rewrite history so v1 is referenced by nothing.
    writeFile(a, 'models/model.bin', bytes(900, 9));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '--amend', '-am', 'v2 only']);
    await push(await ws(a), { head: true });

    await expect(gcRemote(await ws(a), 'origin')).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    // Just uploaded, v1 may be another clone's newest push: kept unless pruneNow says otherwise.
    const kept = await gcRemote(await ws(a), 'origin', { dryRun: true });
    expect([kept.removed, kept.keptRecent]).toEqual([[], 1]);
    const dry = await gcRemote(await ws(a), 'origin', { dryRun: true, pruneNow: true });
    expect(dry.removed.map((r) => r.oid)).toEqual([`sha256:${v1}`]);
    expect(fs.existsSync(remoteObject(v1))).toBe(true);
    const real = await gcRemote(await ws(a), 'origin', { pruneNow: true });
    expect(real.removed.map((r) => r.oid)).toEqual([`sha256:${v1}`]);
    expect(fs.existsSync(remoteObject(v1))).toBe(false);
    expect(fs.existsSync(remoteObject(sha256(bytes(900, 9))))).toBe(true);
    for (const data of Object.values(FILES)) expect(fs.existsSync(remoteObject(sha256(data)))).toBe(true);
    // The dry run's list is used once.
    await expect(gcRemote(await ws(a), 'origin')).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
  });

  test('remote gc keeps what another clone pushed with commits this clone has not fetched', async () => {
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    writeFile(b, 'models/model.bin', bytes(700, 7));
    await addPaths(await ws(b), ['models/model.bin'], { cwd: b });
    git(b, ['commit', '-q', '-am', 'v2 from b']);
    await push(await ws(b), { head: true }); // the object only: b's commit is not in a's history
    const fromB = sha256(bytes(700, 7));
    const report = await gcRemote(await ws(a), 'origin', { yes: true });
    expect([report.removed, report.keptRecent]).toEqual([[], 1]);
    expect(fs.existsSync(remoteObject(fromB))).toBe(true);
    // Older than gc.remoteKeepRecent, it is fair game (the age is the object's ctime there: its
    // mtime is a fixed seal).
    await setSetting((await ws(a)).repo, 'gc.remoteKeepRecent', '1s', true);
    await new Promise((r) => setTimeout(r, 1100));
    const later = await gcRemote(await ws(a), 'origin', { yes: true });
    expect(later.removed.map((r) => r.oid)).toEqual([`sha256:${fromB}`]);
  });

  test('remote gc keeps directories whose manifest only the remote has', async () => {
    await push(await ws(a), { head: true });
    const b = cloneOfA('b');
    const report = await gcRemote(await ws(b), 'origin', { yes: true });
    expect(report.removed).toEqual([]);
    expect(report.kept).toBe(5);
  });
});

describe('pre-push', () => {
  const zeros = '0'.repeat(40);

  test('uploads the objects of the pushed commits; deletions and MVGIT_SKIP_PUSH do nothing', async () => {
    const head = git(a, ['rev-parse', 'HEAD']).trim();
    const skipped = await prePush({
      cwd: a,
      remoteName: 'origin',
      remoteUrl: 'x',
      lines: [`refs/heads/main ${head} refs/heads/main ${zeros}`],
      env: { MVGIT_SKIP_PUSH: '1' },
    });
    expect(skipped.skipped).toBe('MVGIT_SKIP_PUSH');
    const deletion = await prePush({
      cwd: a,
      remoteName: 'origin',
      remoteUrl: 'x',
      lines: [`(delete) ${zeros} refs/heads/old ${head}`],
      env: {},
    });
    expect(deletion.skipped).toBe('deletions-only');
    expect(fs.existsSync(store)).toBe(false);

    const r = await prePush({
      cwd: a,
      remoteName: 'origin',
      remoteUrl: 'x',
      lines: [`refs/heads/main ${head} refs/heads/main ${zeros}`],
      env: {},
    });
    expect(r.report!.failed).toEqual([]);
    expect(r.report!.transferred).toBe(5);
    expect(fs.existsSync(remoteObject(sha256(MODEL)))).toBe(true);
  });

  test('uploads every version the new commits introduce, not only the tip', async () => {
    const before = git(a, ['rev-parse', 'HEAD']).trim();
    await push(await ws(a), { head: true });
    const v2 = bytes(2100, 21);
    writeFile(a, 'models/model.bin', v2);
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '-am', 'v2']);
    writeFile(a, 'models/model.bin', bytes(2200, 22));
    await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
    git(a, ['commit', '-q', '-am', 'v3']);
    const head = git(a, ['rev-parse', 'HEAD']).trim();
    const r = await prePush({
      cwd: a,
      remoteName: 'origin',
      remoteUrl: 'x',
      lines: [`refs/heads/main ${head} refs/heads/main ${before}`],
      env: {},
    });
    expect(r.report!.transferred).toBe(2);
    expect(fs.existsSync(remoteObject(sha256(v2)))).toBe(true);
  });

  test('with no mvgit remote, the push is stopped with a way forward', async () => {
    const bws = await ws(a);
    await removeRemote(bws.repo, 'origin');
    const head = git(a, ['rev-parse', 'HEAD']).trim();
    await expect(
      prePush({
        cwd: a,
        remoteName: 'origin',
        remoteUrl: 'x',
        lines: [`refs/heads/main ${head} refs/heads/main ${zeros}`],
        env: {},
      }),
    ).rejects.toMatchObject({ code: 'REMOTE_NOT_FOUND' });
  });
});

describe('remote settings', () => {
  test('add, list, remove; secrets refused', async () => {
    const w = await ws(a);
    await addRemote(w.repo, {
      name: 's3',
      url: 's3://bucket/team',
      endpoint: 'http://127.0.0.1:9000',
      pathStyle: true,
      region: 'eu-west-1',
    });
    let remotes = listRemotes(w.repo, await loadConfig(w.repo));
    expect(remotes).toEqual([
      { name: 'origin', url: store, type: 'local', default: true },
      {
        name: 's3',
        url: 's3://bucket/team',
        type: 's3',
        default: false,
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-1',
        pathStyle: true,
      },
    ]);
    const committed = fs.readFileSync(path.join(a, '.mvgit/config.yaml'), 'utf8');
    expect(committed).toContain('s3://bucket/team');

    for (const url of [
      's3://AKIAXXXX:secret@bucket/x',
      'https://user:pw@host/x',
      's3://bucket/x?aws_access_key_id=AKIA',
    ]) {
      const err = await addRemote(w.repo, { name: 'bad', url }).catch((e: unknown) => e);
      expect(isMvgitError(err, 'REMOTE_SECRET')).toBe(true);
      expect((err as Error).message).not.toContain('secret@');
    }
    await expect(setSetting(w.repo, 'remotes.s3.secretAccessKey', 'abc')).rejects.toMatchObject({
      code: 'REMOTE_SECRET',
      hint: expect.stringContaining('mvgit config --local'),
    });
    await expect(setSetting(w.repo, 'remotes.s3.accessKeyId', 'abc')).rejects.toMatchObject({ code: 'REMOTE_SECRET' });
    await setSetting(w.repo, 'remotes.s3.profile', 'team', true);
    expect((await loadConfig(w.repo)).remotes.s3.profile).toBe('team');
    await expect(addRemote(w.repo, { name: 's3', url: '/x' })).rejects.toMatchObject({ code: 'REMOTE_ERROR' });
    await expect(addRemote(w.repo, { name: 'x', url: 'https://example.com/store' })).rejects.toMatchObject({
      code: 'REMOTE_ERROR',
    });

    await removeRemote(w.repo, 'origin');
    remotes = listRemotes(w.repo, await loadConfig(w.repo));
    expect(remotes.map((r) => [r.name, r.default])).toEqual([['s3', true]]); // the only remote is the default
    await expect(removeRemote(w.repo, 'origin')).rejects.toMatchObject({ code: 'REMOTE_NOT_FOUND' });
  });
});
