/**
 * Hooks killed mid-run (SIGKILL, at several points of their work) must never leave the index or
 * the work tree half-updated in a way the next step gets wrong: the next `mvgit checkout` or
 * `git commit` finishes the job, and what is committed matches what is in the work tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanup,
  git,
  gitResult,
  makeHookedRepo,
  mvgit,
  mvgitKilledAfter,
  mvgitOk,
  treeSnapshot,
  writeFile,
} from '../helpers/repo.js';

let repo: string;
afterEach(() => cleanup(repo));

const FILES = 2000;
const journal = (): string => path.join(repo, '.git', 'mvgit', 'restore-pending.json');

function writeDataset(version: number, changed: number): void {
  for (let i = 0; i < FILES; i++)
    writeFile(
      repo,
      `data/train/${String(i % 40).padStart(2, '0')}/f${i}.bin`,
      `${i < changed ? `v${version}` : 'v1'}-${i}-`.repeat(40),
    );
}

function datasetSnapshot(): Record<string, string> {
  return Object.fromEntries(Object.entries(treeSnapshot(repo)).filter(([p]) => p.startsWith('data/train/')));
}

function statusOf(artifact: string): string {
  const r = mvgit(repo, ['status', '--json']);
  return (
    (JSON.parse(r.stdout) as { path: string; status: string }[]).find((a) => a.path === artifact)?.status ?? 'absent'
  );
}

/** How long an unhindered run of `args` takes here, to aim the kills inside it. */
async function timeRun(args: string[]): Promise<number> {
  const t = Date.now();
  const r = await mvgitKilledAfter(repo, args, 600_000);
  expect(r.killed).toBe(false);
  return Date.now() - t;
}

test('post-checkout killed while restoring a large folder: mvgit checkout or the next commit finishes it', async () => {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'data/train', '--kind', 'dataset']);
  writeDataset(1, 0);
  writeFile(repo, 'train.py', 'v1\n');
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'v1']).code).toBe(0);
  const v1 = git(repo, ['rev-parse', 'HEAD']).trim();
  const v1Data = datasetSnapshot();
  writeDataset(2, FILES / 2);
  writeFile(repo, 'train.py', 'v2\n');
  expect(gitResult(repo, ['commit', '-q', '-am', 'v2']).code).toBe(0);
  const v2 = git(repo, ['rev-parse', 'HEAD']).trim();
  const v2Data = datasetSnapshot();

  // Move HEAD to v1 without hooks, then run the hook ourselves: once whole, to time it.
  const noHooks = ['-c', 'core.hooksPath=/dev/null'];
  git(repo, [...noHooks, 'checkout', '-q', v1]);
  const full = await timeRun(['hook', 'post-checkout', v2, v1, '1']);
  expect(datasetSnapshot()).toEqual(v1Data);
  git(repo, [...noHooks, 'checkout', '-q', 'main']);
  await timeRun(['hook', 'post-checkout', v1, v2, '1']);

  let interrupted = 0;
  for (const [i, fraction] of [0.35, 0.5, 0.65, 0.8, 0.95].entries()) {
    git(repo, [...noHooks, 'checkout', '-q', v1]);
    const r = await mvgitKilledAfter(repo, ['hook', 'post-checkout', v2, v1, '1'], Math.round(full * fraction));
    if (r.killed && fs.existsSync(journal())) interrupted++;
    if (i % 2 === 0) {
      mvgitOk(repo, ['checkout']);
    } else {
      // The next commit finishes the restore first, and records nothing stale.
      writeFile(repo, 'train.py', `fix ${i}\n`);
      const c = gitResult(repo, ['commit', '-q', '-am', `fix ${i}`]);
      expect(c.code).toBe(0);
      expect(c.stderr).not.toContain('recorded data/train');
      expect(git(repo, ['show', 'HEAD:data/train.mvgit.yaml'])).toBe(
        git(repo, ['show', `${v1}:data/train.mvgit.yaml`]),
      );
      expect(git(repo, ['status', '--porcelain'])).toBe('');
    }
    expect(fs.existsSync(journal())).toBe(false);
    expect(datasetSnapshot()).toEqual(v1Data);
    expect(statusOf('data/train')).toBe('up-to-date');
    // Back to v2 with the hook, for the next round.
    git(repo, ['checkout', '-q', '-f', 'main']);
    git(repo, ['reset', '-q', '--hard', v2]);
    mvgitOk(repo, ['checkout']);
    expect(datasetSnapshot()).toEqual(v2Data);
  }
  expect(interrupted).toBeGreaterThan(0);
}, 600_000);

test('pre-commit killed while recording a large folder: the next commit records it whole', async () => {
  repo = makeHookedRepo();
  mvgitOk(repo, ['track', 'data/train', '--kind', 'dataset']);
  writeDataset(1, 0);
  writeFile(repo, 'train.py', 'v1\n');
  git(repo, ['add', '-A']);
  expect(gitResult(repo, ['commit', '-q', '-m', 'v1']).code).toBe(0);

  for (const [i, delay] of [300, 700, 1200, 2000].entries()) {
    writeDataset(10 + i, FILES);
    writeFile(repo, 'train.py', `v${i}\n`);
    git(repo, ['add', 'train.py']);
    await mvgitKilledAfter(repo, ['hook', 'pre-commit'], delay);
    const c = gitResult(repo, ['commit', '-q', '-m', `round ${i}`]);
    expect(c.code).toBe(0);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
    expect(git(repo, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual([
      'data/train.mvgit.yaml',
      'train.py',
    ]);
    expect(statusOf('data/train')).toBe('up-to-date');
  }
}, 600_000);
