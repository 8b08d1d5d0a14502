/**
 * The model of `mvgit report`: what a pull request changes in its artifacts, as pure data for
 * the Markdown and HTML renderers. It reads pointers from git alone (a pull request from a fork
 * has no secrets, so no remote); the cache only adds a folder's file lists when it holds them.
 */
import { MvgitError } from '../../base/errors.js';
import { git } from '../../adapters/git/run.js';
import { artifactLog } from '../history/log.js';
import { pointersAt, resolveRev } from '../history/revision.js';
import type { LineageInput } from '../pointer/pointer.js';
import type { Repo } from '../repo/repo.js';
import type { ArtifactDiff } from './diff.js';
import { flatten, type Direction, type MetricChange } from './metrics.js';
import { diffRevisions, type DiffSide } from './revisions.js';

export interface ReportRequest {
  /** The older side; default: the merge-base of `head` with the default branch. */
  base?: string;
  /** The newer side; default: HEAD. */
  head?: string;
  /** At most this many versions per metric chart, the newest ones (default 30). */
  maxVersions?: number;
}

/** One version of an artifact in a metric chart, oldest first. */
export interface MetricPoint {
  commit: string;
  date: string;
  value: number;
}

/** One metric of one artifact across its versions on the head branch. */
export interface MetricSeries {
  metric: string;
  direction?: Direction;
  points: MetricPoint[];
}

/** One changed artifact: the comparison, the head's lineage, and its metrics' history. */
export interface ReportSection {
  diff: ArtifactDiff;
  /** The artifacts the head version was made from (the base's, when removed). */
  inputs: LineageInput[];
  /** Numeric metrics across the versions reachable from head; empty for a removed artifact. */
  series: MetricSeries[];
}

/** The largest metric change (by |percent|, else |delta|), better or worse. */
export interface BiggestChange {
  path: string;
  metric: MetricChange;
}

export interface ReportSummary {
  models: number;
  datasets: number;
  /** Artifacts of kind `artifact`. */
  others: number;
  biggest?: BiggestChange;
}

export interface Report {
  base: DiffSide & { commit: string };
  head: DiffSide & { commit: string };
  /** How the base was chosen: named, or the merge-base with this branch. */
  baseFrom: { mergeBaseWith: string } | { named: string };
  summary: ReportSummary;
  sections: ReportSection[];
}

const NO_DEFAULT_HINT =
  "pass --base REV (for example --base main), or name the remote's default branch: git remote set-head origin --auto";

/** The remote a bare `git push` would pick in most setups: origin, else the only one. */
function defaultRemote(repo: Repo): string | undefined {
  const remotes = git(repo, ['remote']).split('\n').filter(Boolean);
  return remotes.includes('origin') ? 'origin' : remotes.length === 1 ? remotes[0] : undefined;
}

function refExists(repo: Repo, ref: string): boolean {
  return git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFail: true }).trim() !== '';
}

/**
 * The default branch, as a ref: the default remote's HEAD (`origin/main`), else `main` or
 * `master` (the remote's, then the local one). Exported for tests of the fallback.
 */
export function defaultBranch(repo: Repo): string {
  const remote = defaultRemote(repo);
  if (remote) {
    const head = git(repo, ['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`], { allowFail: true }).trim();
    if (head.startsWith('refs/remotes/') && refExists(repo, head)) return head.slice('refs/remotes/'.length);
  }
  for (const name of ['main', 'master'])
    for (const ref of remote ? [`${remote}/${name}`, name] : [name]) if (refExists(repo, ref)) return ref;
  throw new MvgitError(
    'REV_NOT_FOUND',
    `no default branch to compare with: ${remote ? `${remote}/HEAD is not set and ` : 'no remote, and '}there is no main or master branch`,
    { hint: NO_DEFAULT_HINT },
  );
}

function mergeBase(repo: Repo, branch: string, head: string): string {
  const out = git(repo, ['merge-base', branch, head], { allowFail: true }).trim();
  if (!/^[0-9a-f]{40,64}$/.test(out)) {
    // CI checkouts are often shallow: the common commit exists, just not in this clone.
    const shallow = git(repo, ['rev-parse', '--is-shallow-repository'], { allowFail: true }).trim() === 'true';
    throw new MvgitError(
      'REV_NOT_FOUND',
      `${branch} and HEAD have no common commit${shallow ? ' in this shallow clone' : ''} to compare from`,
      {
        hint: shallow
          ? 'fetch the history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout), or pass --base REV'
          : 'pass --base REV to compare with a commit of your choice',
        data: { branch },
      },
    );
  }
  return out;
}

/** The change that moved most, relative to its old value where there is one. */
function biggestChange(diffs: ArtifactDiff[]): BiggestChange | undefined {
  let best: { size: number; byPercent: boolean; change: BiggestChange } | undefined;
  for (const d of diffs)
    for (const m of d.metrics) {
      if (m.delta === undefined || m.delta === 0) continue;
      const byPercent = m.percent !== undefined;
      const size = Math.abs(byPercent ? m.percent! : m.delta);
      // A percentage beats a bare delta: they are not in the same units.
      if (!best || (byPercent && !best.byPercent) || (byPercent === best.byPercent && size > best.size))
        best = { size, byPercent, change: { path: d.path, metric: m } };
    }
  return best?.change;
}

/** Each numeric metric across the versions of `path` reachable from `head`, oldest first. */
function seriesOf(repo: Repo, d: ArtifactDiff, head: string, max: number): MetricSeries[] {
  if (d.status === 'removed') return [];
  const versions = artifactLog(repo, d.path, { rev: head, limit: max, cwd: repo.root }).reverse();
  const directions = new Map(d.metrics.map((m) => [m.name, m.direction]));
  const byMetric = new Map<string, MetricPoint[]>();
  for (const v of versions)
    for (const [name, value] of Object.entries(flatten(v.metrics))) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const points = byMetric.get(name) ?? [];
      points.push({ commit: v.commit, date: v.date, value });
      byMetric.set(name, points);
    }
  return [...byMetric.keys()].sort().map((metric) => {
    const direction = directions.get(metric);
    return { metric, ...(direction ? { direction } : {}), points: byMetric.get(metric)! };
  });
}

/**
 * The report of what `head` changes against `base`: a summary, one section per changed
 * artifact, and each one's metric history on the head branch.
 *
 * @example
 * const r = await buildReport(repo, {}); // the merge-base with origin/HEAD's branch .. HEAD
 * console.log(r.summary.models, r.summary.biggest?.metric.name);
 */
export async function buildReport(repo: Repo, req: ReportRequest = {}): Promise<Report> {
  const headLabel = req.head ?? 'HEAD';
  const headCommit = resolveRev(repo, headLabel);
  let baseFrom: Report['baseFrom'];
  let base: Report['base'];
  if (req.base !== undefined) {
    base = { label: req.base, commit: resolveRev(repo, req.base) };
    baseFrom = { named: req.base };
  } else {
    const branch = defaultBranch(repo);
    base = { label: `merge-base with ${branch}`, commit: mergeBase(repo, branch, headCommit) };
    baseFrom = { mergeBaseWith: branch };
  }
  const baseCommit = base.commit;
  // Commits by oid, so a hint to fetch a folder's manifest names a revision that resolves.
  const { artifacts } = await diffRevisions(repo, { from: baseCommit, to: headCommit });
  const headPointers = new Map((await pointersAt(repo, headCommit)).map((p) => [p.path, p.pointer]));
  const basePointers = new Map((await pointersAt(repo, baseCommit)).map((p) => [p.path, p.pointer]));
  const max = req.maxVersions ?? 30;
  const sections = artifacts.map((d) => ({
    diff: d,
    inputs: (headPointers.get(d.path) ?? basePointers.get(d.oldPath ?? d.path))?.meta?.inputs ?? [],
    series: seriesOf(repo, d, headCommit, max),
  }));
  const count = (kind: string): number => artifacts.filter((d) => d.kind === kind).length;
  const biggest = biggestChange(artifacts);
  return {
    base,
    head: { label: headLabel, commit: headCommit },
    baseFrom,
    summary: {
      models: count('model'),
      datasets: count('dataset'),
      others: count('artifact'),
      ...(biggest ? { biggest } : {}),
    },
    sections,
  };
}
