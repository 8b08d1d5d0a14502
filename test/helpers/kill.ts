/** Shared by the SIGKILL tests: when to kill, and how to undo an add so the next kill has work to interrupt. */
import fs from 'node:fs';
import path from 'node:path';
import { git, objectsDir } from './repo.js';

/** Milliseconds a call took. */
export function timed(fn: () => unknown): number {
  const t = Date.now();
  fn();
  return Date.now() - t;
}

/**
 * Kill points: a few fixed ones (before and during start-up), then fractions of a full run
 * measured on this machine, so that some kills land in the middle of the real work however
 * fast or slow the machine is.
 */
export function killDelays(fullRunMs: number): number[] {
  return [5, 200, ...MIDWAY.map((f) => Math.round(fullRunMs * f))];
}

/** Fractions of a full run at which the kills are meant to land in the middle of the work. */
export const MIDWAY = [0.35, 0.75];

/** True for a kill at one of the MIDWAY delays that did kill the process (it had not finished). */
export function killedMidway(fullRunMs: number, ms: number, killed: boolean): boolean {
  return killed && ms >= Math.round(fullRunMs * MIDWAY[0]);
}

/** Forgets what add recorded (pointers, .gitignore lines, stat cache, objects), keeping the user's files. */
export function resetAdd(repo: string, artifacts: string[]): void {
  for (const a of artifacts) fs.rmSync(path.join(repo, `${a}.mvgit.yaml`), { force: true });
  fs.rmSync(path.join(repo, '.gitignore'), { force: true });
  fs.rmSync(path.join(repo, '.git', 'mvgit', 'state'), { recursive: true, force: true });
  fs.rmSync(objectsDir(repo), { recursive: true, force: true });
  fs.mkdirSync(objectsDir(repo), { recursive: true });
}

/** git sees exactly these untracked files (no temp file left behind), and nothing else changed. */
export function expectNoStrayFiles(repo: string, untracked: string[]): void {
  const out = git(repo, ['status', '--porcelain', '--untracked-files=all']).split('\n').filter(Boolean).sort();
  expect(out).toEqual(untracked.map((u) => `?? ${u}`).sort());
}
