/**
 * The built CLI and the git hooks against a real S3 server (test/helpers/s3-server.ts): the
 * team scenario, and a server that goes down in the middle of a push.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { bytes, cleanup, git, makeGitRepo, mvgitAsync, mvgitOk, sha256, tempDir, writeFile } from '../helpers/repo.js';
import { runTeamScenario } from '../helpers/remote-scenario.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';

let server: S3Server;
let base: string;

beforeAll(async () => {
  server = await startS3Server();
}, 120_000);
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  base = tempDir('mvgit-e2e-s3-');
});
afterEach(() => cleanup(base));

/** Every object under a prefix: key -> size. */
async function listObjects(prefix: string): Promise<Map<string, number>> {
  const c = server.client();
  const out = new Map<string, number>();
  try {
    let token: string | undefined;
    do {
      const page = await c.send(
        new ListObjectsV2Command({ Bucket: server.bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) out.set(o.Key!, o.Size ?? 0);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    c.destroy();
  }
  return out;
}

async function objectSha(key: string): Promise<string> {
  const c = server.client();
  try {
    const r = await c.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
    return sha256(Buffer.from(await r.Body!.transformToByteArray()));
  } finally {
    c.destroy();
  }
}

test('team scenario against S3: git push uploads, a clone pulls, the other side git pulls the new model', async () => {
  const prefix = `team-${process.pid}`;
  const s = runTeamScenario(
    base,
    (a) => mvgitOk(a, ['remote', 'add', 'origin', ...server.remoteArgs(prefix), '--default'], server.env),
    server.env,
  );
  const listed = await listObjects(prefix);
  const v2 = `${prefix}/objects/sha256/${sha256(s.modelV2).slice(0, 2)}/${sha256(s.modelV2).slice(2)}`;
  expect(listed.get(v2)).toBe(s.modelV2.length);
}, 120_000);

test('the server stops in the middle of a push; once it is back, mvgit push finishes and every object is intact', async () => {
  const prefix = `fault-${process.pid}`;
  const a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  mvgitOk(a, ['init', '--no-hooks'], server.env);
  mvgitOk(a, ['remote', 'add', 'origin', ...server.remoteArgs(prefix), '--default'], server.env);
  const files = Array.from({ length: 600 }, (_, i) => bytes(16_384 + i, 5000 + i));
  for (const [i, d] of files.entries()) writeFile(a, `data/shards/${String(i).padStart(4, '0')}.bin`, d);
  writeFile(a, 'models/big.bin', bytes(3_000_000, 77));
  mvgitOk(a, ['add', 'data/shards', '--kind', 'dataset'], server.env);
  mvgitOk(a, ['add', 'models/big.bin', '--kind', 'model'], server.env);
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'data']);
  const expected = new Set([...files.map((d) => sha256(d)), sha256(bytes(3_000_000, 77))]);

  const pushing = mvgitAsync(a, ['push', '-j', '2'], server.env);
  const deadline = Date.now() + 60_000;
  while ((await listObjects(prefix)).size < 30) {
    if (Date.now() > deadline) throw new Error('the push did not start uploading');
    await new Promise((r) => setTimeout(r, 30));
  }
  await server.stop();
  const first = await pushing;
  expect(first.code).toBe(1);
  expect(first.stderr).toMatch(/error: \d+ objects? could not be uploaded to remote 'origin'/);
  expect(first.stderr).toContain("hint: run 'mvgit push' again: what is already there is skipped");

  await server.start();
  const second = JSON.parse(mvgitOk(a, ['push', '--json'], server.env));
  expect(second.failed).toEqual([]);
  expect(second.transferred).toBeGreaterThan(0);
  // moto keeps objects in memory: it comes back empty, so everything goes up again.
  if (server.kind !== 'moto') expect(second.present).toBeGreaterThan(0);

  // Every object is there, whole: each one's bytes hash to its name.
  const listed = await listObjects(prefix);
  const hexes = [...listed.keys()].map((k) => k.slice(`${prefix}/objects/sha256/`.length).replace('/', ''));
  for (const h of expected) expect(hexes).toContain(h);
  for (const key of listed.keys()) {
    const hex = key.slice(`${prefix}/objects/sha256/`.length).replace('/', '');
    expect(await objectSha(key)).toBe(hex);
  }
  expect(JSON.parse(mvgitOk(a, ['push', '--json'], server.env)).transferred).toBe(0);
}, 180_000);
