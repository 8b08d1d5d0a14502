/**
 * Reading params and metrics files: the one reader behind `mvgit add --params/--metrics` and
 * the files a tracking rule names (`mvgit track --params/--metrics`).
 */
import fs from 'node:fs';
import { MvgitError } from '../../base/errors.js';
import type { PointerMeta } from '../pointer/pointer.js';
import { absPath, type Repo } from '../repo/repo.js';

export interface MetaSources {
  /** A YAML or JSON file of parameters (params.yaml). */
  paramsFile?: string;
  /** A YAML or JSON file of metrics (metrics.json). */
  metricsFile?: string;
  description?: string;
  framework?: string;
}

type Values = Record<string, unknown>;

/**
 * Reads a params or metrics file: a mapping of names to values, in YAML or JSON, nested as in
 * the file. Values that are not numbers (a note, a label) are kept as they are.
 * `display` names the file in errors (the path the user wrote, or the rule's repo path).
 */
export async function readValuesFile(
  file: string,
  what: 'params' | 'metrics',
  display: string = file,
  source = `--${what}`,
): Promise<Values> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new MvgitError(
      missing ? 'PATH_NOT_FOUND' : 'IO_FAILED',
      `${what} file ${display} ${missing ? 'does not exist' : `cannot be read: ${(err as Error).message}`}`,
      {
        hint: `write it before recording (the training script usually does), or change ${source}; it must be YAML or JSON such as ${what === 'params' ? 'params.yaml' : 'metrics.json'}`,
        data: { file: display },
      },
    );
  }
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new MvgitError(
      'META_INVALID',
      `${what} file ${display} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0].replace(/:$/, '')}`,
      {
        hint: 'fix the file (or let the training script write it again), then run the command again',
        data: { file: display },
      },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MvgitError('META_INVALID', `${what} file ${display} must hold a mapping of names to values`, {
      hint: 'for example: {"accuracy": 0.93, "auc": 0.96}',
      data: { file: display },
    });
  }
  return value as Values;
}

/** Reads several params or metrics files (repo paths) into one mapping; a later file's keys win. */
export async function readValueFiles(repo: Repo, files: string[], what: 'params' | 'metrics'): Promise<Values> {
  let out: Values = {};
  for (const f of files)
    out = mergeDeep(
      out,
      await readValuesFile(absPath(repo, f), what, f, `the tracking rule's ${what} in .mvgit/config.yaml`),
    );
  return out;
}

function mergeDeep(a: Values, b: Values): Values {
  const out: Values = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isValues(v) && isValues(out[k]) ? mergeDeep(out[k] as Values, v) : v;
  return out;
}

function isValues(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when two values hold the same data, whatever the order of keys. */
export function sameValues(a: unknown, b: unknown): boolean {
  if (isValues(a) && isValues(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && sameValues(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValues(x, b[i]));
  return a === b;
}

/** Builds pointer meta from the options of `mvgit add` (inputs are resolved when recording: lineage.ts). */
export async function collectMeta(src: MetaSources): Promise<PointerMeta> {
  const meta: PointerMeta = {};
  if (src.description !== undefined) meta.description = src.description;
  if (src.framework !== undefined) meta.framework = src.framework;
  if (src.paramsFile) meta.params = await readValuesFile(src.paramsFile, 'params');
  if (src.metricsFile) meta.metrics = await readValuesFile(src.metricsFile, 'metrics');
  return meta;
}
