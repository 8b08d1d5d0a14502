// Issue 3 ("Reading history"): `mvgit log` of a model with 500 versions in a history of 2,000
// commits (one rename of the pointer halfway), against what a user would do with git alone:
// `git log --follow -- POINTER`, then `git show SHA:POINTER` for each version.
// Part of `npm run bench`; also runs alone: `node bench/suites/log.js` (after a build).
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMITS = 2000;
const VERSIONS = 500;
const ARTIFACT = 'models/m.pkl';
const POINTER = `${ARTIFACT}.mvgit.yaml`;

/** The git-only way to see every version: one log, then one `git show` per version (a shell loop). */
const BASELINE = `git log --follow --format=%H --name-only -- ${POINTER} | awk NF | paste - - | while read sha file; do git show "$sha:$file"; done`;

function pointerText(name, v) {
  const oid = crypto.createHash('sha256').update(`model v${v}`).digest('hex');
  const params = Array.from({ length: 6 }, (_, i) => `    p${i}: ${i * 10}\n`).join('');
  return `mvgit: 1\nkind: model\npath: ${name}\noid: sha256:${oid}\nsize: ${50_000_000 + v * 1000}\nmeta:\n  framework: sklearn\n  params:\n${params}  metrics:\n    accuracy: ${(0.5 + v / 2000).toFixed(4)}\n    loss: ${(1 / (v + 1)).toFixed(4)}\n`;
}

/**
 * Writes the history with one `git fast-import` (2,000 commits in about a second): a first
 * commit with 100 source files and the pointer, then code edits with a model version every
 * `commits / versions` commits, and at the middle a rename of models/model.pkl to models/m.pkl.
 * Returns the number of commits that changed the pointer (the versions both tools must list).
 */
export function buildHistoryRepo(dir, { commits = COMMITS, versions = VERSIONS, env = process.env } = {}) {
  if (!fs.existsSync(path.join(dir, '.git'))) execFileSync('git', ['init', '-q', dir], { env });
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const every = Math.max(1, Math.floor(commits / versions));
  const renameAt = Math.floor(commits / 2) + 1; // a commit that is not a training commit
  const chunks = [];
  let v = 0;
  let changes = 0;
  let name = 'model.pkl';
  for (let i = 0; i < commits; i++) {
    const when = 1_700_000_000 + i * 600;
    const ops = [];
    let msg;
    if (i === 0) {
      ops.push(`M 100644 inline models/.gitignore\n${data('/model.pkl\n/m.pkl\n')}`);
      for (let f = 0; f < 100; f++) ops.push(`M 100644 inline src/mod_${f}.py\n${data(`# module ${f}\n`)}`);
      ops.push(`M 100644 inline models/${name}.mvgit.yaml\n${data(pointerText(name, v++))}`);
      msg = 'initial commit';
      changes++;
    } else if (i === renameAt) {
      ops.push(`D models/${name}.mvgit.yaml\n`);
      name = 'm.pkl';
      ops.push(`M 100644 inline models/${name}.mvgit.yaml\n${data(pointerText(name, v - 1))}`);
      msg = 'rename the model to m.pkl';
      changes++;
    } else if (i % every === 0 && changes < versions) {
      ops.push(`M 100644 inline models/${name}.mvgit.yaml\n${data(pointerText(name, v++))}`);
      msg = `train model v${v}`;
      changes++;
    } else {
      ops.push(`M 100644 inline src/mod_${i % 100}.py\n${data(`# module ${i % 100}, edit ${i}\n`)}`);
      msg = `edit src/mod_${i % 100}.py`;
    }
    const who = `Dev ${i % 3} <dev${i % 3}@example.com> ${when} +0000`;
    chunks.push(`commit refs/heads/main\nauthor ${who}\ncommitter ${who}\n${data(msg)}${ops.join('')}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: chunks.join(''), maxBuffer: 1 << 28 });
  execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: dir, env });
  execFileSync('git', ['reset', '-q', '--hard'], { cwd: dir, env });
  return changes;
}

/** Both tools must list every version: the figures compare equal work. */
function expectVersions(what, n, want) {
  if (n !== want) throw new Error(`${what} listed ${n} versions, expected ${want}`);
}
const countShown = (stdout) => (stdout.match(/^mvgit: 1$/gm) ?? []).length;

export default {
  name: 'log',
  order: 30,
  title: `issue 3: mvgit log of an artifact with ${VERSIONS} versions in ${COMMITS} commits`,

  async run(ctx) {
    const repo = ctx.gitRepo('history');
    const versions = buildHistoryRepo(repo, { env: ctx.env });
    const W = `${versions} versions / ${COMMITS} commits`;
    ctx.measure({
      id: 'git-log-show',
      workload: W,
      tool: 'git',
      step: 'log --follow + git show per version',
      setup: () => ({}),
      run: (t, s) => {
        s.out = t('bash', ['-c', BASELINE], { cwd: repo, env: ctx.env }).stdout;
      },
      verify: (s) => expectVersions('git log --follow + git show', countShown(s.out), versions),
    });
    ctx.measure({
      id: 'mvgit-log',
      workload: W,
      tool: 'mvgit',
      step: `log ${ARTIFACT} --json`,
      setup: () => ({}),
      run: (t, s) => {
        s.out = ctx.mvgit(t, repo, ['log', ARTIFACT, '--json']).stdout;
      },
      verify: (s) => expectVersions('mvgit log', JSON.parse(s.out).length, versions),
    });
    ctx.check({
      on: 'mvgit-log',
      label: 'wall time',
      value: () => (ctx.median('mvgit-log') === null ? null : ctx.median('mvgit-log') * 1000),
      op: '<',
      target: 2000,
      unit: 'ms',
    });
    ctx.check({
      on: 'mvgit-log',
      label: 'mvgit log / (git log + git show)',
      op: '<=',
      target: 1,
      needs: ['git-log-show'],
      value: () =>
        ctx.median('mvgit-log') === null || ctx.median('git-log-show') === null
          ? null
          : ctx.median('mvgit-log') / ctx.median('git-log-show'),
    });
  },
};

// ---- standalone: node bench/suites/log.js ------------------------------------------------
function timeIt(cmd, args, cwd, env, reps) {
  const once = () => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    return { s: Number(process.hrtime.bigint() - t0) / 1e9, out: r.stdout };
  };
  const first = once(); // warm-up
  const samples = Array.from({ length: reps }, () => once().s).sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], out: first.out };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mvgit-bench-log-'));
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };
  try {
    const built = Date.now();
    const versions = buildHistoryRepo(dir, { env });
    process.stderr.write(
      `built ${COMMITS} commits, ${versions} versions in ${((Date.now() - built) / 1000).toFixed(1)} s (${dir})\n`,
    );
    const reps = Number(process.env.BENCH_REPS ?? 5);
    const git = timeIt('bash', ['-c', BASELINE], dir, env, reps);
    expectVersions('git log --follow + git show', countShown(git.out), versions);
    const mv = timeIt(
      process.execPath,
      [path.join(root, 'bin', 'mvgit.js'), 'log', ARTIFACT, '--json'],
      dir,
      env,
      reps,
    );
    expectVersions('mvgit log', JSON.parse(mv.out).length, versions);
    console.log(`git log --follow + ${versions} x git show: ${git.median.toFixed(3)} s`);
    console.log(
      `mvgit log ${ARTIFACT} --json:        ${mv.median.toFixed(3)} s  (target < 2 s: ${mv.median < 2 ? 'PASS' : 'MISS'})`,
    );
    console.log(
      `mvgit / git: ${(mv.median / git.median).toFixed(2)}x  (target <= 1: ${mv.median <= git.median ? 'PASS' : 'MISS'}); git is ${(git.median / mv.median).toFixed(1)}x slower`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
