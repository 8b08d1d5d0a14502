/**
 * Reading another repository without cloning it, for `mvgit get`: one `git ls-remote` for its
 * refs, then, into a bare repository in the OS temp dir, a shallow fetch of only the refs the
 * request needs, without their blobs (`--filter=blob:none --depth 1`). The few blobs read after
 * (a pointer, the mvgit config) come in one more fetch. The temp repository is removed by
 * `close()`, which callers run in a `finally`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MvgitError } from '../../base/errors.js';
import { catFile } from '../../adapters/git/cat-file.js';
import { git, type GitDir } from '../../adapters/git/run.js';
import { redactUrl } from '../../adapters/remote/url.js';

/** A remote repository's refs, and a temp bare repo to fetch parts of it into. */
export interface SourceRepo {
  /** REPO as the user gave it, any credential in it masked: for messages. */
  url: string;
  /** REPO's folder when it is on this machine (a path or file:// URL), else null. */
  localDir: string | null;
  /** Where git runs: the temp bare repository. */
  dir: GitDir;
  /** Every ref REPO has (`refs/heads/main`, `refs/tags/churn@v0.1.0`) and the commit or tag object it names. */
  refs: Map<string, string>;
  /** The default branch (`refs/heads/main`), or null for a repository without commits. */
  head: string | null;
  /** Removes the temp repository. */
  close(): void;
}

/** A temp repository that lives for one command needs no housekeeping after each fetch. */
const QUIET = ['-c', 'maintenance.auto=false', '-c', 'gc.auto=0'];

/** Where the default branch's tip is kept in the temp repo. */
export const HEAD_REF = 'refs/mvgit-get/head';

/**
 * Lists REPO's refs and makes the temp repository; REPO_UNREACHABLE (naming the URL and
 * git's own message) when git cannot read it.
 */
export function openSource(url: string, cwd: string = process.cwd()): SourceRepo {
  // Messages show REPO without a user:token part, which a CI job may put in the URL.
  const shown = redactUrl(url);
  const localDir = localPathOf(url, cwd);
  const target = localDir ?? url;
  const listing = git({ root: cwd }, ['ls-remote', '--symref', '--', target], {
    allowFail: true,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  const refs = new Map<string, string>();
  let head: string | null = null;
  let listed = false;
  for (const line of listing.split('\n')) {
    const [left, name] = line.split('\t');
    if (name === undefined) continue;
    listed = true;
    if (left.startsWith('ref: ')) {
      if (name === 'HEAD') head = left.slice('ref: '.length);
    } else refs.set(name, left);
  }
  if (!listed) {
    // ls-remote prints nothing for an empty repository and fails for an unreachable one: ask again for the message.
    const why = lsRemoteError(target, cwd)?.split(url).join(shown) ?? null;
    if (why !== null)
      throw new MvgitError('REPO_UNREACHABLE', `cannot read the repository ${shown}: ${why}`, {
        hint: 'check the URL or path, and that git can reach it (git ls-remote URL); credentials come from git itself (ssh keys, a credential helper)',
        data: { repo: url },
      });
  }
  // A detached HEAD (a CI checkout of a tag) names no branch: its commit stands for the default branch.
  if (head === null && refs.has('HEAD')) head = 'HEAD';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mvgit-get-'));
  const dir = { root: tmp };
  try {
    makeBareRepo(tmp, target, localDir !== null);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return { url: shown, localDir, dir, refs, head, close: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/**
 * The temp bare repository, written directly (what `git init --bare` and `git remote add`
 * would write): three git start-ups saved, on a command whose budget is mostly start-ups.
 */
function makeBareRepo(dir: string, target: string, local: boolean): void {
  if (/[\n\r\0]/.test(target))
    throw new MvgitError('USAGE', `the repository URL holds a line break: ${JSON.stringify(target)}`, {
      hint: 'give the URL or path on one line',
    });
  const quoted = `"${target.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  for (const d of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags'])
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      '[core]',
      '\trepositoryformatversion = 0',
      '\tbare = true',
      '[remote "origin"]',
      `\turl = ${quoted}`,
      // A repository on this machine is read by a local upload-pack, which refuses filters unless told.
      ...(local ? ['\tuploadpack = git -c uploadpack.allowFilter=true upload-pack'] : []),
      '',
    ].join('\n'),
  );
}

function lsRemoteError(target: string, cwd: string): string | null {
  // Run directly, not through git(): the message wanted is git's first lines, not its last.
  const r = spawnSync('git', ['ls-remote', '--exit-code', '--', target], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  // --exit-code fails with status 2 and no message for a repository without refs: reachable.
  if (r.status === 0 || r.status === 2) return null;
  const lines = (r.stderr ?? '')
    .split('\n')
    .filter((l) => /^(fatal|error): /.test(l))
    .map((l) => l.replace(/^(fatal|error): /, '').trim());
  return lines.length > 0 ? lines.join('; ') : (r.error?.message ?? `git ls-remote exited with ${r.status}`);
}

/** REPO's folder when it names one on this machine: a path, or a file:// URL. */
function localPathOf(url: string, cwd: string): string | null {
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url) || /^[^/.][^/]*:/.test(url)) return null;
  return path.resolve(cwd, url);
}

/**
 * Fetches the objects REPO's refs name into the temp repository, one commit deep, without the
 * objects `filter` leaves out (by default blobs: commits and trees come), and records them as
 * refs there under the names given (`local -> REPO's ref or a commit id`). The objects are asked
 * for by id and the refs written as one packed-refs file: with hundreds of registry tags,
 * writing each as a file of its own cost more than the fetch. A server that refuses a filter is
 * asked again with a plainer one, then with none; one that ignores filters sends all.
 */
export function fetchRefs(src: SourceRepo, refs: Map<string, string>, filter = 'blob:none'): void {
  if (refs.size === 0) return;
  const lines: string[] = [];
  const wants = new Set<string>();
  for (const [local, remote] of [...refs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const oid = src.refs.get(remote) ?? remote;
    wants.add(oid);
    lines.push(`${oid} ${local}`);
    const peeled = src.refs.get(`${remote}^{}`);
    if (peeled !== undefined) lines.push(`^${peeled}`);
  }
  const filters = [...new Set([filter, 'blob:none', null])];
  for (let i = 0; ; i++) {
    const f = filters[i];
    try {
      git(
        src.dir,
        [
          ...QUIET,
          'fetch',
          '-q',
          '--no-tags',
          '--no-write-fetch-head',
          ...(f ? [`--filter=${f}`] : []),
          '--depth',
          '1',
          '--stdin',
          'origin',
        ],
        { input: `${[...wants].join('\n')}\n` },
      );
      break;
    } catch (err) {
      if (f === null || !/filter/i.test((err as Error).message)) throw unreachable(src, err);
    }
  }
  fs.writeFileSync(
    path.join(src.dir.root, 'packed-refs'),
    `# pack-refs with: peeled fully-peeled sorted \n${lines.join('\n')}\n`,
  );
}

function unreachable(src: SourceRepo, err: unknown): MvgitError {
  return new MvgitError(
    'REPO_UNREACHABLE',
    `cannot fetch from ${src.url}: ${(err as Error).message.replace(/^git fetch failed: /, '')}`,
    {
      hint: 'check that git can reach it (git ls-remote URL) and run the command again',
      data: { repo: src.url },
      cause: err,
    },
  );
}

/**
 * The blobs of files at a fetched commit, by path: `paths`, or with none every file (the trees
 * are here, only blobs were filtered out, so this reads nothing from REPO).
 */
export function blobsAt(src: SourceRepo, commit: string, paths?: string[]): Map<string, string> {
  const args =
    paths === undefined
      ? ['ls-tree', '-r', '-z', '--full-tree', commit]
      : ['ls-tree', '-z', '--full-tree', commit, '--', ...paths];
  const out = new Map<string, string>();
  if (paths?.length === 0) return out;
  for (const entry of git(src.dir, args).split('\0')) {
    const m = /^[0-7]+ blob ([0-9a-f]{40,64})\t(.*)$/s.exec(entry);
    if (m) out.set(m[2], m[1]);
  }
  return out;
}

/**
 * Brings blobs into the temp repository in one fetch by id (a no-op for those already here),
 * so that reading them after never starts one lazy fetch each.
 */
export function fetchBlobs(src: SourceRepo, blobs: Iterable<string>): void {
  const wanted = [...new Set(blobs)];
  if (wanted.length === 0) return;
  try {
    git(
      src.dir,
      [
        ...QUIET,
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '-q',
        '--no-tags',
        '--no-write-fetch-head',
        '--stdin',
        'origin',
      ],
      { input: `${wanted.join('\n')}\n` },
    );
  } catch (err) {
    throw unreachable(src, err);
  }
}

/** The bytes of fetched blobs (see fetchBlobs), null for one that is not here. */
export function readBlob(src: SourceRepo, blob: string | undefined): Buffer | null {
  if (blob === undefined) return null;
  const [object] = catFile(src.dir, [blob]);
  return object?.type === 'blob' ? object.data : null;
}
