// Settings of one benchmark run, read from the environment.
//
//   BENCH_SMALL=1   small workloads (64 MiB file, 2,000 files) for a quick check
//   BENCH_REPS=N    timed repetitions per figure (default 7; 3 for steps slower than BENCH_SLOW_S)
//   BENCH_SLOW_S=S  a step whose warm-up and first run both take longer than this gets 3 reps (10)
//   BENCH_WARMUP=N  untimed warm-up runs per figure (default 1; 0 for hour-long steps, e.g. the
//                   million-object S3 push, where the first run is warm enough)
//   BENCH_KEEP=1    keep the scratch folder (its path is printed)
//   BENCH_JSON=PATH where to write the results (default bench/results.json)
//   TMPDIR          where the scratch folder is made (os.tmpdir())
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;

function flag(name) {
  const v = process.env[name];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

function positiveInt(name, fallback, least = 1) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < least) throw new Error(`${name} must be an integer >= ${least}, got '${v}'`);
  return n;
}

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.dirname(BENCH_DIR);

export function readConfig() {
  const small = flag('BENCH_SMALL');
  const repsOverride = process.env.BENCH_REPS ? positiveInt('BENCH_REPS', 7) : null;
  return {
    small,
    keep: flag('BENCH_KEEP'),
    /** Timed repetitions per figure when BENCH_REPS is not set. */
    reps: repsOverride ?? 7,
    /** True when BENCH_REPS fixed the count: no adaptive drop for slow steps. */
    repsFixed: repsOverride !== null,
    /** Fewest repetitions a slow step gets. */
    minReps: Math.min(3, repsOverride ?? 3),
    slowSeconds: Number(process.env.BENCH_SLOW_S ?? 10),
    warmup: positiveInt('BENCH_WARMUP', 1, 0),
    jsonPath: process.env.BENCH_JSON ? path.resolve(process.env.BENCH_JSON) : path.join(BENCH_DIR, 'results.json'),
    sizes: {
      bigFileBytes: small ? 64 * MiB : 1024 * MiB,
      folderFiles: small ? 2000 : 20000,
      folderFileBytes: 4096,
    },
  };
}
