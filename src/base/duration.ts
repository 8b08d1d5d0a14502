import { MvgitError } from './errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration written as `90s`, `30m`, `1h`, `2d`, `1w`, a number of seconds, or `now`
 * (zero). `where` names the setting in errors.
 * @example parseDuration('1h', 'gc.keepRecent') // 3600000
 */
export function parseDuration(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (value === 'now') return 0;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/.exec(value) : null;
  if (!m) {
    throw new MvgitError('CONFIG_INVALID', `${where} must be a duration such as 1h, got ${JSON.stringify(value)}`, {
      hint: `use a number with s, m, h, d or w (30m, 1h, 2d), or 0; for example: mvgit config ${where} 1h`,
    });
  }
  return Math.round(parseFloat(m[1]) * UNIT_MS[m[2] || 's']);
}
