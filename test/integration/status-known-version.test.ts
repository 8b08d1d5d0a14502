/**
 * A work tree left behind by a `git checkout` that ran no hooks holds a version history knows,
 * not an edit: status says which, and `mvgit add` will not record those old bytes as the
 * pointer's newest version (dropping its metadata) unless --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addPaths } from '../../src/core/workspace/add.js';
import { checkout } from '../../src/core/workspace/checkout.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { init } from '../../src/core/repo/init.js';
import { status } from '../../src/core/workspace/status.js';
import { cleanup, git, makeGitRepo, writeFile } from '../helpers/repo.js';

let repo: string;
let ws: Workspace;
let v1: string;
let v2: string;

const open = (): Promise<Workspace> => openWorkspace({ cwd: repo, link: 'copy' });
const read = (rel: string): string => fs.readFileSync(path.join(repo, rel), 'utf8');

/** Two committed versions of m.pkl and of the folder ds; v1 is tagged. */
beforeEach(async () => {
  repo = makeGitRepo();
  init(repo);
  ws = await open();
  writeFile(repo, 'm.pkl', 'model v1');
  writeFile(repo, 'ds/a.csv', 'a1');
  await addPaths(ws, ['m.pkl', 'ds'], { cwd: repo });
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'Train v1']);
  git(repo, ['tag', 'v1']);
  v1 = git(repo, ['rev-parse', 'HEAD']).trim();
  writeFile(repo, 'm.pkl', 'model v2');
  writeFile(repo, 'ds/a.csv', 'a2');
  await addPaths(ws, ['m.pkl', 'ds'], { cwd: repo, meta: { metrics: { auc: 0.9 } } });
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'Train v2']);
  v2 = git(repo, ['rev-parse', 'HEAD']).trim();
});
afterEach(() => cleanup(repo));

/** What a clone without hooks sees: at `from` with its artifacts in place, `git checkout to` moves only the pointers. */
async function checkoutWithoutHooks(from: string, to: string): Promise<void> {
  git(repo, ['checkout', '-q', from]);
  await checkout(ws);
  git(repo, ['checkout', '-q', to]);
}

describe('status', () => {
  test('names the tagged commit whose version the work tree holds', async () => {
    await checkoutWithoutHooks('v1', 'main');
    expect(read('m.pkl')).toBe('model v1');
    const [ds, m] = await status(ws);
    expect(m).toMatchObject({
      path: 'm.pkl',
      status: 'modified',
      holds: {
        inCache: true,
        version: { commit: v1, tag: 'v1', subject: 'Train v1', label: `v1 (${v1.slice(0, 7)})` },
      },
    });
    expect(ds).toMatchObject({
      path: 'ds',
      status: 'modified',
      holds: { inCache: true, version: { commit: v1, label: `v1 (${v1.slice(0, 7)})` } },
    });
  });

  test('a newer version from another branch is named by short hash and subject', async () => {
    await checkoutWithoutHooks('main', 'v1');
    const [, m] = await status(ws);
    expect(m.holds).toMatchObject({ inCache: true, version: { commit: v2, label: `${v2.slice(0, 7)} "Train v2"` } });
    expect(m.holds?.version?.tag).toBeUndefined();
  });

  test('a real edit is just modified', async () => {
    writeFile(repo, 'm.pkl', 'model v3, not recorded');
    const [, m] = await status(ws);
    expect(m.status).toBe('modified');
    expect(m.holds).toBeUndefined();
  });

  test('content only the cache knows (added, then the pointer put back) is said to be in the cache', async () => {
    writeFile(repo, 'm.pkl', 'model v3');
    await addPaths(ws, ['m.pkl'], { cwd: repo });
    git(repo, ['checkout', '--', 'm.pkl.mvgit.yaml']);
    const [, m] = await status(ws);
    expect(m.holds).toEqual({ oid: expect.stringMatching(/^sha256:/), inCache: true });
  });
});

describe('mvgit add of a path holding a known version', () => {
  test('is refused, naming the version and the checkout that restores it; the pointer keeps its metadata', async () => {
    await checkoutWithoutHooks('v1', 'main');
    const pointer = read('m.pkl.mvgit.yaml');
    const err = await addPaths(ws, ['m.pkl'], { cwd: repo }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'OLD_VERSION',
      message: `m.pkl holds the version of v1 (${v1.slice(0, 7)}), not the one its pointer names: recording it would make those bytes the newest version and drop the pointer's metadata`,
      hint: "put the pointer's version in place: mvgit checkout m.pkl; to record these bytes as a new version anyway: mvgit add m.pkl --force",
    });
    expect(read('m.pkl.mvgit.yaml')).toBe(pointer);
    expect(pointer).toContain('auc: 0.9');
    // The hint's way out works.
    await checkout(ws, { paths: ['m.pkl'], cwd: repo });
    expect(read('m.pkl')).toBe('model v2');
  });

  test('a folder holding an old version is refused too, before any pointer is written', async () => {
    await checkoutWithoutHooks('v1', 'main');
    writeFile(repo, 'new.bin', 'new');
    const before = read('ds.mvgit.yaml');
    await expect(addPaths(ws, ['new.bin', 'ds'], { cwd: repo })).rejects.toMatchObject({
      code: 'OLD_VERSION',
      message: expect.stringContaining('ds holds the version of v1'),
    });
    expect(read('ds.mvgit.yaml')).toBe(before);
    expect(fs.existsSync(path.join(repo, 'new.bin.mvgit.yaml'))).toBe(false);
  });

  test('--force records the old bytes as the newest version', async () => {
    await checkoutWithoutHooks('v1', 'main');
    const [a] = await addPaths(ws, ['m.pkl'], { cwd: repo, force: true });
    expect(a).toMatchObject({ path: 'm.pkl', changed: true });
    expect(read('m.pkl.mvgit.yaml')).not.toContain('auc');
  });

  test('a new edit is recorded as before', async () => {
    writeFile(repo, 'm.pkl', 'model v3');
    expect((await addPaths(ws, ['m.pkl'], { cwd: repo }))[0]).toMatchObject({ changed: true });
  });
});
