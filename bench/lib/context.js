// What a suite gets: the run's settings, tools, workloads, and the means to record figures and
// targets. A suite is a module in bench/suites/ whose default export is
//   { name, title, async run(ctx) }
// and which calls ctx.measure(...) for each figure and ctx.check(...) for each target.
import fs from 'node:fs';
import path from 'node:path';
import { runMeasurements } from './measure.js';
import { mkdirSpread, rmrf, settle } from './files.js';
import { sh } from './proc.js';

export class SuiteContext {
  constructor({ suite, cfg, scratch, env, tools, workloads, log }) {
    this.suite = suite;
    this.cfg = cfg;
    this.scratch = scratch;
    this.env = env;
    this.tools = tools;
    this.workloads = workloads;
    this.log = log;
    this.measurements = [];
    this.checks = [];
    this.skipped = [];
    this.notes = [];
    this.dirCounter = 0;
  }

  /**
   * Whether the figure `id` will be measured: BENCH_ONLY=REGEX measures only the figures whose
   * id matches (a quicker loop on a few rows). Suites ask it to skip untimed set-up that only
   * unselected figures need.
   */
  selected(id) {
    const only = process.env.BENCH_ONLY;
    return !only || new RegExp(only).test(id);
  }

  /** Records one figure (see measure.js for `spec`). Returns its record. */
  measure(spec) {
    return this.measureAll([spec])[0];
  }

  /**
   * Records several figures, their runs interleaved (one of each, round after round): use it
   * for a tool and the floor it is compared with. Falsy entries are ignored (optional tools).
   */
  measureAll(specs) {
    const list = specs.filter((s) => s && this.selected(s.id));
    if (list.length === 0) return [];
    for (const spec of list) {
      if (this.measurements.some((m) => m.id === spec.id) || list.filter((s) => s.id === spec.id).length > 1)
        throw new Error(`duplicate measurement id ${spec.id}`);
    }
    this.log(
      `${this.suite}: ${list.map((s) => `${s.tool} ${s.step}`).join(' | ')} [${[...new Set(list.map((s) => s.workload))].join(', ')}]`,
    );
    const recs = runMeasurements(list, this.cfg, this.log);
    this.measurements.push(...recs);
    return recs;
  }

  /** The median seconds of a measurement, or null when it failed or was skipped. */
  median(id) {
    const m = this.measurements.find((x) => x.id === id);
    return m && !m.error ? m.median : null;
  }

  /** Largest peak RSS (KiB) over a measurement's timed runs, or null. */
  rssMaxKb(id) {
    const m = this.measurements.find((x) => x.id === id);
    return m && !m.error ? m.rssMaxKb : null;
  }

  /**
   * A target, printed beside the measurement `on`:
   *   label   what the ratio is ("add / cp -r")
   *   value   () => number | null (null: an input failed or was skipped)
   *   op      '<=' | '<' | '>=' | '>' ; omit with target for an informational ratio
   *   target  the bound
   *   unit    'x' (ratio, default) or a unit such as 'MB'
   *   needs   measurement ids the value depends on (to tell SKIP from ERROR)
   */
  check({ on, label, value, op = null, target = null, unit = 'x', needs = [] }) {
    let v = null;
    try {
      v = value();
    } catch {
      v = null;
    }
    let result;
    if (v === null || !Number.isFinite(v)) {
      const ids = [on, ...needs];
      const failed = ids.some((id) => this.measurements.find((m) => m.id === id)?.error);
      const missing = ids.some((id) => !this.measurements.find((m) => m.id === id));
      result = failed ? 'ERROR' : missing ? 'SKIP' : 'ERROR';
      v = null;
    } else if (op === null || target === null) {
      result = 'info';
    } else {
      const ok = op === '<=' ? v <= target : op === '<' ? v < target : op === '>=' ? v >= target : v > target;
      result = ok ? 'PASS' : 'MISS';
    }
    this.checks.push({ on, label, value: v, unit, op, target, result });
  }

  /** A tool (or step) not measured, and why: printed under the table. */
  skip(tool, reason) {
    this.skipped.push({ tool, reason });
    this.log(`${this.suite}: skipping ${tool}: ${reason}`);
  }

  note(text) {
    this.notes.push(text);
  }

  /** A new empty folder under the scratch dir. */
  freshDir(name) {
    const runs = path.join(this.scratch, 'runs');
    if (!fs.existsSync(runs)) mkdirSpread(runs);
    const d = path.join(runs, `${this.suite}-${name}-${this.dirCounter++}`);
    fs.mkdirSync(d, { recursive: true });
    return d;
  }

  /** A new git repository (own isolated config). */
  gitRepo(name) {
    const d = this.freshDir(name);
    this.git(d, ['init', '-q']);
    return d;
  }

  /** A fresh repo holding a copy of folder `src` at `rel`, tracked by git-lfs and committed once. */
  lfsFolderRepo(name, src, rel) {
    const repo = this.gitRepo(name);
    this.copyIn(src, path.join(repo, rel));
    this.git(repo, ['lfs', 'track', `${rel}/**`]);
    this.git(repo, ['add', '.gitattributes', rel]);
    this.git(repo, ['commit', '-q', '-m', 'dataset']);
    return repo;
  }

  /** Untimed git / mvgit / any command in the tool environment; returns stdout. */
  git(cwd, args) {
    return sh('git', args, { cwd, env: this.env });
  }

  mvgitSetup(cwd, args) {
    const m = this.tools.mvgit;
    return sh(m.cmd, [...m.pre, ...args], { cwd, env: this.env });
  }

  run(cwd, cmd, args) {
    return sh(cmd, args, { cwd, env: this.env });
  }

  /** Timed mvgit: use inside a measurement's run(t). */
  mvgit(t, cwd, args) {
    const m = this.tools.mvgit;
    return t(m.cmd, [...m.pre, ...args], { cwd, env: this.env });
  }

  /** Copies a workload into `dest` (untimed, `cp -r`; the copy's pages stay in the cache). */
  copyIn(src, dest) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    sh('cp', ['-r', src, dest]);
  }

  /** Deletes `p` now. For trees of a few files (a big file and its repo); see discard. */
  remove(p) {
    rmrf(p);
  }

  /**
   * Moves `p` (a folder under the scratch dir) out of the way without freeing its inodes; the
   * trash is deleted when the whole run ends. Use it for many-file trees: on ext4 without a
   * journal, inodes freed in the last 1-5 minutes are skipped one by one by every later file
   * creation (ext4's recently_deleted()), so deleting 20,000 files would slow down whatever
   * runs next, the floors included, by up to 0.5 ms per created file.
   */
  discard(p) {
    if (!fs.existsSync(p)) return;
    const trash = path.join(this.scratch, 'trash');
    fs.mkdirSync(trash, { recursive: true });
    fs.renameSync(p, path.join(trash, `${this.suite}-${this.dirCounter++}`));
  }

  settle() {
    settle();
  }

  result() {
    return { measurements: this.measurements, checks: this.checks, skipped: this.skipped, notes: this.notes };
  }
}
