/** Git hooks enter here (`mvgit hook NAME`), without loading yargs. */
export async function runHook(args: string[]): Promise<number> {
  process.stderr.write(`mvgit: unknown hook '${args[0] ?? ''}'\n`);
  return 0;
}
