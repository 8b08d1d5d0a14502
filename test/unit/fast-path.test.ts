import { plainCommand, plainVersion } from '../../src/cli/fast-path.js';

describe('the commands that skip the parser', () => {
  test('plain forms of status skip it', () => {
    const status = (argv: object) => ({ command: 'status', argv: { _: ['status'], $0: 'mvgit', ...argv } });
    expect(plainCommand(['status'])).toEqual(status({ paths: [], json: false }));
    expect(plainCommand(['status', 'data/a', '--json', 'm.bin'])).toEqual(
      status({ paths: ['data/a', 'm.bin'], json: true }),
    );
    expect(plainCommand(['status', '--debug'])).toEqual(status({ paths: [], json: false }));
  });

  test("the registry's read-only commands skip it with their positionals named as yargs names them", () => {
    expect(plainCommand(['ls', '--json'])?.argv).toEqual({ _: ['ls'], $0: 'mvgit', json: true });
    expect(plainCommand(['show', 'churn#prod'])?.argv).toEqual({
      _: ['show'],
      $0: 'mvgit',
      json: false,
      path: 'churn#prod',
    });
    expect(plainCommand(['history'])?.argv).toEqual({ _: ['history'], $0: 'mvgit', json: false });
    expect(plainCommand(['check-ref', 'churn#prod#3', '--json'])?.argv).toMatchObject({
      tag: 'churn#prod#3',
      json: true,
    });
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
      ['show'],
      ['show', 'a', 'b'],
      ['show', 'models/m.pkl', '--rev', 'HEAD~1'],
      ['ls', 'extra'],
      ['check-ref'],
      ['history', 'a', 'b'],
    ])
      expect(plainCommand(args)).toBeNull();
  });

  test('only a lone --version is answered without it', () => {
    expect(plainVersion(['--version'])).toBe(true);
    expect(plainVersion(['--version', '--help'])).toBe(false);
    expect(plainVersion(['status', '--version'])).toBe(false);
  });
});
