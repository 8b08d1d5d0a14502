/** S3 errors as mvgit errors: what failed, on which remote, and what to do about it. */
import { MvgitError } from '../../base/errors.js';

/** Where a remote is, for messages. */
export interface S3Where {
  name: string;
  url: string;
  bucket: string;
  /** The endpoint URL, or 'AWS S3'. */
  endpoint: string;
}

/** An SDK error as an MvgitError that names the remote and keeps the SDK error as cause (retry.ts reads it). */
export function s3Error(err: unknown, doing: string, r: S3Where): MvgitError {
  if (err instanceof MvgitError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const where = `remote '${r.name}' (${r.url}${r.endpoint !== 'AWS S3' ? ` at ${r.endpoint}` : ''})`;
  let hint =
    'check the network and the remote settings (mvgit remote list), then run the command again: it resumes where it stopped';
  if (name === 'NoSuchBucket')
    hint = `create the bucket '${r.bucket}' first, or fix the URL: mvgit remote add ${r.name} s3://BUCKET/PREFIX`;
  else if (name === 'CredentialsProviderError' || /credential/i.test(e.message ?? ''))
    hint = `set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name an AWS profile: mvgit config --local remotes.${r.name}.profile PROFILE`;
  else if (
    status === 403 ||
    name === 'AccessDenied' ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch'
  )
    hint =
      'the credentials were refused: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile, and the bucket policy';
  else if (/region/i.test(e.message ?? ''))
    hint = `name the region: mvgit config remotes.${r.name}.region REGION (or set AWS_REGION)`;
  const detail = `${name}${status ? ` (HTTP ${status})` : ''}${e.message && e.message !== name ? `: ${e.message}` : ''}`;
  return new MvgitError('REMOTE_ERROR', `${doing} on ${where} failed: ${detail}`, {
    hint,
    cause: err,
    data: { remote: r.name },
  });
}

export function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchKey' ||
    (e?.$metadata?.httpStatusCode === 404 && e?.name !== 'NoSuchBucket')
  );
}

export function isNotImplemented(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotImplemented' || e?.$metadata?.httpStatusCode === 501;
}
