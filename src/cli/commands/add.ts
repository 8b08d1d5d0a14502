import type { CommandModule } from 'yargs';
import { addPaths, addTracked, type AddedArtifact } from '../../core/workspace/add.js';
import { LINK_MODES, type LinkMode } from '../../core/repo/config.js';
import { openWorkspace } from '../../core/repo/workspace.js';
import { toRepoPath } from '../../core/repo/repo.js';
import { ARTIFACT_KINDS, type ArtifactKind } from '../../core/pointer/kind.js';
import { collectMeta } from '../../core/workspace/meta.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import { formatBytes, shortOid } from '../render/style.js';

interface AddArgs {
  paths: string[];
  kind?: ArtifactKind;
  params?: string;
  metrics?: string;
  input?: string[];
  message?: string;
  framework?: string;
  link?: LinkMode;
  force?: boolean;
  json?: boolean;
}

export const addCommand: CommandModule<object, AddArgs> = {
  command: 'add [paths..]',
  describe:
    'store files or folders in the cache and write their pointers (no path: everything the tracking rules match)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, default: [] as string[] })
      .option('kind', {
        choices: ARTIFACT_KINDS,
        describe: 'model, dataset or artifact (default: kept, else artifact)',
      })
      .option('params', { type: 'string', describe: 'YAML/JSON file of parameters to record in the pointer' })
      .option('metrics', { type: 'string', describe: 'YAML/JSON file of metrics to record in the pointer' })
      .option('input', {
        type: 'string',
        array: true,
        describe: 'a tracked artifact this one was made from (lineage); repeatable',
      })
      .option('message', { alias: 'm', type: 'string', describe: 'a description of the artifact' })
      .option('framework', { type: 'string', describe: 'the framework that made it (sklearn, torch...)' })
      .option('link', { choices: LINK_MODES, describe: 'override cache.link for this run' })
      .option('force', {
        alias: 'f',
        type: 'boolean',
        describe: 'record content that an older commit already recorded (an old version) as the newest version anyway',
      })
      .option('json', { type: 'boolean', describe: 'print what was recorded as JSON' })
      .example(
        '$0 add models/churn.pkl --kind model --metrics metrics.json --input data/train',
        'record a model with its metrics and lineage',
      )
      .example('$0 add data/images --kind dataset', 'record a folder as one dataset')
      .example('$0 add', 'record everything the tracking rules match'),
  handler: async (argv) => {
    const ws = await openWorkspace({ link: argv.link });
    const meta = await collectMeta({
      paramsFile: argv.params,
      metricsFile: argv.metrics,
      description: argv.message,
      framework: argv.framework,
    });
    const inputs = (argv.input ?? []).map((p) => toRepoPath(ws.repo, p));
    const bar = progressBar();
    const options = { kind: argv.kind, meta, inputs, onProgress: bar.onProgress, force: argv.force };
    let added: AddedArtifact[];
    try {
      added = argv.paths.length > 0 ? await addPaths(ws, argv.paths, options) : await addTracked(ws, options);
    } finally {
      bar.done();
    }
    // Recorded now, but without the hooks the next retrain would not be: say so on stderr.
    await (await import('./status.js')).warnIfNoHooks(ws.repo);
    if (argv.json) return printJson(added);
    printAdded(added, argv.paths.length === 0);
  },
};

/** Shared with `mvgit commit` and the pre-commit hook's summary. */
export function printAdded(added: AddedArtifact[], fromRules: boolean): void {
  const o = output();
  if (added.length === 0) {
    o.out(fromRules ? "Nothing to add: no tracking rule matches a file (see 'mvgit track')." : 'Nothing to add.');
    return;
  }
  for (const a of added) {
    const what = a.files !== undefined ? `${a.files} files, ${formatBytes(a.size)}` : formatBytes(a.size);
    o.out(`${a.changed ? 'added    ' : 'unchanged'} ${a.path} (${a.kind}, ${what}, ${shortOid(a.oid)})`);
  }
  for (const w of added.flatMap((a) => a.warnings ?? [])) o.err(`warning: ${w}`);
  const toStage = [
    ...new Set(
      added.flatMap((a) => (a.changed || a.gitignore ? [a.pointerPath, ...(a.gitignore ? [a.gitignore] : [])] : [])),
    ),
  ];
  if (toStage.length > 0) o.out(`\nTo record this in git:\n  git add ${toStage.join(' ')}`);
}
