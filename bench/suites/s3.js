// Issue 12: mvgit against S3 (SeaweedFS `weed mini` on loopback, started by the suite), each
// figure beside the raw SDK doing the plain thing in the same run (bench/lib/s3-raw.js: the
// same @aws-sdk/client-s3 and lib-storage, the same client settings, part size and queue):
//   - 1 GiB push (lib-storage Upload) and pull (GetObject to a file);
//   - the many-file folder pushed and fetched, against a PutObject / GetObject loop at 16 at once;
//   - DVC (`dvc push` / `dvc fetch` of the same folder to the same server) when dvc is installed;
//   - 16 clones sharing objects pushing at once to one bucket and to one folder remote, then
//     `mvgit fsck --remote` in every clone: 0 missing or corrupt.
// Every push goes to a fresh prefix; what a run put on the server is deleted after it (untimed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeRandomFolder } from '../lib/workloads.js';
import { warmRead } from '../lib/files.js';
import { sh } from '../lib/proc.js';
import { RAW_CLIENT, startSeaweed } from '../lib/s3.js';

const DS = 'data/ds';
const CONC = 16;
const CLIENTS = 16;

/** DVC from the tools found by run.js, else the bench's own venv. */
function dvcBin(ctx) {
  if (ctx.tools.dvc?.bin) return ctx.tools.dvc.bin;
  const venv = path.join(os.homedir(), '.cache', 'mvgit-bench', 'venv', 'bin', 'dvc');
  return fs.existsSync(venv) ? venv : null;
}

export default {
  name: 's3',
  order: 45,
  title: 'issue 12: S3 (SeaweedFS on loopback) against the raw SDK and DVC; 16 clients at once',

  async run(ctx) {
    const srv = await startSeaweed(ctx.freshDir('seaweed'), ctx.env);
    if (srv.skip) {
      ctx.skip('s3', srv.skip);
      return;
    }
    try {
      await measureAll(ctx, srv);
    } finally {
      await srv.stop();
    }
  },
};

async function measureAll(ctx, srv) {
  const env = srv.env;
  const m = ctx.tools.mvgit;
  const mv = (t, cwd, args) => t(m.cmd, [...m.pre, ...args], { cwd, env });
  const mvSetup = (cwd, args) => sh(m.cmd, [...m.pre, ...args], { cwd, env });
  const raw = (t, args) => t(process.execPath, [RAW_CLIENT, ...args], { env });
  const rawSetup = (args) => sh(process.execPath, [RAW_CLIENT, ...args], { env });
  let n = 0;
  const prefix = (what) => `${what}-${n++}`;
  const lazy = (make) => {
    let v;
    return () => (v ??= make());
  };
  const setRemote = (repo, url, extra = []) => {
    if (/\bstore\b/.test(mvSetup(repo, ['remote', 'list']))) mvSetup(repo, ['remote', 'remove', 'store']);
    mvSetup(repo, ['remote', 'add', 'store', url, ...extra, '--default']);
  };
  const setS3 = (repo, p) => setRemote(repo, `s3://${srv.bucket}/${p}`, ['--endpoint', srv.endpoint, '--path-style']);
  const mvgitRepo = (name, src, rel, kind) => {
    const repo = ctx.gitRepo(name);
    mvSetup(repo, ['init', '--no-hooks']);
    ctx.copyIn(src, path.join(repo, rel));
    mvSetup(repo, ['add', rel, '--kind', kind]);
    ctx.git(repo, ['add', '-A']);
    ctx.git(repo, ['commit', '-q', '-m', rel]);
    return repo;
  };
  const cacheObjects = (repo) => path.join(repo, '.git', 'mvgit', 'cache', 'objects');
  const count = (p) => Number(rawSetup(['count', p]).trim());
  const expectKeys = (p, want) => {
    const got = count(p);
    if (got < want) throw new Error(`s3://${srv.bucket}/${p}: expected at least ${want} objects, found ${got}`);
  };
  const rm = (p) => rawSetup(['rm-prefix', p]);
  const ratio = (a, b) => () =>
    ctx.median(a) === null || ctx.median(b) === null ? null : ctx.median(a) / ctx.median(b);

  // ---- 1 GiB push and pull -------------------------------------------------------------------
  const big = ctx.workloads.bigFile();
  warmRead(big.path);
  const WB = big.label;
  const bigRepo = lazy(() => mvgitRepo('s3-big', big.path, 'models/big.bin', 'model'));
  ctx.measureAll([
    {
      id: 's3-mvgit-push-big',
      workload: WB,
      tool: 'mvgit',
      step: 'push to a fresh S3 prefix',
      setup: () => {
        const p = prefix('big');
        setS3(bigRepo(), p);
        return { p };
      },
      run: (t) => mv(t, bigRepo(), ['push']),
      verify: (s) => expectKeys(s.p, 1),
      teardown: (s) => rm(s.p),
    },
    {
      id: 's3-raw-put-big',
      workload: WB,
      tool: 'raw SDK',
      step: 'lib-storage Upload (same part size and queue)',
      setup: () => ({ p: prefix('raw-big') }),
      run: (t, s) => raw(t, ['put-file', big.path, `${s.p}/big.bin`]),
      verify: (s) => expectKeys(s.p, 1),
      teardown: (s) => rm(s.p),
    },
  ]);
  const bigPulled = lazy(() => {
    setS3(bigRepo(), 'big-src');
    mvSetup(bigRepo(), ['push']);
    rawSetup(['put-file', big.path, 'raw-big-src/big.bin']);
    return bigRepo();
  });
  ctx.measureAll([
    {
      id: 's3-mvgit-pull-big',
      workload: WB,
      tool: 'mvgit',
      step: 'fetch into an empty cache (verified)',
      setup: () => {
        const repo = bigPulled();
        fs.rmSync(cacheObjects(repo), { recursive: true, force: true });
        return { repo };
      },
      run: (t, s) => mv(t, s.repo, ['fetch']),
      verify: (s) => {
        if (!fs.existsSync(cacheObjects(s.repo))) throw new Error('fetch put nothing in the cache');
      },
    },
    {
      id: 's3-raw-get-big',
      workload: WB,
      tool: 'raw SDK',
      step: 'GetObject to a file',
      setup: () => {
        bigPulled();
        const dir = ctx.freshDir('raw-big');
        return { dir, out: path.join(dir, 'big.bin') };
      },
      run: (t, s) => raw(t, ['get-file', 'raw-big-src/big.bin', s.out]),
      verify: (s) => {
        if (fs.statSync(s.out).size !== big.bytes) throw new Error(`${s.out}: short download`);
      },
      teardown: (s) => ctx.remove(s.dir),
    },
  ]);
  if (fs.existsSync(bigRepo())) ctx.remove(bigRepo());
  rm('big-src');
  rm('raw-big-src');
  for (const [on, floor, label] of [
    ['s3-mvgit-push-big', 's3-raw-put-big', 'raw Upload / mvgit push (throughput share)'],
    ['s3-mvgit-pull-big', 's3-raw-get-big', 'raw GetObject / mvgit fetch (throughput share)'],
  ])
    ctx.check({ on, label, value: ratio(floor, on), op: '>=', target: 0.9, needs: [floor] });

  // ---- the many-file folder: push and fetch against a plain loop at 16 at once ----------------
  const ds = ctx.workloads.folder();
  warmRead(ds.path);
  const W = `folder ${ds.label}`;
  const dsRepo = lazy(() => mvgitRepo('s3-ds', ds.path, DS, 'dataset'));
  const dvc = dvcBin(ctx);
  if (!dvc) ctx.skip('dvc', ctx.tools.dvc?.skip ?? 'dvc is not installed');
  const dvcRepo = lazy(() => {
    const repo = ctx.gitRepo('s3-dvc');
    ctx.run(repo, dvc, ['init', '-q']);
    ctx.run(repo, dvc, ['config', 'core.analytics', 'false']);
    ctx.copyIn(ds.path, path.join(repo, DS));
    sh(dvc, ['add', '-q', DS], { cwd: repo, env });
    sh(dvc, ['remote', 'add', '-d', 's3', `s3://${srv.bucket}/dvc-src`], { cwd: repo, env });
    sh(dvc, ['remote', 'modify', 's3', 'endpointurl', srv.endpoint], { cwd: repo, env });
    return repo;
  });
  const dvcUrl = (repo, p) => sh(dvc, ['remote', 'modify', 's3', 'url', `s3://${srv.bucket}/${p}`], { cwd: repo, env });
  ctx.measureAll([
    {
      id: 's3-mvgit-push-many',
      workload: W,
      tool: 'mvgit',
      step: 'push to a fresh S3 prefix',
      setup: () => {
        const p = prefix('ds');
        setS3(dsRepo(), p);
        return { p };
      },
      run: (t) => mv(t, dsRepo(), ['push']),
      verify: (s) => expectKeys(s.p, ds.files + 1),
      teardown: (s) => rm(s.p),
    },
    {
      id: 's3-raw-put-many',
      workload: W,
      tool: 'raw SDK',
      step: `PutObject loop, ${CONC} at once`,
      setup: () => ({ p: prefix('raw-ds') }),
      run: (t, s) => raw(t, ['put-tree', ds.path, s.p, String(CONC)]),
      verify: (s) => expectKeys(s.p, ds.files),
      teardown: (s) => rm(s.p),
    },
    dvc && {
      id: 's3-dvc-push-many',
      workload: W,
      tool: 'dvc',
      step: 'dvc push to a fresh S3 prefix',
      setup: () => {
        const p = prefix('dvc');
        dvcUrl(dvcRepo(), p);
        return { p };
      },
      run: (t) => t(dvc, ['push', '-q'], { cwd: dvcRepo(), env }),
      verify: (s) => expectKeys(s.p, ds.files),
      teardown: (s) => rm(s.p),
    },
  ]);
  const dsPulled = lazy(() => {
    setS3(dsRepo(), 'ds-src');
    mvSetup(dsRepo(), ['push']);
    rawSetup(['put-tree', ds.path, 'raw-ds-src', String(CONC)]);
    if (dvc) {
      dvcUrl(dvcRepo(), 'dvc-src');
      sh(dvc, ['push', '-q'], { cwd: dvcRepo(), env });
    }
    return dsRepo();
  });
  ctx.measureAll([
    {
      id: 's3-mvgit-fetch-many',
      workload: W,
      tool: 'mvgit',
      step: 'fetch into an empty cache (verified)',
      setup: () => {
        const repo = dsPulled();
        ctx.discard(cacheObjects(repo));
        return { repo };
      },
      run: (t, s) => mv(t, s.repo, ['fetch']),
      verify: (s) => {
        const fans = fs.readdirSync(path.join(cacheObjects(s.repo), 'sha256'));
        if (fans.length < Math.min(200, ds.files)) throw new Error(`fetch filled only ${fans.length} fan-out folders`);
      },
    },
    {
      id: 's3-raw-get-many',
      workload: W,
      tool: 'raw SDK',
      step: `GetObject loop, ${CONC} at once`,
      setup: () => {
        dsPulled();
        return { out: ctx.freshDir('raw-ds') };
      },
      run: (t, s) => raw(t, ['get-tree', ds.path, 'raw-ds-src', s.out, String(CONC)]),
      teardown: (s) => ctx.discard(s.out),
    },
    dvc && {
      id: 's3-dvc-fetch-many',
      workload: W,
      tool: 'dvc',
      step: 'dvc fetch into an empty cache',
      setup: () => {
        dsPulled();
        ctx.discard(path.join(dvcRepo(), '.dvc', 'cache'));
        return {};
      },
      run: (t) => t(dvc, ['fetch', '-q'], { cwd: dvcRepo(), env }),
    },
  ]);
  for (const [on, floor, dv] of [
    ['s3-mvgit-push-many', 's3-raw-put-many', 's3-dvc-push-many'],
    ['s3-mvgit-fetch-many', 's3-raw-get-many', 's3-dvc-fetch-many'],
  ]) {
    ctx.check({
      on,
      label: 'plain loop / mvgit (objects/s share)',
      value: ratio(floor, on),
      op: '>=',
      target: 0.8,
      needs: [floor],
    });
    if (dvc) ctx.check({ on, label: 'dvc / mvgit', value: ratio(dv, on), op: '>=', target: 2, needs: [dv] });
  }

  await manyClients(ctx, { srv, mvSetup, lazy, rm });
}

/**
 * 16 clones, each with a dataset of its own files plus files all share, push at once to one
 * S3 prefix and to one folder remote; every clone's `mvgit fsck --remote` then finds 0 missing
 * or corrupt objects.
 */
async function manyClients(ctx, { srv, mvSetup, lazy, rm }) {
  const per = ctx.cfg.small ? 200 : 2000;
  const shared = path.join(ctx.freshDir('clients-shared'), 'shared');
  makeRandomFolder(shared, per / 2, 4096, 0);
  const W = `${CLIENTS} clones x ${per} files of 4 KiB (half shared)`;
  const store = path.join(ctx.freshDir('clients-store'), 'store');
  // Each clone gets both remotes once: a run empties them afterwards (untimed) instead.
  const clients = lazy(() =>
    Array.from({ length: CLIENTS }, (_, i) => {
      const repo = ctx.gitRepo(`client-${i}`);
      mvSetup(repo, ['init', '--no-hooks']);
      ctx.copyIn(shared, path.join(repo, DS));
      makeRandomFolder(path.join(repo, DS, 'own'), per / 2, 4096, 0);
      mvSetup(repo, ['add', DS, '--kind', 'dataset']);
      ctx.git(repo, ['add', '-A']);
      ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
      mvSetup(repo, ['remote', 'add', 's3', `s3://${srv.bucket}/clients`, '--endpoint', srv.endpoint, '--path-style']);
      mvSetup(repo, ['remote', 'add', 'folder', store]);
      return repo;
    }),
  );
  const m = ctx.tools.mvgit;
  const pushAll = (t, remote) => {
    const cmd = [m.cmd, ...m.pre, 'push', '-r', remote].map((a) => `'${a}'`).join(' ');
    const script = `pids=(); for d in "$@"; do (cd "$d" && exec ${cmd} >/dev/null) & pids+=($!); done; rc=0; for p in "\${pids[@]}"; do wait "$p" || rc=1; done; exit $rc`;
    return t('bash', ['-c', script, 'push-all', ...clients()], { env: srv.env });
  };
  const fsckAll = (remote) => {
    let bad = 0;
    for (const repo of clients()) {
      const out = sh(m.cmd, [...m.pre, 'fsck', '--remote', '-r', remote, '--json'], {
        cwd: repo,
        env: srv.env,
        allowFail: true,
      });
      const r = out ? JSON.parse(out) : null;
      if (!r) bad++;
      else bad += r.missing.length + r.corrupt.length + r.unchecked.length;
    }
    if (bad > 0)
      throw new Error(`mvgit fsck --remote found ${bad} lost or corrupt object(s) after the concurrent pushes`);
  };
  ctx.measure({
    id: 's3-clients-s3',
    workload: W,
    tool: 'mvgit',
    step: `${CLIENTS} pushes at once to one S3 prefix, then fsck --remote in each: 0 lost`,
    setup: () => clients(),
    run: (t) => pushAll(t, 's3'),
    verify: () => fsckAll('s3'),
    teardown: () => rm('clients'),
  });
  ctx.measure({
    id: 's3-clients-folder',
    workload: W,
    tool: 'mvgit',
    step: `${CLIENTS} pushes at once to one folder remote, then fsck --remote in each: 0 lost`,
    setup: () => clients(),
    run: (t) => pushAll(t, 'folder'),
    verify: () => fsckAll('folder'),
    teardown: () => ctx.discard(store),
  });
  for (const repo of clients()) ctx.discard(repo);
  ctx.discard(path.dirname(shared));
}
