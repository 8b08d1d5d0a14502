import fs from 'node:fs';
import { reportError } from './exit.js';
import { plainCommand, plainVersion } from './fast-path.js';
import { output, quietBrokenPipes } from './output.js';

/**
 * The CLI's entry point. Returns the exit code instead of exiting, so tests can call it.
 * `mvgit hook NAME` skips yargs entirely: hooks run on every commit and checkout and must cost
 * little more than starting Node; so do the plain forms of `status` and `--version` (fast-path.ts).
 */
export async function main(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const debug = args.includes('--debug') || process.env.MVGIT_DEBUG === '1';
  quietBrokenPipes();
  try {
    if (args[0] === 'hook') {
      const { runHook } = await import('./hook.js');
      return await runHook(args.slice(1));
    }
    const plain = plainCommand(args);
    if (plain) {
      const { loadCommand } = await import('./commands.js');
      const command = await loadCommand(plain.command);
      await command.handler(plain.argv);
      return process.exitCode === undefined ? 0 : Number(process.exitCode);
    }
    if (plainVersion(args)) {
      const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      };
      output().out(pkg.version);
      return 0;
    }
    const { buildParser } = await import('./parser.js');
    await (await buildParser(args)).parseAsync();
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    return reportError(err, { json, debug });
  }
}
