// Issue 12, "a million files": push of N files of 1 KiB in up to 1,000 folders (BENCH_SCALE_FILES,
// default 1,000,000; BENCH_SMALL: 2,000) to a folder remote and to S3 (SeaweedFS on loopback),
// then a fetch of them into an empty cache; each beside the plain loop doing the same objects at
// the same concurrency in the same run (bench/lib/s3-raw.js: copyFile for the folder, PutObject /
// GetObject for S3). Targets: >= 80% of the plain loop's objects/s, peak RSS <= 1 GB.
import fs from 'node:fs';
import path from 'node:path';
import { makeRandomFolder } from '../lib/workloads.js';
import { countFiles } from '../lib/files.js';
import { sh } from '../lib/proc.js';
import { RAW_CLIENT, startSeaweed } from '../lib/s3.js';

const DS = 'data/ds';
const CONC = 16;
const FILE_BYTES = 1024;

function scaleFiles(cfg) {
  const v = process.env.BENCH_SCALE_FILES;
  if (v === undefined || v === '') return cfg.small ? 2000 : 1_000_000;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_SCALE_FILES must be a positive integer, got '${v}'`);
  return n;
}

export default {
  name: 'scale-remote',
  order: 90,
  title: 'issue 12: a million small files pushed to and fetched from a folder remote and S3',

  async run(ctx) {
    const srv = await startSeaweed(ctx.freshDir('seaweed'), ctx.env);
    if (srv.skip) ctx.skip('s3', srv.skip);
    try {
      await measureAll(ctx, srv.skip ? null : srv);
    } finally {
      if (!srv.skip) await srv.stop();
    }
  },
};

async function measureAll(ctx, srv) {
  const N = scaleFiles(ctx.cfg);
  const dirs = Math.min(1000, Math.max(1, Math.floor(N / 100)));
  const src = path.join(ctx.freshDir('scale-data'), 'ds');
  const t0 = Date.now();
  makeRandomFolder(src, N, FILE_BYTES, dirs);
  ctx.log(`scale-remote: made ${N} files of 1 KiB in ${dirs} folders in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const W = `${N.toLocaleString('en-US')} x 1 KiB in ${dirs} folders`;
  const env = srv ? srv.env : ctx.env;
  const m = ctx.tools.mvgit;
  const mv = (t, cwd, args) => t(m.cmd, [...m.pre, ...args], { cwd, env });
  const mvSetup = (cwd, args) => sh(m.cmd, [...m.pre, ...args], { cwd, env });
  const raw = (t, args) => t(process.execPath, [RAW_CLIENT, ...args], { env });
  const rawSetup = (args) => sh(process.execPath, [RAW_CLIENT, ...args], { env });
  const cacheObjects = (repo) => path.join(repo, '.git', 'mvgit', 'cache', 'objects');

  // One repo holds the dataset, with two remotes: `folder` and `s3` (fixed places, emptied
  // before each push run, untimed). The last push run's objects stay for the fetch rows: at a
  // million objects a push to S3 takes a quarter of an hour, so none is repeated untimed.
  const repo = ctx.gitRepo('scale-remote');
  const store = path.join(ctx.freshDir('scale-store'), 'store');
  mvSetup(repo, ['init', '--no-hooks']);
  fs.mkdirSync(path.join(repo, 'data'), { recursive: true });
  fs.renameSync(src, path.join(repo, DS));
  mvSetup(repo, ['add', DS, '--kind', 'dataset']);
  ctx.git(repo, ['add', '-A']);
  ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
  const data = path.join(repo, DS);
  mvSetup(repo, ['remote', 'add', 'folder', store]);
  if (srv)
    mvSetup(repo, ['remote', 'add', 's3', `s3://${srv.bucket}/scale`, '--endpoint', srv.endpoint, '--path-style']);
  const rm = (p) => rawSetup(['rm-prefix', p]);

  // ---- push ----------------------------------------------------------------------------------
  ctx.measureAll([
    {
      id: 'scale-push-folder',
      workload: W,
      tool: 'mvgit',
      step: 'push to an empty folder remote',
      setup: () => ctx.discard(store),
      run: (t) => mv(t, repo, ['push', '-r', 'folder']),
      verify: () => {
        if (countFiles(store) < N) throw new Error(`${store}: fewer than ${N} objects`);
      },
    },
    {
      id: 'scale-copy-loop',
      workload: W,
      tool: 'plain loop',
      step: `copyFile of each file, ${CONC} at once`,
      setup: () => ({ out: ctx.freshDir('scale-copy') }),
      run: (t, s) => raw(t, ['copy-tree', data, s.out, String(CONC)]),
      teardown: (s) => ctx.discard(s.out),
    },
    srv && {
      id: 'scale-push-s3',
      workload: W,
      tool: 'mvgit',
      step: 'push to an empty S3 prefix',
      setup: () => rm('scale'),
      run: (t) => mv(t, repo, ['push', '-r', 's3']),
    },
    srv && {
      id: 'scale-put-loop',
      workload: W,
      tool: 'plain loop',
      step: `PutObject of each file, ${CONC} at once`,
      setup: () => rm('scale-raw'),
      run: (t) => raw(t, ['put-tree', data, 'scale-raw', String(CONC)]),
    },
  ]);

  // ---- fetch into an empty cache -------------------------------------------------------------
  // Normally the push rows left every object in place; these only fill what is missing (a
  // BENCH_ONLY run that skipped a push row), and only for the fetch rows that will run: an
  // untimed million-object push to S3 takes a quarter of an hour.
  if (ctx.selected('scale-fetch-folder') || ctx.selected('scale-copy-back')) mvSetup(repo, ['push', '-r', 'folder']);
  if (srv && ctx.selected('scale-fetch-s3')) mvSetup(repo, ['push', '-r', 's3']);
  if (srv && ctx.selected('scale-get-loop') && Number(rawSetup(['count', 'scale-raw']).trim()) < N)
    rawSetup(['put-tree', data, 'scale-raw', String(CONC)]);
  const emptyCache = () => {
    ctx.discard(cacheObjects(repo));
    return {};
  };
  ctx.measureAll([
    {
      id: 'scale-fetch-folder',
      workload: W,
      tool: 'mvgit',
      step: 'fetch from the folder remote into an empty cache',
      setup: emptyCache,
      run: (t) => mv(t, repo, ['fetch', '-r', 'folder']),
    },
    {
      id: 'scale-copy-back',
      workload: W,
      tool: 'plain loop',
      step: `copyFile of each object back, ${CONC} at once`,
      setup: () => ({ out: ctx.freshDir('scale-copy-back') }),
      run: (t, s) => raw(t, ['copy-tree', store, s.out, String(CONC)]),
      teardown: (s) => ctx.discard(s.out),
    },
    srv && {
      id: 'scale-fetch-s3',
      workload: W,
      tool: 'mvgit',
      step: 'fetch from S3 into an empty cache',
      setup: emptyCache,
      run: (t) => mv(t, repo, ['fetch', '-r', 's3']),
    },
    srv && {
      id: 'scale-get-loop',
      workload: W,
      tool: 'plain loop',
      step: `GetObject of each file, ${CONC} at once`,
      setup: () => ({ out: ctx.freshDir('scale-get') }),
      run: (t, s) => raw(t, ['get-tree', data, 'scale-raw', s.out, String(CONC)]),
      teardown: (s) => ctx.discard(s.out),
    },
  ]);
  ctx.discard(repo);

  // ---- targets -------------------------------------------------------------------------------
  const med = (id) => ctx.median(id);
  for (const [on, floor] of [
    ['scale-push-folder', 'scale-copy-loop'],
    ['scale-push-s3', 'scale-put-loop'],
    ['scale-fetch-folder', 'scale-copy-back'],
    ['scale-fetch-s3', 'scale-get-loop'],
  ]) {
    if (!srv && on.endsWith('s3')) continue;
    ctx.check({ on, label: 'objects/s', value: () => (med(on) === null ? null : N / med(on)), unit: '/s' });
    ctx.check({
      on: floor,
      label: 'objects/s',
      value: () => (med(floor) === null ? null : N / med(floor)),
      unit: '/s',
    });
    ctx.check({
      on,
      label: 'MB/s',
      value: () => (med(on) === null ? null : (N * FILE_BYTES) / 1e6 / med(on)),
      unit: 'MB/s',
    });
    ctx.check({
      on,
      label: 'objects/s share of the plain loop',
      value: () => (med(on) === null || med(floor) === null ? null : med(floor) / med(on)),
      op: '>=',
      target: 0.8,
      needs: [floor],
    });
    ctx.check({
      on,
      label: 'peak RSS',
      value: () => (ctx.rssMaxKb(on) === null ? null : ctx.rssMaxKb(on) / 1024),
      op: '<=',
      target: 1024,
      unit: 'MB',
    });
  }
}
