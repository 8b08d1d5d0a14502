/**
 * A seeded fuzz test of hostile pointers, manifests and committed symlinks against checkout,
 * the one way mvgit writes into a work tree (the hooks, pull and `checkout REV` go through it).
 * Whatever a case holds: nothing is written outside the artifact's own path, nothing inside
 * any `.git`, no `.git` entry is made, and every failure is an MvgitError that is not INTERNAL.
 *
 * Reproduce a failure with the seed it prints: MVGIT_FUZZ_SEED=1234 MVGIT_FUZZ_CASES=1 ...
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkout } from '../../src/core/workspace/checkout.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { isMvgitError } from '../../src/base/errors.js';
import { init } from '../../src/core/repo/init.js';
import { isGitName, parsePointer } from '../../src/core/pointer/pointer.js';
import { cleanup, git, makeGitRepo, tempDir, writeFile } from '../helpers/repo.js';

const SEED = Number(process.env.MVGIT_FUZZ_SEED ?? 20261129);
const CASES = Number(process.env.MVGIT_FUZZ_CASES ?? 1000);

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  'data',
  'h',
  'o',
  'a',
  'b',
  'x.bin',
  '..',
  '.',
  '',
  '.git',
  '.GIT',
  '.git.',
  '.git ',
  'git~1',
  '.g\u200cit',
  '.mvgit',
  'config.yaml',
  'p.mvgit.yaml',
  'README.md',
  'hooks',
  'post-commit',
  'a\nb',
  'c:',
  'a\\b',
  'n\0ul',
];
const LINK_SPOTS = ['data', 'data/h', 'data/o', 'h', 'a', 'a/b', 'sub'];
const CONTENTS = ['payload one\n', 'payload two\n', '#!/bin/sh\necho pwned\n', '[core]\n\tfsmonitor = "echo pwned"\n'];
const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

let repo: string;
let outside: string;
beforeAll(() => {
  repo = makeGitRepo(tempDir('mvgit-fuzz-'));
  init(repo);
  writeFile(repo, 'README.md', 'project\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'start']);
  outside = tempDir('mvgit-fuzz-outside-');
  writeFile(outside, 'precious.txt', 'keep');
  // The contents the manifests name are in the cache, so only the guard stands in the way.
  for (const c of CONTENTS) putObject(c);
});
afterAll(() => {
  cleanup(repo);
  cleanup(outside);
});

function putObject(content: string): string {
  const hex = sha(content);
  const file = path.join(repo, '.git', 'mvgit', 'cache', 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));
  if (!fs.existsSync(file)) writeFile(repo, path.relative(repo, file), content);
  return hex;
}

/** Every entry under `root` without following links: files by content hash, links by target. */
function snapshot(root: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, prefix: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of entries) {
      const rel = prefix + d.name;
      if (skip(rel)) continue;
      const abs = path.join(dir, d.name);
      if (d.isSymbolicLink()) out.set(rel, `->${fs.readlinkSync(abs)}`);
      else if (d.isDirectory()) {
        out.set(rel, '/');
        walk(abs, `${rel}/`);
      } else out.set(rel, sha(fs.readFileSync(abs)));
    }
  };
  walk(root, '');
  return out;
}

const GIT_SKIP = (rel: string): boolean => /^(mvgit|objects|index|logs|ORIG_HEAD|COMMIT_EDITMSG)(\/|$)/.test(rel);
const WORK_SKIP = (rel: string): boolean => rel === '.git';

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k));
}

/** Empties the work tree but for .git, .mvgit and README.md, and unstages what a case forced in. */
function resetWorkTree(staged: boolean): void {
  for (const name of fs.readdirSync(repo)) {
    if (name === '.git' || name === '.mvgit' || name === 'README.md') continue;
    fs.rmSync(path.join(repo, name), { recursive: true, force: true });
  }
  writeFile(repo, 'README.md', 'project\n');
  if (staged) git(repo, ['reset', '-q']);
}

interface Case {
  pointerPath: string;
  pointerText: string;
  links: { at: string; target: string; tracked: boolean }[];
  force: boolean;
  link: 'copy' | 'hardlink' | 'symlink';
}

function makeCase(rand: () => number): Case {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const randPath = (): string => {
    const n = 1 + Math.floor(rand() * 3);
    const segs = Array.from({ length: n }, () =>
      rand() < 0.6 ? pick(['data', 'h', 'o', 'a', 'b', 'x.bin', 'sub', 'post-commit']) : pick(SEGMENTS),
    );
    return (rand() < 0.05 ? '/' : '') + segs.join('/');
  };
  const isDir = rand() < 0.6;
  const artifact = rand() < 0.5 ? pick(['data', 'a/b', 'h', 'sub/data']) : randPath();
  let oid: string;
  let size = 10;
  if (isDir) {
    const lines: string[] = [];
    const entries = 1 + Math.floor(rand() * 4);
    const seen = new Set<string>();
    for (let i = 0; i < entries; i++) {
      const p =
        rand() < 0.5 ? pick(['h/post-commit', 'o/x', 'h/config', 'ok.csv', 'd/e.txt']) : randPath().replace(/^\//, '');
      if (seen.has(p)) continue;
      seen.add(p);
      const c = pick(CONTENTS);
      lines.push(
        rand() < 0.03
          ? '{not json'
          : `{"path":${JSON.stringify(p)},"oid":"${sha(c)}","size":${c.length}${rand() < 0.3 ? ',"x":true' : ''}}`,
      );
    }
    const manifest = `${lines.join('\n')}\n`;
    oid = putObject(manifest);
    size = manifest.length;
  } else {
    const c = pick(CONTENTS);
    oid = rand() < 0.95 ? sha(c) : 'f'.repeat(64);
    size = c.length;
  }
  const pointerText = `mvgit: 1\nkind: ${isDir ? 'dataset' : 'model'}\npath: ${JSON.stringify(artifact)}\noid: sha256:${oid}\nsize: ${size}\n${isDir ? 'files: 2\n' : ''}`;
  const links: Case['links'] = [];
  const nLinks = Math.floor(rand() * 3);
  for (let i = 0; i < nLinks; i++) {
    const tracked = rand() < 0.6;
    // An untracked link is the user's own: they point it at their data, never into .git; a
    // committed one may point anywhere.
    const target = tracked
      ? pick([outside, '../.git/hooks', '.git', '../.git', '/nonexistent/x', path.join(repo, '.git', 'hooks')])
      : pick(['/nonexistent/x', path.join(repo, '.git'), path.join(repo, '.git', 'hooks')]);
    links.push({ at: pick(LINK_SPOTS), target, tracked });
  }
  const pointerPath = rand() < 0.8 ? 'p.mvgit.yaml' : 'sub/p.mvgit.yaml';
  return { pointerPath, pointerText, links, force: rand() < 0.5, link: pick(['copy', 'copy', 'hardlink', 'symlink']) };
}

function setUp(c: Case): boolean {
  let staged = false;
  for (const l of c.links) {
    const abs = path.join(repo, l.at);
    if (fs.lstatSync(path.dirname(abs), { throwIfNoEntry: false })?.isSymbolicLink()) continue;
    if (fs.lstatSync(abs, { throwIfNoEntry: false })) continue;
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.symlinkSync(l.target, abs);
    if (l.tracked) {
      git(repo, ['add', '-f', '--', l.at]);
      staged = true;
    }
  }
  const pointerDir = path.dirname(path.join(repo, c.pointerPath));
  const viaLink =
    c.pointerPath.startsWith('sub/') &&
    fs.lstatSync(path.join(repo, 'sub'), { throwIfNoEntry: false })?.isSymbolicLink();
  if (!viaLink) {
    fs.mkdirSync(pointerDir, { recursive: true });
    fs.writeFileSync(path.join(repo, c.pointerPath), c.pointerText);
  }
  return staged;
}

/** The artifact's repo path when the pointer parses, else null (then nothing may change). */
function artifactOf(c: Case): string | null {
  try {
    const p = parsePointer(c.pointerText, c.pointerPath);
    const dir = path.posix.dirname(c.pointerPath);
    return dir === '.' ? p.path : `${dir}/${p.path}`;
  } catch {
    return null;
  }
}

test(`${CASES} hostile cases (seed ${SEED}): nothing written outside the artifact or inside .git, no INTERNAL error`, async () => {
  const rand = prng(SEED);
  const workspaces = new Map<string, Workspace>();
  let refused = 0;
  let restored = 0;
  for (let i = 0; i < CASES; i++) {
    const c = makeCase(rand);
    const staged = setUp(c);
    const gitBefore = snapshot(path.join(repo, '.git'), GIT_SKIP);
    const workBefore = snapshot(repo, WORK_SKIP);
    const outsideBefore = snapshot(outside);
    const where = `case ${i} (seed ${SEED}): ${JSON.stringify(c)}`;
    try {
      const ws = workspaces.get(c.link) ?? (await openWorkspace({ cwd: repo, link: c.link }));
      workspaces.set(c.link, ws);
      const out = await checkout(ws, { force: c.force });
      if (out.some((o) => o.result === 'restored')) restored++;
    } catch (err) {
      if (!isMvgitError(err) || err.code === 'INTERNAL')
        throw new Error(`${where}: not a user error: ${(err as Error).stack}`);
      refused++;
    }
    const artifact = artifactOf(c);
    const workAfter = snapshot(repo, WORK_SKIP);
    const changed = changedKeys(workBefore, workAfter);
    // The artifact's own path, and the folders above it made to hold it.
    const allowed = (k: string): boolean =>
      artifact !== null &&
      (k === artifact ||
        k.startsWith(`${artifact}/`) ||
        (artifact.startsWith(`${k}/`) && workAfter.get(k) === '/' && !workBefore.has(k)));
    const stray = changed.filter((k) => !allowed(k));
    if (stray.length > 0) throw new Error(`${where}: wrote outside the artifact ${artifact}: ${stray.join(', ')}`);
    const gitDirs = [...workAfter.keys()].filter((k) => k.split('/').some(isGitName));
    if (gitDirs.length > 0) throw new Error(`${where}: made a .git entry: ${gitDirs.join(', ')}`);
    const gitChanged = changedKeys(gitBefore, snapshot(path.join(repo, '.git'), GIT_SKIP));
    if (gitChanged.length > 0) throw new Error(`${where}: wrote inside .git: ${gitChanged.join(', ')}`);
    const outChanged = changedKeys(outsideBefore, snapshot(outside));
    if (outChanged.length > 0) throw new Error(`${where}: wrote outside the repository: ${outChanged.join(', ')}`);
    resetWorkTree(staged);
  }
  // The generator must exercise both sides, or the test proves nothing.
  expect(refused).toBeGreaterThan(CASES / 10);
  expect(restored).toBeGreaterThan(CASES / 20);
}, 600_000);
