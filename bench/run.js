#!/usr/bin/env node
// mvgit benchmarks: `npm run bench` (all suites) or `node bench/run.js SUITE...` (after a build).
// Each suite is a module in bench/suites/; see bench/README.md. Settings: bench/lib/config.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_DIR, readConfig } from './lib/config.js';
import { SuiteContext } from './lib/context.js';
import { fsType, mkdirSpread, rmrf, rmrfParallel } from './lib/files.js';
import { useGnuTime } from './lib/proc.js';
import { formatSuite, summarize, writeJson } from './lib/report.js';
import { setupDvc, findGnuTime, snapshotMvgit, makeToolEnv, setupGitLfs, versions } from './lib/tools.js';
import { Workloads } from './lib/workloads.js';

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

async function loadSuites() {
  const dir = path.join(BENCH_DIR, 'suites');
  const suites = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((x) => x.endsWith('.js'))
    .sort()) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    const s = mod.default;
    if (!s || typeof s.run !== 'function' || !s.name)
      throw new Error(`bench/suites/${f}: default export must be { name, title, run(ctx) }`);
    suites.push(s);
  }
  return suites.sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.name.localeCompare(b.name));
}

function usage(suites) {
  return [
    'usage: node bench/run.js [SUITE...]      (npm run bench: build, then every suite)',
    `suites: ${suites.map((s) => `${s.name} (${s.title})`).join('; ')}`,
    'env: BENCH_SMALL=1 small workloads; BENCH_REPS=N; BENCH_KEEP=1 keep the scratch dir; BENCH_JSON=PATH; BENCH_DVC=0 no DVC; BENCH_DVC_VENV=DIR',
  ].join('\n');
}

async function main() {
  const all = await loadSuites();
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help') || args.includes('--list')) {
    console.log(usage(all));
    return 0;
  }
  const unknown = args.filter((a) => !all.some((s) => s.name === a));
  if (unknown.length > 0) {
    console.error(`bench: unknown suite ${unknown.join(', ')}\n${usage(all)}`);
    return 2;
  }
  const chosen = args.length > 0 ? all.filter((s) => args.includes(s.name)) : all;

  const cfg = readConfig();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mvgit-bench-'));
  // Normal end: removed in parallel at the end of main(); this one is for an early exit.
  let removed = false;
  const cleanup = () => {
    if (cfg.keep || removed) return;
    try {
      rmrf(scratch);
    } catch {
      /* best effort */
    }
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  const spread = mkdirSpread(scratch);
  log(`scratch dir ${scratch}${cfg.keep ? ' (kept: BENCH_KEEP)' : ''}`);

  const env = makeToolEnv(scratch);
  const gnuTime = findGnuTime(log);
  if (gnuTime) useGnuTime(gnuTime, path.join(scratch, 'rss.txt'));
  const tools = {
    mvgit: snapshotMvgit(scratch),
    lfs: setupGitLfs(env, log),
    dvc: setupDvc(env, log),
    gnuTime,
  };
  const workloads = new Workloads(path.join(scratch, 'workloads'), cfg.sizes, log);

  const started = new Date();
  const loadStart = os.loadavg();
  const results = {};
  const printed = [];
  for (const suite of chosen) {
    const ctx = new SuiteContext({ suite: suite.name, cfg, scratch, env, tools, workloads, log });
    try {
      await suite.run(ctx);
    } catch (err) {
      ctx.note(`suite stopped early: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      log(`${suite.name}: stopped early: ${err instanceof Error ? err.message : err}`);
    }
    results[suite.name] = { title: suite.title, ...ctx.result() };
    printed.push(formatSuite(suite.name, suite.title, results[suite.name]));
  }

  const loadEnd = os.loadavg();
  const summary = summarize(results);
  const repsNote = cfg.repsFixed
    ? `${cfg.reps} timed runs each (BENCH_REPS)`
    : `${cfg.reps} timed runs each, ${cfg.minReps} for steps whose warm-up and first run both took over ${cfg.slowSeconds} s`;
  const header = [
    `mvgit ${tools.mvgit.version} (HEAD ${tools.mvgit.build.head}${tools.mvgit.build.uncommittedFiles ? ` + ${tools.mvgit.build.uncommittedFiles} uncommitted file(s)` : ''}, dist built ${tools.mvgit.build.distBuiltAt}) benchmarks, ${started.toISOString()}${cfg.small ? '  [BENCH_SMALL: reduced workloads]' : ''}`,
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, scratch on ${fsType(scratch)}; node ${process.version}, ${versions(env).git}, ${tools.lfs.version ?? 'no git-lfs'}, ${tools.dvc.version ? `dvc ${tools.dvc.version}` : 'no dvc'}`,
    `load average (1 min) ${loadStart[0].toFixed(2)} at start, ${loadEnd[0].toFixed(2)} at end, on ${os.cpus().length} cpus${Math.max(loadStart[0], loadEnd[0]) > os.cpus().length / 2 ? '  [busy machine: figures are noisier]' : ''}`,
    `method: median of n timed runs after ${cfg.warmup} warm-up run (${repsNote}), the runs of figures compared with each other interleaved; page cache warm, sync before every run; nothing deleted until the end (moved to a trash folder)${spread ? '; scratch dir chattr +T (own ext4 block groups)' : ''}; ${gnuTime ? 'cpu = median user+sys seconds (all threads and child processes), peak RSS = largest %M over the runs, both from GNU time' : 'cpu and peak RSS not measured (no GNU time)'}`,
  ];
  console.log(`\n${header.join('\n')}\n`);
  console.log(printed.join('\n\n'));
  console.log(
    `\n${summary.PASS} PASS, ${summary.MISS} MISS, ${summary.ERROR} ERROR, ${summary.SKIP} SKIP${summary.failedMeasurements ? `; ${summary.failedMeasurements} measurement(s) failed` : ''}`,
  );

  writeJson(cfg.jsonPath, {
    format: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    config: {
      small: cfg.small,
      reps: cfg.reps,
      repsFixed: cfg.repsFixed,
      minReps: cfg.minReps,
      slowSeconds: cfg.slowSeconds,
      warmup: cfg.warmup,
      sizes: cfg.sizes,
    },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      totalMemBytes: os.totalmem(),
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      scratchFs: fsType(scratch),
      loadAvgStart: loadStart,
      loadAvgEnd: loadEnd,
      scratchSpread: spread,
    },
    tools: {
      ...versions(env),
      mvgit: tools.mvgit.version,
      mvgitBuild: tools.mvgit.build,
      gitLfs: tools.lfs.version ?? null,
      gitLfsSkip: tools.lfs.skip ?? null,
      dvc: tools.dvc.version ?? null,
      dvcSkip: tools.dvc.skip ?? null,
      gnuTime: gnuTime ?? null,
    },
    workloads: workloads.describe(),
    suites: results,
    summary,
  });
  log(`results written to ${path.relative(process.cwd(), cfg.jsonPath) || cfg.jsonPath}`);
  if (!cfg.keep) {
    const t0 = Date.now();
    log(`removing ${scratch}...`);
    try {
      await rmrfParallel(scratch);
      removed = true;
    } catch (err) {
      log(`could not remove ${scratch}: ${err instanceof Error ? err.message : err}`);
    }
    log(`removed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    log(`kept ${scratch} (BENCH_KEEP)`);
  }
  return summary.failedMeasurements > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.stack : err}`);
    process.exitCode = 1;
  },
);
