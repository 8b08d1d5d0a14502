import type { CommandModule } from 'yargs';
import { MvgitError } from '../../base/errors.js';
import { findRepo } from '../../core/repo/repo.js';
import { hasRegression } from '../../core/review/diff.js';
import { diffRevisions } from '../../core/review/revisions.js';
import { exitCodeFor } from '../exit.js';
import { output, printJson } from '../output.js';
import { formatValue, renderDiffMarkdown, renderDiffText } from '../render/diff.js';

interface DiffArgs {
  revOrPath?: string[];
  '--'?: string[];
  md?: boolean;
  json?: boolean;
  all?: boolean;
  failOnRegression?: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff [rev-or-path..]',
  describe: 'compare artifacts between two revisions (default: HEAD and the work tree): sizes, metrics, params, inputs',
  builder: (y) =>
    y
      .positional('rev-or-path', { type: 'string', array: true, describe: '[REV_A [REV_B]] [PATH...]' })
      .parserConfiguration({ 'populate--': true })
      .option('md', { type: 'boolean', describe: 'print Markdown (for a pull request)', conflicts: 'json' })
      .option('json', { type: 'boolean', describe: 'print the comparison as JSON' })
      .option('all', {
        type: 'boolean',
        describe: 'list every changed file of a folder (default: the first 5 of each)',
      })
      .option('fail-on-regression', {
        type: 'boolean',
        describe: 'exit 3 when a metric got worse by more than its tolerance (for CI)',
      })
      .example('$0 diff', 'what changed since the last commit')
      .example('$0 diff HEAD~1 HEAD models/', 'the last commit, models only')
      .example('$0 diff main HEAD --md --fail-on-regression', 'a pull request comment that fails CI on a worse model'),
  handler: async (argv) => {
    const result = await diffRevisions(findRepo(), { args: argv.revOrPath ?? [], paths: argv['--'] });
    const regressed = hasRegression(result.artifacts);
    const gate = argv.failOnRegression === true && regressed ? regressionError(result.artifacts) : undefined;
    if (argv.json) {
      printJson({ ...result, regression: regressed });
      // One JSON document on stdout: the gate's failure is its exit code, not a second document.
      if (gate) process.exitCode = exitCodeFor(gate);
      return;
    }
    output().out(argv.md ? renderDiffMarkdown(result, { all: argv.all }) : renderDiffText(result, { all: argv.all }));
    if (gate) throw gate;
  },
};

function regressionError(artifacts: Awaited<ReturnType<typeof diffRevisions>>['artifacts']): MvgitError {
  const worse = artifacts.flatMap((a) =>
    a.metrics
      .filter((m) => m.regression)
      .map((m) => `${a.path} ${m.name} ${formatValue(m.old)} -> ${formatValue(m.new)}`),
  );
  return new MvgitError('REGRESSION', `a metric got worse: ${worse.join('; ')}`, {
    hint: 'set a tolerance in .mvgit/config.yaml (metrics: { NAME: { direction: higher, tolerance: 0.01 } }) if this change is acceptable',
    data: { regressions: worse },
  });
}
