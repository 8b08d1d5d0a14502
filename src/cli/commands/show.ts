import type { CommandModule } from 'yargs';
import { findRepo } from '../../core/repo/repo.js';
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
  describe: 'show one version of an artifact with all its metadata and the commit that recorded it',
  builder: (y) =>
    y
      .positional('path', { type: 'string', demandOption: true, describe: 'the artifact or its pointer file' })
      .option('rev', { type: 'string', describe: 'the version at this revision (default: the work tree)' })
      .option('json', { type: 'boolean', describe: 'print it as JSON' })
      .example('$0 show models/churn.pkl', 'the version in the work tree')
      .example('$0 show models/churn.pkl --rev v1.0 --json', 'the version at a tag, for scripts'),
  handler: async (argv) => {
    const details = await showArtifact(findRepo(), argv.path, { rev: argv.rev });
    if (argv.json) return printJson(details);
    output().out(render(details));
  },
};

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
