// The tools under test and the floors' programs: where they are, how to call them, their versions.
// git-lfs and GNU time are installed from Debian when missing (as root); DVC from PyPI into a
// virtualenv kept between runs, when it is not on PATH.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './config.js';
import { sh, which } from './proc.js';

function firstLine(s) {
  return (s ?? '').trim().split('\n')[0] ?? '';
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let aptUpdated = false;
/** apt-get install of Debian packages; true when it worked. Runs `apt-get update` once if needed. */
function aptInstall(pkgs, log) {
  if (!isRoot() || !which('apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => sh('apt-get', ['install', '-y', '-q', ...pkgs], { env, allowFail: true }) !== null;
  log(`installing ${pkgs.join(' ')} with apt-get`);
  if (install()) return true;
  if (!aptUpdated) {
    aptUpdated = true;
    sh('apt-get', ['update', '-q'], { env, allowFail: true });
    return install();
  }
  return false;
}

/** GNU time (for peak RSS), installing Debian's `time` when missing; null when not to be had. */
export function findGnuTime(log) {
  const works = (p) => p && sh(p, ['-f', '%M', 'true'], { allowFail: true }) !== null;
  const p = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  if (works(p)) return p;
  if (aptInstall(['time'], log) && works('/usr/bin/time')) return '/usr/bin/time';
  log('GNU time is missing and could not be installed: peak RSS is not measured');
  return null;
}

/**
 * The environment every git, git-lfs, DVC and mvgit command runs in: an isolated global git
 * config (so the user's own settings, hooks path or aliases don't change the figures), a fixed
 * identity, no colors, no prompts.
 */
export function makeToolEnv(scratch) {
  const home = path.join(scratch, 'home');
  fs.mkdirSync(home, { recursive: true });
  const gitconfig = path.join(home, '.gitconfig');
  fs.writeFileSync(
    gitconfig,
    [
      '[user]',
      '\tname = mvgit bench',
      '\temail = bench@example.invalid',
      '[init]',
      '\tdefaultBranch = main',
      '[advice]',
      '\tdetachedHead = false',
      '[gc]',
      '\tauto = 0',
      '',
    ].join('\n'),
  );
  // DVC's global config: no update check (without a network it spawns a daemon each command
  // and the command waits ~1 s for it), so DVC's figures are its work alone.
  const dvcGlobal = path.join(scratch, 'dvc-global');
  fs.mkdirSync(dvcGlobal, { recursive: true });
  fs.writeFileSync(path.join(dvcGlobal, 'config'), '[core]\n    check_update = false\n');
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    NO_COLOR: '1',
    // DVC: no analytics, no Studio, its site cache and global config inside the scratch dir.
    DVC_NO_ANALYTICS: '1',
    DVC_SITE_CACHE_DIR: path.join(scratch, 'dvc-site-cache'),
    DVC_GLOBAL_CONFIG_DIR: dvcGlobal,
    DVC_STUDIO_OFFLINE: '1',
  };
}

/**
 * git-lfs: installs Debian's package when `git lfs` is missing, then writes its filters into the
 * isolated global config. Returns { version } or { skip: reason }.
 */
export function setupGitLfs(env, log) {
  let v = sh('git', ['lfs', 'version'], { env, allowFail: true });
  if (v === null && aptInstall(['git-lfs'], log)) v = sh('git', ['lfs', 'version'], { env, allowFail: true });
  if (v === null) return { skip: 'git-lfs is not installed and apt-get could not install it' };
  sh('git', ['lfs', 'install', '--skip-repo'], { env });
  return { version: firstLine(v) };
}

/**
 * DVC: `dvc` on PATH, else the one in the bench's virtualenv (`BENCH_DVC_VENV`, default
 * ~/.cache/mvgit-bench/venv), which is made with `python3 -m venv` and `pip install dvc dvc-s3`
 * on the first run and reused after (the install takes a minute or more; `BENCH_DVC=0` skips
 * DVC). Puts the virtualenv's bin/ on the tool environment's PATH. Returns { bin, version } or
 * { skip: reason }.
 */
export function setupDvc(env, log) {
  if (process.env.BENCH_DVC === '0') return { skip: 'BENCH_DVC=0' };
  const version = (bin) => sh(bin, ['--version'], { env, allowFail: true });
  const found = which('dvc');
  if (found) {
    const v = version(found);
    return v === null ? { skip: `${found} --version failed` } : { bin: found, version: firstLine(v) };
  }
  const venv = process.env.BENCH_DVC_VENV || path.join(os.homedir(), '.cache', 'mvgit-bench', 'venv');
  const bin = path.join(venv, 'bin', 'dvc');
  if (!fs.existsSync(bin)) {
    const python = which('python3');
    if (!python) return { skip: 'dvc is not on PATH and there is no python3 to install it with' };
    log(`installing dvc and dvc-s3 with pip into ${venv} (once; reused by later runs)`);
    fs.mkdirSync(path.dirname(venv), { recursive: true });
    const pip = path.join(venv, 'bin', 'pip');
    const made =
      sh(python, ['-m', 'venv', venv], { allowFail: true }) !== null &&
      sh(pip, ['install', '-q', '--disable-pip-version-check', 'dvc', 'dvc-s3'], { allowFail: true }) !== null;
    if (!made || !fs.existsSync(bin)) return { skip: `pip install dvc dvc-s3 into ${venv} failed` };
  }
  const v = version(bin);
  if (v === null) return { skip: `${bin} --version failed` };
  // DVC's git hooks (`dvc install`) call `dvc` by name.
  env.PATH = `${path.dirname(bin)}${path.delimiter}${env.PATH ?? ''}`;
  return { bin, version: firstLine(v) };
}

/**
 * The built mvgit CLI, copied (bin/, dist/, package.json; node_modules linked) into the scratch
 * dir, so that a rebuild in the work tree during the run (other people's `npm test`) cannot
 * change the program under test half-way. Returns { cmd, pre, version, build }: run it as
 * `cmd ...pre SUBCOMMAND...`.
 */
export function snapshotMvgit(scratch) {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(ROOT, 'bin', 'mvgit.js')) || !fs.existsSync(path.join(dist, 'cli'))) {
    throw new Error(`mvgit is not built (${dist} missing): run npm run build, or npm run bench`);
  }
  const snap = path.join(scratch, 'mvgit');
  fs.mkdirSync(snap, { recursive: true });
  fs.cpSync(path.join(ROOT, 'bin'), path.join(snap, 'bin'), { recursive: true });
  fs.cpSync(dist, path.join(snap, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(snap, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(snap, 'node_modules'), 'dir');
  const bin = path.join(snap, 'bin', 'mvgit.js');
  const version = firstLine(sh(process.execPath, [bin, '--version']));
  const head = firstLine(sh('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, allowFail: true }) ?? '');
  const dirty = (
    sh('git', ['status', '--porcelain', '--', 'src', 'bin', 'package.json'], { cwd: ROOT, allowFail: true }) ?? ''
  )
    .split('\n')
    .filter(Boolean).length;
  const built = fs.statSync(path.join(dist, 'cli', 'main.js')).mtime.toISOString();
  return { cmd: process.execPath, pre: [bin], version, build: { head, uncommittedFiles: dirty, distBuiltAt: built } };
}

export function versions(env) {
  const v = (cmd, args) => firstLine(sh(cmd, args, { env, allowFail: true }) ?? 'missing');
  return {
    node: process.version,
    git: v('git', ['--version']),
    openssl: v('openssl', ['version']),
    cp: v('cp', ['--version']),
  };
}
