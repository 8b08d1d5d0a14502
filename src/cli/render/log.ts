/**
 * `mvgit log` as a terminal table, a Markdown table or CSV. Params and metrics are flattened to
 * `a.b.c`; tags are shown the way `git log --decorate` shows them.
 */
import type { ArtifactVersion } from '../../core/history/log.js';
import { flatten } from '../../core/review/metrics.js';
import { formatValue } from './diff.js';
import { mdCode, mdTable, mdText } from './markdown.js';
import { bold, formatBytes, shortOid, table, yellow } from './style.js';

/** `2024-05-02T14:03:11+02:00` -> `2024-05-02 14:03`, in the author's own time, as git shows it. */
function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** `{train: {lr: 0.1}}` -> `train.lr=0.1`; `-` when there are none. */
function pairs(values: Record<string, unknown> | undefined): string {
  const flat = Object.entries(flatten(values));
  return flat.length === 0 ? '-' : flat.map(([k, v]) => `${k}=${formatValue(v)}`).join(' ');
}

function sizeOf(v: ArtifactVersion): string {
  return v.files !== undefined ? `${v.files} files, ${formatBytes(v.size ?? 0)}` : formatBytes(v.size ?? 0);
}

function subjectOf(v: ArtifactVersion): string {
  const renamed = v.renamedFrom ? ` (renamed from ${v.renamedFrom.replace(/\.mvgit\.yaml$/, '')})` : '';
  const tags = v.tags && v.tags.length > 0 ? `(${v.tags.map((t) => `tag: ${t}`).join(', ')}) ` : '';
  return tags + (v.subject.length > 60 ? `${v.subject.slice(0, 59)}…` : v.subject) + renamed;
}

/** The params column appears only when some version has params, so a plain log stays narrow. */
function withParams(versions: ArtifactVersion[]): boolean {
  return versions.some((v) => v.params && Object.keys(v.params).length > 0);
}

/** The terminal table. */
export function renderLogTable(versions: ArtifactVersion[]): string {
  const params = withParams(versions);
  const header = ['commit', 'date', 'author', 'oid', 'size', ...(params ? ['params'] : []), 'metrics', 'subject'];
  const rows = versions.map((v) => {
    const head = [v.commit.slice(0, 7), shortDate(v.date), v.author];
    if (v.error) return [...head, yellow('invalid'), '', ...(params ? [''] : []), v.error, subjectOf(v)];
    return [
      ...head,
      shortOid(v.oid ?? ''),
      sizeOf(v),
      ...(params ? [pairs(v.params)] : []),
      pairs(v.metrics),
      subjectOf(v),
    ];
  });
  return table([header.map((h) => bold(h)), ...rows]);
}

/** A Markdown table, for a pull request or a wiki page. */
export function renderLogMarkdown(versions: ArtifactVersion[]): string {
  const params = withParams(versions);
  const header = [
    'commit',
    'date',
    'author',
    'tags',
    'oid',
    'size',
    ...(params ? ['params'] : []),
    'metrics',
    'subject',
  ];
  const rows = versions.map((v) => [
    mdCode(v.commit.slice(0, 7)),
    shortDate(v.date),
    mdText(v.author),
    mdText((v.tags ?? []).join(', ')),
    v.error ? 'invalid' : mdCode(shortOid(v.oid ?? '')),
    v.error ? '' : sizeOf(v),
    ...(params ? [mdText(pairs(v.params))] : []),
    mdText(v.error ?? pairs(v.metrics)),
    mdText(v.subject),
  ]);
  return mdTable(header, rows).join('\n');
}

function csvField(value: unknown): string {
  const s = value === undefined ? '' : formatValue(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV (RFC 4180) with one column per param (`params.train.lr`) and per metric
 * (`metrics.accuracy`), full oids and sizes in bytes, for a spreadsheet or pandas.
 */
export function renderLogCsv(versions: ArtifactVersion[]): string {
  const names = (pick: (v: ArtifactVersion) => Record<string, unknown> | undefined): string[] =>
    [...new Set(versions.flatMap((v) => Object.keys(flatten(pick(v)))))].sort();
  const paramNames = names((v) => v.params);
  const metricNames = names((v) => v.metrics);
  const header = [
    'commit',
    'date',
    'author',
    'tags',
    'path',
    'oid',
    'size',
    'files',
    ...paramNames.map((n) => `params.${n}`),
    ...metricNames.map((n) => `metrics.${n}`),
    'subject',
  ];
  const rows = versions.map((v) => {
    const p = flatten(v.params);
    const m = flatten(v.metrics);
    return [
      v.commit,
      v.date,
      v.author,
      (v.tags ?? []).join(' '),
      v.path,
      v.oid,
      v.size,
      v.files,
      ...paramNames.map((n) => p[n]),
      ...metricNames.map((n) => m[n]),
      v.subject,
    ].map(csvField);
  });
  return [header.map(csvField), ...rows].map((r) => r.join(',')).join('\n');
}
