/**
 * A pointer as lines a reviewer reads, for git's textconv (`git diff`, `git log -p`, `git show`
 * of `*.mvgit.yaml`): one fact a line, so git's own line diff says which param, metric, input or
 * file of a folder changed. Pure: the caller reads the pointer and, for a folder, its manifest.
 */
import { formatBytes } from '../../base/format.js';
import type { ManifestEntry } from '../pointer/manifest.js';
import { oidHex, type Pointer } from '../pointer/pointer.js';
import { flatten } from './metrics.js';

/** Hex digits shown of an oid: enough to tell versions apart, short enough to read. */
const SHORT = 12;

/** A folder's files, when its manifest is in the cache; `missing` when it is not. */
export type FolderFiles = ManifestEntry[] | 'missing';

const short = (hex: string): string => hex.slice(0, SHORT);

/** Text as is, anything else as JSON, so `0.1` and `'0.1'` read differently. */
function value(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The lines of a pointer. `files` lists a folder's files (pass it for folders only); without
 * it a folder says how to get the list.
 *
 * @example
 * pointerLines(parsePointer(text, file)) // ['kind: model', 'path: churn.pkl', 'oid: 9f86d081884c (sha256)', ...]
 */
export function pointerLines(p: Pointer, files?: FolderFiles): string[] {
  const meta = p.meta ?? {};
  const lines = [
    `kind: ${p.kind}`,
    `path: ${p.path}`,
    `oid: ${short(oidHex(p.oid))} (sha256)`,
    `size: ${p.size < 1024 ? `${p.size} bytes` : `${formatBytes(p.size)} (${p.size} bytes)`}`,
  ];
  if (p.files !== undefined) lines.push(`files: ${p.files}`);
  if (meta.framework !== undefined) lines.push(`framework: ${meta.framework}`);
  if (meta.description !== undefined) lines.push(`description: ${meta.description.replace(/\s*\n\s*/g, ' ')}`);
  for (const [kind, map] of [
    ['param', meta.params],
    ['metric', meta.metrics],
  ] as const) {
    const flat = flatten(map);
    for (const name of Object.keys(flat).sort()) lines.push(`${kind} ${name} = ${value(flat[name])}`);
  }
  for (const input of [...(meta.inputs ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    lines.push(`input ${input.path} = ${short(oidHex(input.oid))}`);
  if (files === 'missing') lines.push('files: (manifest not in the cache: mvgit fetch --rev REV lists them)');
  else if (files)
    for (const f of files) lines.push(`file ${f.path} ${short(f.oid)} (${f.size} bytes${f.x ? ', executable' : ''})`);
  return lines;
}
