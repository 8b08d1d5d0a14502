/**
 * Resolving registry references through real git tags: in a work tree and in a bare clone, with
 * names from the config at the resolved commit or from file names, and every way it can fail.
 */
import { MvgitError } from '../../src/base/errors.js';
import { resolveRev } from '../../src/core/history/revision.js';
import { resolveArtifactRef } from '../../src/core/history/registry-ref.js';
import { registryFor } from '../../src/core/history/registry-lookup.js';
import { readRegistry } from '../../src/core/history/registry-state.js';
import { registryTagPrefix } from '../../src/core/history/registry-tags.js';
import { tagsByCommit } from '../../src/core/history/tags.js';
import { init } from '../../src/core/repo/init.js';
import { openWorkspace } from '../../src/core/repo/workspace.js';
import { addPaths } from '../../src/core/workspace/add.js';
import { cleanup, git, makeGitRepo, tempDir, writeFile } from '../helpers/repo.js';

let dir: string;
let second = 1_700_000_000;

/** An annotated tag made at its own second, the way `mvgit version` or `gto` would make it. */
function tag(name: string, rev = 'HEAD', message = name): void {
  second += 10;
  git(dir, ['tag', '-a', name, rev, '-m', message], { GIT_COMMITTER_DATE: `${second} +0000` });
}

async function commitModel(rel: string, content: string, message: string): Promise<string> {
  writeFile(dir, rel, content);
  await addPaths(await openWorkspace({ cwd: dir }), [rel], { cwd: dir, kind: 'model' });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

async function rejects(fn: () => unknown, code: string, message: string): Promise<MvgitError> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MvgitError);
  expect((err as MvgitError).code).toBe(code);
  expect((err as MvgitError).message).toBe(message);
  return err as MvgitError;
}

let c1: string;
let c2: string;
let c3: string;
beforeEach(async () => {
  dir = makeGitRepo();
  init(dir);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'mvgit init']);
  c1 = await commitModel('models/churn.pkl', 'one', 'v1');
  tag('churn@v0.1.0');
  c2 = await commitModel('models/churn.pkl', 'two', 'v2');
  tag('churn@v0.2.0');
  c3 = await commitModel('models/churn.pkl', 'three', 'v3');
  tag('churn@v0.3.0');
  tag('churn#prod#1', c2);
  tag('churn#prod#2', c3);
});
afterEach(() => cleanup(dir));

test('a version, a stage and latest resolve to their commits and the artifact path', async () => {
  const repo = { root: dir };
  expect(await resolveArtifactRef(repo, 'churn@v0.1.0')).toEqual({
    ref: 'churn@v0.1.0',
    name: 'churn',
    version: 'v0.1.0',
    stage: null,
    commit: c1,
    tag: 'churn@v0.1.0',
    path: 'models/churn.pkl',
    pointerPath: 'models/churn.pkl.mvgit.yaml',
  });
  expect(await resolveArtifactRef(repo, 'churn#prod')).toMatchObject({
    version: 'v0.3.0',
    commit: c3,
    tag: 'churn#prod#2',
  });
  expect(await resolveArtifactRef(repo, 'churn@latest')).toMatchObject({ version: 'v0.3.0', commit: c3 });
  expect(await resolveArtifactRef(repo, 'churn@v0.2.0', { names: { churn: 'models/churn.pkl' } })).toMatchObject({
    commit: c2,
  });
});

test('a bare clone resolves the same, and resolveRev takes registry references', async () => {
  const bare = tempDir();
  try {
    git(bare, ['clone', '-q', '--bare', dir, 'r.git']);
    const hit = await resolveArtifactRef({ root: `${bare}/r.git` }, 'churn#prod');
    expect(hit).toMatchObject({ version: 'v0.3.0', commit: c3, path: 'models/churn.pkl' });
  } finally {
    cleanup(bare);
  }
  expect(resolveRev({ root: dir }, 'churn@v0.2.0')).toBe(c2);
  expect(resolveRev({ root: dir }, 'churn#prod')).toBe(c3);
  expect(resolveRev({ root: dir }, 'main')).toBe(c3);
});

test('the artifacts map of the config at the resolved commit names the path', async () => {
  writeFile(dir, '.mvgit/config.yaml', 'track: []\nartifacts:\n  churn: models/churn-final.pkl\n');
  const c4 = await commitModel('models/churn-final.pkl', 'four', 'renamed');
  tag('churn@v0.4.0');
  expect(await resolveArtifactRef({ root: dir }, 'churn@v0.4.0')).toMatchObject({
    commit: c4,
    path: 'models/churn-final.pkl',
  });
  // The older commit has no map: its path comes from the file name.
  expect(await resolveArtifactRef({ root: dir }, 'churn@v0.1.0')).toMatchObject({ path: 'models/churn.pkl' });
});

test('unknown name, version or stage: errors with hints', async () => {
  const repo = { root: dir };
  const e1 = await rejects(
    () => resolveArtifactRef(repo, 'chrun#prod'),
    'REGISTRY_UNKNOWN_NAME',
    "no artifact named 'chrun' in the registry",
  );
  expect(e1.hint).toBe('known artifacts: churn (mvgit ls)');
  const e2 = await rejects(
    () => resolveArtifactRef(repo, 'churn@v9.0.0'),
    'REGISTRY_UNKNOWN_VERSION',
    'churn has no version v9.0.0',
  );
  expect(e2.hint).toBe('its versions: v0.3.0, v0.2.0, v0.1.0 (mvgit show churn)');
  const e3 = await rejects(
    () => resolveArtifactRef(repo, 'churn#staging'),
    'REGISTRY_UNKNOWN_STAGE',
    "churn has no version in stage 'staging'",
  );
  expect(e3.hint).toBe('its stages: prod (v0.3.0); assign one with mvgit promote churn VERSION staging');
  await rejects(
    () => resolveRev(repo, 'chrun@latest'),
    'REGISTRY_UNKNOWN_NAME',
    "no artifact named 'chrun' in the registry",
  );
  tag('churn@v0.1.0!');
  await rejects(
    () => resolveArtifactRef(repo, 'churn@v0.1.0'),
    'REGISTRY_UNKNOWN_VERSION',
    'churn@v0.1.0 was deregistered',
  );
});

test('a version on a commit where the artifact does not exist', async () => {
  tag('churn@v0.0.1', 'HEAD~3');
  await rejects(
    () => resolveArtifactRef({ root: dir }, 'churn@v0.0.1'),
    'REGISTRY_ARTIFACT_MISSING',
    `churn@v0.0.1 names commit ${git(dir, ['rev-parse', 'HEAD~3']).trim().slice(0, 10)}, but no artifact there is named 'churn' (by .mvgit/config.yaml or by its file name)`,
  );
});

test('hand-made tags that look like ours but are malformed are warnings, never a crash', async () => {
  tag('churn@v1.0');
  tag('churn#prod#x');
  git(dir, ['tag', 'churn@v0.9.0']); // lightweight
  tag('release-1');
  const state = readRegistry({ root: dir });
  expect(state.warnings).toEqual([
    { tag: 'churn#prod#x', problem: 'the counter after the last # must be a number' },
    { tag: 'churn@v0.9.0', problem: 'a lightweight tag: registry tags are annotated (git tag -a), GTO skips it too' },
    { tag: 'churn@v1.0', problem: "'v1.0' is not a semantic version (vMAJOR.MINOR.PATCH, e.g. v1.2.0)" },
  ]);
  expect((await resolveArtifactRef({ root: dir }, 'churn#prod')).version).toBe('v0.3.0');
});

test("one artifact's part of the registry: its own tags only, the same state as in the whole", async () => {
  const c4 = await commitModel('data/churn-data.csv', 'rows', 'data');
  tag('churn-data@v1.0.0', c4);
  tag('data=churn@v0.1.0', c4);
  git(dir, ['tag', 'churn-data@v2.0.0']); // lightweight: a warning of the artifact that starts alike
  git(dir, ['tag', 'other@v1.0.0']); // and one of another artifact
  tag('build-1');
  tag('churn#team/prod#1', c1); // a stage with a slash: git's `*` does not cross it
  tag('churnx/y@v1.0.0', c1);
  const repo = { root: dir };
  const whole = readRegistry(repo);
  const part = readRegistry(repo, registryTagPrefix('churn'));
  expect([...part.artifacts.keys()]).toEqual(['churn', 'churn-data', 'churnx/y']);
  expect(part.artifacts.get('churn')?.events).toEqual(whole.artifacts.get('churn')?.events);
  expect(part.artifacts.get('churn')?.stages).toEqual(whole.artifacts.get('churn')?.stages);
  expect(whole.warnings.map((w) => w.tag)).toEqual(['churn-data@v2.0.0', 'other@v1.0.0']);
  expect(part.warnings).toEqual(whole.warnings.slice(0, 1));
  // For `mvgit history churn`: the same events, and every warning.
  const history = readRegistry(repo, registryTagPrefix('churn'), true);
  expect(history.events).toEqual(part.events);
  expect(history.warnings).toEqual(whole.warnings);
  expect([...readRegistry(repo, registryTagPrefix('data:churn')).artifacts.keys()]).toEqual(['data:churn']);
  // An unknown name: the whole registry, so the error lists every artifact.
  expect([...registryFor(repo, 'chrun#prod').artifacts.keys()]).toEqual([
    'churn',
    'churn-data',
    'churnx/y',
    'data:churn',
  ]);
  expect([...registryFor(repo, 'churn#prod').artifacts.keys()]).toEqual(['churn', 'churn-data', 'churnx/y']);
  expect(part.artifacts.get('churn')?.stages.map((s) => s.stage)).toEqual(['prod', 'team/prod']);
  const e = await rejects(
    () => resolveArtifactRef(repo, 'chrun#prod'),
    'REGISTRY_UNKNOWN_NAME',
    "no artifact named 'chrun' in the registry",
  );
  expect(e.hint).toBe('known artifacts: churn, churn-data, churnx/y, data:churn (mvgit ls)');
  expect(resolveRev(repo, 'churn#prod')).toBe(c3);
});

test('tags by commit: the whole map, or only the commits asked for, the same names in the same order', () => {
  git(dir, ['tag', 'light', c2]); // lightweight
  git(dir, ['tag', 'a-light', c2]);
  tag('tag-of-tag', 'churn@v0.2.0');
  git(dir, ['pack-refs', '--all']);
  tag('loose', c2); // a loose ref beside the packed ones
  const repo = { root: dir };
  const all = tagsByCommit(repo);
  const atC2 = ['a-light', 'churn#prod#1', 'churn@v0.2.0', 'light', 'loose', 'tag-of-tag'];
  expect(all.get(c2)).toEqual(atC2);
  expect([...tagsByCommit(repo, [c2])]).toEqual([[c2, atC2]]);
  expect(tagsByCommit(repo, [c1, c3])).toEqual(new Map([...all].filter(([c]) => c === c1 || c === c3)));
  const many = Array.from({ length: 20 }, (_, i) => `${i}`.padStart(40, '0')).concat(c2);
  expect([...tagsByCommit(repo, many)]).toEqual([[c2, atC2]]);
});
