// Running commands: timed (wall clock around the child, peak RSS through GNU time) or plain.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A command that exited non-zero (or could not start): carries everything needed to report it. */
export class CommandError extends Error {
  constructor(cmd, args, cwd, result) {
    const line = formatCommand(cmd, args);
    const why = result.error
      ? result.error.message
      : result.signal
        ? `killed by ${result.signal}`
        : `exit ${result.status}`;
    const stderr = (result.stderr ?? '').toString().trim();
    const stdout = (result.stdout ?? '').toString().trim();
    super(`${line} (in ${cwd}): ${why}${stderr ? `\n${stderr}` : ''}`);
    this.name = 'CommandError';
    this.command = line;
    this.cwd = cwd;
    this.status = result.status ?? null;
    this.signal = result.signal ?? null;
    this.stderr = stderr;
    this.stdout = stdout;
  }
}

function quote(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(cmd, args = []) {
  return [cmd, ...args].map(quote).join(' ');
}

/** The absolute path of an executable on PATH, or null. */
export function which(name) {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p) {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

const MAX_BUFFER = 256 * 1024 * 1024;

/** Runs a command untimed (setup work); throws CommandError unless it exits 0. Returns stdout. */
export function sh(cmd, args, opts = {}) {
  const cwd = opts.cwd ?? process.cwd();
  const r = spawnSync(cmd, args, {
    cwd,
    env: opts.env ?? process.env,
    input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: MAX_BUFFER,
  });
  if (r.error || r.status !== 0) {
    if (opts.allowFail) return null;
    throw new CommandError(cmd, args, cwd, r);
  }
  return r.stdout.toString();
}

let timeBin = null;
let rssFile = null;

/** Turns on peak-RSS measurement through GNU time (`time -f %M`), writing to `file`. */
export function useGnuTime(bin, file) {
  timeBin = bin;
  rssFile = file;
}

/**
 * Runs one timed command. Every timed command of every tool goes through here, so each pays
 * the same overhead (a spawn, and the GNU time wrapper when present).
 * Returns { seconds, rssKb and cpuSeconds (user + sys, all threads and waited-for children; null
 * without GNU time), stdout, stderr, command }.
 */
export function timed(cmd, args, opts = {}) {
  const cwd = opts.cwd ?? process.cwd();
  let file = cmd;
  let argv = args;
  if (timeBin) {
    try {
      fs.rmSync(rssFile, { force: true });
    } catch {
      /* ignore */
    }
    file = timeBin;
    argv = ['-f', '%M %U %S', '-o', rssFile, cmd, ...args];
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, {
    cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: MAX_BUFFER,
  });
  const t1 = process.hrtime.bigint();
  if (r.error || r.status !== 0) throw new CommandError(cmd, args, cwd, r);
  let rssKb = null;
  let cpuSeconds = null;
  if (timeBin) {
    // GNU time writes "Command exited with non-zero status N" first when it fails; ours is last.
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
    const [m, u, s] = lines[lines.length - 1].split(' ').map(Number);
    rssKb = Number.isFinite(m) ? m : null;
    cpuSeconds = Number.isFinite(u) && Number.isFinite(s) ? u + s : null;
  }
  return {
    seconds: Number(t1 - t0) / 1e9,
    rssKb,
    cpuSeconds,
    stdout: r.stdout.toString(),
    stderr: r.stderr.toString(),
    command: formatCommand(cmd, args),
  };
}
