import { plainStatus, plainVersion } from '../../src/cli/fast-path.js';

describe('the commands that skip the parser', () => {
  test('plain forms of status skip it', () => {
    expect(plainStatus(['status'])).toEqual({ paths: [], json: false });
    expect(plainStatus(['status', 'data/a', '--json', 'm.bin'])).toEqual({ paths: ['data/a', 'm.bin'], json: true });
    expect(plainStatus(['status', '--debug'])).toEqual({ paths: [], json: false });
  });

  test('any other form goes to yargs, which owns help and usage errors', () => {
    for (const args of [
      ['status', '--help'],
      ['status', '-h'],
      ['status', '--json', '--bogus'],
      ['status', '--', '-odd-name'],
      ['status', ''],
      ['add', 'x'],
      ['--json', 'status'],
    ])
      expect(plainStatus(args)).toBeNull();
  });

  test('only a lone --version is answered without it', () => {
    expect(plainVersion(['--version'])).toBe(true);
    expect(plainVersion(['--version', '--help'])).toBe(false);
    expect(plainVersion(['status', '--version'])).toBe(false);
  });
});
