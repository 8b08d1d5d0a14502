import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { toRepoPath } from '../../core/repo/repo.js';
import { ARTIFACT_KINDS, type ArtifactKind } from '../../core/pointer/kind.js';
import { addRules, matchRules, removeRules } from '../../core/workspace/track.js';
import { output, printJson } from '../output.js';

interface TrackArgs {
  patterns: string[];
  kind?: ArtifactKind;
  params?: string[];
  metrics?: string[];
  input?: string[];
  json?: boolean;
}

export const trackCommand: CommandModule<object, TrackArgs> = {
  command: 'track <patterns..>',
  describe: 'add tracking rules: matching files and folders are recorded on every commit',
  builder: (y) =>
    y
      .positional('patterns', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'glob patterns, relative to the repository top',
      })
      .option('kind', {
        choices: ARTIFACT_KINDS,
        describe: 'what the matches are (default: kept for an existing rule, else artifact)',
      })
      .option('params', {
        type: 'string',
        array: true,
        describe: 'params file read when a match is recorded; repeatable',
      })
      .option('metrics', {
        type: 'string',
        array: true,
        describe: 'metrics file read when a match is recorded; repeatable',
      })
      .option('input', {
        type: 'string',
        array: true,
        describe: 'tracked artifact the matches are made from (lineage, its oid as on disk); repeatable',
      })
      .option('json', { type: 'boolean', describe: 'print the rules as JSON' })
      .example("$0 track 'models/*.pkl' --kind model", 'record every pickle in models/ on commit')
      .example(
        "$0 track 'models/*.pkl' --kind model --params params.yaml --metrics reports/metrics.json --input data/train",
        'also record the params, metrics and training data with each new version',
      )
      .example('$0 track data/images --kind dataset', 'record a whole folder as one dataset'),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const rules = await addRules(ws.repo, argv.patterns, argv.kind, {
      params: argv.params?.map((p) => toRepoPath(ws.repo, p)),
      metrics: argv.metrics?.map((p) => toRepoPath(ws.repo, p)),
      inputs: argv.input?.map((p) => toRepoPath(ws.repo, p)),
    });
    const matches = await matchRules(ws.repo, {
      ...ws.config,
      track: rules.filter((r) => argv.patterns.includes(r.pattern)),
    });
    if (argv.json) return printJson({ rules, matches });
    const o = output();
    for (const p of argv.patterns) {
      const rule = rules.find((r) => r.pattern === p);
      const reads = [
        ...(rule?.params ?? []).map((f) => `params ${f}`),
        ...(rule?.metrics ?? []).map((f) => `metrics ${f}`),
        ...(rule?.inputs ?? []).map((f) => `input ${f}`),
      ];
      // The default kind gives way to the file's extension when recorded (a .pkl is a model).
      const kind =
        rule && rule.kind !== 'artifact' ? `as ${rule.kind}` : 'as artifact (model for a model file extension)';
      o.out(`Tracking '${p}' ${kind}${reads.length > 0 ? `, with ${reads.join(', ')}` : ''}`);
    }
    o.out(
      matches.length > 0
        ? `${matches.length} match${matches.length === 1 ? '' : 'es'} now: run 'mvgit add' (or just commit, with the hooks installed) to record them.`
        : 'Nothing matches yet.',
    );
    o.out('Commit the rule: git add .mvgit/config.yaml');
  },
};

interface UntrackArgs {
  patterns: string[];
}

export const untrackCommand: CommandModule<object, UntrackArgs> = {
  command: 'untrack <patterns..>',
  describe: 'remove tracking rules (artifacts already recorded keep their pointers)',
  builder: (y) =>
    y
      .positional('patterns', { type: 'string', array: true, demandOption: true })
      .example("$0 untrack 'models/*.pkl'", 'stop recording pickles automatically'),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const { removed, unknown } = await removeRules(ws.repo, argv.patterns);
    const o = output();
    for (const p of removed) o.out(`No longer tracking '${p}'`);
    for (const p of unknown) o.err(`warning: '${p}' was not a tracking rule (see .mvgit/config.yaml)`);
    if (removed.length === 0) process.exitCode = 1;
  },
};
