/**
 * `mvgit checkout` killed with SIGKILL at several points. After every kill the user's other
 * files are untouched, an artifact is either absent or whole (never a partial file), no partial
 * object is visible in the cache, and running checkout again finishes the job.
 */
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  cacheObjects,
  cleanup,
  git,
  makeMvgitRepo,
  mvgit,
  mvgitKilledAfter,
  mvgitOk,
  treeSnapshot,
  writeFile,
} from '../helpers/repo.js';
import { expectNoStrayFiles, killDelays, killedMidway as killedMidwayAt, timed } from '../helpers/kill.js';

const LONG = 120_000;

/** The snapshot entries under `prefix`, keyed by path. */
function under(snapshot: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).filter(([p]) => p === prefix || p.startsWith(`${prefix}/`)));
}

describe.each([
  [
    'one large file',
    'big.bin',
    (repo: string) => {
      const fd = fs.openSync(path.join(repo, 'big.bin'), 'w');
      const block = Buffer.allocUnsafe(8 << 20);
      for (let i = 0; i < 12; i++) fs.writeSync(fd, randomFillSync(block));
      fs.closeSync(fd);
    },
  ],
  [
    'a folder of many files',
    'images',
    (repo: string) => {
      const buf = Buffer.allocUnsafe(1024);
      for (let i = 0; i < 1000; i++) writeFile(repo, `images/${i % 30}/img-${i}.bin`, randomFillSync(buf));
      fs.chmodSync(path.join(repo, 'images/0/img-0.bin'), 0o755);
    },
  ],
] as const)('SIGKILL during checkout of %s', (_what, artifact, make) => {
  let repo: string;
  let expected: Record<string, string>;
  let others: Record<string, string>;
  let full: number;

  beforeAll(() => {
    repo = makeMvgitRepo();
    make(repo);
    writeFile(repo, 'notes.txt', "the user's own file\n");
    mvgitOk(repo, ['add', artifact]);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'artifact']);
    const snap = treeSnapshot(repo);
    expected = under(snap, artifact);
    others = Object.fromEntries(Object.entries(snap).filter(([p]) => !(p in expected)));
    fs.rmSync(path.join(repo, artifact), { recursive: true });
    full = timed(() => mvgitOk(repo, ['checkout']));
    fs.rmSync(path.join(repo, artifact), { recursive: true });
  }, LONG);
  afterAll(() => cleanup(repo));

  test(
    'at each delay: nothing partial, nothing else touched, a second checkout finishes',
    async () => {
      let killedMidway = 0;
      // The timed kills land where the machine's load puts them; the last, at a named step, lands
      // mid-checkout every time: a folder's staging folder written but not renamed, a file's
      // checkout past its removals but before its write.
      for (const ms of [...killDelays(full), 'failpoint' as const]) {
        if (ms === 'failpoint') {
          const point = artifact === 'images' ? 'checkout:before-stage-rename' : 'checkout:after-removals';
          const r = mvgit(repo, ['checkout'], { MVGIT_FAILPOINT: `${point}:kill` });
          expect(r.code).toBe(-1);
          killedMidway++;
        } else {
          const k = await mvgitKilledAfter(repo, ['checkout'], ms);
          if (killedMidwayAt(full, ms, k.killed)) killedMidway++;
        }
        const snap = treeSnapshot(repo);
        // Every file of the artifact that exists is whole; nothing else changed.
        for (const [p, v] of Object.entries(under(snap, artifact))) {
          if (path.basename(p).includes('.mvgit-tmp-')) continue; // a temp file git ignores with the folder
          expect([p, v]).toEqual([p, expected[p]]);
        }
        expect(
          Object.fromEntries(
            Object.entries(snap).filter(
              ([p]) => !(p in expected) && !p.startsWith(`${artifact}/`) && !p.includes('.mvgit-tmp-'),
            ),
          ),
        ).toEqual(others);
        expect(cacheObjects(repo).filter((o) => !o.ok)).toEqual([]);

        const r = mvgit(repo, ['checkout']);
        expect({ ms, code: r.code, stderr: r.stderr }).toEqual({ ms, code: 0, stderr: '' });
        expect(JSON.parse(mvgitOk(repo, ['status', '--json']))[0]).toMatchObject({
          path: artifact,
          status: 'up-to-date',
        });
        expect(treeSnapshot(repo)).toEqual({ ...others, ...expected });
        expectNoStrayFiles(repo, []);
        fs.rmSync(path.join(repo, artifact), { recursive: true });
      }
      expect(killedMidway).toBeGreaterThanOrEqual(1);
    },
    LONG,
  );
});
