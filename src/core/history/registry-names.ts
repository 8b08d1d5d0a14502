/**
 * Artifact names: the `artifacts:` map of `.mvgit/config.yaml` (`churn: models/churn.pkl`),
 * else a name derived from the file name (`models/Churn_v2.pkl` -> `churn-v2`). Names follow
 * GTO's rule, so a name mvgit writes is one GTO reads.
 */
import { MvgitError } from '../../base/errors.js';
import { isMap, type Raw } from '../repo/config.js';

/** The names mvgit writes: lowercase GTO names (`[a-z0-9]([a-z0-9-/]*[a-z0-9])?`). */
export const ARTIFACT_NAME_RE = /^[a-z0-9](?:[a-z0-9\-/]*[a-z0-9])?$/;

/** True for a name mvgit may write. */
export function isArtifactName(name: string): boolean {
  return ARTIFACT_NAME_RE.test(name);
}

/** A name that is not valid, with how to pick one. */
export function badNameError(name: string): MvgitError {
  return new MvgitError(
    'REGISTRY_BAD_NAME',
    `'${name}' is not an artifact name: use lowercase letters, digits, '-' and '/', starting and ending with a letter or digit`,
    {
      hint: "e.g. 'churn' or 'models/churn'; set one in .mvgit/config.yaml under artifacts: (churn: models/churn.pkl)",
    },
  );
}

/**
 * The name a path takes when the config names none: the file name without its extension,
 * lowercased, `_` and `.` as `-`, anything else outside the rule dropped. Null when nothing
 * usable is left (`models/___.pkl`).
 */
export function deriveName(artifactPath: string): string | null {
  const base = artifactPath.replace(/\/+$/, '').split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const name = stem
    .toLowerCase()
    .replace(/[_.]/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return isArtifactName(name) ? name : null;
}

/**
 * The `artifacts:` map of a parsed config: name -> repo path. `where` names the file in errors
 * (`.mvgit/config.yaml`, or `.mvgit/config.yaml at 1a2b3c4d5e`).
 */
export function artifactsMap(raw: Raw, where: string): Record<string, string> {
  const map = raw.artifacts;
  if (map === undefined || map === null) return {};
  const bad = (msg: string): MvgitError =>
    new MvgitError('CONFIG_INVALID', `${where}: ${msg}`, {
      hint: 'write it as artifacts: { churn: models/churn.pkl }, one name per artifact path',
      data: { file: where },
    });
  if (!isMap(map)) throw bad("'artifacts' must map names to paths");
  const out: Record<string, string> = {};
  const byPath = new Map<string, string>();
  for (const [name, p] of Object.entries(map)) {
    if (!isArtifactName(name))
      throw bad(`artifacts: '${name}' is not a valid name (lowercase letters, digits, '-', '/')`);
    if (typeof p !== 'string' || p === '' || p.startsWith('/') || p.split('/').includes('..'))
      throw bad(`artifacts.${name} must be a path inside the repository`);
    const path = p.replace(/\/+$/, '');
    const other = byPath.get(path);
    if (other !== undefined) throw bad(`artifacts '${other}' and '${name}' both name ${path}`);
    byPath.set(path, name);
    out[name] = path;
  }
  return out;
}

/**
 * Every artifact's name: the config's map first, then the derived name of each other path.
 * Two paths that derive to one name are an error naming both, unless the map settles it.
 */
export function nameArtifacts(paths: string[], map: Record<string, string>): Map<string, string> {
  const names = new Map<string, string>(Object.entries(map));
  const mapped = new Set(Object.values(map));
  const derivedBy = new Map<string, string>();
  for (const p of paths) {
    if (mapped.has(p)) continue;
    const name = deriveName(p);
    if (name === null || map[name] !== undefined) continue;
    const other = derivedBy.get(name);
    if (other !== undefined) throw nameConflict(name, other, p);
    derivedBy.set(name, p);
    names.set(name, p);
  }
  return names;
}

/** Two paths that would take one name. */
export function nameConflict(name: string, a: string, b: string): MvgitError {
  return new MvgitError('REGISTRY_NAME_CONFLICT', `${a} and ${b} would both be named '${name}'`, {
    hint: `name them in .mvgit/config.yaml, e.g.\n  artifacts:\n    ${name}: ${a}\n    ${name}-2: ${b}`,
    data: { name, paths: [a, b] },
  });
}
