// Issue 12 ("Scale: one million files"), the local part: a dataset of BENCH_SCALE_FILES files
// (default 1,000,000; 2,000 with BENCH_SMALL) of BENCH_SCALE_FILE_BYTES (1 KiB) in files/1000
// folders, tracked by a rule. Every step is held to the floor measured in the same run: a bare
// walk (readdir + lstat of every file) in Node, beside `find -printf` for reference. No status
// that looks at every file can beat the walk; going below it needs a file-system monitor
// (docs/design/fsmonitor.md). Peak RSS of every mvgit step is held to 1 GB.
// DVC (add, status, push to a folder) runs at 100,000 files or fewer, when a `dvc` binary is
// on PATH or in ~/.cache/mvgit-bench/venv/bin. Pushes to S3 are bench/suites/scale-remote.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sh, which } from '../lib/proc.js';
import { changeFolderFiles, folderFileName, makeRandomFolder } from '../lib/workloads.js';

const DS = 'data/ds';
const BARE_WALK = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'lib', 'bare-walk.js');
const DVC_MAX_FILES = 100_000;
const RSS_LIMIT_MB = 1000;

function positiveInt(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
}

/** The scale workload's size: from the environment, tiny under BENCH_SMALL. */
export function scaleSize(small) {
  const files = positiveInt('BENCH_SCALE_FILES', small ? 2000 : 1_000_000);
  return {
    files,
    fileBytes: positiveInt('BENCH_SCALE_FILE_BYTES', 1024),
    dirs: Math.max(1, Math.round(files / 1000)),
  };
}

/** `dvc` on PATH, or in the bench's own virtualenv (set up outside this suite). */
function findDvcBin() {
  const venv = path.join(os.homedir(), '.cache', 'mvgit-bench', 'venv', 'bin', 'dvc');
  return which('dvc') ?? (fs.existsSync(venv) ? venv : null);
}

export default {
  name: 'scale',
  order: 60,
  title: 'issue 12: one million files (walk floor, add, status, pre-commit, checkout; DVC at <= 100k)',

  async run(ctx) {
    const { files, fileBytes, dirs } = scaleSize(ctx.cfg.small);
    const bytes = files * fileBytes;
    const W = `${files.toLocaleString('en-US')} x ${fileBytes} B in ${dirs} folders`;
    const mvgitIds = [];
    // A step that can only run once per state (the first add) gets one timed run, no warm-up.
    const once = (spec) => {
      const saved = ctx.cfg;
      ctx.cfg = { ...saved, warmup: 0, reps: 1, repsFixed: true };
      try {
        return ctx.measure(spec);
      } finally {
        ctx.cfg = saved;
      }
    };
    // A million-file step takes seconds: 5 runs are enough for a median.
    if (!ctx.cfg.repsFixed) ctx.cfg = { ...ctx.cfg, reps: Math.min(ctx.cfg.reps, 5) };

    // ---- setup: a repo with a rule tracking the dataset, the files made in place -------------
    const repo = ctx.gitRepo('scale');
    ctx.mvgitSetup(repo, ['init']);
    ctx.mvgitSetup(repo, ['track', DS, '--kind', 'dataset']);
    const ds = path.join(repo, DS);
    const t0 = Date.now();
    makeRandomFolder(ds, files, fileBytes, dirs);
    ctx.log(`scale: made ${W} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    ctx.note(`workload made in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const changeOne = () => changeFolderFiles(ds, 1, fileBytes, dirs);

    // ---- the floor, and the first add -------------------------------------------------------
    const walkSpecs = (suffix) => [
      {
        id: `floor-walk${suffix}`,
        workload: W,
        tool: 'floor',
        step: 'node readdir + lstat',
        run: (t) => t(process.execPath, [BARE_WALK, ds], { env: ctx.env }),
        verify: () => {},
      },
      {
        id: `floor-find${suffix}`,
        workload: W,
        tool: 'floor',
        step: 'find -printf %s',
        run: (t) => t('find', [ds, '-type', 'f', '-printf', '%s\n'], { env: ctx.env }),
      },
    ];
    ctx.measureAll(walkSpecs(''));
    once({
      id: 'mvgit-add',
      workload: W,
      tool: 'mvgit',
      step: 'mvgit add (whole folder, first time)',
      run: (t) => ctx.mvgit(t, repo, ['add', DS]),
    });
    mvgitIds.push('mvgit-add');
    ctx.git(repo, ['add', '-A']);
    ctx.git(repo, ['commit', '-q', '-m', 'dataset']);

    // ---- nothing changed: status and the pre-commit hook, beside the floor --------------------
    const clean = () => {
      const out = ctx.git(repo, ['status', '--porcelain']);
      if (out.trim() !== '') throw new Error(`work tree not clean:\n${out}`);
    };
    ctx.measureAll([
      ...walkSpecs('-2'),
      {
        id: 'mvgit-status',
        workload: W,
        tool: 'mvgit',
        step: 'mvgit status, nothing changed',
        run: (t) => ctx.mvgit(t, repo, ['status']),
      },
      {
        id: 'mvgit-pre-commit',
        workload: W,
        tool: 'mvgit',
        step: 'git hook run pre-commit, nothing to do',
        run: (t) => t('git', ['hook', 'run', 'pre-commit'], { cwd: repo, env: ctx.env }),
        verify: clean,
      },
    ]);
    mvgitIds.push('mvgit-status', 'mvgit-pre-commit');

    // ---- one file changed: status, then add --------------------------------------------------
    ctx.measure({
      id: 'mvgit-status-one',
      workload: `${W}, 1 changed`,
      tool: 'mvgit',
      step: 'mvgit status, 1 file changed',
      setup: changeOne,
      run: (t) => ctx.mvgit(t, repo, ['status']),
      verify: () => {
        const out = ctx.mvgitSetup(repo, ['status', '--json']);
        if (!out.includes('"modified"')) throw new Error(`status did not see the change:\n${out.slice(0, 500)}`);
      },
    });
    ctx.measure({
      id: 'mvgit-add-one',
      workload: `${W}, 1 changed`,
      tool: 'mvgit',
      step: 'mvgit add, 1 file changed',
      setup: changeOne,
      run: (t) => ctx.mvgit(t, repo, ['add', DS]),
    });
    mvgitIds.push('mvgit-status-one', 'mvgit-add-one');
    ctx.git(repo, ['add', '-A']);
    ctx.git(repo, ['commit', '-q', '-m', 'one file changed']);
    clean();

    // ---- git checkout to a commit where 1% of the files differ ---------------------------------
    const changed = Math.max(1, Math.round(files / 100));
    ctx.git(repo, ['branch', 'A']);
    const probe = path.join(ds, folderFileName(0, dirs));
    const sha = (p) => sh('sha256sum', [p]).split(' ')[0];
    const shaOf = { A: sha(probe) };
    ctx.git(repo, ['checkout', '-q', '-b', 'B']);
    // A stride coprime with the folder count spreads the changes over every folder.
    changeFolderFiles(ds, changed, fileBytes, dirs, files >= changed * 99 ? 99 : 1);
    ctx.mvgitSetup(repo, ['commit', '-q', '-m', `${changed} files changed`]);
    clean();
    shaOf.B = sha(probe);
    let at = 'B';
    ctx.measure({
      id: 'mvgit-switch',
      workload: `${W}, ${changed.toLocaleString('en-US')} differ`,
      tool: 'mvgit',
      step: 'git checkout A / B (post-checkout hook)',
      setup: () => (at === 'A' ? 'B' : 'A'),
      run: (t, to) => t('git', ['checkout', '-q', to], { cwd: repo, env: ctx.env }),
      verify: (to) => {
        at = to;
        if (sha(probe) !== shaOf[to]) throw new Error(`after git checkout ${to}, ${probe} does not hold its bytes`);
      },
    });
    mvgitIds.push('mvgit-switch');

    // ---- DVC, at 100,000 files or fewer ---------------------------------------------------------
    const dvc = findDvcBin();
    if (files > DVC_MAX_FILES) ctx.skip('dvc', `not run above ${DVC_MAX_FILES.toLocaleString('en-US')} files (hours)`);
    else if (!dvc) ctx.skip('dvc', 'no dvc on PATH nor in ~/.cache/mvgit-bench/venv/bin');
    else runDvc(ctx, { dvc, repo, ds, W, once });

    // ---- targets ---------------------------------------------------------------------------------
    const floor = () => {
      const a = ctx.median('floor-walk');
      const b = ctx.median('floor-walk-2');
      return a === null ? b : b === null ? a : Math.min(a, b);
    };
    const vsWalk = (id, target) =>
      ctx.check({
        on: id,
        label: `${id.replace(/^mvgit-/, '')} / bare walk`,
        value: () => (ctx.median(id) === null || floor() === null ? null : ctx.median(id) / floor()),
        ...(target ? { op: '<=', target } : {}),
        needs: ['floor-walk'],
      });
    vsWalk('mvgit-add');
    vsWalk('mvgit-status', 1.3);
    vsWalk('mvgit-pre-commit', 1.3);
    vsWalk('mvgit-status-one', 1.5);
    vsWalk('mvgit-add-one', 1.5);
    vsWalk('mvgit-switch');
    for (const id of ['floor-walk', 'mvgit-add']) {
      ctx.check({ on: id, label: 'files/s', value: () => files / ctx.median(id), unit: 'files/s' });
      ctx.check({ on: id, label: 'MB/s', value: () => bytes / 1e6 / ctx.median(id), unit: 'MB/s' });
    }
    for (const id of mvgitIds)
      ctx.check({
        on: id,
        label: 'peak RSS',
        value: () => ((ctx.rssMaxKb(id) ?? Number.NaN) * 1024) / 1e6,
        op: '<=',
        target: RSS_LIMIT_MB,
        unit: 'MB',
      });
    ctx.discard(repo);
  },
};

/** DVC beside mvgit on the same files: add, status with nothing changed, push to a folder. */
function runDvc(ctx, { dvc, repo, ds, W, once }) {
  const dvcRepo = ctx.gitRepo('scale-dvc');
  ctx.run(dvcRepo, dvc, ['init', '-q']);
  const remote = ctx.freshDir('scale-dvc-remote');
  ctx.run(dvcRepo, dvc, ['remote', 'add', '-d', 'folder', remote]);
  ctx.copyIn(ds, path.join(dvcRepo, DS));
  const t = (cmd, args) => (tt) => tt(cmd, args, { cwd: dvcRepo, env: ctx.env });
  once({
    id: 'dvc-add',
    workload: W,
    tool: 'dvc',
    step: 'dvc add (whole folder)',
    run: (tt) => t(dvc, ['add', '-q', DS])(tt),
  });
  ctx.measure({
    id: 'dvc-status',
    workload: W,
    tool: 'dvc',
    step: 'dvc status, nothing changed',
    run: (tt) => t(dvc, ['status', '-q'])(tt),
  });
  once({
    id: 'dvc-push',
    workload: W,
    tool: 'dvc',
    step: 'dvc push to a folder remote',
    run: (tt) => t(dvc, ['push', '-q'])(tt),
  });
  const mvRemote = ctx.freshDir('scale-mvgit-remote');
  ctx.mvgitSetup(repo, ['remote', 'add', 'folder', mvRemote, '--default']);
  once({
    id: 'mvgit-push',
    workload: W,
    tool: 'mvgit',
    step: 'mvgit push to a folder remote',
    run: (tt) => ctx.mvgit(tt, repo, ['push']),
  });
  for (const [mv, d] of [
    ['mvgit-add', 'dvc-add'],
    ['mvgit-status', 'dvc-status'],
    ['mvgit-push', 'dvc-push'],
  ])
    ctx.check({
      on: d,
      label: `${d} / ${mv}`,
      value: () => (ctx.median(mv) && ctx.median(d) ? ctx.median(d) / ctx.median(mv) : null),
      op: '>=',
      target: 3,
      needs: [mv],
    });
  ctx.discard(dvcRepo);
}
