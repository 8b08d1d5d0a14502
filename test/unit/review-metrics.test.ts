/**
 * The review's metric rules: directions from the config or the metric's name, tolerances,
 * deltas that read as the user's numbers, params flattened to `a.b.c`, and ordering by a metric.
 */
import { isMvgitError } from '../../src/base/errors.js';
import {
  compareMetric,
  compareMetrics,
  defaultDirection,
  flatten,
  parseMetricRules,
  ruleFor,
  sortByMetric,
} from '../../src/core/review/metrics.js';
import { paramChanges } from '../../src/core/review/diff.js';

const higher = { direction: 'higher' as const, tolerance: 0 };
const lower = { direction: 'lower' as const, tolerance: 0 };

describe('directions', () => {
  test('error-like names are lower-is-better, everything else higher', () => {
    for (const n of ['loss', 'val_loss', 'error', 'mse', 'mae', 'rmse', 'eval.logloss', 'test.error'])
      expect([n, defaultDirection(n)]).toEqual([n, 'lower']);
    for (const n of ['accuracy', 'auc', 'f1', 'eval.precision', 'recall'])
      expect([n, defaultDirection(n)]).toEqual([n, 'higher']);
  });

  test('the config wins over the name; short and long forms', () => {
    const rules = parseMetricRules(
      { loss: 'higher', accuracy: 'lower', auc: { direction: 'higher', tolerance: 0.005 }, mse: { tolerance: 0.1 } },
      '.mvgit/config.yaml',
    );
    expect(rules).toEqual({
      loss: { direction: 'higher', tolerance: 0 },
      accuracy: { direction: 'lower', tolerance: 0 },
      auc: { direction: 'higher', tolerance: 0.005 },
      mse: { direction: 'lower', tolerance: 0.1 },
    });
    expect(ruleFor('f1', rules)).toEqual(higher);
    expect(parseMetricRules(undefined, 'x')).toEqual({});
  });

  test.each([
    [{ accuracy: 'up' }, 'metrics.accuracy must be higher or lower, got "up"'],
    [{ auc: { direction: 'down' } }, 'metrics.auc.direction must be higher or lower, got "down"'],
    [{ auc: { direction: 'higher', tolerance: -1 } }, 'metrics.auc.tolerance must be a number, 0 or more, got -1'],
    [{ auc: { direction: 'higher', tolerence: 0.1 } }, 'metrics.auc.tolerence is not a setting'],
    [['accuracy'], 'metrics must be a mapping of metric names to higher or lower'],
  ])('refuses %j with an error naming the file and key', (raw, message) => {
    try {
      parseMetricRules(raw, '.mvgit/config.yaml');
      throw new Error('accepted');
    } catch (err) {
      if (!isMvgitError(err, 'CONFIG_INVALID')) throw err;
      expect(err.message).toBe(`.mvgit/config.yaml: ${message}`);
      expect(err.hint).toContain('metrics: { accuracy: higher, loss: lower }');
    }
  });
});

describe('compareMetric', () => {
  test('deltas and percentages without float noise, judged by direction', () => {
    expect(compareMetric('accuracy', 0.931, 0.94, higher)).toEqual({
      name: 'accuracy',
      old: 0.931,
      new: 0.94,
      delta: 0.009,
      percent: 0.966702470462,
      direction: 'higher',
      status: 'better',
      regression: false,
    });
    const loss = compareMetric('loss', 0.187, 0.2, lower);
    expect([loss.delta, loss.status, loss.regression]).toEqual([0.013, 'worse', true]);
    expect(compareMetric('loss', 0.2, 0.187, lower).status).toBe('better');
    expect(compareMetric('auc', 0.9, 0.9, higher)).toMatchObject({ delta: 0, status: 'unchanged', regression: false });
  });

  test('a change within the tolerance is worse but no regression; beyond it is one', () => {
    const rule = { direction: 'higher' as const, tolerance: 0.005 };
    expect(compareMetric('auc', 0.962, 0.96, rule)).toMatchObject({ status: 'worse', regression: false });
    expect(compareMetric('auc', 0.962, 0.95, rule)).toMatchObject({ status: 'worse', regression: true });
  });

  test('no percentage from zero; text compared as text; added and removed', () => {
    expect(compareMetric('errors', 0, 3, lower)).not.toHaveProperty('percent');
    expect(compareMetric('stage', 'dev', 'prod', higher)).toEqual({
      name: 'stage',
      old: 'dev',
      new: 'prod',
      status: 'changed',
      regression: false,
    });
    expect(compareMetric('stage', 'dev', 'dev', higher).status).toBe('unchanged');
    expect(compareMetric('auc', undefined, 0.9, higher)).toEqual({
      name: 'auc',
      new: 0.9,
      status: 'added',
      regression: false,
    });
    expect(compareMetric('auc', 0.9, undefined, higher)).toEqual({
      name: 'auc',
      old: 0.9,
      status: 'removed',
      regression: false,
    });
  });

  test('nested metrics compare by dotted name, with the leaf name choosing the direction', () => {
    const changes = compareMetrics({ eval: { loss: 0.2, auc: 0.9 } }, { eval: { loss: 0.1, auc: 0.9 } }, {});
    expect(changes.map((c) => [c.name, c.direction, c.status])).toEqual([
      ['eval.auc', 'higher', 'unchanged'],
      ['eval.loss', 'lower', 'better'],
    ]);
  });
});

describe('flatten and params', () => {
  test('nested keys become a.b.c; lists and empty maps stay whole', () => {
    expect(flatten({ train: { n_estimators: 200, opt: { lr: 0.1 } }, seed: 42, layers: [64, 32], extra: {} })).toEqual({
      'train.n_estimators': 200,
      'train.opt.lr': 0.1,
      seed: 42,
      layers: [64, 32],
      extra: {},
    });
    expect(flatten(undefined)).toEqual({});
  });

  test('only the params that changed, added or removed', () => {
    expect(
      paramChanges(
        { train: { max_depth: 8, lr: 0.1 }, seed: 42, old: 1 },
        { train: { max_depth: 10, lr: 0.1 }, seed: 42, new: 2 },
      ),
    ).toEqual([
      { name: 'new', new: 2 },
      { name: 'old', old: 1 },
      { name: 'train.max_depth', old: 8, new: 10 },
    ]);
  });
});

test('sortByMetric: best first by direction, versions without the metric last', () => {
  const vs = [
    { m: { loss: 0.3, acc: 0.8 } },
    { m: { loss: 0.1, acc: 0.7 } },
    { m: {} },
    { m: { loss: 0.2, acc: 0.9 } },
  ];
  expect(sortByMetric(vs, (v) => v.m, 'loss', {}).map((v) => v.m.loss)).toEqual([0.1, 0.2, 0.3, undefined]);
  expect(sortByMetric(vs, (v) => v.m, 'acc', {}).map((v) => v.m.acc)).toEqual([0.9, 0.8, 0.7, undefined]);
  expect(sortByMetric(vs, (v) => v.m, 'acc', { acc: lower }).map((v) => v.m.acc)).toEqual([0.7, 0.8, 0.9, undefined]);
});
