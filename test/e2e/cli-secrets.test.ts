/**
 * Every way a URL reaches the committed `.mvgit/config.yaml` refuses credentials: `mvgit
 * config`, `mvgit remote add`, `mvgit init --remote`, and a committed file that already holds
 * one. The secret never appears in the file nor in the output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanup, makeGitRepo, makeMvgitRepo, mvgit, mvgitOk } from '../helpers/repo.js';

const SECRET = 'wJalrXUtnFEMIK7MDENG';
let repo: string;
const committed = (): string => fs.readFileSync(path.join(repo, '.mvgit/config.yaml'), 'utf8');

beforeEach(() => {
  repo = makeMvgitRepo();
});
afterEach(() => cleanup(repo));

test.each([
  [
    ['config', 'core.remote', `s3://AKIAEXAMPLE:${SECRET}@bucket`],
    'core.remote: the URL s3://***@bucket carries credentials',
  ],
  [['config', 'remotes.x.pass', SECRET], "'pass' is a credential"],
  [
    ['config', 'remotes.x.url', `s3://bucket/p?X-Amz-Signature=${SECRET}`],
    'remotes.x.url: the URL s3://bucket/p?*** carries a credential (X-Amz-Signature)',
  ],
  [
    ['config', 'remotes.x.endpoint', `http://minio:9000/?apikey=${SECRET}`],
    'remotes.x.endpoint: the URL http://minio:9000/?*** carries a credential (apikey)',
  ],
  [
    ['remote', 'add', 'lab', `s3://bucket/p?sig=${SECRET}`],
    'remotes.lab.url: the URL s3://bucket/p?*** carries a credential (sig)',
  ],
  [
    ['remote', 'add', 'lab', 's3://bucket/p', '--endpoint', `https://u:${SECRET}@minio:9000`],
    'remotes.lab.endpoint: the URL https://***@minio:9000 carries credentials',
  ],
])('%j is refused (exit 1) with the way to give credentials; the file is untouched', (args, message) => {
  const before = committed();
  const r = mvgit(repo, args);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`error: ${message}`);
  expect(r.stderr).toContain('secrets never go in .mvgit/config.yaml, which is committed');
  expect(r.stderr).toContain(
    'hint: give credentials through the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or an AWS profile',
  );
  expect(r.stderr).toContain('mvgit config --local remotes.NAME.profile PROFILE');
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(committed()).toBe(before);
});

test('a remote takes only known fields, in the local config too', () => {
  const r = mvgit(repo, ['config', 'remotes.x.colour', 'red']);
  expect(r).toEqual({
    code: 1,
    stdout: '',
    stderr:
      "error: unknown setting 'remotes.x.colour'\nhint: a remote has only url, endpoint, region, profile, pathStyle; credentials come from the environment or an AWS profile (mvgit config --local remotes.x.profile PROFILE)\n",
  });
  expect(mvgit(repo, ['config', '--local', 'remotes.x.pass', SECRET]).stderr).toContain(
    "error: unknown setting 'remotes.x.pass'",
  );
  mvgitOk(repo, ['remote', 'add', 'x', 's3://bucket/p']);
  mvgitOk(repo, ['config', '--local', 'remotes.x.profile', 'team']);
  expect(fs.readFileSync(path.join(repo, '.git/mvgit/config.yaml'), 'utf8')).toContain('profile: team');
});

test('init --remote with credentials is refused before anything is written', () => {
  const fresh = makeGitRepo();
  try {
    const r = mvgit(fresh, ['init', '--no-hooks', '--remote', `s3://AKIAEXAMPLE:${SECRET}@bucket/x`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: the URL s3://***@bucket/x carries credentials');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(fs.existsSync(path.join(fresh, '.mvgit'))).toBe(false);
    const q = mvgit(fresh, ['init', '--no-hooks', '--remote', `s3://bucket/x?Token=${SECRET}`]);
    expect(q.code).toBe(1);
    expect(q.stderr).toContain('carries a credential (Token)');
  } finally {
    cleanup(fresh);
  }
});

test.each([
  [
    `remotes:\n  origin:\n    url: s3://AKIAEXAMPLE:${SECRET}@bucket/x\n`,
    'remotes.origin.url: the URL s3://***@bucket/x carries credentials',
  ],
  [
    `remotes:\n  origin:\n    url: s3://bucket/x\n    endpoint: http://minio:9000/?X-Amz-Credential=${SECRET}\n`,
    'remotes.origin.endpoint: the URL http://minio:9000/?*** carries a credential (X-Amz-Credential)',
  ],
  [
    `remotes:\n  origin:\n    url: s3://bucket/x\n    password: ${SECRET}\n`,
    "remotes.origin.password: 'password' is a credential",
  ],
])('a committed config that already holds a secret stops every command, naming the file and key', (text, message) => {
  fs.appendFileSync(path.join(repo, '.mvgit/config.yaml'), text);
  for (const args of [['status'], ['remote', 'list']]) {
    const r = mvgit(repo, args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: .mvgit/config.yaml: ${message}`);
    expect(r.stderr).toContain(
      'hint: remove it from .mvgit/config.yaml (and revoke it if it was ever committed or pushed)',
    );
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  }
});

test('a committed remote with a field mvgit does not know is named', () => {
  fs.appendFileSync(path.join(repo, '.mvgit/config.yaml'), 'remotes:\n  origin:\n    url: /tmp/x\n    colour: red\n');
  const r = mvgit(repo, ['status']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('error: .mvgit/config.yaml: unknown setting remotes.origin.colour');
});
