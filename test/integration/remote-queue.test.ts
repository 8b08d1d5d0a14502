/**
 * The pieces under the transfers, without a server: remote URLs and secret checks, which
 * errors are retried, back-off, and the transfer queue's order, retries and early stop.
 */
import { MvgitError } from '../../src/base/errors.js';
import { runQueue, type QueueTask } from '../../src/core/transfer/queue.js';
import { backoffMs, isFatal, isRetriable } from '../../src/core/transfer/retry.js';
import { parseRemoteUrl, redactUrl, settingSecretProblem, urlSecretProblem } from '../../src/adapters/remote/url.js';

describe('remote URLs', () => {
  test('folders, file URLs and S3 URLs', () => {
    expect(parseRemoteUrl('/srv/store', '/repo')).toEqual({ type: 'local', path: '/srv/store' });
    expect(parseRemoteUrl('../store', '/work/repo')).toEqual({ type: 'local', path: '/work/store' });
    expect(parseRemoteUrl('file:///mnt/team%20share', '/repo')).toEqual({ type: 'local', path: '/mnt/team share' });
    expect(parseRemoteUrl('s3://bucket', '/repo')).toEqual({ type: 's3', bucket: 'bucket', prefix: '' });
    expect(parseRemoteUrl('s3://bucket/team/models/', '/repo')).toEqual({
      type: 's3',
      bucket: 'bucket',
      prefix: 'team/models/',
    });
  });

  test('unsupported and malformed URLs are refused with what is supported', () => {
    for (const url of [
      'https://example.com/x',
      'git@github.com:a/b.git',
      'gs://bucket/x',
      'file://otherhost/x',
      's3://a/x',
      '',
    ]) {
      expect(() => parseRemoteUrl(url, '/repo')).toThrow(MvgitError);
    }
    try {
      parseRemoteUrl('https://example.com/x', '/repo');
    } catch (err) {
      expect((err as MvgitError).hint).toContain('s3://bucket/prefix');
    }
  });

  test('credentials in URLs and settings are found, and never echoed', () => {
    expect(urlSecretProblem('s3://AKIA:abc@bucket/x')).toContain('carries credentials');
    expect(urlSecretProblem('s3://bucket/x?X-Amz-Security-Token=abc')).toContain('carries a credential');
    expect(urlSecretProblem('s3://bucket/x')).toBeUndefined();
    expect(redactUrl('s3://AKIA:abc@bucket/x')).toBe('s3://***@bucket/x');
    for (const k of [
      'secretAccessKey',
      'accessKeyId',
      'access_key',
      'password',
      'sessionToken',
      'token',
      'credentials',
    ])
      expect(settingSecretProblem(k, 'v')).toBeDefined();
    for (const k of ['url', 'endpoint', 'region', 'profile', 'pathStyle'])
      expect(settingSecretProblem(k, 'http://h:9000')).toBeUndefined();
    expect(settingSecretProblem('endpoint', 'http://u:p@h:9000')).toBeDefined();
  });
});

describe('retries', () => {
  const net = (code: string): Error => Object.assign(new Error(code), { code });

  test('network errors, 5xx and throttling are retried, found under causes; missing and corrupt objects are not', () => {
    expect(isRetriable(net('ECONNRESET'))).toBe(true);
    expect(
      isRetriable(
        new MvgitError('REMOTE_ERROR', 'x', {
          cause: new MvgitError('REMOTE_ERROR', 'y', { cause: net('ECONNREFUSED') }),
        }),
      ),
    ).toBe(true);
    expect(isRetriable(new AggregateError([net('ECONNREFUSED'), net('ECONNREFUSED')]))).toBe(true);
    expect(isRetriable({ name: 'InternalError', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isRetriable({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetriable({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isRetriable({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isRetriable(new MvgitError('OBJECT_CORRUPT', 'bad', { cause: net('ECONNRESET') }))).toBe(false);
    expect(isRetriable(new MvgitError('OBJECT_MISSING', 'gone'))).toBe(false);
    expect(isRetriable(new Error('plain'))).toBe(false);
  });

  test('credentials refused, no bucket or a full disk stop the whole transfer', () => {
    expect(isFatal(new MvgitError('REMOTE_ERROR', 'x', { cause: { name: 'CredentialsProviderError' } }))).toBe(true);
    expect(isFatal({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } })).toBe(true);
    expect(isFatal(net('ENOSPC'))).toBe(true);
    expect(isFatal(new MvgitError('OBJECT_MISSING', 'gone'))).toBe(false);
  });

  test('back-off doubles from 250 ms and is capped', () => {
    for (let i = 0; i < 50; i++) {
      const first = backoffMs(1);
      expect(first).toBeGreaterThanOrEqual(125);
      expect(first).toBeLessThanOrEqual(250);
      expect(backoffMs(20)).toBeLessThanOrEqual(8000);
    }
  });
});

describe('the transfer queue', () => {
  const task = (hex: string, size: number, run: QueueTask['run']): QueueTask => ({ hex, size, path: hex, run });
  const fast = { backoff: { baseMs: 1, capMs: 2 } };

  test('largest objects first, at most N at once', async () => {
    const started: string[] = [];
    let running = 0;
    let peak = 0;
    const tasks = [1, 50, 7, 300, 20].map((size) =>
      task(`t${size}`, size, async () => {
        started.push(`t${size}`);
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      }),
    );
    const { done, failed } = await runQueue(tasks, { concurrency: 2 });
    expect(failed).toEqual([]);
    expect(done).toHaveLength(5);
    expect(started).toEqual(['t300', 't50', 't20', 't7', 't1']);
    expect(peak).toBe(2);
  });

  test('retries a retriable failure until it passes; a bytes count of a failed try is taken back', async () => {
    let tries = 0;
    let bytes = 0;
    const { done } = await runQueue(
      [
        task('a', 10, async (onBytes) => {
          onBytes(10);
          if (++tries < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        }),
      ],
      { ...fast, attempts: 5, onBytes: (n) => (bytes += n) },
    );
    expect(done).toHaveLength(1);
    expect(tries).toBe(3);
    expect(bytes).toBe(10);
  });

  test('a failure that is not retriable is not tried again, and the others go on', async () => {
    let tries = 0;
    const { done, failed } = await runQueue(
      [
        task('bad', 2, async () => {
          tries++;
          throw new MvgitError('OBJECT_CORRUPT', 'bad');
        }),
        task('good', 1, async () => {}),
      ],
      { ...fast, concurrency: 1 },
    );
    expect(tries).toBe(1);
    expect(done.map((t) => t.hex)).toEqual(['good']);
    expect(failed.map((f) => [f.task.hex, f.attempted])).toEqual([['bad', true]]);
  });

  test('when the remote stops answering, the objects not yet started are not tried', async () => {
    let calls = 0;
    const down = async (): Promise<void> => {
      calls++;
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    };
    const { failed } = await runQueue([task('a', 3, down), task('b', 2, down), task('c', 1, down)], {
      ...fast,
      concurrency: 1,
      attempts: 3,
    });
    expect(calls).toBe(3); // the first object's three tries
    expect(failed.map((f) => [f.task.hex, f.attempted])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
  });
});
