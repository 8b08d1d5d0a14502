import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { isMvgitError } from '../../base/errors.js';
import { isArtifactName } from '../../core/history/registry-names.js';
import { isRegistryRef, type ResolvedArtifactRef, resolveArtifactRef } from '../../core/history/registry-ref.js';
import { findRepo, type Repo } from '../../core/repo/repo.js';
import { type ArtifactDetails, showArtifact } from '../../core/review/show.js';
import { output, printJson } from '../output.js';
import { formatValue } from '../render/diff.js';
import { bold, formatBytes, table } from '../render/style.js';

interface ShowArgs {
  path: string;
  rev?: string;
  json?: boolean;
}

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <path>',
  describe:
    'show one version of an artifact with all its metadata and the commit that recorded it; or a registry name (its versions and stages), NAME@vX.Y.Z or NAME#STAGE',
  builder: (y) =>
    y
      .positional('path', {
        type: 'string',
        demandOption: true,
        describe: 'the artifact or its pointer file; a registry name, NAME@vX.Y.Z, NAME@latest or NAME#STAGE',
      })
      .option('rev', { type: 'string', describe: 'the version at this revision (default: the work tree)' })
      .option('json', { type: 'boolean', describe: 'print it as JSON' })
      .example('$0 show models/churn.pkl', 'the version in the work tree')
      .example('$0 show models/churn.pkl --rev v1.0 --json', 'the version at a tag, for scripts')
      .example('$0 show churn#prod', 'the version in production, with its metrics')
      .example('$0 show churn', "a registered artifact's versions and stages"),
  handler: async (argv) => {
    const repo = findRepo();
    if (argv.rev === undefined && isRegistryRef(argv.path)) {
      const hit = await resolveArtifactRef(repo, argv.path);
      // The commit, not the reference: the tags are read once. The source shows what was typed.
      const details = {
        ...(await showArtifact(repo, hit.path, { rev: hit.commit, cwd: repo.root })),
        source: argv.path,
      };
      if (argv.json) return printJson({ ...details, registry: hit });
      output().out(`${registryRows(hit)}\n${render(details)}`);
      return;
    }
    if (argv.rev === undefined && (await showRegistryName(repo, argv.path, argv.json))) return;
    const details = await showArtifact(repo, argv.path, { rev: argv.rev });
    if (argv.json) return printJson(details);
    output().out(render(details));
  },
};

/** `mvgit show churn`: a registry name that is not also a path in the work tree. */
async function showRegistryName(repo: Repo, name: string, json?: boolean): Promise<boolean> {
  if (!isArtifactName(name) || fs.existsSync(name) || fs.existsSync(`${name}.mvgit.yaml`)) return false;
  try {
    // Loaded here: `show PATH` and `show NAME#STAGE`, the common forms, need neither module.
    const { describeArtifact } = await import('../../core/registry/listing.js');
    const { printWarnings, renderArtifactView } = await import('../render/registry.js');
    const view = await describeArtifact(repo, name);
    if (json) printJson(view);
    else {
      printWarnings(view.warnings);
      output().out(renderArtifactView(view));
    }
    return true;
  } catch (err) {
    if (isMvgitError(err, 'REGISTRY_UNKNOWN_NAME')) return false;
    throw err;
  }
}

function registryRows(hit: ResolvedArtifactRef): string {
  const rows: [string, string][] = [['artifact', hit.name]];
  if (hit.version) rows.push(['version', hit.version]);
  if (hit.stage) rows.push(['stage', hit.stage]);
  if (hit.tag) rows.push(['tag', hit.tag]);
  return table(rows.map(([k, v]) => [bold(k), v]));
}

function render(d: ArtifactDetails): string {
  const rows: [string, string][] = [
    ['path', d.path],
    ['kind', d.kind],
    ['oid', d.oid],
    ['size', `${formatBytes(d.size)} (${d.size} bytes)`],
  ];
  if (d.files !== undefined) rows.push(['files', String(d.files)]);
  if (d.framework !== undefined) rows.push(['framework', d.framework]);
  if (d.description !== undefined) rows.push(['description', d.description]);
  const c = d.recordedIn;
  rows.push(['from', d.source]);
  rows.push([
    'commit',
    c ? `${c.commit.slice(0, 10)} ${c.date.slice(0, 10)} ${c.author}: ${c.subject}` : 'not committed yet',
  ]);
  if (c && c.tags.length > 0) rows.push(['tags', c.tags.join(', ')]);
  const out = [table(rows.map(([k, v]) => [bold(k), v]))];
  const section = (title: string, entries: [string, string][]): void => {
    if (entries.length === 0) return;
    out.push('', bold(title), table(entries.map(([k, v]) => [`  ${k}`, v])));
  };
  section(
    'params',
    Object.entries(d.params).map(([k, v]) => [k, formatValue(v)]),
  );
  section(
    'metrics',
    Object.entries(d.metrics).map(([k, v]) => [k, formatValue(v)]),
  );
  section(
    'inputs',
    d.inputs.map((i) => [i.path, i.oid]),
  );
  return out.join('\n');
}
