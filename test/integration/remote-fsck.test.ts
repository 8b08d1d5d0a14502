/**
 * fsck of a folder remote through the library API: push cannot mend a corrupt copy (it checks
 * existence only), fsckRemote finds corrupt and missing copies and, with repair, replaces them
 * from verified cache copies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { fsckRemote, remoteFsckError } from '../../src/core/transfer/fsck-remote.js';
import { init } from '../../src/core/repo/init.js';
import { LocalRemote } from '../../src/adapters/remote/local.js';
import { addRemote } from '../../src/core/repo/remote-settings.js';
import { transferError } from '../../src/core/transfer/transfer.js';
import { fetch } from '../../src/core/transfer/fetch.js';
import { push } from '../../src/core/transfer/push.js';
import { pull } from '../../src/core/workspace/pull.js';
import { bytes, cleanup, git, makeGitRepo, objectFile, sha256, tempDir, writeFile } from '../helpers/repo.js';

let base: string;
let a: string;
let store: string;

const MODEL = bytes(300_000, 7);
const FILES: Record<string, Buffer> = {
  'f1.csv': bytes(1000, 1),
  'f2.csv': bytes(2000, 2),
  'sub/f3.csv': bytes(3000, 3),
};
const HEAD = { head: true, workTree: true };

function remoteObject(hex: string): string {
  return path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
}

async function ws(dir: string): Promise<Workspace> {
  return openWorkspace({ cwd: dir, link: 'copy' });
}

/** Writes over a copy as a bad disk or a careless tool would: a bit flipped in place. */
function flipBit(file: string): void {
  fs.chmodSync(file, 0o644);
  const data = fs.readFileSync(file);
  data[data.length >> 1] ^= 0x01;
  fs.writeFileSync(file, data);
}

function manifestHex(): string {
  return /oid: sha256:([0-9a-f]{64})/.exec(fs.readFileSync(path.join(a, 'data/train.mvgit.yaml'), 'utf8'))![1];
}

beforeEach(async () => {
  base = tempDir('mvgit-remote-fsck-');
  a = makeGitRepo(fs.mkdirSync(path.join(base, 'a'), { recursive: true })!);
  store = path.join(base, 'store');
  init(a);
  await addRemote((await ws(a)).repo, { name: 'origin', url: store }, true);
  writeFile(a, 'models/model.bin', MODEL);
  for (const [rel, data] of Object.entries(FILES)) writeFile(a, `data/train/${rel}`, data);
  await addPaths(await ws(a), ['models/model.bin'], { cwd: a, kind: 'model' });
  await addPaths(await ws(a), ['data/train'], { cwd: a, kind: 'dataset' });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'model and data']);
  expect((await push(await ws(a), HEAD)).failed).toEqual([]);
});
afterEach(() => cleanup(base));

test('a clean remote: every object checked, nothing reported', async () => {
  const report = await fsckRemote(await ws(a), HEAD);
  expect(report).toMatchObject({
    remote: 'origin',
    url: store,
    artifacts: 2,
    checked: 5,
    corrupt: [],
    missing: [],
    unchecked: [],
    unknownDirs: [],
  });
  expect(report.bytes).toBe(MODEL.length + 6000 + fs.statSync(remoteObject(manifestHex())).size);
  expect(remoteFsckError(report, 'mvgit fsck --remote', false)).toBeUndefined();
});

test('a flipped bit: push calls it present, fsck names it, --repair replaces it, a clone pulls the right bytes', async () => {
  const hex = sha256(MODEL);
  flipBit(remoteObject(hex));
  expect((await push(await ws(a), HEAD)).transferred).toBe(0);

  const report = await fsckRemote(await ws(a), HEAD);
  expect(report.corrupt).toEqual([
    {
      oid: `sha256:${hex}`,
      path: 'models/model.bin',
      reason: expect.stringContaining(`its ${MODEL.length} bytes on remote 'origin' hash to`),
    },
  ]);
  const err = remoteFsckError(report, 'mvgit fsck --remote -r origin', false)!;
  expect(err.code).toBe('OBJECT_CORRUPT');
  expect(err.message).toContain(
    `1 corrupt object on remote 'origin' (${store}):\n  models/model.bin (${hex.slice(0, 12)})`,
  );
  expect(err.hint).toBe("run 'mvgit fsck --remote -r origin --repair' to upload good copies from the cache");

  const repaired = await fsckRemote(await ws(a), HEAD, { repair: true });
  expect(repaired.repaired).toEqual([`sha256:${hex}`]);
  expect(repaired.unrepaired).toEqual([]);
  expect(remoteFsckError(repaired, 'mvgit fsck --remote', true)).toBeUndefined();
  expect(sha256(fs.readFileSync(remoteObject(hex)))).toBe(hex);
  expect(fs.statSync(remoteObject(hex)).mode & 0o777).toBe(0o444);
  expect((await fsckRemote(await ws(a), HEAD)).corrupt).toEqual([]);

  const b = path.join(base, 'b');
  git(base, ['clone', '-q', a, b]);
  init(b);
  await pull(await ws(b), { head: true });
  expect(fs.readFileSync(path.join(b, 'models/model.bin'))).toEqual(MODEL);
});

test('the download error for a corrupt copy points at fsck --remote --repair', async () => {
  flipBit(remoteObject(sha256(FILES['f2.csv'])));
  const b = path.join(base, 'b');
  git(base, ['clone', '-q', a, b]);
  init(b);
  const report = await fetch(await ws(b), { head: true });
  expect(report.failed).toEqual([
    expect.objectContaining({
      code: 'OBJECT_CORRUPT',
      hint: "from a clone whose cache has a good copy, run 'mvgit fsck --remote -r origin --repair', then pull again",
    }),
  ]);
  expect(transferError(report, 'mvgit pull').hint).toBe(
    "from a clone whose cache has a good copy, run 'mvgit fsck --remote -r origin --repair', then pull again",
  );
});

test('missing files and a missing manifest are reported; repair uploads the files, then the manifest', async () => {
  const f3 = sha256(FILES['sub/f3.csv']);
  const m = manifestHex();
  fs.rmSync(remoteObject(f3));
  fs.rmSync(remoteObject(m));
  const report = await fsckRemote(await ws(a), HEAD);
  expect(report.missing.map((x) => [x.oid, x.path]).sort()).toEqual(
    [
      [`sha256:${f3}`, 'data/train/sub/f3.csv'],
      [`sha256:${m}`, 'data/train'],
    ].sort(),
  );
  expect(report.checked).toBe(5);
  expect(remoteFsckError(report, 'mvgit fsck --remote', false)!.code).toBe('OBJECT_MISSING');

  const repaired = await fsckRemote(await ws(a), HEAD, { repair: true });
  expect(repaired.repaired.sort()).toEqual([`sha256:${f3}`, `sha256:${m}`].sort());
  expect(fs.readFileSync(remoteObject(f3))).toEqual(FILES['sub/f3.csv']);
  expect(fs.existsSync(remoteObject(m))).toBe(true);
});

test('a bad cache copy is never uploaded: repair says so and fails', async () => {
  const model = sha256(MODEL);
  const f1 = sha256(FILES['f1.csv']);
  const m = manifestHex();
  flipBit(remoteObject(model));
  flipBit(objectFile(a, model));
  fs.rmSync(remoteObject(f1));
  fs.rmSync(objectFile(a, f1));
  fs.rmSync(remoteObject(m));
  const remoteModelBefore = fs.readFileSync(remoteObject(model));

  const report = await fsckRemote(await ws(a), HEAD, { repair: true });
  expect(report.repaired).toEqual([]);
  expect(report.unrepaired.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
    { oid: `sha256:${m}`, path: 'data/train', reason: 'not uploaded: 1 of its files is still bad on the remote' },
    { oid: `sha256:${f1}`, path: 'data/train/f1.csv', reason: 'not in the local cache either' },
    {
      oid: `sha256:${model}`,
      path: 'models/model.bin',
      reason: expect.stringContaining('the local cache copy is corrupt too'),
    },
  ]);
  // Nothing changed on the remote: the bad copy stays (a person may want it), no manifest without its files.
  expect(fs.readFileSync(remoteObject(model))).toEqual(remoteModelBefore);
  expect(fs.existsSync(remoteObject(m))).toBe(false);
  const err = remoteFsckError(report, 'mvgit fsck --remote', true)!;
  expect(err.code).toBe('OBJECT_CORRUPT');
  expect(err.message).toContain(`3 bad objects on remote 'origin' (${store}) could not be repaired:`);
  expect(err.message).toContain(`data/train/f1.csv (${f1.slice(0, 12)}): not in the local cache either`);
  expect(err.hint).toContain("'mvgit fsck --repair'");
});

test('a clone whose cache lacks a manifest reads it from the remote and checks its files', async () => {
  flipBit(remoteObject(sha256(FILES['f2.csv'])));
  const b = path.join(base, 'b');
  git(base, ['clone', '-q', a, b]);
  init(b);
  const report = await fsckRemote(await ws(b), { head: true });
  expect(report.corrupt.map((c) => c.path)).toEqual(['data/train/f2.csv']);
  expect(report.checked).toBe(5);
  // Its cache lacks the file too: it cannot repair, and says where to run it.
  const repaired = await fsckRemote(await ws(b), { head: true }, { repair: true });
  expect(repaired.unrepaired).toEqual([
    expect.objectContaining({ path: 'data/train/f2.csv', reason: 'not in the local cache either' }),
  ]);
  expect(remoteFsckError(repaired, 'mvgit fsck --remote', true)!.hint).toContain(
    'from a clone whose cache has good copies',
  );
});

test('-j bounds how many copies are read at once', async () => {
  for (let i = 0; i < 12; i++) writeFile(a, `data/many/${i}.bin`, bytes(2000 + i, 500 + i));
  await addPaths(await ws(a), ['data/many'], { cwd: a });
  await push(await ws(a), HEAD);
  const real = LocalRemote.prototype.get;
  let open = 0;
  let most = 0;
  LocalRemote.prototype.get = async function (this: LocalRemote, hex: string) {
    most = Math.max(most, ++open);
    const stream = await real.call(this, hex);
    stream.once('close', () => open--);
    await new Promise((r) => setTimeout(r, 10));
    return stream;
  };
  try {
    const report = await fsckRemote(await ws(a), HEAD, { jobs: 3 });
    expect(report.checked).toBe(5 + 13);
    expect(most).toBe(3);
  } finally {
    LocalRemote.prototype.get = real;
  }
});
