/**
 * A killed push leaves an unfinished multipart upload on S3 (its parts are stored, billed, and
 * invisible to a listing). The S3 remote's sweep, which `gc --remote` runs, aborts those under
 * its own objects once they are older than the grace period, and no others.
 */
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { S3Remote } from '../../src/adapters/remote/s3.js';
import { objectKey } from '../../src/adapters/remote/remote.js';
import { sha256 } from '../helpers/repo.js';
import { useS3Server } from '../helpers/s3-server.js';

const s3 = useS3Server();

async function unfinished(prefix: string): Promise<string[]> {
  const c = s3().client();
  try {
    const r = await c.send(new ListMultipartUploadsCommand({ Bucket: s3().bucket, Prefix: prefix }));
    return (r.Uploads ?? []).map((u) => u.Key!).sort();
  } finally {
    c.destroy();
  }
}

async function startUpload(Key: string): Promise<string> {
  const c = s3().client();
  try {
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: s3().bucket, Key }));
    await c.send(new UploadPartCommand({ Bucket: s3().bucket, Key, UploadId, PartNumber: 1, Body: 'part one' }));
    return UploadId!;
  } finally {
    c.destroy();
  }
}

test('sweepTemps aborts our stale multipart uploads, keeps fresh ones and those of other prefixes', async () => {
  const ours = `sweep-${process.pid}/${objectKey(sha256('killed push'))}`;
  const theirs = `other-${process.pid}/${objectKey(sha256('killed push'))}`;
  await startUpload(ours);
  const theirId = await startUpload(theirs);
  const remote = new S3Remote({
    name: 'origin',
    bucket: s3().bucket,
    prefix: `sweep-${process.pid}/`,
    endpoint: s3().endpoint,
    pathStyle: true,
  });
  try {
    await remote.sweepTemps();
    expect(await unfinished(`sweep-${process.pid}/`)).toEqual([ours]);
    await remote.sweepTemps(0);
    expect(await unfinished(`sweep-${process.pid}/`)).toEqual([]);
    expect(await unfinished(`other-${process.pid}/`)).toEqual([theirs]);
  } finally {
    remote.close();
    const c = s3().client();
    await c.send(new AbortMultipartUploadCommand({ Bucket: s3().bucket, Key: theirs, UploadId: theirId }));
    c.destroy();
  }
}, 120_000);
