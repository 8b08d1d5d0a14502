/**
 * `mvgit report` as Markdown for a pull request comment: a hidden marker (so a CI job edits
 * its previous comment instead of adding one), a summary line, a table per changed artifact,
 * and each model's metric history as a Mermaid chart, which GitHub draws with no image host.
 * The rows and the summary are built here once, as plain text, for the HTML report too.
 */
import type { ReportSection, Report, MetricSeries } from '../../core/review/report.js';
import type { MetricStatus } from '../../core/review/metrics.js';
import { deltaText, folderLines, formatValue, signedBytes, statusWord } from './diff.js';
import { mdCode, mdTable, mdText } from './markdown.js';
import { formatBytes, shortOid } from './style.js';

/** The marker a CI job finds its own comment by. */
export const REPORT_MARKER = '<!-- mvgit-report -->';

/** One row of an artifact's table; every string is plain text, escaped by the renderer. */
export interface ReportRow {
  what: 'size' | 'files' | 'metric' | 'param' | 'input';
  /** The metric, param or input: shown as code. */
  name?: string;
  base: string;
  head: string;
  change: string;
  status?: MetricStatus;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const commitOf = (side: { label: string; commit: string }): string => `${side.label} (${side.commit.slice(0, 7)})`;

/** `Δ` of two counts or sizes: `+1`, `-2`, `±0`. */
function signedCount(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '-' : '±'}${Math.abs(n)}`;
}

/** The rows of one artifact's table: size, file counts, metrics, changed params, lineage. */
export function reportRows(s: ReportSection): ReportRow[] {
  const d = s.diff;
  const rows: ReportRow[] = [
    {
      what: 'size',
      base: d.old ? formatBytes(d.old.size) : '-',
      head: d.new ? formatBytes(d.new.size) : '-',
      change: d.old && d.new ? signedBytes(d.sizeDelta) : d.status,
    },
  ];
  if (d.old?.files !== undefined || d.new?.files !== undefined) {
    const [a, b] = [d.old?.files, d.new?.files];
    rows.push({ what: 'files', base: formatValue(a), head: formatValue(b), change: signedCount((b ?? 0) - (a ?? 0)) });
  }
  for (const m of d.metrics) {
    const delta = deltaText(m);
    const change = `${delta ? `${delta} ` : ''}${statusWord(m, true)}`;
    rows.push({
      what: 'metric',
      name: m.name,
      base: formatValue(m.old),
      head: formatValue(m.new),
      change,
      status: m.status,
    });
  }
  for (const p of d.params)
    rows.push({
      what: 'param',
      name: p.name,
      base: formatValue(p.old),
      head: formatValue(p.new),
      change: p.old === undefined ? 'added' : p.new === undefined ? 'removed' : 'changed',
    });
  const changed = new Map(d.inputs.map((i) => [i.path, i]));
  const inputPaths = [...new Set([...s.inputs.map((i) => i.path), ...changed.keys()])].sort();
  for (const path of inputPaths) {
    const c = changed.get(path);
    const now = s.inputs.find((i) => i.path === path)?.oid;
    const [a, b] = c ? [c.old, c.new] : [now, now];
    const change = !c ? 'unchanged' : !a ? 'added' : !b ? 'removed' : 'changed';
    rows.push({ what: 'input', name: path, base: a ? shortOid(a) : '-', head: b ? shortOid(b) : '-', change });
  }
  return rows;
}

/** The summary as plain text pieces: the counts, then the biggest change (path and metric apart). */
export function summaryParts(r: Report): { counts: string; biggest?: { path: string; metric: string; rest: string } } {
  const { models, datasets, others } = r.summary;
  if (r.sections.length === 0) return { counts: 'No artifact changed' };
  const counts = `${plural(models, 'model')}, ${plural(datasets, 'dataset')}${others > 0 ? `, ${plural(others, 'other artifact')}` : ''} changed`;
  const b = r.summary.biggest;
  if (!b) return { counts };
  const m = b.metric;
  const rest = `${formatValue(m.old)} → ${formatValue(m.new)} ${deltaText(m)} ${statusWord(m, true)}`;
  return { counts, biggest: { path: b.path, metric: m.name, rest } };
}

/** The names of a folder's changed files, `[word, name]`, or a note when the cache lacks them. */
export function folderNames(s: ReportSection): { names: [string, string][]; note?: string } {
  const f = s.diff.folder;
  if (!f) return { names: [] };
  if (f.source === 'pointers') return { names: [], note: `file names unknown: ${f.hint}` };
  const words: Record<string, string> = { '+': 'added', '-': 'removed', '~': 'modified' };
  const names = folderLines(f, false)
    .filter((l) => l.startsWith('  '))
    .map((l): [string, string] => [words[l.trim()[0]], l.trim().slice(2)]);
  return { names };
}

/** A series' chart title: `model.pkl: accuracy (higher is better)`. */
export function seriesTitle(path: string, s: MetricSeries): string {
  return `${path}: ${s.metric}${s.direction ? ` (${s.direction} is better)` : ''}`;
}

/** Text inside a Mermaid string: no quotes, brackets or anything its parser reads. */
function mermaidText(s: string): string {
  return s.replace(/[^\w .:/@+=,()-]/g, '_');
}

function mermaidChart(path: string, s: MetricSeries): string[] {
  const labels = s.points.map((p) => `"${p.commit.slice(0, 7)}"`).join(', ');
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidText(seriesTitle(path, s))}"`,
    `  x-axis [${labels}]`,
    `  y-axis "${mermaidText(s.metric)}"`,
    `  line [${s.points.map((p) => String(p.value)).join(', ')}]`,
    '```',
  ];
}

function rowCells(row: ReportRow): string[] {
  const what = row.name !== undefined ? `${row.what} ${mdCode(row.name)}` : row.what;
  return [what, mdText(row.base), mdText(row.head), mdText(row.change)];
}

/**
 * The report as a pull request comment.
 * @example process.stdout.write(renderReportMarkdown(await report({})))
 */
export function renderReportMarkdown(r: Report): string {
  const out = [REPORT_MARKER, `### mvgit report: ${mdText(commitOf(r.base))} → ${mdText(commitOf(r.head))}`, ''];
  const sum = summaryParts(r);
  const biggest = sum.biggest
    ? ` Biggest metric change: ${mdCode(sum.biggest.path)} ${mdCode(sum.biggest.metric)} ${mdText(sum.biggest.rest)}.`
    : '';
  out.push(`**${sum.counts}.**${biggest}`);
  for (const s of r.sections) {
    const d = s.diff;
    const renamed = d.oldPath ? ` from ${mdCode(d.oldPath)}` : '';
    out.push('', `#### ${mdCode(d.path)} (${d.kind}, ${d.status}${renamed})`, '');
    out.push(...mdTable(['', 'base', 'head', 'change'], reportRows(s).map(rowCells)));
    const files = folderNames(s);
    if (files.note) out.push('', `_${mdText(files.note)}_`);
    if (files.names.length > 0) out.push('', ...files.names.map(([word, name]) => `- ${word} ${mdCode(name)}`));
    for (const series of s.series) if (series.points.length > 0) out.push('', ...mermaidChart(d.path, series));
  }
  return out.join('\n');
}
