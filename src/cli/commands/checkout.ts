import path from 'node:path';
import type { CommandModule } from 'yargs';
import { isRegistryRef, resolveArtifactRef } from '../../core/history/registry-ref.js';
import { checkout, type RestoreOutcome } from '../../core/workspace/checkout.js';
import { checkoutRev, type CheckoutRevResult } from '../../core/workspace/checkout-rev.js';
import { openWorkspace } from '../../core/repo/workspace.js';
import { type CheckoutArgs, explainPathIsRev, explainRevNotFound, parseCheckoutArgs } from '../checkout-args.js';
import { printJsonOrFail, printOutcomes, printRevOutcomes, throwForProblems } from '../render/checkout.js';
import { progressBar } from '../render/progress.js';
import { warnIfNoHooks } from './status.js';

export const checkoutCommand: CommandModule<object, CheckoutArgs> = {
  command: 'checkout [args..]',
  describe:
    'make the work tree match the pointers, from the cache; or put artifacts as they were at REV in place, or beside it with -o',
  builder: (y) =>
    y
      .usage(
        '$0 checkout [PATH...]\n$0 checkout REV [-- PATH...] [-o OUT] [--force]\n\n' +
          'Without REV: put back the artifacts their pointers describe. ' +
          'With REV (a commit, branch or tag, always before --): put back the artifacts as they were at REV, content and pointer (the pointer is not staged; commit it to keep the old version). ' +
          'With -o: write one artifact as it was at REV to OUT, leaving the work tree as it is.',
      )
      .parserConfiguration({ 'populate--': true })
      .positional('args', {
        type: 'string',
        array: true,
        default: [] as string[],
        describe: 'paths; or REV, when followed by -- or used with -o',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        describe:
          'write the one artifact to OUT (a file, or a folder for a directory artifact) instead of the work tree',
      })
      .option('force', {
        alias: 'f',
        type: 'boolean',
        describe:
          'overwrite work-tree files even when their content is not in the cache (it is lost); with -o, replace OUT',
      })
      .option('json', { type: 'boolean', describe: 'print the outcome as JSON' })
      .example('$0 checkout', 'restore every artifact')
      .example('$0 checkout models/churn.pkl --force', 'throw away local edits to one model')
      .example('$0 checkout v1.0 -- models/churn.pkl', 'put the model (and its pointer) back as it was at tag v1.0')
      .example('$0 checkout churn#prod -o deploy/model.pkl', 'the model in production, by its registry stage')
      .example(
        '$0 checkout HEAD~3 -- models/churn.pkl -o ../churn-old.pkl',
        "an old version beside today's model; the work tree is untouched",
      ),
  handler: async (argv) => {
    const cmd = parseCheckoutArgs(argv);
    const ws = await openWorkspace();
    await warnIfNoHooks(ws.repo);
    const bar = progressBar();
    if (cmd.rev === undefined) {
      let outcomes: RestoreOutcome[];
      try {
        outcomes = await checkout(ws, { paths: cmd.paths, force: cmd.force, onProgress: bar.onProgress });
      } catch (err) {
        throw explainPathIsRev(err, ws.repo, cmd);
      } finally {
        bar.done();
      }
      if (cmd.json) return printJsonOrFail(outcomes, outcomes);
      printOutcomes(outcomes);
      throwForProblems(outcomes);
      return;
    }
    // A registry reference names one artifact: with no path, that artifact is the one meant.
    if (cmd.paths.length === 0 && isRegistryRef(cmd.rev)) {
      const hit = await resolveArtifactRef(ws.repo, cmd.rev);
      cmd.paths = [path.relative(process.cwd(), path.join(ws.repo.root, hit.path)) || '.'];
    }
    let result: CheckoutRevResult;
    try {
      result = await checkoutRev(ws, {
        rev: cmd.rev,
        paths: cmd.paths,
        out: cmd.out,
        force: cmd.force,
        onProgress: bar.onProgress,
      });
    } catch (err) {
      throw explainRevNotFound(err, cmd);
    } finally {
      bar.done();
    }
    if (cmd.json) return printJsonOrFail(result, result.outcomes, { rev: cmd.rev });
    printRevOutcomes(result, cmd.out);
    throwForProblems(result.outcomes, { rev: cmd.rev });
  },
};
