/**
 * Many clients at once: 16 clones whose datasets share half their files push at the same time
 * to one S3 prefix (a real server, SeaweedFS where installed) and to one folder remote; then
 * `mvgit fsck --remote` in every clone finds each of its objects there, whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytes, cleanup, git, makeMvgitRepo, mvgitAsync, mvgitOk, tempDir, writeFile } from '../helpers/repo.js';
import { useS3Server } from '../helpers/s3-server.js';

const CLIENTS = 16;
const SHARED = 10;
const OWN = 10;

const server = useS3Server();
let base: string;
let clients: string[];
// The clones are made once: each has both remotes, `s3` and `folder`.
beforeAll(() => {
  base = tempDir('mvgit-e2e-clients-');
  clients = makeClients();
  const prefix = `clients-${process.pid}`;
  for (const c of clients) {
    mvgitOk(c, ['remote', 'add', 's3', ...server().remoteArgs(prefix)], server().env);
    mvgitOk(c, ['remote', 'add', 'folder', path.join(base, 'store')]);
  }
}, 240_000);
afterAll(() => cleanup(base));

/** Clone i: SHARED files every clone has, OWN files only it has, in one dataset, committed. */
function makeClients(): string[] {
  return Array.from({ length: CLIENTS }, (_, i) => {
    const repo = path.join(base, `c${i}`);
    fs.mkdirSync(repo);
    makeMvgitRepo(repo);
    for (let k = 0; k < SHARED; k++) writeFile(repo, `data/ds/shared-${k}.bin`, bytes(3000 + k, 100 + k));
    for (let k = 0; k < OWN; k++) writeFile(repo, `data/ds/own-${k}.bin`, bytes(2000 + k, 1000 * (i + 1) + k));
    mvgitOk(repo, ['add', 'data/ds', '--kind', 'dataset']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'dataset']);
    return repo;
  });
}

async function pushAllThenFsck(remote: string, url: string): Promise<void> {
  const env = server().env;
  const pushes = await Promise.all(clients.map((c) => mvgitAsync(c, ['push', '-r', remote, '--json'], env)));
  for (const p of pushes) {
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout).failed).toEqual([]);
  }
  // Together they sent every object at least once: the shared files may go up more than once.
  const sent = pushes.reduce((n, p) => n + JSON.parse(p.stdout).transferred, 0);
  expect(sent).toBeGreaterThanOrEqual(SHARED + CLIENTS * (OWN + 1));
  const checks = await Promise.all(clients.map((c) => mvgitAsync(c, ['fsck', '--remote', '-r', remote], env)));
  for (const r of checks) {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`checked ${SHARED + OWN + 1} object(s) on remote '${remote}' (${url})\n`);
  }
}

test('16 clones push at once to one S3 prefix: fsck --remote finds 0 lost or corrupt objects in each', async () => {
  await pushAllThenFsck('s3', `s3://${server().bucket}/clients-${process.pid}`);
}, 300_000);

test('16 clones push at once to one folder remote: fsck --remote finds 0 lost or corrupt objects in each', async () => {
  await pushAllThenFsck('folder', path.join(base, 'store'));
}, 300_000);
