/**
 * push / fetch / pull / gc through the library API against a real S3 server started on a free
 * port (SeaweedFS, else moto_server, else s3rver: see test/helpers/s3-server.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { setSetting } from '../../src/core/repo/config-settings.js';
import { gcRemote } from '../../src/core/transfer/gc-remote.js';
import { init } from '../../src/core/repo/init.js';
import { addRemote } from '../../src/core/repo/remote-settings.js';
import { MULTIPART_THRESHOLD } from '../../src/adapters/remote/s3-upload.js';
import { fetch } from '../../src/core/transfer/fetch.js';
import { push } from '../../src/core/transfer/push.js';
import { pull } from '../../src/core/workspace/pull.js';
import {
  bytes,
  cacheObjects,
  cleanup,
  git,
  makeGitRepo,
  objectFile,
  sha256,
  tempDir,
  writeFile,
} from '../helpers/repo.js';
import { useS3Server } from '../helpers/s3-server.js';
import { objectKey } from '../../src/adapters/remote/remote.js';

const s3 = useS3Server();
let base: string;
let a: string;
let prefix: string;
let counter = 0;

const MODEL = bytes(200_000, 7);

async function ws(dir: string): Promise<Workspace> {
  return openWorkspace({ cwd: dir, link: 'copy' });
}

function key(hex: string): string {
  return `${prefix}/${objectKey(hex)}`;
}

async function remoteBytes(hex: string): Promise<Buffer | null> {
  const c = s3().client();
  try {
    const r = await c.send(new GetObjectCommand({ Bucket: s3().bucket, Key: key(hex) }));
    return Buffer.from(await r.Body!.transformToByteArray());
  } catch {
    return null;
  } finally {
    c.destroy();
  }
}

async function putRaw(hex: string, body: Buffer | string): Promise<void> {
  const c = s3().client();
  try {
    await c.send(new PutObjectCommand({ Bucket: s3().bucket, Key: key(hex), Body: body }));
  } finally {
    c.destroy();
  }
}

async function deleteRaw(hex: string): Promise<void> {
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const c = s3().client();
  try {
    await c.send(new DeleteObjectCommand({ Bucket: s3().bucket, Key: key(hex) }));
  } finally {
    c.destroy();
  }
}

function clone(name: string): string {
  const dir = path.join(base, name);
  git(base, ['clone', '-q', a, dir]);
  init(dir);
  return dir;
}

beforeEach(async () => {
  base = tempDir('mvgit-remote-s3-');
  prefix = `it-${process.pid}-${++counter}`;
  fs.mkdirSync(path.join(base, 'a'));
  a = makeGitRepo(path.join(base, 'a'));
  init(a);
  await addRemote(
    (await ws(a)).repo,
    { name: 'origin', url: `s3://${s3().bucket}/${prefix}`, endpoint: s3().endpoint, pathStyle: true },
    true,
  );
  writeFile(a, 'models/model.bin', MODEL);
  await addPaths(await ws(a), ['models/model.bin'], { cwd: a, kind: 'model' });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'model']);
});
afterEach(() => cleanup(base));

test('push, then a clone pulls byte-identical files; a second push moves nothing', async () => {
  const report = await push(await ws(a), { head: true });
  expect(report.failed).toEqual([]);
  expect(report.transferred).toBe(1);
  expect(await remoteBytes(sha256(MODEL))).toEqual(MODEL);
  expect((await push(await ws(a), { head: true })).transferred).toBe(0);

  const b = clone('b');
  const result = await pull(await ws(b), { head: true });
  expect(result.fetch.transferred).toBe(1);
  expect(fs.readFileSync(path.join(b, 'models/model.bin'))).toEqual(MODEL);
});

test('a dataset of many files: existence checked by listing, only what changed goes up', async () => {
  const files = Array.from({ length: 120 }, (_, i) => bytes(500 + i, 1000 + i));
  for (const [i, data] of files.entries()) writeFile(a, `data/d/${String(i).padStart(3, '0')}.bin`, data);
  await addPaths(await ws(a), ['data/d'], { cwd: a, kind: 'dataset' });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'dataset']);
  const first = await push(await ws(a), { head: true });
  expect(first.failed).toEqual([]);
  expect(first.transferred).toBe(1 + 120 + 1);

  writeFile(a, 'data/d/007.bin', bytes(777, 7777));
  await addPaths(await ws(a), ['data/d'], { cwd: a });
  const second = await push(await ws(a), { head: true, workTree: true });
  expect(second.transferred).toBe(2); // the changed file and the new manifest
  expect(second.present).toBe(1 + 1 + 119); // the model, HEAD's manifest, the unchanged files

  const b = clone('b');
  const r = await fetch(await ws(b), { head: true });
  expect(r.failed).toEqual([]);
  expect(r.transferred).toBe(1 + 1 + 120);
  expect(cacheObjects(b).every((o) => o.ok)).toBe(true);
});

test('a file above the multipart threshold goes up in parts and comes back whole', async () => {
  const big = bytes(MULTIPART_THRESHOLD + 3 * 1024 * 1024 + 17, 42);
  writeFile(a, 'models/big.bin', big);
  await addPaths(await ws(a), ['models/big.bin'], { cwd: a });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'big']);
  const up = await push(await ws(a), { head: true });
  expect(up.failed).toEqual([]);
  const c = s3().client();
  const head = await c.send(new HeadObjectCommand({ Bucket: s3().bucket, Key: key(sha256(big)) }));
  c.destroy();
  expect(head.ContentLength).toBe(big.length);
  const b = clone('b');
  const down = await fetch(await ws(b), { head: true });
  expect(down.failed).toEqual([]);
  expect(sha256(fs.readFileSync(objectFile(b, sha256(big))))).toBe(sha256(big));
}, 120_000);

test('an object of the wrong size on the remote (a cut-off upload) is uploaded again', async () => {
  await putRaw(sha256(MODEL), MODEL.subarray(0, 1000));
  const report = await push(await ws(a), { head: true });
  expect(report.transferred).toBe(1);
  expect(await remoteBytes(sha256(MODEL))).toEqual(MODEL);
});

test('a corrupted remote object is refused on fetch and not kept', async () => {
  await push(await ws(a), { head: true });
  const hex = sha256(MODEL);
  await putRaw(hex, Buffer.alloc(MODEL.length, 1));
  const b = clone('b');
  const report = await fetch(await ws(b), { head: true });
  expect(report.failed).toHaveLength(1);
  expect(report.failed[0]).toMatchObject({ oid: `sha256:${hex}`, path: 'models/model.bin', code: 'OBJECT_CORRUPT' });
  expect(report.failed[0].reason).toContain(`remote 'origin' (s3://${s3().bucket}/${prefix})`);
  expect(fs.existsSync(objectFile(b, hex))).toBe(false);
});

test('a cache object corrupted behind an intact seal is not uploaded: the bytes are checked as they leave', async () => {
  const hex = sha256(MODEL);
  const obj = objectFile(a, hex);
  // Same size, same sealed mtime: only the content tells.
  const st = fs.statSync(obj);
  fs.chmodSync(obj, 0o644);
  fs.writeFileSync(obj, Buffer.alloc(MODEL.length, 3));
  fs.utimesSync(obj, st.atime, st.mtime);
  const report = await push(await ws(a), { head: true });
  expect(report.transferred).toBe(0);
  expect(report.failed).toHaveLength(1);
  expect(report.failed[0]).toMatchObject({ oid: `sha256:${hex}`, path: 'models/model.bin', code: 'OBJECT_CORRUPT' });
  expect(report.failed[0].reason).toContain(`object ${hex.slice(0, 12)} in the local cache is corrupt`);
  expect(await remoteBytes(hex)).toBeNull();
});

test('a remote missing one object: exactly that object is reported', async () => {
  writeFile(a, 'models/second.bin', bytes(3000, 3));
  await addPaths(await ws(a), ['models/second.bin'], { cwd: a });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'second']);
  await push(await ws(a), { head: true });
  const gone = sha256(bytes(3000, 3));
  await deleteRaw(gone);
  const b = clone('b');
  const report = await fetch(await ws(b), { head: true });
  expect(report.failed.map((f) => [f.oid, f.path, f.code])).toEqual([
    [`sha256:${gone}`, 'models/second.bin', 'OBJECT_MISSING'],
  ]);
  expect(report.transferred).toBe(1);
});

test('remote gc deletes unreferenced objects on S3', async () => {
  await push(await ws(a), { head: true });
  writeFile(a, 'models/model.bin', bytes(999, 9));
  await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
  git(a, ['commit', '-q', '--amend', '-am', 'replaced']);
  await push(await ws(a), { head: true });
  // Just uploaded: kept for gc.remoteKeepRecent (S3 says when, LastModified), unless pruneNow.
  const kept = await gcRemote(await ws(a), 'origin', { dryRun: true });
  expect([kept.removed, kept.keptRecent]).toEqual([[], 1]);
  const dry = await gcRemote(await ws(a), 'origin', { dryRun: true, pruneNow: true });
  expect(dry.removed.map((r) => r.oid)).toEqual([`sha256:${sha256(MODEL)}`]);
  const real = await gcRemote(await ws(a), 'origin', { pruneNow: true });
  expect(real.removed).toHaveLength(1);
  expect(await remoteBytes(sha256(MODEL))).toBeNull();
  expect(await remoteBytes(sha256(bytes(999, 9)))).not.toBeNull();
  // The age comes from the listing: with a window of 0 s, a fresh object is no longer kept.
  writeFile(a, 'models/model.bin', bytes(998, 8));
  await addPaths(await ws(a), ['models/model.bin'], { cwd: a });
  git(a, ['commit', '-q', '--amend', '-am', 'replaced again']);
  await push(await ws(a), { head: true });
  await setSetting((await ws(a)).repo, 'gc.remoteKeepRecent', '1s', true);
  await new Promise((r) => setTimeout(r, 1500));
  expect((await gcRemote(await ws(a), 'origin', { yes: true })).removed.map((r) => r.oid)).toEqual([
    `sha256:${sha256(bytes(999, 9))}`,
  ]);
});
