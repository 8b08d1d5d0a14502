/**
 * `mvgit gc --remote` on a real S3 server (SeaweedFS where installed) deletes in batches:
 * DeleteObjects with up to 1,000 keys a request, never one request per object. The requests
 * are counted by a proxy between the CLI and the server, which forwards everything unchanged.
 */
import http from 'node:http';
import type net from 'node:net';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { runLimited } from '../../src/base/concurrency.js';
import { objectKey } from '../../src/adapters/remote/remote.js';
import {
  bytes,
  cleanup,
  git,
  makeMvgitRepo,
  mvgitAsync,
  mvgitOk,
  sha256,
  tempDir,
  writeFile,
} from '../helpers/repo.js';
import { useS3Server } from '../helpers/s3-server.js';

const server = useS3Server();
let base: string;
beforeEach(() => {
  base = tempDir('mvgit-e2e-gc-s3-');
});
afterEach(() => cleanup(base));

/** An HTTP proxy in front of `target` that records each request's method and URL. */
async function countingProxy(target: string): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const to = new URL(target);
  const seen: string[] = [];
  const srv = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const up = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve());
      }),
  };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const c = server().client();
  const out: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await c.send(
        new ListObjectsV2Command({ Bucket: server().bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) out.push(o.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    c.destroy();
  }
  return out;
}

test('gc --remote deletes 2,500 unreferenced objects in 3 DeleteObjects requests and keeps the referenced one', async () => {
  const prefix = `gc-batch-${process.pid}/`;
  const proxy = await countingProxy(server().endpoint);
  try {
    const repo = makeMvgitRepo(`${base}`);
    const model = bytes(50_000, 12);
    writeFile(repo, 'models/m.bin', model);
    mvgitOk(repo, ['add', 'models/m.bin', '--kind', 'model']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '-m', 'model']);
    const args = [`s3://${server().bucket}/${prefix}`, '--endpoint', proxy.url, '--path-style'];
    mvgitOk(repo, ['remote', 'add', 'origin', ...args, '--default'], server().env);
    const pushed = await mvgitAsync(repo, ['push'], server().env);
    expect(pushed.code).toBe(0);

    // 2,500 objects nothing references, put straight into the bucket.
    const c = server().client();
    try {
      const items = Array.from({ length: 2500 }, (_, i) => Buffer.from(`unreferenced ${i}\n`));
      await runLimited(items, 16, async (body) => {
        await c.send(
          new PutObjectCommand({ Bucket: server().bucket, Key: prefix + objectKey(sha256(body)), Body: body }),
        );
      });
    } finally {
      c.destroy();
    }
    expect((await keysUnder(prefix)).length).toBe(2501);

    proxy.seen.length = 0;
    const r = await mvgitAsync(repo, ['gc', '--remote', 'origin', '--yes', '--prune-now'], server().env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2501);
    expect(lines.at(-1)).toBe("Removed 2500 objects (42.9 KiB) from remote 'origin'; kept 1.");

    const deletes = proxy.seen.filter((s) => s.startsWith('POST ') && /[?&]delete(=|&|$)/.test(s));
    expect(deletes).toHaveLength(3);
    expect(proxy.seen.filter((s) => s.startsWith('DELETE '))).toEqual([]);
    expect(await keysUnder(prefix)).toEqual([prefix + objectKey(sha256(model))]);
  } finally {
    await proxy.close();
  }
}, 180_000);
