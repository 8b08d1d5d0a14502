/** How the registry looks in a terminal: `mvgit ls`, `mvgit history`, `mvgit show NAME`. */
import type { RegistryWarning } from '../../core/history/registry-tags.js';
import type { ArtifactRegistryView, ArtifactSummary, HistoryEntry } from '../../core/registry/listing.js';
import type { RegistryWrite } from '../../core/registry/tags.js';
import { output } from '../output.js';
import { formatValue } from './diff.js';
import { bold, table, yellow } from './style.js';

/** The table of `mvgit ls`: one row per artifact, one column per stage (`#prod`, as GTO shows it). */
export function renderArtifactList(artifacts: ArtifactSummary[]): string {
  const stages = [...new Set(artifacts.flatMap((a) => Object.keys(a.stages)))].sort();
  const header = ['name', 'kind', 'path', 'latest', ...stages.map((s) => `#${s}`), 'metrics'];
  const rows = artifacts.map((a) => [
    a.deprecated ? `${a.name} (deprecated)` : a.name,
    a.kind ?? '-',
    a.path ?? '-',
    a.latest ?? '-',
    ...stages.map((s) => a.stages[s] ?? '-'),
    keyMetrics(a.metrics),
  ]);
  return table([header.map((h) => bold(h)), ...rows]);
}

/** The first few top-level metrics with number values: `accuracy=0.93 auc=0.96`. */
function keyMetrics(metrics: Record<string, unknown>): string {
  const shown = Object.entries(metrics)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 3)
    .map(([k, v]) => `${k}=${formatValue(v)}`);
  return shown.join(' ') || '-';
}

/** The table of `mvgit history`: newest first, one row per event. */
export function renderHistory(events: HistoryEntry[]): string {
  const header = ['time', 'artifact', 'event', 'version', 'stage', 'author', 'message'];
  const rows = events.map((e) => [
    e.time.replace('T', ' ').replace('Z', ''),
    e.name,
    e.from ? `rollback (from ${e.from})` : e.event,
    e.version ?? '-',
    e.stage ?? '-',
    e.author,
    e.message.split('\n')[0],
  ]);
  return table([header.map((h) => bold(h)), ...rows]);
}

/** `mvgit show NAME`: the artifact, its stages, and its versions highest first. */
export function renderArtifactView(v: ArtifactRegistryView): string {
  const head: [string, string][] = [
    ['name', v.deprecated ? `${v.name} (deprecated)` : v.name],
    ['path', v.path ?? '-'],
    ['kind', v.kind ?? '-'],
    ['latest', v.latest ?? '-'],
  ];
  for (const s of v.stages)
    head.push([`#${s.stage}`, `${s.version} (since ${s.since.replace('T', ' ').replace('Z', '')})`]);
  const rows = v.versions.map((x) => [
    x.version,
    x.commit.slice(0, 10),
    x.time.replace('T', ' ').replace('Z', ''),
    x.author,
    x.stages.join(', ') || '-',
  ]);
  return [
    table(head.map(([k, val]) => [bold(k), val])),
    '',
    table([['version', 'commit', 'registered', 'by', 'stages'].map((h) => bold(h)), ...rows]),
  ].join('\n');
}

/** Malformed registry tags, on stderr: listed, never fatal. */
export function printWarnings(warnings: RegistryWarning[]): void {
  for (const w of warnings) output().err(`${yellow('warning:', process.stderr)} tag '${w.tag}' ignored: ${w.problem}`);
}

/** What to say after tags were written: pushed where, or the command that pushes them. */
export function pushLine(write: RegistryWrite): string {
  if (write.pushedTo) return `Pushed ${write.tags.join(', ')} to ${write.pushedTo}.`;
  const quoted = write.tags.map((t) => (/[#!]/.test(t) ? `'${t}'` : t)).join(' ');
  return `To share it: git push origin ${quoted} (or pass --push)`;
}
