/**
 * Metrics and params for review: which way each metric is better (from `metrics:` in the
 * config), nested values flattened to `a.b.c`, and the change of one metric between versions.
 */
import { MvgitError } from '../../base/errors.js';
import { committedConfigFile, isMap, localConfigFile, readYamlFile, type Raw } from '../repo/config.js';
import type { Repo } from '../repo/repo.js';
import path from 'node:path';

export type Direction = 'higher' | 'lower';

/** How one metric is judged: which way is better, and how much worse still passes a gate. */
export interface MetricRule {
  direction: Direction;
  /** A change worse than this (in the metric's own units) is a regression; 0 by default. */
  tolerance: number;
}

/** Rules by metric name (flattened, `eval.auc`), as the config gives them. */
export type MetricRules = Record<string, MetricRule>;

/** How a metric moved: by its direction for numbers, by text for anything else. */
export type MetricStatus = 'better' | 'worse' | 'unchanged' | 'changed' | 'added' | 'removed';

/** One metric of one artifact, before and after. */
export interface MetricChange {
  name: string;
  old?: unknown;
  new?: unknown;
  /** new - old, for numbers. */
  delta?: number;
  /** The delta as a percentage of |old|, for numbers with a non-zero old value. */
  percent?: number;
  /** Absent for text metrics: they have no direction. */
  direction?: Direction;
  status: MetricStatus;
  /** Worse by more than the metric's tolerance: what `--fail-on-regression` fails on. */
  regression: boolean;
}

// Error-like names, where smaller is better, unless the config says otherwise.
const LOWER_IS_BETTER = /(loss|error|err|mse|mae|rmse|mape|perplexity)$/i;

/** The direction of a metric the config does not name: lower for loss/error/mse/mae/rmse, else higher. */
export function defaultDirection(name: string): Direction {
  const last = name.split('.').pop() ?? name;
  return LOWER_IS_BETTER.test(last) ? 'lower' : 'higher';
}

/** The rule for `name`: the config's, else the default direction with no tolerance. */
export function ruleFor(name: string, rules: MetricRules): MetricRule {
  return rules[name] ?? { direction: defaultDirection(name), tolerance: 0 };
}

/**
 * Validates a config's `metrics:` map (`{accuracy: higher}` or `{auc: {direction, tolerance}}`);
 * `file` names the config in errors.
 */
export function parseMetricRules(raw: unknown, file: string): MetricRules {
  if (raw === undefined || raw === null) return {};
  const bad = (key: string, msg: string): MvgitError =>
    new MvgitError('CONFIG_INVALID', `${file}: ${key} ${msg}`, {
      hint: `write it as 'metrics: { accuracy: higher, loss: lower }' or 'metrics: { auc: { direction: higher, tolerance: 0.005 } }'`,
      data: { file, key },
    });
  if (!isMap(raw)) throw bad('metrics', 'must be a mapping of metric names to higher or lower');
  const rules: MetricRules = {};
  for (const [name, value] of Object.entries(raw)) {
    const spec = isMap(value) ? value : { direction: value };
    const key = isMap(value) ? `metrics.${name}.direction` : `metrics.${name}`;
    for (const field of Object.keys(spec))
      if (field !== 'direction' && field !== 'tolerance') throw bad(`metrics.${name}.${field}`, 'is not a setting');
    const direction = spec.direction ?? defaultDirection(name);
    if (direction !== 'higher' && direction !== 'lower')
      throw bad(key, `must be higher or lower, got ${JSON.stringify(direction)}`);
    const tolerance = spec.tolerance ?? 0;
    if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0)
      throw bad(`metrics.${name}.tolerance`, `must be a number, 0 or more, got ${JSON.stringify(tolerance)}`);
    rules[name] = { direction, tolerance };
  }
  return rules;
}

/**
 * The metric rules of a repository: the committed config's, with the local one's over them.
 * Each file is checked on its own, so an error names the file that holds the problem.
 */
export async function loadMetricRules(repo: Repo): Promise<MetricRules> {
  const rules: MetricRules = {};
  for (const file of [committedConfigFile(repo), localConfigFile(repo)]) {
    const display = path.relative(repo.root, file) || file;
    const raw: Raw = await readYamlFile(file, display);
    Object.assign(rules, parseMetricRules(raw.metrics, display));
  }
  return rules;
}

/**
 * Nested values as one level of dotted keys: `{train: {lr: 0.1}}` -> `{'train.lr': 0.1}`.
 * Lists stay whole values: their items have no names.
 */
export function flatten(value: Record<string, unknown> | undefined, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isMap(v) && Object.keys(v).length > 0) Object.assign(out, flatten(v, key));
    else out[key] = v;
  }
  return out;
}

/** Float arithmetic leaves noise (0.94 - 0.931 = 0.009000000000000008); 12 digits is plenty. */
function clean(n: number): number {
  return Number(n.toPrecision(12));
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** How one metric changed between two versions. */
export function compareMetric(name: string, before: unknown, after: unknown, rule: MetricRule): MetricChange {
  const base = {
    name,
    ...(before !== undefined ? { old: before } : {}),
    ...(after !== undefined ? { new: after } : {}),
  };
  if (before === undefined) return { ...base, status: 'added', regression: false };
  if (after === undefined) return { ...base, status: 'removed', regression: false };
  if (!isNumber(before) || !isNumber(after)) {
    const same = JSON.stringify(before) === JSON.stringify(after);
    return { ...base, status: same ? 'unchanged' : 'changed', regression: false };
  }
  const delta = clean(after - before);
  const percent = before !== 0 ? clean((delta / Math.abs(before)) * 100) : undefined;
  const gain = rule.direction === 'higher' ? delta : -delta;
  const status: MetricStatus = gain > 0 ? 'better' : gain < 0 ? 'worse' : 'unchanged';
  return {
    ...base,
    delta,
    ...(percent !== undefined ? { percent } : {}),
    direction: rule.direction,
    status,
    regression: status === 'worse' && Math.abs(delta) > rule.tolerance,
  };
}

/** Every metric of two versions (flattened), changed or not, in name order. */
export function compareMetrics(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  rules: MetricRules,
): MetricChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return names.map((n) => compareMetric(n, a[n], b[n], ruleFor(n, rules)));
}

/**
 * Orders items best first by one metric, by its direction; items without it (or with a
 * non-number) go last, in their original order.
 */
export function sortByMetric<T>(
  items: T[],
  metricsOf: (item: T) => Record<string, unknown> | undefined,
  name: string,
  rules: MetricRules,
): T[] {
  const sign = ruleFor(name, rules).direction === 'higher' ? -1 : 1;
  const value = (item: T): number | undefined => {
    const v = flatten(metricsOf(item))[name];
    return isNumber(v) ? v : undefined;
  };
  return items
    .map((item, i) => ({ item, i, v: value(item) }))
    .sort((x, y) => {
      if (x.v === undefined || y.v === undefined) return x.v === y.v ? x.i - y.i : x.v === undefined ? 1 : -1;
      return x.v === y.v ? x.i - y.i : sign * (x.v - y.v);
    })
    .map((x) => x.item);
}
