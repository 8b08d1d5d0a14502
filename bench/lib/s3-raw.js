#!/usr/bin/env node
// The raw-SDK floor of the S3 suites: the same @aws-sdk/client-s3 and lib-storage that mvgit
// uses, with the same client settings, doing the plain thing (no hashing, no cache, no checks).
// Reads S3_ENDPOINT, S3_BUCKET and the AWS_* credentials from the environment.
//   mb                                  create the bucket (fails until the server is up)
//   put-file FILE KEY                   lib-storage Upload, mvgit's part size and queue size
//   get-file KEY OUT                    GetObject streamed to a file
//   put-tree DIR PREFIX CONC            PutObject of every file under DIR, CONC at once
//   get-tree DIR PREFIX OUT CONC        GetObject of the keys put-tree made from DIR, into OUT
//   copy-tree DIR OUT CONC              copyFile of every file under DIR into OUT, CONC at once
//                                       (the floor of a folder remote; no S3)
//   rm-prefix PREFIX                    delete every key under PREFIX (DeleteObjects)
//   count PREFIX                        print the number of keys under PREFIX
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const Bucket = process.env.S3_BUCKET;
const [cmd, ...args] = process.argv.slice(2);

function client(sockets = 64) {
  return new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
      httpAgent: { keepAlive: true, maxSockets: sockets },
    },
  });
}

async function limited(items, n, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

function walk(dir, rel = '', out = []) {
  for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) walk(dir, r, out);
    else out.push(r);
  }
  return out;
}

async function* keys(c, Prefix) {
  let token;
  do {
    const page = await c.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) yield o.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

async function main() {
  const c = client(cmd.endsWith('-tree') ? Number(args.at(-1)) : 64);
  if (cmd === 'copy-tree') c.destroy();
  try {
    switch (cmd) {
      case 'mb':
        try {
          await c.send(new CreateBucketCommand({ Bucket }));
        } catch (err) {
          if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
        }
        break;
      case 'put-file': {
        const [file, Key] = args;
        const size = fs.statSync(file).size;
        const up = new Upload({
          client: c,
          params: { Bucket, Key, Body: fs.createReadStream(file), ContentType: 'application/octet-stream' },
          partSize: Math.max(8 << 20, Math.ceil(size / 9000)),
          queueSize: 4,
          leavePartsOnError: false,
        });
        await up.done();
        break;
      }
      case 'get-file': {
        const [Key, out] = args;
        const r = await c.send(new GetObjectCommand({ Bucket, Key }));
        await pipeline(r.Body, fs.createWriteStream(out));
        break;
      }
      case 'put-tree': {
        const [dir, prefix, conc] = args;
        await limited(walk(dir), Number(conc), async (rel) => {
          const Body = fs.readFileSync(path.join(dir, rel));
          await c.send(
            new PutObjectCommand({ Bucket, Key: `${prefix}/${rel}`, Body, ContentType: 'application/octet-stream' }),
          );
        });
        break;
      }
      case 'get-tree': {
        const [dir, prefix, out, conc] = args;
        const made = new Set();
        await limited(walk(dir), Number(conc), async (rel) => {
          const r = await c.send(new GetObjectCommand({ Bucket, Key: `${prefix}/${rel}` }));
          const file = path.join(out, rel);
          const parent = path.dirname(file);
          if (!made.has(parent)) {
            fs.mkdirSync(parent, { recursive: true });
            made.add(parent);
          }
          fs.writeFileSync(file, await r.Body.transformToByteArray());
        });
        break;
      }
      case 'copy-tree': {
        const [dir, out, conc] = args;
        const made = new Set();
        await limited(walk(dir), Number(conc), async (rel) => {
          const file = path.join(out, rel);
          const parent = path.dirname(file);
          if (!made.has(parent)) {
            fs.mkdirSync(parent, { recursive: true });
            made.add(parent);
          }
          await fs.promises.copyFile(path.join(dir, rel), file);
        });
        break;
      }
      case 'rm-prefix': {
        let batch = [];
        const flush = async () => {
          if (batch.length === 0) return;
          await c.send(
            new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
          );
          batch = [];
        };
        for await (const Key of keys(c, `${args[0]}/`)) {
          batch.push(Key);
          if (batch.length === 1000) await flush();
        }
        await flush();
        break;
      }
      case 'count': {
        let n = 0;
        for await (const _ of keys(c, `${args[0]}/`)) n++;
        console.log(n);
        break;
      }
      default:
        throw new Error(`s3-raw.js: unknown command ${cmd}`);
    }
  } finally {
    c.destroy();
  }
}

main().catch((err) => {
  console.error(`s3-raw.js ${cmd}: ${err.name}: ${err.message}`);
  process.exitCode = 1;
});
