import fs from 'node:fs';
import { findArtifact } from '../history/work-tree-pointers.js';
import { MvgitError } from '../../base/errors.js';
import type { LineageInput, PointerMeta } from '../pointer/pointer.js';
import { toRepoPath, type Repo } from '../repo/repo.js';

export interface MetaSources {
  /** A YAML or JSON file of parameters (params.yaml). */
  paramsFile?: string;
  /** A YAML or JSON file of metrics (metrics.json). */
  metricsFile?: string;
  /** Artifacts this one was made from, as paths; each must be tracked. */
  inputs?: string[];
  description?: string;
  framework?: string;
}

/** Reads a params or metrics file: a mapping of names to values, in YAML or JSON. */
export async function readValuesFile(file: string, what: 'params' | 'metrics'): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new MvgitError('PATH_NOT_FOUND', `${what} file ${file} does not exist`, {
      hint: `pass a YAML or JSON file: --${what} ${what === 'params' ? 'params.yaml' : 'metrics.json'}`,
    });
  }
  const { parse } = await import('yaml');
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new MvgitError(
      'USAGE',
      `${what} file ${file} is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`,
      { hint: 'fix the file, then run the command again' },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MvgitError('USAGE', `${what} file ${file} must hold a mapping of names to values`, {
      hint: 'for example: {"accuracy": 0.93, "auc": 0.96}',
    });
  }
  return value as Record<string, unknown>;
}

/** Builds pointer meta from the options of `mvgit add`. Inputs are resolved to their current oids. */
export async function collectMeta(repo: Repo, src: MetaSources, cwd?: string): Promise<PointerMeta> {
  const meta: PointerMeta = {};
  if (src.description !== undefined) meta.description = src.description;
  if (src.framework !== undefined) meta.framework = src.framework;
  if (src.paramsFile) meta.params = await readValuesFile(src.paramsFile, 'params');
  if (src.metricsFile) meta.metrics = await readValuesFile(src.metricsFile, 'metrics');
  if (src.inputs && src.inputs.length > 0) {
    meta.inputs = src.inputs.map((p): LineageInput => {
      const repoPath = toRepoPath(repo, p, cwd);
      const a = findArtifact(repo, repoPath);
      if (!a)
        throw new MvgitError('NOT_TRACKED', `input ${p} is not a tracked artifact`, {
          hint: `add it first: mvgit add ${p} --kind dataset`,
        });
      return { path: repoPath, oid: a.pointer.oid };
    });
  }
  return meta;
}
