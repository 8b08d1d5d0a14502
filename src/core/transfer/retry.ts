/**
 * Which failures are worth another try, judged by behaviour rather than by library: the error
 * and every `cause` under it are looked at, so the transfer queue never needs to know the AWS
 * SDK's error classes (git-lfs's IsRetriableError does the same).
 */
import { isMvgitError } from '../../base/errors.js';

const RETRIABLE_ERRNO = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const RETRIABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeTooSkewed',
]);

/** True when `err` (or any cause under it) is a failure that may pass on a later try. */
export function isRetriable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur !== null && cur !== undefined && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    // Content that does not match its hash, or an object that is not there, stays so.
    if (isMvgitError(cur, 'OBJECT_CORRUPT') || isMvgitError(cur, 'OBJECT_MISSING')) return false;
    const e = cur as {
      code?: unknown;
      name?: unknown;
      $retryable?: unknown;
      $metadata?: { httpStatusCode?: number };
      cause?: unknown;
    };
    if (typeof e.code === 'string' && RETRIABLE_ERRNO.has(e.code)) return true;
    if (typeof e.name === 'string' && RETRIABLE_NAMES.has(e.name)) return true;
    if (e.$retryable) return true;
    const status = e.$metadata?.httpStatusCode;
    if (typeof status === 'number' && (status >= 500 || status === 429 || status === 408)) return true;
    // Node reports a failed connection to every address of a host as one AggregateError.
    if (cur instanceof AggregateError && cur.errors.some((x) => isRetriable(x))) return true;
    cur = e.cause;
  }
  return false;
}

const FATAL_NAMES = new Set([
  'CredentialsProviderError',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'NoSuchBucket',
  'ExpiredToken',
  'InvalidToken',
  'AllAccessDisabled',
  'AccountProblem',
]);
const FATAL_ERRNO = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR']);

/**
 * True when `err` says the whole remote is out of reach for this run (credentials refused, no
 * such bucket, a full or read-only disk), not one object: the other objects need not be tried.
 */
export function isFatal(err: unknown): boolean {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur !== null && cur !== undefined && typeof cur === 'object' && !seen.has(cur)) {
    seen.add(cur);
    const e = cur as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
    if (typeof e.name === 'string' && FATAL_NAMES.has(e.name)) return true;
    if (typeof e.code === 'string' && FATAL_ERRNO.has(e.code)) return true;
    const status = e.$metadata?.httpStatusCode;
    if (status === 401 || status === 403) return true;
    cur = e.cause;
  }
  return false;
}

export interface BackoffOptions {
  /** First wait, in ms. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 8000 };

/** The wait before try `attempt` + 1 (attempt counts from 1): doubling, capped, with jitter. */
export function backoffMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(options.capMs, options.baseMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** Runs `fn`, trying again after a back-off while it fails with a retriable error, `attempts` tries in all. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  attempts: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isRetriable(err)) throw err;
      await new Promise((r) => setTimeout(r, backoffMs(attempt, options)));
    }
  }
}
