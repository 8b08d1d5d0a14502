/**
 * The end-to-end team scenario, the same against every kind of remote: repo A tracks a model
 * and a dataset and `git push`es (the pre-push hook uploads); repo B clones, `mvgit init`,
 * `mvgit pull`s byte-identical files, commits a new model and pushes; A `git pull`s and the
 * post-merge hook puts B's model in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytes, git, gitResult, makeGitRepo, mvgitOk, sha256, writeFile } from './repo.js';

export interface TeamScenario {
  a: string;
  b: string;
  bare: string;
  model: Buffer;
  modelV2: Buffer;
  data: Record<string, Buffer>;
}

/**
 * Runs the scenario in `base`. `setupRemote(a)` makes the mvgit remote A's default (before the
 * first commit, so the clone gets it in .mvgit/config.yaml). `env` goes to git, the CLI and
 * the hooks (credentials for S3).
 */
export function runTeamScenario(
  base: string,
  setupRemote: (a: string) => void,
  env: NodeJS.ProcessEnv = {},
): TeamScenario {
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  mvgitOk(a, ['init'], env);
  setupRemote(a);
  const model = bytes(150_000, 11);
  const data: Record<string, Buffer> = {};
  for (let i = 0; i < 20; i++) data[`part-${String(i).padStart(2, '0')}.csv`] = bytes(1000 + i * 37, 100 + i);
  writeFile(a, 'models/churn.pkl', model);
  for (const [name, d] of Object.entries(data)) writeFile(a, `data/train/${name}`, d);
  mvgitOk(a, ['add', 'models/churn.pkl', '--kind', 'model'], env);
  mvgitOk(a, ['add', 'data/train', '--kind', 'dataset'], env);
  git(a, ['add', '-A'], env);
  git(a, ['commit', '-q', '-m', 'model and data'], env);

  const bare = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', '-b', 'main', bare], env);
  git(a, ['remote', 'add', 'origin', bare], env);
  const pushA = gitResult(a, ['push', '-u', 'origin', 'main'], env);
  expect(pushA.stderr).toContain('mvgit: Pushed 22 objects');
  expect(pushA.code).toBe(0);

  const b = path.join(base, 'b');
  git(base, ['clone', '-q', bare, b], env);
  mvgitOk(b, ['init'], env);
  const pulled = mvgitOk(b, ['pull'], env);
  expect(pulled).toContain('Fetched 22 objects');
  expect(sha256(fs.readFileSync(path.join(b, 'models/churn.pkl')))).toBe(sha256(model));
  for (const [name, d] of Object.entries(data))
    expect(sha256(fs.readFileSync(path.join(b, 'data/train', name)))).toBe(sha256(d));
  expect(fs.readdirSync(path.join(b, 'data/train')).sort()).toEqual(Object.keys(data).sort());

  const modelV2 = bytes(160_000, 12);
  writeFile(b, 'models/churn.pkl', modelV2);
  mvgitOk(b, ['add', 'models/churn.pkl'], env);
  git(b, ['commit', '-q', '-am', 'churn model v2'], env);
  const pushB = gitResult(b, ['push'], env);
  expect(pushB.stderr).toContain('mvgit: Pushed 1 object');
  expect(pushB.code).toBe(0);

  const pullA = gitResult(a, ['pull', '--ff-only'], env);
  expect(pullA.code).toBe(0);
  expect(sha256(fs.readFileSync(path.join(a, 'models/churn.pkl')))).toBe(sha256(modelV2));
  return { a, b, bare, model, modelV2, data };
}
