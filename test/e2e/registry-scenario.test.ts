/**
 * Issue 10's "Done when", with the built CLI and real git: a model gets v0.1.0..v0.3.0 over
 * three commits, v0.2.0 then v0.3.0 go to prod, prod is rolled back; `mvgit ls`, `mvgit
 * history` and GTO's own `gto show` / `gto history` all say prod is v0.2.0. GTO runs from a
 * venv under ~/.cache/mvgit-test, made with `pip install gto` when missing; where pip cannot,
 * the GTO half says so and is skipped, never silently.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cleanup,
  git,
  makeGitRepo,
  makeMvgitRepo,
  mvgit,
  mvgitOk,
  sha256,
  tempDir,
  testEnv,
  writeFile,
} from '../helpers/repo.js';

const VENV = path.join(os.homedir(), '.cache', 'mvgit-test', 'gto-venv');
const GTO = path.join(VENV, 'bin', 'gto');

/** The gto binary, installing it when missing; or the reason it cannot be had. */
function gtoOrReason(): { gto: string } | { reason: string } {
  if (fs.existsSync(GTO)) return { gto: GTO };
  fs.mkdirSync(path.dirname(VENV), { recursive: true });
  const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  if (venv.status !== 0)
    return { reason: `python3 -m venv failed: ${(venv.stderr || venv.error?.message || '').trim()}` };
  const pip = spawnSync(path.join(VENV, 'bin', 'pip'), ['install', '--quiet', 'gto'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (pip.status !== 0 || !fs.existsSync(GTO))
    return { reason: `pip install gto failed: ${(pip.stderr || pip.error?.message || '').trim().split('\n').pop()}` };
  return { gto: GTO };
}

let parent: string;
let repo: string;
const commits: string[] = [];
/** Each event at its own second (2026-01-01 10:00 + 1 min per step), so GTO sees the same order. */
let minute = 0;
const at = (): NodeJS.ProcessEnv => {
  minute += 1;
  const date = `2026-01-01T10:${String(minute).padStart(2, '0')}:00Z`;
  return { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date };
};

beforeAll(() => {
  parent = tempDir('mvgit-registry-');
  fs.mkdirSync(path.join(parent, 'project'));
  repo = makeMvgitRepo(path.join(parent, 'project'));
  for (let i = 1; i <= 3; i++) {
    writeFile(repo, 'models/churn.pkl', `churn weights v${i}`);
    writeFile(repo, 'metrics.json', JSON.stringify({ auc: 0.9 + i / 100 }));
    mvgitOk(repo, ['add', 'models/churn.pkl', '--kind', 'model', '--metrics', 'metrics.json']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', `train v${i}`], at());
    commits.push(git(repo, ['rev-parse', 'HEAD']).trim());
    const out = mvgitOk(repo, ['version', 'churn', `0.${i}.0`, '-m', `version ${i}`], at());
    expect(out.split('\n')[0]).toBe(
      `Registered churn@v0.${i}.0: models/churn.pkl at ${commits[i - 1].slice(0, 10)} (${out.match(/sha256:[0-9a-f]{12}/)?.[0]})`,
    );
  }
  mvgitOk(repo, ['promote', 'churn', '0.2.0', 'prod'], at());
  mvgitOk(repo, ['promote', 'churn', '0.3.0', 'prod', '-m', 'better auc'], at());
  const rb = mvgitOk(repo, ['rollback', 'churn', 'prod', '-m', 'recall dropped'], at());
  expect(rb).toBe(
    "Rolled back churn#prod: v0.3.0 -> v0.2.0 (tag churn#prod#3)\nTo share it: git push origin 'churn#prod#3' (or pass --push)\n",
  );
}, 60_000);
afterAll(() => cleanup(parent));

test('mvgit ls: latest v0.3.0, prod v0.2.0, the latest key metrics', () => {
  expect(mvgitOk(repo, ['ls']).trimEnd().split('\n')).toEqual([
    'name   kind   path              latest  #prod   metrics',
    'churn  model  models/churn.pkl  v0.3.0  v0.2.0  auc=0.93',
  ]);
  expect(JSON.parse(mvgitOk(repo, ['ls', '--json']))).toEqual({
    artifacts: [
      {
        name: 'churn',
        kind: 'model',
        path: 'models/churn.pkl',
        latest: 'v0.3.0',
        stages: { prod: 'v0.2.0' },
        metrics: { auc: 0.93 },
        deprecated: false,
        versions: 3,
      },
    ],
    warnings: [],
  });
});

test('mvgit history: every event newest first, with who, when and why', () => {
  expect(mvgitOk(repo, ['history', 'churn']).trimEnd().split('\n')).toEqual([
    'time                 artifact  event                   version  stage  author  message',
    '2026-01-01 10:09:00  churn     rollback (from v0.3.0)  v0.2.0   prod   Test    recall dropped',
    '2026-01-01 10:08:00  churn     assignment              v0.3.0   prod   Test    better auc',
    '2026-01-01 10:07:00  churn     assignment              v0.2.0   prod   Test    Assigning stage prod to artifact churn version v0.2.0',
    '2026-01-01 10:06:00  churn     registration            v0.3.0   -      Test    version 3',
    '2026-01-01 10:04:00  churn     registration            v0.2.0   -      Test    version 2',
    '2026-01-01 10:02:00  churn     registration            v0.1.0   -      Test    version 1',
  ]);
});

test('registry references work where a revision does: show, checkout -o, diff, log NAME', () => {
  const show = mvgitOk(repo, ['show', 'churn#prod']);
  expect(show).toContain('version   v0.2.0\nstage     prod\ntag       churn#prod#3\n');
  const out = path.join(parent, 'prod.pkl');
  mvgitOk(repo, ['checkout', 'churn#prod', '-o', out]);
  expect(fs.readFileSync(out, 'utf8')).toBe('churn weights v2');
  expect(mvgitOk(repo, ['diff', 'churn@v0.2.0', 'churn@latest'])).toContain('models/churn.pkl');
  const log = mvgitOk(repo, ['log', 'churn']);
  expect(log.trimEnd().split('\n')).toHaveLength(4);
  const r = mvgit(repo, ['show', 'churn#staging']);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    "error: churn has no version in stage 'staging'\nhint: its stages: prod (v0.2.0); assign one with mvgit promote churn VERSION staging\n",
  );
  const bad = mvgit(repo, ['version', 'churn', '1.0']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toBe(
    "error: '1.0' is not a semantic version\nhint: write MAJOR.MINOR.PATCH, e.g. 1.2.0 or 1.2.0-rc.1, or use --bump major|minor|patch\n",
  );
});

test('gto show and gto history agree with mvgit', () => {
  const found = gtoOrReason();
  if ('reason' in found) {
    console.warn(`skipped the GTO half: ${found.reason}`);
    return;
  }
  const gto = (args: string[]): unknown => {
    const r = spawnSync(found.gto, args, { cwd: repo, env: testEnv(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gto ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  expect(gto(['show', '--json'])).toEqual({
    churn: { version: 'v0.3.0', stage: { prod: 'v0.2.0' }, registered: true, active: true },
  });
  const theirs = (gto(['history', 'churn', '--json']) as Record<string, string>[]).map((e) => [
    e.event,
    e.version,
    e.stage,
    e.ref,
    e.timestamp.replace('+00:00', 'Z'),
  ]);
  const ours = (JSON.parse(mvgitOk(repo, ['history', 'churn', '--json'])).events as Record<string, string>[]).map(
    (e) => [e.event === 'rollback' ? 'assignment' : e.event, e.version, e.stage, e.tag, e.time],
  );
  expect(ours).toEqual(theirs);

  // Unassign empties the stage for GTO too (one unassignment per version it counts as assigned),
  // and a deregistered version is no longer the latest for either tool.
  mvgitOk(repo, ['unassign', 'churn', 'prod'], at());
  mvgitOk(repo, ['deregister', 'churn', '0.3.0'], at());
  const ls = JSON.parse(mvgitOk(repo, ['ls', '--json'])).artifacts[0];
  expect([ls.latest, ls.stages]).toEqual(['v0.2.0', {}]);
  expect(gto(['show', '--json'])).toEqual({
    churn: { version: 'v0.2.0', stage: {}, registered: true, active: true },
  });
}, 360_000);

test('promote --push: the tag reaches the git remote, and the pre-push hook uploads its objects first', () => {
  const base = tempDir('mvgit-registry-push-');
  try {
    const work = path.join(base, 'work');
    const store = path.join(base, 'store');
    fs.mkdirSync(work);
    git(base, ['init', '-q', '--bare', 'origin.git']);
    makeGitRepo(work);
    mvgitOk(work, ['init', '--remote', store]);
    git(work, ['remote', 'add', 'origin', path.join(base, 'origin.git')]);
    writeFile(work, 'models/churn.pkl', 'weights to deploy');
    mvgitOk(work, ['add', 'models/churn.pkl', '--kind', 'model']);
    git(work, ['add', '-A']);
    // The branch goes up without its objects, as from a clone whose hooks were off.
    git(work, ['commit', '-q', '-m', 'train'], { MVGIT_SKIP_PUSH: '1' });
    git(work, ['push', '-q', 'origin', 'main'], { MVGIT_SKIP_PUSH: '1' });
    const hex = sha256('weights to deploy');
    const object = path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
    expect(fs.existsSync(object)).toBe(false);
    mvgitOk(work, ['version', 'churn', '--push']);
    expect(fs.existsSync(object)).toBe(true);
    const out = mvgitOk(work, ['promote', 'churn', '0.1.0', 'prod', '--push']);
    expect(out).toBe('Promoted churn v0.1.0 to prod: tag churn#prod#1\nPushed churn#prod#1 to origin.\n');
    expect(git(path.join(base, 'origin.git'), ['tag', '-l']).split('\n').filter(Boolean).sort()).toEqual([
      'churn#prod#1',
      'churn@v0.1.0',
    ]);
  } finally {
    cleanup(base);
  }
}, 60_000);
