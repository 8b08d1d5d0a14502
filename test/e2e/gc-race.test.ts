/**
 * gc run while add works, as two real processes. A failpoint (src/base/failpoint.ts) holds
 * one of them inside its race window for seconds, so the race happens on every run: add
 * paused after storing a folder's objects and before writing its pointer; gc paused after
 * choosing what to remove and before removing it. Neither may leave a pointer naming a
 * missing object (in symlink mode: a dangling link in the user's folder).
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
  mvgitAsync,
  mvgitOk,
  objectFile,
  sha256,
  writeFile,
} from '../helpers/repo.js';

const FILES = 300;
const PAUSE_MS = 3000;

let repo: string;
beforeEach(() => {
  repo = makeMvgitRepo();
  git(repo, ['add', '.mvgit']);
  git(repo, ['commit', '-q', '-m', 'init']);
});
afterEach(() => cleanup(repo));

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const statuses = (): [string, string][] =>
  JSON.parse(mvgitOk(repo, ['status', '--json'])).map((s: { path: string; status: string }) => [s.path, s.status]);

test('gc started while a folder add is between storing and writing its pointer keeps every object', async () => {
  const want = new Map<string, Buffer>();
  for (let i = 0; i < FILES; i++) want.set(`ds/${i % 10}/f${i}.bin`, bytes(500 + i, i + 1));
  for (const [rel, data] of want) writeFile(repo, rel, data);

  const add = mvgitAsync(repo, ['add', 'ds', '--link', 'symlink'], {
    MVGIT_FAILPOINT: `add:after-store:sleep=${PAUSE_MS}`,
  });
  // Every file and the manifest are in the store; the pointer is not written yet.
  await until('add to store its objects', () => cacheObjects(repo).length === FILES + 1);
  expect(fs.existsSync(path.join(repo, 'ds.mvgit.yaml'))).toBe(false);
  const gc = await mvgitAsync(repo, ['gc', '--prune-now']);
  const added = await add;

  expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
  expect({ code: gc.code, stderr: gc.stderr }).toEqual({ code: 0, stderr: '' });
  expect(gc.stdout).toBe(`Removed 0 objects (0 B) from the cache; kept ${FILES + 1}.\n`);
  for (const [rel, data] of want) {
    expect(fs.lstatSync(path.join(repo, rel)).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(objectFile(repo, sha256(data)))).toBe(true);
    expect(fs.readFileSync(path.join(repo, rel)).equals(data)).toBe(true);
  }
  expect(statuses()).toEqual([['ds', 'up-to-date']]);
}, 60_000);

test('an add started while gc is removing objects waits for it, so an object it reuses is not lost', async () => {
  writeFile(repo, 'm.bin', 'an old model, stored before and referenced by nothing now');
  mvgitOk(repo, ['add', 'm.bin']);
  fs.rmSync(path.join(repo, 'm.bin.mvgit.yaml'));
  const hex = sha256('an old model, stored before and referenced by nothing now');

  const gc = mvgitAsync(repo, ['gc', '--prune-now'], { MVGIT_FAILPOINT: `gc:before-remove:sleep=${PAUSE_MS}` });
  const locks = path.join(repo, '.git', 'mvgit', 'locks');
  await until(
    'gc to take its lock',
    () => fs.existsSync(locks) && fs.readdirSync(locks).some((n) => n.startsWith('gc-')),
  );
  // gc has chosen m.bin's object by now (it pauses for seconds after choosing); the add would
  // find it still in the store and only write the pointer.
  await new Promise((r) => setTimeout(r, 1000));
  const added = await mvgitAsync(repo, ['add', 'm.bin']);
  const cleaned = await gc;

  expect({ code: cleaned.code, stdout: cleaned.stdout }).toEqual({
    code: 0,
    stdout: `removed ${hex} (57 B)\nRemoved 1 object (57 B) from the cache; kept 0.\n`,
  });
  expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
  expect(fs.existsSync(objectFile(repo, hex))).toBe(true);
  expect(statuses()).toEqual([['m.bin', 'up-to-date']]);
}, 60_000);

test('gc with a conflicted pointer exits 1 naming it and removes nothing; a fresh unreferenced object is kept', () => {
  writeFile(repo, 'a.bin', 'model a');
  mvgitOk(repo, ['add', 'a.bin', '--link', 'symlink']);
  writeFile(repo, 'b.bin.mvgit.yaml', '<<<<<<< HEAD\nmvgit: 1\n=======\nmvgit: 1\n>>>>>>> theirs\n');
  const r = mvgit(repo, ['gc', '--prune-now']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(
    /^error: gc stopped before removing anything: cannot read b\.bin\.mvgit\.yaml in the work tree: it holds an unresolved merge conflict/,
  );
  expect(r.stderr).toContain(
    'hint: resolve the merge conflict in b.bin.mvgit.yaml (or restore it: git checkout -- b.bin.mvgit.yaml), then run gc again; gc never guesses which objects an unreadable pointer keeps\n',
  );
  expect(fs.readFileSync(path.join(repo, 'a.bin'), 'utf8')).toBe('model a');

  fs.rmSync(path.join(repo, 'b.bin.mvgit.yaml'));
  fs.rmSync(path.join(repo, 'a.bin.mvgit.yaml'));
  expect(mvgitOk(repo, ['gc'])).toBe(
    'Removed 0 objects (0 B) from the cache; kept 1.\nKept 1 unreferenced object younger than 1h (gc.keepRecent): a running command may be about to use it. To remove it now: mvgit gc --prune-now\n',
  );
  expect(fs.readFileSync(path.join(repo, 'a.bin'), 'utf8')).toBe('model a');
});
