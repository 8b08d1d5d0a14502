/**
 * `mvgit diff` for people: plain lines for a terminal, Markdown for a pull request. Both say
 * better/worse in words, so the meaning never rests on a color or a symbol alone.
 */
import type { ArtifactDiff } from '../../core/review/diff.js';
import type { FolderChanges, FolderCounts } from '../../core/review/folder-changes.js';
import type { MetricChange } from '../../core/review/metrics.js';
import type { DiffResult } from '../../core/review/revisions.js';
import { mdCode, mdTable, mdText } from './markdown.js';
import { bold, formatBytes, green, red, shortOid } from './style.js';

/** How many file names of each kind a folder's change lists, unless --all. */
export const FOLDER_NAMES_SHOWN = 5;

/** A value as the user wrote it: numbers and text bare, anything else as JSON. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '-';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function signed(n: number, unit = ''): string {
  return `${n > 0 ? '+' : n < 0 ? '-' : '±'}${Math.abs(n)}${unit}`;
}

export function signedBytes(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '-' : '±'}${formatBytes(Math.abs(n))}`;
}

/** `+0.009 (+0.97%)`, or empty for a metric with no numeric change. */
export function deltaText(m: MetricChange): string {
  if (m.delta === undefined) return '';
  const pct = m.percent !== undefined ? ` (${signed(Number(m.percent.toFixed(2)), '%')})` : '';
  return `${signed(m.delta)}${pct}`;
}

export function statusWord(m: MetricChange, marks: boolean): string {
  const tail = m.status === 'worse' && !m.regression ? ' (within tolerance)' : '';
  if (!marks) return `${m.status}${tail}`;
  const mark = { better: '✅ ', worse: '❌ ', unchanged: '', changed: '', added: '', removed: '' }[m.status];
  return `${mark}${m.status}${tail}`;
}

function versionText(d: ArtifactDiff): { oid: string; size: string } {
  const o = d.old ? shortOid(d.old.oid) : '';
  const n = d.new ? shortOid(d.new.oid) : '';
  const oid = d.old && d.new ? (o === n ? o : `${o} -> ${n}`) : o || n;
  const size =
    d.old && d.new
      ? d.old.size === d.new.size
        ? formatBytes(d.new.size)
        : `${formatBytes(d.old.size)} -> ${formatBytes(d.new.size)} (${signedBytes(d.sizeDelta)})`
      : formatBytes((d.new ?? d.old)!.size);
  return { oid, size };
}

export function folderLines(f: FolderChanges | FolderCounts, all: boolean): string[] {
  if (f.source === 'pointers') {
    const counts = `${f.filesBefore ?? 0} -> ${f.filesAfter ?? 0} files`;
    return [`files: ${counts} (names unknown: ${f.hint})`];
  }
  const lines = [`files: ${f.added.length} added, ${f.removed.length} removed, ${f.modified.length} modified`];
  for (const [mark, names] of [
    ['+', f.added],
    ['-', f.removed],
    ['~', f.modified],
  ] as const) {
    const shown = all ? names : names.slice(0, FOLDER_NAMES_SHOWN);
    for (const n of shown) lines.push(`  ${mark} ${n}`);
    if (shown.length < names.length) lines.push(`  ${mark} … ${names.length - shown.length} more (--all lists them)`);
  }
  return lines;
}

function changedMetrics(d: ArtifactDiff): MetricChange[] {
  return d.metrics.filter((m) => m.status !== 'unchanged');
}

/** The diff as plain lines: one heading line per artifact, its changes indented below. */
export function renderDiffText(result: DiffResult, options: { all?: boolean } = {}): string {
  if (result.artifacts.length === 0) return `no artifact changed between ${result.from.label} and ${result.to.label}`;
  const out: string[] = [];
  for (const d of result.artifacts) {
    const v = versionText(d);
    const where = d.oldPath ? `${d.oldPath} -> ${d.path}` : d.path;
    out.push(`${bold(d.status)}  ${where}  ${d.kind}  ${v.oid}  ${v.size}`);
    for (const m of changedMetrics(d)) {
      const word = statusWord(m, false);
      const colored = m.status === 'better' ? green(word) : m.status === 'worse' ? red(word) : word;
      const delta = deltaText(m);
      out.push(
        `  metric ${m.name}: ${formatValue(m.old)} -> ${formatValue(m.new)}${delta ? ` ${delta}` : ''} ${colored}`,
      );
    }
    for (const p of d.params) out.push(`  param ${p.name}: ${formatValue(p.old)} -> ${formatValue(p.new)}`);
    for (const i of d.inputs)
      out.push(`  input ${i.path}: ${i.old ? shortOid(i.old) : '-'} -> ${i.new ? shortOid(i.new) : '-'}`);
    if (d.folder) for (const l of folderLines(d.folder, options.all === true)) out.push(`  ${l}`);
  }
  return out.join('\n');
}

/** The diff as Markdown: a summary table, then each artifact's metrics, params, inputs and files. */
export function renderDiffMarkdown(result: DiffResult, options: { all?: boolean } = {}): string {
  const title = `### mvgit diff: ${mdText(result.from.label)} → ${mdText(result.to.label)}`;
  if (result.artifacts.length === 0) return `${title}\n\nNo artifact changed.`;
  const out = [title, ''];
  const summary = result.artifacts.map((d) => {
    const v = versionText(d);
    const where = d.oldPath ? `${mdCode(d.oldPath)} → ${mdCode(d.path)}` : mdCode(d.path);
    return [where, d.status, d.kind, v.oid.replace('->', '→'), v.size.replace('->', '→')];
  });
  out.push(...mdTable(['artifact', 'change', 'kind', 'oid', 'size'], summary));
  const value = (v: unknown): string => mdText(formatValue(v));
  for (const d of result.artifacts) {
    const metrics = changedMetrics(d);
    if (metrics.length + d.params.length + d.inputs.length === 0 && !d.folder) continue;
    out.push('', `#### ${mdCode(d.path)}`);
    if (metrics.length > 0) {
      const rows = metrics.map((m) => {
        const pct = m.percent !== undefined ? signed(Number(m.percent.toFixed(2)), '%') : '';
        const delta = m.delta !== undefined ? signed(m.delta) : '';
        return [mdText(m.name), value(m.old), value(m.new), delta, pct, statusWord(m, true)];
      });
      out.push('', ...mdTable(['metric', 'old', 'new', 'Δ', '%', ''], rows));
    }
    if (d.params.length > 0)
      out.push(
        '',
        ...mdTable(
          ['param', 'old', 'new'],
          d.params.map((p) => [mdText(p.name), value(p.old), value(p.new)]),
        ),
      );
    if (d.inputs.length > 0) {
      const oid = (o: string | undefined): string => (o ? shortOid(o) : '-');
      out.push(
        '',
        ...mdTable(
          ['input', 'old', 'new'],
          d.inputs.map((i) => [mdCode(i.path), oid(i.old), oid(i.new)]),
        ),
      );
    }
    if (d.folder) {
      out.push('');
      const words: Record<string, string> = { '+': 'added', '-': 'removed', '~': 'modified' };
      for (const l of folderLines(d.folder, options.all === true)) {
        const [mark, name] = [l.trim()[0], l.trim().slice(2)];
        if (!l.startsWith('  ')) out.push(mdText(l));
        else out.push(`- ${words[mark]} ${name.startsWith('…') ? mdText(name) : mdCode(name)}`);
      }
    }
  }
  return out.join('\n');
}
