/**
 * The built CLI facing mistakes and impatient readers: a misspelled command or option gets the
 * nearest real one, a missing argument gets the command's usage line (exit 2 for all of them),
 * and a reader that closes the pipe early (`mvgit status | head -0`) gets no stack trace.
 */
import { spawn } from 'node:child_process';
import { cleanup, CLI, makeMvgitRepo, mvgit, mvgitOk, testEnv, writeFile } from '../helpers/repo.js';
import { editDistance, suggest } from '../../src/cli/suggest.js';

let repo: string;
beforeAll(() => {
  repo = makeMvgitRepo();
});
afterAll(() => cleanup(repo));

describe('did you mean', () => {
  test.each([
    [['stauts'], "unknown command 'stauts' (did you mean status?)", 'see mvgit --help for the list of commands'],
    [
      ['chekout', 'v1'],
      "unknown command 'chekout' (did you mean checkout?)",
      'see mvgit --help for the list of commands',
    ],
    [['frobnicate'], "unknown command 'frobnicate'", 'see mvgit --help for the list of commands'],
    [['remote', 'lst'], "unknown command 'remote lst' (did you mean remote list?)", 'see mvgit remote --help'],
    [
      ['add', 'm.bin', '--metric', 'm.json'],
      'unknown option --metric (did you mean --metrics?)',
      'see mvgit add --help',
    ],
    [['status', '--jsno'], 'unknown option --jsno (did you mean --json?)', 'see mvgit status --help'],
    [
      ['remote', 'add', 'lab', 's3://b/p', '--endpont', 'http://h:9000'],
      'unknown option --endpont (did you mean --endpoint?)',
      'see mvgit remote add --help',
    ],
    [['checkout', '-z'], 'unknown option -z', 'see mvgit checkout --help'],
  ])('%j exits 2 with the nearest real name', (args, message, hint) => {
    expect(mvgit(repo, args)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nhint: ${hint}\n` });
  });

  test.each([
    [['config'], 'missing argument; usage: mvgit config <key> [value]', 'see mvgit config --help'],
    [['remote', 'add', 'lab'], 'missing argument; usage: mvgit remote add <name> <url>', 'see mvgit remote add --help'],
    [['log'], 'missing argument; usage: mvgit log <path>', 'see mvgit log --help'],
    [['log', 'a', 'b'], "unexpected argument 'b'; usage: mvgit log <path>", 'see mvgit log --help'],
  ])('%j names the command and shows its usage line, not yargs text', (args, message, hint) => {
    expect(mvgit(repo, args)).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\nhint: ${hint}\n` });
  });

  test('yargs texts stay English whatever the locale, so they are always recognised', () => {
    expect(mvgit(repo, ['config'], { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }).stderr).toBe(
      'error: missing argument; usage: mvgit config <key> [value]\nhint: see mvgit config --help\n',
    );
  });

  test('the distance counts a swap of neighbours as one edit; short or far words get no guess', () => {
    expect(editDistance('stauts', 'status')).toBe(1);
    expect(editDistance('metric', 'metrics')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(suggest('stauts', ['init', 'status', 'push'])).toBe('status');
    expect(suggest('z', ['o', 'f'])).toBeUndefined();
    expect(suggest('frobnicate', ['init', 'status'])).toBeUndefined();
  });
});

/** Runs the CLI with stdout a pipe whose reader has already gone, like `| head -0`. */
function withClosedStdout(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: repo,
      env: testEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a closed pipe', () => {
  beforeAll(() => {
    for (let i = 0; i < 20; i++) writeFile(repo, `m${i}.bin`, `v${i}`);
    mvgitOk(repo, ['add', ...Array.from({ length: 20 }, (_, i) => `m${i}.bin`)]);
    for (let i = 0; i < 20; i++) writeFile(repo, `m${i}.bin`, `changed ${i}`);
  });

  test.each([[['status']], [['--help']], [['status', '--json']]])(
    '%j exits quietly when nobody reads stdout',
    async (args) => {
      const r = await withClosedStdout(args);
      expect(r.stderr).toBe('');
      expect([0, 141]).toContain(r.code);
    },
  );
});
