import type { CommandModule } from 'yargs';
import { artifactLog, type ArtifactVersion } from '../../core/history/log.js';
import { findRepo } from '../../core/repo/repo.js';
import { output, printJson } from '../output.js';
import { bold, formatBytes, shortOid, table, yellow } from '../render/style.js';

interface LogArgs {
  path: string;
  n?: number;
  rev?: string;
  json?: boolean;
}

export const logCommand: CommandModule<object, LogArgs> = {
  command: 'log <path>',
  describe: 'list every version of one artifact through history, newest first, with its metrics',
  builder: (y) =>
    y
      .positional('path', { type: 'string', demandOption: true, describe: 'the artifact or its pointer file' })
      .option('n', { alias: 'max-count', type: 'number', describe: 'show at most N versions' })
      .option('rev', { type: 'string', describe: 'walk history from this revision instead of HEAD' })
      .option('json', { type: 'boolean', describe: 'print the versions as JSON' })
      .example('$0 log models/churn.pkl', 'every version of a model, with its metrics')
      .example('$0 log models/churn.pkl -n 5 --json', 'the last five versions, for scripts'),
  handler: (argv) => {
    // History needs git, not the cache: this works in a fresh clone before 'mvgit init'.
    const versions = artifactLog(findRepo(), argv.path, { limit: argv.n, rev: argv.rev });
    if (argv.json) return printJson(versions);
    const o = output();
    if (versions.length === 0) {
      o.out(`${argv.path} has no committed version yet (commit its pointer to start its history).`);
      return;
    }
    const header = ['commit', 'date', 'author', 'oid', 'size', 'metrics', 'subject'].map((h) => bold(h));
    o.out(table([header, ...versions.map(row)]));
  },
};

function row(v: ArtifactVersion): string[] {
  const renamed = v.renamedFrom ? ` (renamed from ${v.renamedFrom.replace(/\.mvgit\.yaml$/, '')})` : '';
  const subject = (v.subject.length > 60 ? `${v.subject.slice(0, 59)}…` : v.subject) + renamed;
  if (v.error) return [v.commit.slice(0, 7), shortDate(v.date), v.author, yellow('invalid'), '', v.error, subject];
  const size = v.files !== undefined ? `${v.files} files, ${formatBytes(v.size ?? 0)}` : formatBytes(v.size ?? 0);
  return [
    v.commit.slice(0, 7),
    shortDate(v.date),
    v.author,
    shortOid(v.oid ?? ''),
    size,
    formatMetrics(v.metrics),
    subject,
  ];
}

/** `2024-05-02T14:03:11+02:00` -> `2024-05-02 14:03`, in the author's own time, as git shows it. */
function shortDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** `{accuracy: 0.93, auc: 0.96}` -> `accuracy=0.93 auc=0.96`; `-` when there are none. */
function formatMetrics(metrics: Record<string, unknown> | undefined): string {
  if (!metrics || Object.keys(metrics).length === 0) return '-';
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}
