/**
 * fsck of an S3 remote against a real S3 server on a free port (test/helpers/s3-server.ts):
 * push checks size only, so a same-size corrupt copy looks present; fsckRemote re-hashes it
 * and, with repair, uploads the verified cache copy over it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { addPaths } from '../../src/core/workspace/add.js';
import { openWorkspace, type Workspace } from '../../src/core/repo/workspace.js';
import { fsckRemote, remoteFsckError } from '../../src/core/transfer/fsck-remote.js';
import { init } from '../../src/core/repo/init.js';
import { addRemote } from '../../src/core/repo/remote-settings.js';
import { push } from '../../src/core/transfer/push.js';
import { pull } from '../../src/core/workspace/pull.js';
import { bytes, cleanup, git, makeGitRepo, objectFile, sha256, tempDir, writeFile } from '../helpers/repo.js';
import { type S3Server, useS3Server } from '../helpers/s3-server.js';
import { objectKey } from '../../src/adapters/remote/remote.js';

const s3 = useS3Server();
let base: string;
let a: string;
let prefix: string;
let counter = 0;

const MODEL = bytes(200_000, 7);
const SECOND = bytes(3000, 3);
const HEAD = { head: true, workTree: true };

async function ws(dir: string): Promise<Workspace> {
  return openWorkspace({ cwd: dir, link: 'copy' });
}

function key(hex: string): string {
  return `${prefix}/${objectKey(hex)}`;
}

async function withClient<T>(fn: (c: ReturnType<S3Server['client']>) => Promise<T>): Promise<T> {
  const c = s3().client();
  try {
    return await fn(c);
  } finally {
    c.destroy();
  }
}

const remoteBytes = (hex: string): Promise<Buffer> =>
  withClient(async (c) =>
    Buffer.from(
      await (await c.send(new GetObjectCommand({ Bucket: s3().bucket, Key: key(hex) }))).Body!.transformToByteArray(),
    ),
  );
const putRaw = (hex: string, body: Buffer): Promise<unknown> =>
  withClient((c) => c.send(new PutObjectCommand({ Bucket: s3().bucket, Key: key(hex), Body: body })));
const deleteRaw = (hex: string): Promise<unknown> =>
  withClient((c) => c.send(new DeleteObjectCommand({ Bucket: s3().bucket, Key: key(hex) })));

beforeEach(async () => {
  base = tempDir('mvgit-remote-fsck-s3-');
  prefix = `fsck-${process.pid}-${++counter}`;
  a = path.join(base, 'a');
  fs.mkdirSync(a);
  makeGitRepo(a);
  init(a);
  await addRemote(
    (await ws(a)).repo,
    { name: 'origin', url: `s3://${s3().bucket}/${prefix}`, endpoint: s3().endpoint, pathStyle: true },
    true,
  );
  writeFile(a, 'models/model.bin', MODEL);
  writeFile(a, 'models/second.bin', SECOND);
  await addPaths(await ws(a), ['models/model.bin', 'models/second.bin'], { cwd: a, kind: 'model' });
  git(a, ['add', '-A']);
  git(a, ['commit', '-q', '-m', 'models']);
  expect((await push(await ws(a), HEAD)).failed).toEqual([]);
});
afterEach(() => cleanup(base));

test('a same-size corrupt copy: push calls it present, fsck names it, repair replaces it', async () => {
  const hex = sha256(MODEL);
  const flipped = Buffer.from(MODEL);
  flipped[1000] ^= 0x01;
  await putRaw(hex, flipped);
  expect((await push(await ws(a), HEAD)).transferred).toBe(0);

  const report = await fsckRemote(await ws(a), HEAD);
  expect(report).toMatchObject({
    remote: 'origin',
    url: `s3://${s3().bucket}/${prefix}`,
    checked: 2,
    missing: [],
    unchecked: [],
  });
  expect(report.corrupt).toEqual([
    {
      oid: `sha256:${hex}`,
      path: 'models/model.bin',
      reason: expect.stringContaining(`its ${MODEL.length} bytes on remote 'origin' hash to`),
    },
  ]);
  expect(remoteFsckError(report, 'mvgit fsck --remote', false)!.code).toBe('OBJECT_CORRUPT');

  const repaired = await fsckRemote(await ws(a), HEAD, { repair: true });
  expect(repaired.repaired).toEqual([`sha256:${hex}`]);
  expect(repaired.unrepaired).toEqual([]);
  expect(sha256(await remoteBytes(hex))).toBe(hex);
  expect((await fsckRemote(await ws(a), HEAD)).corrupt).toEqual([]);

  const b = path.join(base, 'b');
  git(base, ['clone', '-q', a, b]);
  init(b);
  const pulled = await pull(await ws(b), { head: true });
  expect(pulled.fetch.failed).toEqual([]);
  expect(fs.readFileSync(path.join(b, 'models/model.bin'))).toEqual(MODEL);
});

test('a missing object is reported and repaired; a corrupt cache copy is not uploaded', async () => {
  const second = sha256(SECOND);
  const model = sha256(MODEL);
  await deleteRaw(second);
  await putRaw(model, Buffer.alloc(MODEL.length, 9));
  fs.chmodSync(objectFile(a, model), 0o644);
  fs.writeFileSync(objectFile(a, model), Buffer.alloc(MODEL.length, 8));

  const report = await fsckRemote(await ws(a), HEAD, { repair: true, jobs: 1 });
  expect(report.missing).toEqual([
    { oid: `sha256:${second}`, path: 'models/second.bin', reason: "not on remote 'origin'" },
  ]);
  expect(report.repaired).toEqual([`sha256:${second}`]);
  expect(report.unrepaired).toEqual([
    {
      oid: `sha256:${model}`,
      path: 'models/model.bin',
      reason: expect.stringContaining('the local cache copy is corrupt too'),
    },
  ]);
  expect(await remoteBytes(second)).toEqual(SECOND);
  expect(await remoteBytes(model)).toEqual(Buffer.alloc(MODEL.length, 9));
  expect(remoteFsckError(report, 'mvgit fsck --remote', true)!.message).toContain('1 bad object on remote');
});
