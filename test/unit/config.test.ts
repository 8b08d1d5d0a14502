import { isMvgitError, type MvgitError } from '../../src/base/errors.js';
import { DEFAULT_MAX_FILE_SIZE, parseSize, validateConfig } from '../../src/core/repo/config.js';

function configError(fn: () => unknown): MvgitError {
  try {
    fn();
  } catch (err) {
    if (!isMvgitError(err, 'CONFIG_INVALID')) throw err;
    expect(err.hint).toBeTruthy();
    return err;
  }
  throw new Error('accepted a bad config');
}

describe('parseSize', () => {
  test.each([
    [0, 0],
    [10485760, 10485760],
    ['0', 0],
    ['123', 123],
    ['10b', 10],
    ['512KB', 512 * 1024],
    ['512 KiB', 512 * 1024],
    ['10MB', 10 * 1024 ** 2],
    ['10mb', 10 * 1024 ** 2],
    [' 10 MiB ', 10 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['2T', 2 * 1024 ** 4],
  ])('%p is %d bytes', (input, bytes) => {
    expect(parseSize(input, 'guard.maxFileSize')).toBe(bytes);
  });

  test.each([['ten MB'], ['10 XB'], ['-5'], [-5], [1.5], [''], [null], [true], ['10 M B']])(
    '%p is refused, naming the setting',
    (input) => {
      const err = configError(() => parseSize(input, 'guard.maxFileSize'));
      expect(err.message).toBe(`guard.maxFileSize must be a size such as 10MB, got ${JSON.stringify(input)}`);
      expect(err.hint).toContain('0 turns the check off');
    },
  );
});

describe('validateConfig', () => {
  const FILE = '.mvgit/config.yaml';

  test('defaults for an empty config', () => {
    expect(validateConfig({}, FILE)).toEqual({
      track: [],
      cache: { link: 'auto', fsync: false },
      guard: { maxFileSize: DEFAULT_MAX_FILE_SIZE },
      core: { remote: undefined, autoFetch: undefined },
      remotes: {},
    });
  });

  test('a full config', () => {
    const c = validateConfig(
      {
        track: [{ pattern: 'models/*.pkl', kind: 'model' }, { pattern: 'data/raw' }],
        cache: { link: 'hardlink', fsync: true },
        guard: { maxFileSize: '1MB' },
        core: { remote: 'origin', autoFetch: false },
        remotes: { origin: { url: 's3://bucket/prefix', region: 'eu-west-1' } },
      },
      FILE,
    );
    expect(c.track).toEqual([
      { pattern: 'models/*.pkl', kind: 'model' },
      { pattern: 'data/raw', kind: 'artifact' },
    ]);
    expect(c.cache).toEqual({ link: 'hardlink', fsync: true });
    expect(c.guard.maxFileSize).toBe(1024 * 1024);
    expect(c.core).toEqual({ remote: 'origin', autoFetch: false });
    expect(c.remotes.origin.url).toBe('s3://bucket/prefix');
  });

  test.each([
    [{ track: 'models/*' }, "'track' must be a list of {pattern, kind}"],
    [{ track: [{ kind: 'model' }] }, "track[0] needs a 'pattern'"],
    [{ track: [{ pattern: 'a', kind: 'weights' }] }, 'track[0].kind must be one of model, dataset, artifact'],
    [{ cache: { link: 'clone' } }, 'cache.link must be one of auto, reflink, copy, hardlink, symlink, got "clone"'],
    [{ core: { autoFetch: 'yes' } }, 'core.autoFetch must be true or false'],
    [{ core: { remote: 3 } }, 'core.remote must be a remote name'],
    [{ remotes: { origin: { region: 'x' } } }, "remotes.origin needs a 'url'"],
    [{ guard: { maxFileSize: 'lots' } }, 'guard.maxFileSize must be a size such as 10MB'],
  ])('%j is refused with a message naming the file and the setting', (raw, problem) => {
    const err = configError(() => validateConfig(raw, FILE));
    expect(err.message).toContain(FILE);
    expect(err.message).toContain(problem);
  });
});
