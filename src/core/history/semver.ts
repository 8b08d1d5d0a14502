/**
 * Semantic versions as GTO writes them in tags: `v` + MAJOR.MINOR.PATCH, an optional
 * `-prerelease` and `+build`. Ordered by semver's precedence rules (build metadata ignored),
 * which is how GTO picks `latest`.
 */

/** GTO's semver pattern (gto/constants.py), without the leading `v`. */
export const SEMVER_SOURCE =
  '(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?';

const SEMVER_RE = new RegExp(`^v${SEMVER_SOURCE}$`);

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

/** Parses `vX.Y.Z[-pre][+build]`; null when the text is not one. */
export function parseSemVer(text: string): SemVer | null {
  const m = SEMVER_RE.exec(text);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split('.') : [] };
}

/** True for `vX.Y.Z[-pre][+build]`. */
export function isSemVer(text: string): boolean {
  return SEMVER_RE.test(text);
}

/** Semver precedence of two version texts (both valid): negative when `a` comes first. */
export function compareSemVer(a: string, b: string): number {
  const x = parseSemVer(a);
  const y = parseSemVer(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  const core = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
  if (core !== 0) return core;
  // A release ranks above its prereleases: 1.0.0-rc.1 < 1.0.0.
  if (x.prerelease.length === 0 || y.prerelease.length === 0) return y.prerelease.length - x.prerelease.length;
  for (let i = 0; i < Math.min(x.prerelease.length, y.prerelease.length); i++) {
    const c = compareIdentifier(x.prerelease[i], y.prerelease[i]);
    if (c !== 0) return c;
  }
  return x.prerelease.length - y.prerelease.length;
}

function compareIdentifier(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1; // numeric identifiers rank below alphanumeric ones
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The next version: `bump` one part of `from` (prerelease dropped), as GTO's --bump-* does (python-semver: v1.0.0-rc.1 -> v1.0.1). */
export function bumpSemVer(from: string, bump: 'major' | 'minor' | 'patch'): string {
  const v = parseSemVer(from);
  if (!v) throw new Error(`not a semantic version: ${from}`);
  if (bump === 'major') return `v${v.major + 1}.0.0`;
  if (bump === 'minor') return `v${v.major}.${v.minor + 1}.0`;
  return `v${v.major}.${v.minor}.${v.patch + 1}`;
}
