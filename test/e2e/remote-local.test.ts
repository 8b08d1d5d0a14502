/**
 * The built CLI and the git hooks against a local-folder remote: the team scenario, and what
 * `mvgit remote | push | pull | fetch | gc` print and exit with.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  bytes,
  cacheObjects,
  cleanup,
  git,
  gitResult,
  makeGitRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  writeFile,
} from '../helpers/repo.js';
import { runTeamScenario } from '../helpers/remote-scenario.js';

let base: string;
beforeEach(() => {
  base = tempDir('mvgit-e2e-remote-');
});
afterEach(() => cleanup(base));

function remoteObject(store: string, hex: string): string {
  return path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
}

/** A repo with a model and a 3-file dataset committed, its remote a folder; nothing pushed yet. */
function repoWithData(): { a: string; store: string; files: Record<string, Buffer>; model: Buffer } {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  const store = path.join(base, 'store');
  mvgitOk(a, ['init', '--remote', store]);
  const model = bytes(50_000, 1);
  const files = { 'f1.csv': bytes(100, 2), 'f2.csv': bytes(200, 3), 'f3.csv': bytes(300, 4) };
  writeFile(a, 'models/m.bin', model);
  for (const [n, d] of Object.entries(files)) writeFile(a, `data/d/${n}`, d);
  mvgitOk(a, ['add', 'models/m.bin', '--kind', 'model']);
  mvgitOk(a, ['add', 'data/d', '--kind', 'dataset']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'data']);
  return { a, store, files, model };
}

function clone(a: string, name: string): string {
  const dir = path.join(base, name);
  git(base, ['clone', '-q', a, dir]);
  mvgitOk(dir, ['init']);
  return dir;
}

test('team scenario: git push uploads, a clone pulls, the other side git pulls the new model', () => {
  const store = path.join(base, 'store');
  const s = runTeamScenario(base, (a) => mvgitOk(a, ['remote', 'add', 'origin', store, '--default']));
  expect(fs.readFileSync(remoteObject(store, sha256(s.modelV2)))).toEqual(s.modelV2);
});

test('mvgit init --remote, remote list/remove, and secrets refused', () => {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  const out = mvgitOk(a, ['init', '--remote', '../store']);
  expect(out).toContain('Default remote: origin (../store)');
  expect(mvgitOk(a, ['remote', 'list'])).toBe('* origin  ../store\n');
  mvgitOk(a, [
    'remote',
    'add',
    'lab',
    's3://models/team',
    '--endpoint',
    'http://127.0.0.1:9000',
    '--path-style',
    '--region',
    'eu-west-1',
  ]);
  expect(JSON.parse(mvgitOk(a, ['remote', 'list', '--json']))).toEqual([
    {
      name: 'lab',
      url: 's3://models/team',
      type: 's3',
      default: false,
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      pathStyle: true,
    },
    { name: 'origin', url: '../store', type: 'local', default: true },
  ]);
  const secret = mvgit(a, ['remote', 'add', 'bad', 's3://AKIAEXAMPLE:wJalrXUtnFEMI@bucket/x']);
  expect(secret.code).toBe(1);
  expect(secret.stderr).toContain('carries credentials');
  expect(secret.stderr).not.toContain('wJalrXUtnFEMI');
  expect(secret.stderr).toContain('hint: give credentials through the environment');
  const key = mvgit(a, ['config', 'remotes.lab.secretAccessKey', 'x']);
  expect(key.code).toBe(1);
  expect(key.stderr).toContain("'secretAccessKey' is a credential");
  mvgitOk(a, ['config', '--local', 'remotes.lab.profile', 'team']);
  expect(mvgitOk(a, ['remote', 'rm', 'lab'])).toContain("Removed remote 'lab'");
  expect(mvgit(a, ['remote', 'remove', 'lab']).code).toBe(1);
  expect(fs.readFileSync(path.join(a, '.mvgit/config.yaml'), 'utf8')).not.toContain('lab');
});

test('push and pull --json report counts and bytes; a second push moves nothing', () => {
  const { a, store, model } = repoWithData();
  const first = JSON.parse(mvgitOk(a, ['push', '--json']));
  expect(first).toMatchObject({
    direction: 'push',
    remote: 'origin',
    url: store,
    artifacts: 2,
    transferred: 5,
    present: 0,
    failed: [],
  });
  expect(first.bytes).toBeGreaterThan(model.length);
  expect(mvgitOk(a, ['push'])).toBe('Everything is already on the remote (2 artifacts).\n');
  const b = clone(a, 'b');
  expect(mvgitOk(b, ['fetch', '--dry-run'])).toMatch(/^Would fetch 2 objects/);
  const pulled = JSON.parse(mvgitOk(b, ['pull', '--json', '-j', '2']));
  expect(pulled.fetch).toMatchObject({ direction: 'fetch', transferred: 5, failed: [] });
  expect(pulled.restored.map((r: { result: string }) => r.result)).toEqual(['restored', 'restored']);
  expect(fs.readFileSync(path.join(b, 'models/m.bin'))).toEqual(model);
});

test('pull from a remote missing one object names exactly that object and exits 1', () => {
  const { a, store, files } = repoWithData();
  mvgitOk(a, ['push']);
  const hex = sha256(files['f2.csv']);
  fs.rmSync(remoteObject(store, hex));
  const b = clone(a, 'b');
  const r = mvgit(b, ['pull']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`error: 1 object could not be downloaded from remote 'origin'`);
  expect(r.stderr).toContain(`data/d/f2.csv (${hex.slice(0, 12)}): object ${hex} is not on remote 'origin'`);
  expect(r.stderr.match(/\(([0-9a-f]{12})\):/g)).toHaveLength(1);
  expect(r.stderr).toContain('hint: the remote lacks them');
  expect(fs.readFileSync(path.join(b, 'models/m.bin')).length).toBe(50_000);
  const json = JSON.parse(mvgit(b, ['pull', '--json']).stdout);
  expect(json.fetch.failed).toEqual([
    {
      oid: `sha256:${hex}`,
      path: 'data/d/f2.csv',
      code: 'OBJECT_MISSING',
      reason: expect.any(String),
      hint: expect.stringContaining('mvgit push'),
    },
  ]);
});

test('pull refuses a corrupted remote object: named with the remote, not kept', () => {
  const { a, store, files } = repoWithData();
  mvgitOk(a, ['push']);
  const hex = sha256(files['f1.csv']);
  const file = remoteObject(store, hex);
  fs.writeFileSync(`${file}.x`, 'garbage');
  fs.renameSync(`${file}.x`, file);
  const b = clone(a, 'b');
  const r = mvgit(b, ['pull']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`object ${hex} for data/d/f1.csv on remote 'origin' (${store}) is corrupt`);
  expect(fs.existsSync(path.join(b, '.git/mvgit/cache/objects/sha256', hex.slice(0, 2), hex.slice(2)))).toBe(false);
});

test('fetch of 500 small objects from a folder runs on worker threads: the good ones verified in, a missing and a corrupt one named, nothing bad kept', () => {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  const store = path.join(base, 'store');
  mvgitOk(a, ['init', '--remote', store]);
  // 500 is above the file pool's threshold, so the built CLI fetches these on worker threads.
  const files = Array.from({ length: 500 }, (_, i) => bytes(64 + i, i + 10));
  for (const [i, d] of files.entries()) writeFile(a, `data/many/f${i}.bin`, d);
  mvgitOk(a, ['add', 'data/many', '--kind', 'dataset']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'many']);
  mvgitOk(a, ['push']);
  const gone = sha256(files[7]!);
  const bad = sha256(files[300]!);
  fs.rmSync(remoteObject(store, gone));
  fs.writeFileSync(`${remoteObject(store, bad)}.x`, 'garbage');
  fs.renameSync(`${remoteObject(store, bad)}.x`, remoteObject(store, bad));
  const b = clone(a, 'b');

  const r = mvgit(b, ['fetch', '--json']);
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout);
  expect(report.failed.map((f: { oid: string; code: string; path: string }) => [f.oid, f.code, f.path]).sort()).toEqual(
    [
      [`sha256:${gone}`, 'OBJECT_MISSING', 'data/many/f7.bin'],
      [`sha256:${bad}`, 'OBJECT_CORRUPT', 'data/many/f300.bin'],
    ].sort(),
  );
  const good = files.map((d) => sha256(d)).filter((h) => h !== gone && h !== bad);
  const inCache = cacheObjects(b);
  expect(inCache.every((o) => o.ok)).toBe(true);
  for (const h of good) expect(inCache.some((o) => o.hex === h)).toBe(true);
  expect(inCache.some((o) => o.hex === gone || o.hex === bad)).toBe(false);
  // The 498 good files and the folder's manifest.
  expect(report.transferred).toBe(499);
  expect(inCache).toHaveLength(499);
});

test('a FIFO where a folder remote keeps an object is named as missing, and the fetch does not hang', () => {
  const { a, store, files } = repoWithData();
  mvgitOk(a, ['push']);
  const hex = sha256(files['f3.csv']);
  fs.rmSync(remoteObject(store, hex));
  execFileSync('mkfifo', [remoteObject(store, hex)]);
  const b = clone(a, 'b');
  // Opening a FIFO for reading waits for a writer; the fetch must not.
  const r = mvgit(b, ['fetch', '--json']);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).failed).toEqual([
    expect.objectContaining({ oid: `sha256:${hex}`, code: 'OBJECT_MISSING' }),
  ]);
  expect(cacheObjects(b).some((o) => o.hex === hex)).toBe(false);
}, 30_000);

test('a failed upload stops git push with the reason and the command to retry', () => {
  const { a } = repoWithData();
  // A remote the hook cannot write: a file where the folder should be.
  const blocked = path.join(base, 'blocked');
  fs.writeFileSync(blocked, 'not a folder');
  mvgitOk(a, ['remote', 'remove', 'origin']);
  mvgitOk(a, ['remote', 'add', 'origin', blocked, '--default']);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'remote']);
  const bare = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', '-b', 'main', bare]);
  git(a, ['remote', 'add', 'origin', bare]);
  const r = gitResult(a, ['push', 'origin', 'main']);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('mvgit: ');
  expect(r.stderr).toContain('retry with: mvgit push --rev main && git push');
  expect(r.stderr).toContain('MVGIT_SKIP_PUSH=1 git push');
  expect(gitResult(bare, ['rev-parse', '--verify', '-q', 'refs/heads/main']).code).not.toBe(0);
  const skipped = gitResult(a, ['push', 'origin', 'main'], { MVGIT_SKIP_PUSH: '1' });
  expect(skipped.code).toBe(0);
  expect(skipped.stderr).toContain('MVGIT_SKIP_PUSH is set');
});

test('gc: --dry-run lists, gc removes and frees; gc --remote needs a dry run or --yes', () => {
  const { a, store, model } = repoWithData();
  mvgitOk(a, ['push']);
  writeFile(a, 'models/m.bin', bytes(10, 9));
  mvgitOk(a, ['add', 'models/m.bin']);
  git(a, ['commit', '-q', '--amend', '-am', 'replaced']);
  mvgitOk(a, ['push']);
  const old = sha256(model);
  const dry = mvgitOk(a, ['gc', '--dry-run', '--prune-now']);
  expect(dry).toContain(`would remove ${old} (48.8 KiB)`);
  expect(dry).toContain('Would remove 1 object (48.8 KiB) from the cache; kept 5.');
  expect(mvgitOk(a, ['gc', '--prune-now'])).toContain('Removed 1 object (48.8 KiB) from the cache; kept 5.');
  expect(JSON.parse(mvgitOk(a, ['gc', '--json', '--prune-now'])).removed).toEqual([]);

  const refused = mvgit(a, ['gc', '--remote', 'origin']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("hint: run 'mvgit gc --remote origin --dry-run', check the list");
  expect(mvgitOk(a, ['gc', '--remote', 'origin', '--dry-run'])).toContain(
    'Kept 1 unreferenced object younger than 2w (gc.remoteKeepRecent): another clone may have pushed it with commits this clone has not fetched. To remove it now: mvgit gc --remote origin --prune-now',
  );
  const plan = mvgitOk(a, ['gc', '--remote', 'origin', '--dry-run', '--prune-now']);
  expect(plan).toContain(`would remove ${old}`);
  expect(plan).toContain('To delete them: mvgit gc --remote origin');
  expect(fs.existsSync(remoteObject(store, old))).toBe(true);
  expect(mvgitOk(a, ['gc', '--remote', 'origin', '--prune-now'])).toContain(
    "Removed 1 object (48.8 KiB) from remote 'origin'; kept 5.",
  );
  expect(fs.existsSync(remoteObject(store, old))).toBe(false);
});

test('push with nothing configured says how to add a remote', () => {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  mvgitOk(a, ['init', '--no-hooks']);
  const r = mvgit(a, ['push']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('error: no mvgit remote is configured');
  expect(r.stderr).toContain('hint: add one: mvgit remote add origin');
});
