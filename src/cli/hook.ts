/**
 * Git hooks enter here (`mvgit hook NAME ARGS...`), without yargs. Each hook's core entry
 * point is imported only when that hook runs, and each decides "nothing to do" before it
 * loads anything heavy: a hook runs on every commit and checkout.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Runs one hook; returns the exit status git sees. */
export async function runHook(args: string[]): Promise<number> {
  const [name = '', ...rest] = args;
  // A repository without mvgit: do nothing, before loading anything (the script checks too).
  if (!fs.existsSync(path.join(process.cwd(), '.mvgit', 'config.yaml'))) {
    const { findRepo, isInitialized } = await import('../core/repo/repo.js');
    let initialized = false;
    try {
      initialized = isInitialized(findRepo());
    } catch {
      // not a git work tree either
    }
    if (!initialized) return 0;
  }
  switch (name) {
    case 'pre-commit':
      return preCommitHook();
    case 'post-checkout':
    case 'post-merge':
    case 'post-rewrite':
      return checkoutSideHook(name, rest);
    case 'pre-push': {
      const stdin = await readStdin();
      return (await import('./hook-pre-push.js')).prePushHook(rest, stdin);
    }
    default:
      process.stderr.write(
        `mvgit: unknown hook '${name}' (known: pre-commit, post-checkout, post-merge, post-rewrite, pre-push)\n`,
      );
      return 0;
  }
}

async function preCommitHook(): Promise<number> {
  const { preCommit } = await import('../core/hooks/pre-commit.js');
  let result: Awaited<ReturnType<typeof preCommit>>;
  try {
    result = await preCommit();
  } catch (err) {
    const { printHookError } = await import('./render/hooks.js');
    printHookError(err, 'pre-commit');
    process.stderr.write(
      "mvgit: nothing was committed. To commit without mvgit's checks this once: git commit --no-verify\n",
    );
    return 1;
  }
  if (result.skipped === 'merge') {
    process.stderr.write(
      "mvgit: a merge is in progress: this commit does not record models and datasets. After it, run 'mvgit checkout' to put the merged ones in place.\n",
    );
  }
  if (
    result.recorded.length === 0 &&
    result.stale.length === 0 &&
    result.warnings.length === 0 &&
    !result.finished &&
    !result.stop &&
    !result.adopted
  )
    return 0;
  const render = await import('./render/hooks.js');
  if (result.finished) render.printRestoreReport(result.finished);
  render.printAdopted(result.adopted ?? []);
  render.printRecorded(result.recorded);
  render.printStale(result.stale);
  render.printWarnings(result.warnings);
  if (result.stop) {
    render.printHookError(result.stop, 'pre-commit');
    return 1;
  }
  return 0;
}

async function checkoutSideHook(
  name: 'post-checkout' | 'post-merge' | 'post-rewrite',
  args: string[],
): Promise<number> {
  try {
    let result: { report?: Parameters<typeof import('./render/hooks.js').printRestoreReport>[0] };
    if (name === 'post-checkout')
      result = await (await import('../core/hooks/post-checkout.js')).postCheckout(args, {
        onProgress: await lazyProgress(),
      });
    else if (name === 'post-merge')
      result = await (await import('../core/hooks/post-merge.js')).postMerge(args, {
        onProgress: await lazyProgress(),
      });
    else {
      await readStdin(); // the rewritten commits; ORIG_HEAD says enough
      result = await (await import('../core/hooks/post-rewrite.js')).postRewrite(args, {
        onProgress: await lazyProgress(),
      });
    }
    if (result.report) (await import('./render/hooks.js')).printRestoreReport(result.report);
  } catch (err) {
    // The checkout itself is done; a failure here must not make git report it failed.
    const { printHookError } = await import('./render/hooks.js');
    printHookError(err, name);
    process.stderr.write("mvgit: models and datasets may not match this commit; run 'mvgit checkout' to finish.\n");
  } finally {
    progress?.done();
  }
  return 0;
}

let progress:
  | { onProgress: (e: import('../core/repo/workspace.js').ProgressEvent) => void; done: () => void }
  | undefined;

/** A progress bar on a terminal, loaded only there. */
async function lazyProgress(): Promise<((e: import('../core/repo/workspace.js').ProgressEvent) => void) | undefined> {
  if (!process.stderr.isTTY) return undefined;
  progress = (await import('./render/progress.js')).progressBar();
  return progress.onProgress;
}

/** All of stdin (git writes it and closes it); nothing when a person runs the hook by hand. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
