/**
 * `mvgit doctor`: everything mvgit needs in this clone, checked without changing anything: the
 * git hooks (directly or through a hook manager), the merge and diff drivers, the default
 * remote (reachable), and the cache (there and writable). Each failed check carries the
 * command that fixes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from '../../adapters/git/run.js';
import { openWorkspace } from '../repo/workspace.js';
import { openRemote } from '../repo/remotes.js';
import { hookWiring, type HookWiring } from './wiring.js';

export interface DoctorCheck {
  /** `hook pre-commit`, `merge driver`, `diff driver`, `remote`, `cache`. */
  check: string;
  ok: boolean;
  /** What was found (ok) or what is wrong. */
  detail: string;
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  manager: string | null;
  checks: DoctorCheck[];
  /** The distinct fix commands, in order. */
  fixes: string[];
}

/** Runs every check; a failure is reported, never thrown (except outside an initialized repo). */
export async function doctor(options: { cwd?: string } = {}): Promise<DoctorReport> {
  const ws = await openWorkspace({ cwd: options.cwd });
  const { repo } = ws;
  const wiring = hookWiring(repo);
  const checks: DoctorCheck[] = wiring.hooks.map(hookCheck);
  const config = (key: string): string => git(repo, ['config', '--get', key], { allowFail: true }).trim();
  const attrs = git(repo, ['check-attr', 'merge', 'diff', '--', 'x.mvgit.yaml'], { allowFail: true });
  for (const [check, key, attr] of [
    ['merge driver', 'merge.mvgit.driver', 'merge'],
    ['diff driver', 'diff.mvgit.textconv', 'diff'],
  ] as const) {
    const value = config(key);
    const script = /'([^']+)'/.exec(value)?.[1];
    const routed = attrs.includes(`: ${attr}: mvgit`);
    const problem = !value
      ? `git config ${key} is not set`
      : script && !fs.existsSync(script)
        ? `${script} (named in git config ${key}) is missing`
        : !routed
          ? `.gitattributes does not send *.mvgit.yaml to it (${attr}=mvgit)`
          : null;
    checks.push(
      problem ? { check, ok: false, detail: problem, fix: 'mvgit install' } : { check, ok: true, detail: key },
    );
  }
  checks.push(await remoteCheck(ws));
  checks.push(cacheCheck(ws.store.dir));
  const fixes = [...new Set(checks.flatMap((c) => (c.ok || !c.fix ? [] : [c.fix])))];
  return { ok: checks.every((c) => c.ok), manager: wiring.manager, checks, fixes };
}

function hookCheck(h: HookWiring): DoctorCheck {
  const check = `hook ${h.name}`;
  if (h.ok) return { check, ok: true, detail: h.via === 'direct' ? 'installed directly' : `through ${h.via}` };
  return { check, ok: false, detail: `missing${h.via ? ` (through ${h.via})` : ''}: ${h.problem}`, fix: h.fix };
}

async function remoteCheck(ws: Awaited<ReturnType<typeof openWorkspace>>): Promise<DoctorCheck> {
  let remote: Awaited<ReturnType<typeof openRemote>>;
  try {
    remote = await openRemote(ws.repo, ws.config);
  } catch (err) {
    return {
      check: 'remote',
      ok: false,
      detail: err instanceof Error ? err.message : String(err),
      fix: 'mvgit remote add origin URL --default',
    };
  }
  const where = `${remote.name} (${remote.url})`;
  try {
    const local = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote.url) && !remote.url.startsWith('file://') ? null : remote.url;
    const dir = local?.startsWith('file://') ? fileURLToPath(local) : local;
    if (dir && !fs.statSync(path.resolve(ws.repo.root, dir), { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`${dir} is not a folder`);
    await remote.has('0'.repeat(64));
    return { check: 'remote', ok: true, detail: `${where} reachable` };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      check: 'remote',
      ok: false,
      detail: `${where} not reachable: ${message}`,
      fix: `mvgit remote add NAME URL --default (or make ${remote.url} reachable)`,
    };
  }
}

function cacheCheck(dir: string): DoctorCheck {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return { check: 'cache', ok: true, detail: `${dir} writable` };
  } catch (err) {
    const gone = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      check: 'cache',
      ok: false,
      detail: `${dir} ${gone ? 'does not exist' : 'is not writable'}`,
      fix: gone ? 'mvgit init' : `chmod -R u+w ${dir}`,
    };
  }
}
