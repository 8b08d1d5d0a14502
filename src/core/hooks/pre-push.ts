/**
 * The pre-push hook: before git moves the remote's refs, upload the objects that the pushed
 * commits point to, so nobody receives a pointer whose data is nowhere. A failed upload
 * throws, and the hook's exit code stops the push.
 */
import { openWorkspace, type OnProgress } from '../repo/workspace.js';
import { git } from '../../adapters/git/run.js';
import { findRepo, isInitialized } from '../repo/repo.js';
import { openRemote } from '../repo/remotes.js';
import { collectPointers } from '../history/scope.js';
import { parseRegistryTag } from '../history/registry-tags.js';
import type { TransferReport } from '../transfer/transfer.js';
import { pushPointers } from '../transfer/push.js';

export interface PrePushRequest {
  /** The git remote's name and URL (the hook's arguments). */
  remoteName: string;
  remoteUrl: string;
  /** The hook's stdin: `<local ref> <local sha> <remote ref> <remote sha>` per line. */
  lines: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  jobs?: number;
  onProgress?: OnProgress;
}

export interface PrePushResult {
  /** Why nothing was done, when nothing was. */
  skipped?: 'MVGIT_SKIP_PUSH' | 'not-initialized' | 'deletions-only' | 'no-pointers';
  /** The refs being pushed (deletions left out). */
  refs: { localRef: string; localSha: string; remoteRef: string; remoteSha: string }[];
  /** The registry tags among them (`churn@v0.2.0`, `churn#prod#3`): their commits' objects were uploaded too. */
  registryTags?: string[];
  report?: TransferReport;
}

const ZERO_RE = /^0+$/;

/** Parses the hook's stdin, leaving out deletions (a local sha of zeros). */
export function parsePrePushLines(lines: string[]): PrePushResult['refs'] {
  const out: PrePushResult['refs'] = [];
  for (const line of lines) {
    const [localRef, localSha, remoteRef, remoteSha] = line.trim().split(/\s+/);
    if (!localSha || !remoteSha || ZERO_RE.test(localSha)) continue;
    out.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return out;
}

/**
 * Uploads the objects of the commits being pushed to the default mvgit remote: every pointer
 * in each pushed tip, and every pointer version that the new commits (reachable from the local
 * sha, not from the remote sha; or, for a new remote ref, not on any remote-tracking ref)
 * introduce. Checking the tips' pointers as well covers objects a stale remote-tracking ref
 * would hide. `MVGIT_SKIP_PUSH=1` skips.
 */
export async function prePush(req: PrePushRequest): Promise<PrePushResult> {
  const env = req.env ?? process.env;
  const refs = parsePrePushLines(req.lines);
  if (env.MVGIT_SKIP_PUSH === '1' || env.MVGIT_SKIP_PUSH === 'true') return { skipped: 'MVGIT_SKIP_PUSH', refs };
  const repo = findRepo(req.cwd);
  if (!isInitialized(repo)) return { skipped: 'not-initialized', refs };
  if (refs.length === 0) return { skipped: 'deletions-only', refs };

  // A pushed tag may name a tree or a blob: only commits carry pointers.
  const tips = [...new Set(refs.map((r) => r.localSha))].filter((sha) => commitExists(repo, sha));
  if (tips.length === 0) return { skipped: 'no-pointers', refs };
  const excludes: string[] = [];
  let anyNew = false;
  for (const r of refs) {
    // The remote's sha may be a commit this clone has never seen (someone else pushed it).
    const known = !ZERO_RE.test(r.remoteSha) && commitExists(repo, r.remoteSha);
    if (known) excludes.push(r.remoteSha);
    else anyNew = true;
  }
  const history = [...tips, '--not', ...excludes, ...(anyNew ? ['--remotes'] : [])];
  const { pointers } = await collectPointers(repo, { revs: tips, history });
  if (pointers.length === 0) return { skipped: 'no-pointers', refs };

  // A registry tag is a tip like any other: every pointer of its commit is uploaded, so a stage
  // or version pushed on its own (mvgit promote --push) never names bytes that are nowhere.
  const registryTags = refs
    .map((r) => r.localRef.replace(/^refs\/tags\//, ''))
    .filter((t, i) => refs[i].localRef.startsWith('refs/tags/') && parseRegistryTag(t) !== null);
  const ws = await openWorkspace({ cwd: req.cwd });
  const remote = await openRemote(ws.repo, ws.config);
  try {
    const report = await pushPointers(ws, remote, pointers, { jobs: req.jobs, onProgress: req.onProgress });
    return { refs, report, ...(registryTags.length > 0 ? { registryTags } : {}) };
  } finally {
    remote.close();
  }
}

function commitExists(repo: Parameters<typeof git>[0], sha: string): boolean {
  return git(repo, ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { allowFail: true }).trim() !== '';
}
