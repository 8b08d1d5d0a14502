import type { CommandModule } from 'yargs';
import { MvgitError } from '../../base/errors.js';
import { artifactLog, type ArtifactVersion } from '../../core/history/log.js';
import { pathForName } from '../../core/registry/names.js';
import { findRepo, type Repo } from '../../core/repo/repo.js';
import { flatten, loadMetricRules, sortByMetric } from '../../core/review/metrics.js';
import { output, printJson } from '../output.js';
import { renderLogCsv, renderLogMarkdown, renderLogTable } from '../render/log.js';

interface LogArgs {
  path: string;
  n?: number;
  rev?: string;
  json?: boolean;
  md?: boolean;
  csv?: boolean;
  sortBy?: string;
}

export const logCommand: CommandModule<object, LogArgs> = {
  command: 'log <path>',
  // A registry name (churn) stands for its artifact's path.
  describe: 'list every version of one artifact through history, newest first, with its params and metrics',
  builder: (y) =>
    y
      .positional('path', {
        type: 'string',
        demandOption: true,
        describe: 'the artifact, its pointer file, or its registry name',
      })
      .option('n', { alias: 'max-count', type: 'number', describe: 'show at most N versions' })
      .option('rev', { type: 'string', describe: 'walk history from this revision instead of HEAD' })
      .option('json', { type: 'boolean', describe: 'print the versions as JSON (with inputs and tags)' })
      .option('md', { type: 'boolean', describe: 'print a Markdown table', conflicts: ['json', 'csv'] })
      .option('csv', { type: 'boolean', describe: 'print CSV, one column per param and metric', conflicts: 'json' })
      .option('sort-by', {
        type: 'string',
        describe: "best first by this metric, by its direction (config 'metrics:')",
      })
      .example('$0 log models/churn.pkl', 'every version of a model, with its metrics')
      .example('$0 log churn', 'the same, by its registry name')
      .example('$0 log models/churn.pkl -n 5 --json', 'the last five versions, for scripts')
      .example('$0 log models/churn.pkl --sort-by auc --md', 'the best versions by AUC, as Markdown'),
  handler: async (argv) => {
    // History needs git, not the cache: this works in a fresh clone before 'mvgit init'.
    const repo = findRepo();
    const named = await pathForName(repo, argv.path);
    const target = named === null ? argv.path : named;
    let versions = artifactLog(repo, target, {
      limit: argv.n,
      rev: argv.rev,
      ...(named === null ? {} : { cwd: repo.root }),
    });
    if (argv.sortBy !== undefined) versions = await sortVersions(repo, versions, argv.sortBy, argv.path);
    if (argv.json) return printJson(versions);
    const o = output();
    if (argv.csv) return o.out(renderLogCsv(versions));
    if (versions.length === 0) {
      o.out(`${argv.path} has no committed version yet (commit its pointer to start its history).`);
      return;
    }
    o.out(argv.md ? renderLogMarkdown(versions) : renderLogTable(versions));
  },
};

/** Best first by `metric`; naming a metric no version has is an error listing the ones there are. */
async function sortVersions(
  repo: Repo,
  versions: ArtifactVersion[],
  metric: string,
  typed: string,
): Promise<ArtifactVersion[]> {
  const known = [...new Set(versions.flatMap((v) => Object.keys(flatten(v.metrics))))].sort();
  if (versions.length > 0 && !known.includes(metric))
    throw new MvgitError('USAGE', `no version of ${typed} has a metric '${metric}'`, {
      hint:
        known.length > 0
          ? `its metrics: ${known.join(', ')}`
          : `record metrics with 'mvgit add ${typed} --metrics FILE'`,
    });
  return sortByMetric(versions, (v) => v.metrics, metric, await loadMetricRules(repo));
}
