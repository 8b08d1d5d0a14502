/**
 * A corrupt object in the cache: fsck finds and names it, --repair moves it aside, and
 * checkout never copies or links it into the work tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  bytes,
  cacheObjects,
  cleanup,
  git,
  makeMvgitRepo,
  mvgit,
  mvgitOk,
  objectFile,
  sha256,
  tempDir,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
const MODEL = bytes(200_000, 42);
const MODEL_HEX = sha256(MODEL);
const FILES: Record<string, string> = { 'a.csv': 'alpha\n', 'b.csv': 'beta\n', 'c.csv': 'gamma\n' };

/** Damages an object the way a stray write does: make it writable, overwrite some bytes. */
function corrupt(hex: string): string {
  const file = objectFile(repo, hex);
  fs.chmodSync(file, 0o644);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.from('XX'), 0, 2, 1);
  fs.closeSync(fd);
  return file;
}

// One repo is set up once; each test works on a copy of it.
let template: string;
beforeAll(() => {
  template = makeMvgitRepo();
  writeFile(template, 'model.bin', MODEL);
  for (const [name, text] of Object.entries(FILES)) writeFile(template, `data/${name}`, text);
  mvgitOk(template, ['add', 'model.bin', 'data']);
  git(template, ['add', '-A']);
  git(template, ['commit', '-q', '-m', 'artifacts']);
});
afterAll(() => cleanup(template));
beforeEach(() => {
  repo = tempDir();
  fs.cpSync(template, repo, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
});
afterEach(() => cleanup(repo));

test('fsck exits 1 and names the corrupt object; --repair moves it aside', () => {
  const file = corrupt(MODEL_HEX);
  const total = cacheObjects(repo).length;

  const r = mvgit(repo, ['fsck']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe(`checked ${total} object(s)\ncorrupt: sha256:${MODEL_HEX} ${file}\n`);
  expect(r.stderr).toBe(
    `error: 1 corrupt object(s) in the cache: ${MODEL_HEX.slice(0, 12)}\nhint: run 'mvgit fsck --repair' to move them aside, then 'mvgit pull' or 'mvgit add' to replace them\n`,
  );
  expect(fs.existsSync(file)).toBe(true);

  const j = mvgit(repo, ['fsck', '--json']);
  expect(j.code).toBe(1);
  expect(JSON.parse(j.stdout)).toEqual({
    error: {
      code: 'OBJECT_CORRUPT',
      message: `1 corrupt object(s) in the cache: ${MODEL_HEX.slice(0, 12)}`,
      hint: "run 'mvgit fsck --repair' to move them aside, then 'mvgit pull' or 'mvgit add' to replace them",
      data: { checked: total, corrupt: [{ oid: `sha256:${MODEL_HEX}`, file }], tempsRemoved: 0 },
    },
  });

  const rep = mvgit(repo, ['fsck', '--repair', '--json']);
  expect(rep.code).toBe(0);
  const report = JSON.parse(rep.stdout);
  expect(report.corrupt).toHaveLength(1);
  const movedTo: string = report.corrupt[0].movedTo;
  expect(fs.existsSync(file)).toBe(false);
  expect(fs.readFileSync(movedTo).subarray(1, 3).toString()).toBe('XX');
  // Moved aside to the cache's corrupt/ folder, as fsck --help says, not deleted.
  expect(movedTo).toBe(path.join(repo, '.git', 'mvgit', 'cache', 'corrupt', MODEL_HEX));

  // The cache is clean now; what is gone is reported as missing, with the way to get it back.
  expect(mvgit(repo, ['fsck'])).toMatchObject({ code: 0, stdout: `checked ${total - 1} object(s)\n` });
  fs.rmSync(path.join(repo, 'model.bin'));
  const co = mvgit(repo, ['checkout']);
  expect(co.code).toBe(1);
  expect(co.stderr).toBe(
    `error: 1 object(s) are not in the cache: model.bin (${MODEL_HEX.slice(0, 12)})\nhint: fetch them with 'mvgit pull' (from a remote that has them)\n`,
  );
  expect(
    JSON.parse(mvgitOk(repo, ['status', '--json'])).find((s: { path: string }) => s.path === 'model.bin'),
  ).toMatchObject({ status: 'missing', notInCache: [MODEL_HEX] });

  // Adding the good file again puts a good object back.
  writeFile(repo, 'model.bin', MODEL);
  mvgitOk(repo, ['add', 'model.bin']);
  expect(cacheObjects(repo).every((o) => o.ok)).toBe(true);
  expect(mvgit(repo, ['fsck']).code).toBe(0);
});

test.each(['copy', 'hardlink', 'symlink'])(
  'checkout (link mode %s) never puts a corrupt file in the work tree',
  (mode) => {
    mvgitOk(repo, ['config', '--local', 'cache.link', mode]);
    corrupt(MODEL_HEX);
    fs.rmSync(path.join(repo, 'model.bin'));
    const r = mvgit(repo, ['checkout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: corrupt objects in the cache, not copied: model.bin (${MODEL_HEX.slice(0, 12)})\nhint: run 'mvgit fsck --repair', then 'mvgit pull' to fetch good copies\n`,
    );
    expect(fs.existsSync(path.join(repo, 'model.bin'))).toBe(false);
    expect(fs.readdirSync(repo).filter((n) => n.includes('model.bin'))).toEqual(['model.bin.mvgit.yaml']);
    // Asking again does not make it trust the object.
    expect(mvgit(repo, ['checkout', '--force']).code).toBe(1);
    expect(fs.existsSync(path.join(repo, 'model.bin'))).toBe(false);
  },
);

test('a corrupt file of a folder: the others are restored, the corrupt one is not', () => {
  corrupt(sha256(FILES['b.csv']));
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  const r = mvgit(repo, ['checkout', '--json']);
  expect(r.code).toBe(1);
  // One JSON document: the error, carrying what was done.
  const { error } = JSON.parse(r.stdout);
  expect(error).toMatchObject({
    code: 'OBJECT_CORRUPT',
    data: { corrupt: [`data (${sha256(FILES['b.csv']).slice(0, 12)})`] },
  });
  expect(error.data.result.find((o: { path: string }) => o.path === 'data')).toEqual({
    path: 'data',
    result: 'incomplete',
    restored: 2,
    removed: 0,
    conflicts: [],
    missing: [],
    corrupt: [sha256(FILES['b.csv'])],
  });
  expect(fs.readdirSync(path.join(repo, 'data')).sort()).toEqual(['a.csv', 'c.csv']);
});

test('a corrupt manifest: checkout refuses the folder, naming it', () => {
  const pointer = fs.readFileSync(path.join(repo, 'data.mvgit.yaml'), 'utf8');
  const manifestHex = /oid: sha256:([0-9a-f]{64})/.exec(pointer)![1];
  corrupt(manifestHex);
  fs.rmSync(path.join(repo, 'data'), { recursive: true });
  const r = mvgit(repo, ['checkout', 'data']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `error: corrupt objects in the cache, not copied: data (${manifestHex.slice(0, 12)})\nhint: run 'mvgit fsck --repair', then 'mvgit pull' to fetch good copies\n`,
  );
  expect(fs.existsSync(path.join(repo, 'data'))).toBe(false);
});

test('a work-tree file that is fine is not touched because of a corrupt object elsewhere', () => {
  corrupt(sha256(FILES['a.csv']));
  const before = fs.readFileSync(path.join(repo, 'model.bin'));
  const r = mvgit(repo, ['checkout']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('Everything is up to date.\n');
  expect(fs.readFileSync(path.join(repo, 'model.bin')).equals(before)).toBe(true);
});
