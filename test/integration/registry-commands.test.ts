/**
 * The registry's writing side on real git repos: version, promote, rollback, unassign,
 * deregister, deprecate, ls, history, check-ref, names, allowed stages, and every bad input the
 * issue lists, each with its message and hint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MvgitError } from '../../src/base/errors.js';
import { prePush } from '../../src/core/hooks/pre-push.js';
import { checkRef, listArtifacts, registryHistory } from '../../src/core/registry/listing.js';
import { promote, rollback, unassign } from '../../src/core/registry/stages.js';
import { deprecateArtifact, deregisterVersion, registerVersion } from '../../src/core/registry/version.js';
import { init } from '../../src/core/repo/init.js';
import { findRepo, type Repo } from '../../src/core/repo/repo.js';
import { addRemote } from '../../src/core/repo/remote-settings.js';
import { openWorkspace } from '../../src/core/repo/workspace.js';
import { addPaths } from '../../src/core/workspace/add.js';
import { cleanup, git, makeGitRepo, sha256, tempDir, writeFile } from '../helpers/repo.js';

let dir: string;
let repo: Repo;
let second = 1_750_000_000;

/** Each registry command runs at its own second, so event order is the order of the calls. */
function tick(): void {
  second += 5;
  process.env.GIT_COMMITTER_DATE = `${second} +0000`;
}

async function commitModel(rel: string, content: string, metrics?: Record<string, number>): Promise<string> {
  writeFile(dir, rel, content);
  await addPaths(await openWorkspace({ cwd: dir }), [rel], {
    cwd: dir,
    kind: 'model',
    ...(metrics ? { meta: { metrics } } : {}),
  });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `model ${content}`]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

async function rejects(fn: () => unknown, code: string, message: string, hint?: string): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MvgitError);
  expect({ code: (err as MvgitError).code, message: (err as MvgitError).message }).toEqual({ code, message });
  if (hint !== undefined) expect((err as MvgitError).hint).toBe(hint);
}

const saved = { ...process.env };
beforeEach(async () => {
  dir = makeGitRepo();
  for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'])
    process.env[k] = k.endsWith('EMAIL') ? 'ann@example.com' : 'Ann';
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  init(dir);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'mvgit init']);
  repo = findRepo(dir);
});
afterEach(() => {
  process.env = { ...saved };
  cleanup(dir);
});

test('three versions, two promotions, two rollbacks: the stage walks back and history tells it all', async () => {
  const c1 = await commitModel('models/churn.pkl', 'one', { accuracy: 0.81 });
  tick();
  const v1 = await registerVersion(repo, { name: 'churn', message: 'first' });
  expect(v1).toMatchObject({
    tags: ['churn@v0.1.0'],
    version: 'v0.1.0',
    path: 'models/churn.pkl',
    commit: c1,
    namedInConfig: true,
  });
  expect(fs.readFileSync(path.join(dir, '.mvgit/config.yaml'), 'utf8')).toContain(
    'artifacts:\n  churn: models/churn.pkl\n',
  );
  await commitModel('models/churn.pkl', 'two', { accuracy: 0.84 });
  tick();
  expect((await registerVersion(repo, { name: 'churn' })).version).toBe('v0.1.1');
  await commitModel('models/churn.pkl', 'three', { accuracy: 0.86 });
  tick();
  expect((await registerVersion(repo, { name: 'models/churn.pkl', bump: 'minor', cwd: dir })).version).toBe('v0.2.0');
  tick();
  await promote(repo, { name: 'churn', version: '0.1.0', stage: 'prod' });
  tick();
  await promote(repo, { name: 'churn', version: '0.1.1', stage: 'prod' });
  tick();
  const p3 = await promote(repo, { name: 'churn', version: 'v0.2.0', stage: 'prod', message: 'best yet' });
  expect(p3).toMatchObject({ tags: ['churn#prod#3'], version: 'v0.2.0', previous: 'v0.1.1' });
  tick();
  expect(await rollback(repo, { name: 'churn', stage: 'prod' })).toMatchObject({
    tags: ['churn#prod#4'],
    version: 'v0.1.1',
    previous: 'v0.2.0',
  });
  tick();
  expect((await rollback(repo, { name: 'churn', stage: 'prod', message: 'still bad' })).version).toBe('v0.1.0');
  await rejects(
    () => rollback(repo, { name: 'churn', stage: 'prod' }),
    'REGISTRY_NO_ROLLBACK',
    'churn#prod held no other version before v0.1.0: nothing to roll back to',
    "assign a version explicitly: mvgit promote churn VERSION prod ('mvgit show churn' lists them)",
  );

  const { artifacts } = await listArtifacts(repo);
  expect(artifacts).toEqual([
    {
      name: 'churn',
      kind: 'model',
      path: 'models/churn.pkl',
      latest: 'v0.2.0',
      stages: { prod: 'v0.1.0' },
      metrics: { accuracy: 0.86 },
      deprecated: false,
      versions: 3,
    },
  ]);
  const { events } = registryHistory(repo, 'churn');
  expect(events.map((e) => [e.event, e.version, e.stage, e.from ?? null, e.message.split('\n')[0]])).toEqual([
    ['rollback', 'v0.1.0', 'prod', 'v0.1.1', 'still bad'],
    ['rollback', 'v0.1.1', 'prod', 'v0.2.0', 'Rolling back stage prod of artifact churn from v0.2.0 to v0.1.1'],
    ['assignment', 'v0.2.0', 'prod', null, 'best yet'],
    ['assignment', 'v0.1.1', 'prod', null, 'Assigning stage prod to artifact churn version v0.1.1'],
    ['assignment', 'v0.1.0', 'prod', null, 'Assigning stage prod to artifact churn version v0.1.0'],
    ['registration', 'v0.2.0', null, null, 'Registering artifact churn version v0.2.0'],
    ['registration', 'v0.1.1', null, null, 'Registering artifact churn version v0.1.1'],
    ['registration', 'v0.1.0', null, null, 'first'],
  ]);
  expect(events[0]).toMatchObject({
    author: 'Ann',
    authorEmail: 'ann@example.com',
    time: new Date(second * 1000).toISOString().replace('.000Z', 'Z'),
  });
  expect(checkRef(repo, 'refs/tags/churn#prod#5')).toEqual({
    tag: 'churn#prod#5',
    registry: true,
    name: 'churn',
    event: 'rollback',
    version: 'v0.1.0',
    stage: 'prod',
    commit: c1,
    from: 'v0.1.1',
  });
});

test('unassign empties the stage; deregister and deprecate', async () => {
  await commitModel('models/churn.pkl', 'one');
  tick();
  await registerVersion(repo, { name: 'churn' });
  await commitModel('models/churn.pkl', 'two');
  tick();
  await registerVersion(repo, { name: 'churn' });
  tick();
  await promote(repo, { name: 'churn', version: '0.1.0', stage: 'staging' });
  tick();
  await promote(repo, { name: 'churn', version: '0.1.1', stage: 'staging' });
  tick();
  expect((await unassign(repo, { name: 'churn', stage: 'staging' })).tags).toEqual([
    'churn#staging!#3',
    'churn#staging!#4',
  ]);
  expect((await listArtifacts(repo)).artifacts[0].stages).toEqual({});
  tick();
  expect((await deregisterVersion(repo, { name: 'churn', version: '0.1.1' })).tags).toEqual(['churn@v0.1.1!']);
  expect((await listArtifacts(repo)).artifacts[0].latest).toBe('v0.1.0');
  tick();
  expect((await deprecateArtifact(repo, { name: 'churn' })).tags).toEqual(['churn@deprecated']);
  expect((await listArtifacts(repo)).artifacts[0].deprecated).toBe(true);
  expect(checkRef(repo, 'churn@deprecated')).toMatchObject({ event: 'deprecation', name: 'churn' });
  expect(checkRef(repo, 'churn@v0.1.1!')).toMatchObject({ event: 'deregistration', version: 'v0.1.1' });
});

test('bad input: unknown name, version or stage; not semver; exists; unchanged; not allowed; missing at the commit', async () => {
  await commitModel('models/churn.pkl', 'one');
  tick();
  await registerVersion(repo, { name: 'churn' });
  await rejects(
    () => registerVersion(repo, { name: 'chrun' }),
    'REGISTRY_UNKNOWN_NAME',
    "no artifact named 'chrun' at HEAD",
    'artifacts there: churn; name one in .mvgit/config.yaml under artifacts:',
  );
  await rejects(
    () => registerVersion(repo, { name: 'churn', version: '1.2' }),
    'REGISTRY_BAD_VERSION',
    "'1.2' is not a semantic version",
    'write MAJOR.MINOR.PATCH, e.g. 1.2.0 or 1.2.0-rc.1, or use --bump major|minor|patch',
  );
  await rejects(
    () => registerVersion(repo, { name: 'churn', version: '0.1.0' }),
    'REGISTRY_VERSION_EXISTS',
    `churn@v0.1.0 exists already, at commit ${git(dir, ['rev-parse', 'HEAD']).trim().slice(0, 10)}`,
  );
  const oid = `sha256:${sha256('one')}`;
  await rejects(
    () => registerVersion(repo, { name: 'churn' }),
    'REGISTRY_UNCHANGED',
    `models/churn.pkl at HEAD did not change since churn@v0.1.0: it holds the same ${oid.slice(0, 19)}`,
    'commit a new version of models/churn.pkl first, or promote v0.1.0: mvgit promote churn v0.1.0 STAGE',
  );
  await rejects(
    () => registerVersion(repo, { name: 'churn', rev: 'HEAD~1' }),
    'REGISTRY_ARTIFACT_MISSING',
    'models/churn.pkl (churn) does not exist at HEAD~1',
  );
  await rejects(
    () => promote(repo, { name: 'churn', version: '0.9.0', stage: 'prod' }),
    'REGISTRY_UNKNOWN_VERSION',
    'churn has no version v0.9.0',
    'its versions: v0.1.0 (mvgit show churn)',
  );
  await rejects(
    () => rollback(repo, { name: 'churn', stage: 'prod' }),
    'REGISTRY_UNKNOWN_STAGE',
    "churn has no version in stage 'prod'",
  );
  writeFile(
    dir,
    '.mvgit/config.yaml',
    `${fs.readFileSync(path.join(dir, '.mvgit/config.yaml'), 'utf8')}stages: [dev, prod]\n`,
  );
  await rejects(
    () => promote(repo, { name: 'churn', version: '0.1.0', stage: 'qa' }),
    'REGISTRY_STAGE_NOT_ALLOWED',
    "stage 'qa' is not allowed by .mvgit/config.yaml",
    "allowed stages: dev, prod; add it to 'stages:' in .mvgit/config.yaml to allow it",
  );
  await rejects(
    () => promote(repo, { name: 'churn', version: '0.1.0', stage: 'Prod!' }),
    'REGISTRY_UNKNOWN_STAGE',
    "'Prod!' is not a stage name: use lowercase letters, digits, '-', '_' and '/', starting and ending with a letter or digit",
  );
  tick();
  await promote(repo, { name: 'churn', version: '0.1.0', stage: 'prod' });
  await rejects(
    () => promote(repo, { name: 'churn', version: '0.1.0', stage: 'prod' }),
    'REGISTRY_UNCHANGED',
    'churn#prod holds v0.1.0 already',
  );
});

test('two paths that derive one name: an error naming both, settled by the artifacts map', async () => {
  writeFile(dir, 'a/churn.pkl', 'a');
  writeFile(dir, 'b/Churn.pkl', 'b');
  await addPaths(await openWorkspace({ cwd: dir }), ['a/churn.pkl', 'b/Churn.pkl'], { cwd: dir, kind: 'model' });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'two models']);
  await rejects(
    () => registerVersion(repo, { name: 'churn' }),
    'REGISTRY_NAME_CONFLICT',
    "a/churn.pkl and b/Churn.pkl would both be named 'churn'",
    'name them in .mvgit/config.yaml, e.g.\n  artifacts:\n    churn: a/churn.pkl\n    churn-2: b/Churn.pkl',
  );
  writeFile(dir, '.mvgit/config.yaml', 'track: []\nartifacts:\n  churn: a/churn.pkl\n  churn-b: b/Churn.pkl\n');
  tick();
  expect(await registerVersion(repo, { name: 'churn-b' })).toMatchObject({ path: 'b/Churn.pkl', namedInConfig: false });
});

test('hand-made malformed tags are listed as warnings, never a crash', async () => {
  await commitModel('models/churn.pkl', 'one');
  tick();
  await registerVersion(repo, { name: 'churn' });
  git(dir, ['tag', '-a', 'churn@v1.0', '-m', 'by hand']);
  git(dir, ['tag', '-a', 'churn#prod#latest', '-m', 'by hand']);
  const { artifacts, warnings } = await listArtifacts(repo);
  expect(artifacts.map((a) => a.latest)).toEqual(['v0.1.0']);
  expect(warnings).toEqual([
    { tag: 'churn#prod#latest', problem: 'the counter after the last # must be a number' },
    { tag: 'churn@v1.0', problem: "'v1.0' is not a semantic version (vMAJOR.MINOR.PATCH, e.g. v1.2.0)" },
  ]);
  expect(checkRef(repo, 'churn@v1.0')).toEqual({ tag: 'churn@v1.0', registry: false, problem: warnings[1].problem });
  expect(checkRef(repo, 'refs/tags/churn@v0.1.0')).toMatchObject({ registry: true, event: 'registration' });
  git(dir, ['tag', 'churn@v0.2.0']); // lightweight: only its object says so
  expect(checkRef(repo, 'churn@v0.2.0')).toEqual({
    tag: 'churn@v0.2.0',
    registry: false,
    problem: 'a lightweight tag: registry tags are annotated (git tag -a), GTO skips it too',
  });
  await rejects(() => Promise.resolve(checkRef(repo, 'nope')), 'REV_NOT_FOUND', "tag 'nope' does not exist");
});

test('--push pushes the tag, and the pre-push hook uploads the objects of a pushed registry tag', async () => {
  const store = tempDir();
  const bare = tempDir();
  try {
    await addRemote(repo, { name: 'store', url: store }, true);
    git(bare, ['init', '-q', '--bare']);
    git(dir, ['remote', 'add', 'origin', bare]);
    await commitModel('models/churn.pkl', 'pushed');
    tick();
    const r = await registerVersion(repo, { name: 'churn', push: true });
    expect(r.pushedTo).toBe('origin');
    expect(git(bare, ['tag', '-l'])).toBe('churn@v0.1.0\n');
    const tagSha = git(dir, ['rev-parse', 'refs/tags/churn@v0.1.0']).trim();
    const hook = await prePush({
      cwd: dir,
      remoteName: 'origin',
      remoteUrl: bare,
      lines: [`refs/tags/churn@v0.1.0 ${tagSha} refs/tags/churn@v0.1.0 ${'0'.repeat(40)}`],
      env: {},
    });
    expect(hook.registryTags).toEqual(['churn@v0.1.0']);
    const hex = sha256('pushed');
    expect(fs.existsSync(path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2)))).toBe(true);
  } finally {
    cleanup(store);
    cleanup(bare);
  }
});

test('the library API: one options object per operation, with cwd', async () => {
  const api = await import('../../src/index.js');
  const c1 = await commitModel('models/churn.pkl', 'one', { auc: 0.9 });
  tick();
  expect(await api.version({ cwd: dir, name: 'churn' })).toMatchObject({ version: 'v0.1.0', commit: c1 });
  tick();
  await api.promote({ cwd: dir, name: 'churn', version: '0.1.0', stage: 'prod' });
  expect((await api.ls({ cwd: dir })).artifacts[0]).toMatchObject({ latest: 'v0.1.0', stages: { prod: 'v0.1.0' } });
  expect((await api.history({ cwd: dir, name: 'churn' })).events.map((e) => e.event)).toEqual([
    'assignment',
    'registration',
  ]);
  expect(await api.resolveRegistryRef({ cwd: dir, ref: 'churn#prod' })).toMatchObject({
    version: 'v0.1.0',
    commit: c1,
    path: 'models/churn.pkl',
  });
  expect(await api.checkRef({ cwd: dir, ref: 'churn#prod#1' })).toMatchObject({ event: 'assignment', stage: 'prod' });
  expect(await api.artifactVersions({ cwd: dir, name: 'churn' })).toMatchObject({
    latest: 'v0.1.0',
    path: 'models/churn.pkl',
  });
});

test('mvgit config artifacts.NAME PATH names an artifact', async () => {
  const { setSetting } = await import('../../src/core/repo/config-settings.js');
  await commitModel('models/churn.pkl', 'one');
  await setSetting(repo, 'artifacts.retention', 'models/churn.pkl');
  tick();
  expect(await registerVersion(repo, { name: 'retention' })).toMatchObject({
    tags: ['retention@v0.1.0'],
    namedInConfig: false,
  });
  await rejects(
    () => setSetting(repo, 'artifacts.Bad_Name', 'x'),
    'CONFIG_INVALID',
    "unknown setting 'artifacts.Bad_Name'",
  );
});
