/**
 * `mvgit get` where the bytes are on S3: credentials from the caller's environment (never from
 * REPO's committed config, which may not hold any), an unreachable endpoint named in the error;
 * and `resolve` / `get` from Node, as a deploy script calls them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readFixture } from '../helpers/fixtures.js';
import { useS3Server } from '../helpers/s3-server.js';
import { cleanup, git, makeGitRepo, mvgit, mvgitOk, PROJECT_ROOT, sha256, tempDir, testEnv } from '../helpers/repo.js';

const s3 = useS3Server();
let base: string;
let tmp: string;
beforeEach(() => {
  base = tempDir('mvgit-get-s3-');
  tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp);
});
afterEach(() => cleanup(base));

const V1 = readFixture('models/churn-v1.pkl');

/** A repository whose default remote is `remoteArgs`; churn@v0.1.0 registered (plain git tags, GTO's grammar). */
function makeRepo(remoteArgs: string[], env: NodeJS.ProcessEnv, push = true): string {
  const repo = path.join(base, 'repo');
  fs.mkdirSync(repo);
  makeGitRepo(repo);
  mvgitOk(repo, ['init', '--no-hooks'], env);
  mvgitOk(repo, ['remote', 'add', 'origin', ...remoteArgs, '--default'], env);
  fs.mkdirSync(path.join(repo, 'models'));
  fs.writeFileSync(path.join(repo, 'models', 'churn.pkl'), V1);
  mvgitOk(repo, ['add', 'models/churn.pkl', '--kind', 'model'], env);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'churn']);
  git(repo, ['tag', '-a', 'churn@v0.1.0', '-m', 'churn v0.1.0']);
  git(repo, ['tag', '-a', 'churn#prod#1', '-m', 'prod', 'churn@v0.1.0^{}']);
  if (push) mvgitOk(repo, ['push'], env);
  return repo;
}

function deployDir(): string {
  const dir = path.join(base, 'deploy');
  fs.mkdirSync(dir);
  return dir;
}

test('from S3, with the credentials of the environment', () => {
  const server = s3();
  const repo = makeRepo(server.remoteArgs('get/ok'), server.env);
  // The committed config holds the endpoint and no secret: the caller's environment has them.
  expect(fs.readFileSync(path.join(repo, '.mvgit', 'config.yaml'), 'utf8')).not.toMatch(/S3RVER/);
  const dir = deployDir();
  const r = mvgit(dir, ['get', repo, 'churn#prod', '-o', 'model.pkl'], { ...server.env, TMPDIR: tmp });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'model.pkl')).equals(V1)).toBe(true);
  expect(fs.readdirSync(dir)).toEqual(['model.pkl']);
  expect(fs.readdirSync(tmp)).toEqual([]);
});

test('an S3 endpoint nobody answers: the remote, its URL and what failed', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'y',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const repo = makeRepo(['s3://models/team', '--endpoint', 'http://127.0.0.1:9', '--path-style'], env, false);
  const dir = deployDir();
  const r = mvgit(dir, ['get', repo, 'churn#prod', '-o', 'model.pkl'], { ...env, TMPDIR: tmp });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `error: downloading object ${sha256(V1).slice(0, 12)} on remote 'origin' (s3://models/team at http://127.0.0.1:9) failed: Error: connect ECONNREFUSED 127.0.0.1:9\nhint: check the network, and the remote's settings in ${repo}'s .mvgit/config.yaml; credentials come from this environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE), never from that file\n`,
  );
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(fs.readdirSync(tmp)).toEqual([]);
});

test('a committed remote URL that carries a credential is refused, not used', () => {
  const repo = makeRepo([path.join(base, 'store')], {}, true);
  const config = path.join(repo, '.mvgit', 'config.yaml');
  fs.writeFileSync(
    config,
    fs.readFileSync(config, 'utf8').replace(/url: .*/, 'url: s3://models/team?X-Amz-Signature=abc'),
  );
  git(repo, ['commit', '-q', '-am', 'a signed URL, by mistake']);
  const dir = deployDir();
  const r = mvgit(dir, ['get', repo, 'churn#prod', '-o', 'model.pkl'], { TMPDIR: tmp });
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n')[0]).toBe(
    `error: .mvgit/config.yaml on the default branch of ${repo}: remotes.origin.url: the URL s3://models/team?*** carries a credential (X-Amz-Signature); secrets never go in .mvgit/config.yaml on the default branch of ${repo}, which is committed`,
  );
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(fs.readdirSync(tmp)).toEqual([]);
});

test('from Node: resolve() says what a stage names, get() writes it', () => {
  const repo = makeRepo([path.join(base, 'store')], {});
  const dir = deployDir();
  const script = `
    import { resolve, get } from 'mvgit';
    const repo = process.env.REPO;
    const r = await resolve({ repo, ref: 'churn#prod' });
    const g = await get({ repo, ref: 'churn@v0.1.0', out: 'model.pkl', cwd: process.env.DIR });
    console.log(JSON.stringify({ r: [r.name, r.version, r.stage, r.tag, r.path, r.pointer.oid, r.remote.name], out: g.out }));
  `;
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: testEnv({ REPO: repo, DIR: dir, TMPDIR: tmp }),
    encoding: 'utf8',
  });
  expect(p.stderr).toBe('');
  expect(JSON.parse(p.stdout)).toEqual({
    r: ['churn', 'v0.1.0', 'prod', 'churn#prod#1', 'models/churn.pkl', `sha256:${sha256(V1)}`, 'origin'],
    out: path.join(dir, 'model.pkl'),
  });
  expect(fs.readFileSync(path.join(dir, 'model.pkl')).equals(V1)).toBe(true);
  expect(fs.readdirSync(tmp)).toEqual([]);
});
