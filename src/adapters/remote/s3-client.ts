/**
 * The S3 remote's client setup: the SDK client with mvgit's settings, and what every part of
 * the remote (s3.ts, s3-upload.ts, s3-list.ts) shares to talk to one bucket and prefix.
 * Credentials come from the SDK's standard chain (environment, shared files, SSO, instance
 * roles), never from mvgit's config.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { MvgitError } from '../../base/errors.js';
import { objectKey } from './remote.js';
import { s3Error, type S3Where } from './s3-errors.js';

export interface S3RemoteOptions {
  name: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  pathStyle?: boolean;
}

/** One bucket and prefix, its client, and how its errors read. */
export interface S3Target {
  readonly client: S3Client;
  readonly bucket: string;
  /** '' or ending in '/'. */
  readonly prefix: string;
  /** The object's key: `prefix/objects/sha256/ab/cdef...`. */
  key(hex: string): string;
  /** An SDK error as an MvgitError naming the remote and what was being done. */
  wrap(err: unknown, doing: string): MvgitError;
}

const SILENT = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The client and its target for a remote's settings. */
export function openS3Target(options: S3RemoteOptions): S3Target & { where: S3Where } {
  // The SDK warns on stderr that later versions will need Node 22; mvgit pins one that runs
  // on Node 20, so the warning only adds noise to every push and hook.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const region =
    options.region ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    (options.endpoint ? 'us-east-1' : undefined);
  const config: S3ClientConfig = {
    // Third-party stores reject the CRC32 checksums recent SDKs send by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // mvgit retries whole objects itself, with a body it can re-open (src/core/transfer/retry.ts).
    maxAttempts: 1,
    // The SDK warns on the console when a streamed upload fails; the core never prints.
    logger: SILENT,
    requestHandler: {
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
      httpAgent: { keepAlive: true, maxSockets: 64 },
    },
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.pathStyle ? { forcePathStyle: true } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const client = new S3Client(config);
  const where: S3Where = {
    name: options.name,
    url: `s3://${options.bucket}/${options.prefix}`.replace(/\/$/, ''),
    bucket: options.bucket,
    endpoint: options.endpoint ?? 'AWS S3',
  };
  const prefix = options.prefix;
  return {
    client,
    bucket: options.bucket,
    prefix,
    where,
    key: (hex) => prefix + objectKey(hex),
    wrap: (err, doing) => s3Error(err, doing, where),
  };
}
