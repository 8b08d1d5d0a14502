// Figures: a warm-up run, then N timed runs, each prepared the same way; the median is the figure.
// Several figures measured together are interleaved (one run of each, round after round), so a
// slow spell of the machine (other jobs, write-back) lands on all of them alike.
import { CommandError, timed } from './proc.js';
import { settle } from './files.js';

export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A figure's `spec`:
 *   id, workload, tool, step     how the row is named (id is unique in the suite, used by checks)
 *   setup(run) -> state          untimed preparation for one run (a fresh repo, a folder moved away...)
 *   run(t, state)                the timed work: every command goes through t(cmd, args, opts);
 *                                a run's time is the sum of its commands' wall times
 *   verify(state)                untimed check that the run did its job (throw if not)
 *   teardown(state)              untimed clean-up
 * Before each run (warm-up included) dirty pages are flushed with sync, so the write-back of
 * the previous run is not charged to this one; the page cache itself stays warm.
 */
function newRecord(spec, cfg) {
  return {
    id: spec.id,
    workload: spec.workload,
    tool: spec.tool,
    step: spec.step,
    warmup: cfg.warmup,
    reps: 0,
    samples: [],
    rssKb: [],
    cpuSeconds: [],
    commands: [],
    median: null,
    error: null,
  };
}

function runOnce(spec, rec, label) {
  const state = spec.setup ? spec.setup(label) : undefined;
  try {
    settle();
    let seconds = 0;
    let rss = null;
    let cpu = null;
    const t = (cmd, args, opts) => {
      const r = timed(cmd, args, opts);
      seconds += r.seconds;
      if (r.rssKb !== null) rss = Math.max(rss ?? 0, r.rssKb);
      if (r.cpuSeconds !== null) cpu = (cpu ?? 0) + r.cpuSeconds;
      if (!rec.commands.includes(r.command)) rec.commands.push(r.command);
      return r;
    };
    spec.run(t, state);
    if (spec.verify) spec.verify(state);
    return { seconds, rss, cpu };
  } finally {
    if (spec.teardown) spec.teardown(state);
  }
}

function fail(rec, err, log) {
  if (err instanceof CommandError) {
    rec.error = {
      message: err.message,
      command: err.command,
      cwd: err.cwd,
      status: err.status,
      signal: err.signal,
      stderr: err.stderr,
      stdout: err.stdout,
    };
  } else {
    rec.error = { message: err instanceof Error ? err.message : String(err) };
  }
  log(`  ${rec.id}: FAILED: ${rec.error.message}`);
}

/** Measures `specs` interleaved; returns one record per spec (with `error` set when it failed). */
export function runMeasurements(specs, cfg, log) {
  const items = specs.map((spec) => ({ spec, rec: newRecord(spec, cfg), want: cfg.reps }));
  for (const it of items) {
    try {
      for (let w = 0; w < cfg.warmup; w++) {
        const r = runOnce(it.spec, it.rec, 'warmup');
        it.warmSeconds = r.seconds;
        log(`  ${it.spec.id}: warm-up ${r.seconds.toFixed(3)} s`);
      }
    } catch (err) {
      fail(it.rec, err, log);
    }
  }
  for (let round = 0; ; round++) {
    const todo = items.filter((it) => !it.rec.error && it.rec.samples.length < it.want);
    if (todo.length === 0) break;
    for (const it of todo) {
      try {
        const r = runOnce(it.spec, it.rec, round);
        it.rec.samples.push(r.seconds);
        // A slow step gets fewer runs, judged on its warm-up and first run both (one slow spell
        // of the machine must not cut a fast step's runs).
        if (round === 0 && !cfg.repsFixed && Math.min(r.seconds, it.warmSeconds ?? Infinity) > cfg.slowSeconds)
          it.want = Math.min(it.want, cfg.minReps);
        if (r.rss !== null) it.rec.rssKb.push(r.rss);
        if (r.cpu !== null) it.rec.cpuSeconds.push(r.cpu);
        log(
          `  ${it.spec.id}: run ${round + 1}/${it.want} ${r.seconds.toFixed(3)} s${r.cpu !== null ? ` (cpu ${r.cpu.toFixed(2)} s)` : ''}${r.rss !== null ? `, ${(r.rss / 1024).toFixed(0)} MiB` : ''}`,
        );
      } catch (err) {
        fail(it.rec, err, log);
      }
    }
  }
  for (const { rec } of items) {
    rec.reps = rec.samples.length;
    if (rec.error || rec.reps === 0) continue;
    rec.median = median(rec.samples);
    rec.min = Math.min(...rec.samples);
    rec.max = Math.max(...rec.samples);
    rec.rssMaxKb = rec.rssKb.length ? Math.max(...rec.rssKb) : null;
    rec.cpuMedian = median(rec.cpuSeconds);
  }
  return items.map((it) => it.rec);
}
