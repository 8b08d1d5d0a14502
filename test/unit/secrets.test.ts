/**
 * No credential reaches the committed config: the URL checks (user part, query keys of every
 * usual family, any case) and the per-file check of a config that already holds one.
 */
import { isMvgitError, type MvgitError } from '../../src/base/errors.js';
import { checkConfigFile } from '../../src/core/repo/config.js';
import { redactUrl, urlSecretProblem } from '../../src/adapters/remote/url.js';

const FILE = '.mvgit/config.yaml';

function thrown(fn: () => unknown): MvgitError {
  try {
    fn();
  } catch (err) {
    if (isMvgitError(err)) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('urlSecretProblem', () => {
  test.each([
    'X-Amz-Signature',
    'x-amz-signature',
    'Signature',
    'sig',
    'SIG',
    'X-Amz-Credential',
    'X-Amz-Security-Token',
    'token',
    'access_token',
    'apikey',
    'api_key',
    'api-key',
    'APIKey',
    'key',
    'Key',
    'secret',
    'client_secret',
    'password',
    'pass',
    'pwd',
    'passwd',
    'auth',
    'Authorization',
    'credential',
    'credentials',
    'x-api-key',
    'sas%5Fkey',
  ])('a query key %s is a credential, and its value is never shown', (key) => {
    const url = `s3://bucket/prefix?region=eu&${key}=TOPSECRETVALUE`;
    const problem = urlSecretProblem(url);
    expect(problem).toContain('carries a credential');
    expect(problem).not.toContain('TOPSECRETVALUE');
  });

  test.each([
    'https://example.com/x#access_token=TOPSECRET',
    'http://h:9000/?X-Amz-Signature=TOPSECRET',
    'file:///srv/x?token=TOPSECRET',
  ])('%s: a fragment or endpoint counts too', (url) => {
    expect(urlSecretProblem(url)).toContain('carries a credential');
    expect(redactUrl(url)).not.toContain('TOPSECRET');
  });

  test.each(['s3://AKIAEXAMPLE:TOPSECRET@bucket', 'https://user@host/x', 'https://u:p@minio:9000'])(
    'user info in %s is a credential',
    (url) => {
      expect(urlSecretProblem(url)).toContain('carries credentials');
      expect(urlSecretProblem(url)).not.toContain('TOPSECRET');
    },
  );

  test.each([
    's3://bucket/prefix',
    's3://bucket/x?region=eu-west-1&versionId=3',
    '/mnt/user@host/models',
    'http://minio:9000',
    's3://b/x?monkey=1&passage=2&keyword=3',
  ])('%s carries none', (url) => {
    expect(urlSecretProblem(url)).toBeUndefined();
  });
});

describe('checkConfigFile', () => {
  test.each([
    [{ remotes: { origin: { url: 's3://AKIA:TOPSECRET@bucket' } } }, 'remotes.origin.url'],
    [
      { remotes: { origin: { url: 's3://bucket', endpoint: 'http://h:9000?X-Amz-Signature=TOPSECRET' } } },
      'remotes.origin.endpoint',
    ],
    [{ remotes: { origin: { url: 's3://bucket', secretAccessKey: 'TOPSECRET' } } }, 'remotes.origin.secretAccessKey'],
    [{ remotes: { origin: { url: 's3://bucket', pass: 'TOPSECRET' } } }, 'remotes.origin.pass'],
    [{ core: { remote: 's3://AKIA:TOPSECRET@bucket' } }, 'core.remote'],
    [{ notes: { link: 'https://u:TOPSECRET@wiki/x' } }, 'notes.link'],
  ])('a committed %j is refused as REMOTE_SECRET naming the file and %s', (raw, key) => {
    const err = thrown(() => checkConfigFile(raw, FILE, true));
    expect(err.code).toBe('REMOTE_SECRET');
    expect(err.message).toContain(`${FILE}: ${key}: `);
    expect(err.message).not.toContain('TOPSECRET');
    expect(err.hint).toContain(`remove it from ${FILE}`);
    expect(err.hint).toContain('mvgit config --local remotes.NAME.profile PROFILE');
    expect(err.hint).toContain('AWS_ACCESS_KEY_ID');
  });

  test('a remote field mvgit does not know is refused in either file, naming it', () => {
    for (const [file, committed] of [
      [FILE, true],
      ['.git/mvgit/config.yaml', false],
    ] as const) {
      const err = thrown(() =>
        checkConfigFile({ remotes: { origin: { url: 's3://b', colour: 'red' } } }, file, committed),
      );
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toBe(`${file}: unknown setting remotes.origin.colour`);
    }
    const local = thrown(() =>
      checkConfigFile({ remotes: { origin: { secretAccessKey: 'x' } } }, '.git/mvgit/config.yaml', false),
    );
    expect(local.code).toBe('CONFIG_INVALID');
    expect(local.hint).toContain('mvgit config --local remotes.origin.profile PROFILE');
  });

  test('the local file may hold a URL with credentials; known fields pass everywhere', () => {
    expect(() =>
      checkConfigFile(
        { remotes: { origin: { url: 's3://A:B@bucket', profile: 'team' } } },
        '.git/mvgit/config.yaml',
        false,
      ),
    ).not.toThrow();
    expect(() =>
      checkConfigFile(
        {
          core: { remote: 'origin' },
          remotes: {
            origin: { url: 's3://bucket/p', endpoint: 'http://h:9000', region: 'eu', profile: 'p', pathStyle: true },
          },
        },
        FILE,
        true,
      ),
    ).not.toThrow();
  });
});
