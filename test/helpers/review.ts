/** Steps the review tests share: a training run recorded the way a user records one. */
import { mvgitOk } from './repo.js';

/**
 * Records the dataset `data` and the model `model.pkl` trained on it, with the params and
 * metrics files the run wrote (`params.yaml`, `metrics.json`) and the dataset as its input.
 */
export function recordTrainingRun(repo: string): void {
  mvgitOk(repo, ['add', 'data', '--kind', 'dataset']);
  mvgitOk(repo, [
    'add',
    'model.pkl',
    '--kind',
    'model',
    '--params',
    'params.yaml',
    '--metrics',
    'metrics.json',
    '--input',
    'data',
  ]);
}
