import { reportError } from './exit.js';
import { quietBrokenPipes } from './output.js';

/**
 * The CLI's entry point. Returns the exit code instead of exiting, so tests can call it.
 * `mvgit hook NAME` skips yargs entirely: hooks run on every commit and checkout and must cost
 * little more than starting Node.
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
    const { buildParser } = await import('./parser.js');
    await (await buildParser(args)).parseAsync();
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    return reportError(err, { json, debug });
  }
}
