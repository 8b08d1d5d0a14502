import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { gc, type GcReport } from '../../core/transfer/gc.js';
import { gcRemote } from '../../core/transfer/gc-remote.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import { formatBytes } from '../render/style.js';

interface GcArgs {
  'dry-run'?: boolean;
  'all-commits'?: boolean;
  'prune-now'?: boolean;
  remote?: string;
  yes?: boolean;
  json?: boolean;
}

export const gcCommand: CommandModule<object, GcArgs> = {
  command: 'gc',
  describe: 'remove objects that no branch, tag, stash, worktree, index or work-tree pointer references',
  builder: (y) =>
    y
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'only list what would be removed' })
      .option('all-commits', {
        type: 'boolean',
        describe:
          'also keep what any commit reachable from a ref references (default: only what the ref tips reference)',
      })
      .option('prune-now', {
        type: 'boolean',
        describe:
          'also remove unreferenced objects younger than gc.keepRecent (default 1h; with --remote: gc.remoteKeepRecent, default 14d)',
      })
      .option('remote', {
        alias: 'r',
        type: 'string',
        describe:
          'clean a remote instead of the cache (always with --all-commits scope; needs --dry-run first, or --yes)',
      })
      .option('yes', { alias: 'y', type: 'boolean', describe: 'with --remote: delete without a dry run first' })
      .option('json', { type: 'boolean', describe: 'print the report as JSON' })
      .example('$0 gc --dry-run', 'see what would be removed from the cache')
      .example('$0 gc --prune-now', 'also remove what was stored in the last hour and is referenced by nothing')
      .example('$0 gc --all-commits', 'clean the cache but keep every committed version')
      .example(
        '$0 gc --remote origin --dry-run',
        'list what would be deleted from the remote; run without --dry-run to delete it',
      ),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const bar = progressBar();
    let report: GcReport;
    try {
      report =
        argv.remote !== undefined
          ? await gcRemote(ws, argv.remote, {
              dryRun: argv['dry-run'],
              yes: argv.yes,
              pruneNow: argv['prune-now'],
              onProgress: bar.onProgress,
            })
          : await gc(ws, {
              dryRun: argv['dry-run'],
              allCommits: argv['all-commits'],
              pruneNow: argv['prune-now'],
              onProgress: bar.onProgress,
            });
    } finally {
      bar.done();
    }
    if (argv.json) return printJson(report);
    const o = output();
    const verb = report.dryRun ? 'would remove' : 'removed';
    for (const r of report.removed) o.out(`${verb} ${r.oid.slice(7)} (${formatBytes(r.size)})`);
    for (const d of report.unknownDirs)
      o.err(
        `warning: the manifest of ${d.path} (${d.oid.slice(7, 19)}) is not available; files only it lists were not kept`,
      );
    const where = report.target === 'cache' ? 'the cache' : `remote '${report.target}'`;
    o.out(
      `${report.dryRun ? 'Would remove' : 'Removed'} ${report.removed.length} object${report.removed.length === 1 ? '' : 's'} (${formatBytes(report.bytesFreed)}) from ${where}; kept ${report.kept}.`,
    );
    const them = report.keptRecent === 1 ? 'it' : 'them';
    const kept = `Kept ${report.keptRecent} unreferenced object${report.keptRecent === 1 ? '' : 's'} younger than ${formatDuration(report.keepRecentMs)}`;
    if (report.keptRecent > 0 && report.target === 'cache')
      o.out(
        `${kept} (gc.keepRecent): a running command may be about to use ${them}. To remove ${them} now: mvgit gc --prune-now`,
      );
    else if (report.keptRecent > 0)
      o.out(
        `${kept} (gc.remoteKeepRecent): another clone may have pushed ${them} with commits this clone has not fetched. To remove ${them} now: mvgit gc --remote ${report.target} --prune-now`,
      );
    if (report.dryRun && report.target !== 'cache' && report.removed.length > 0)
      o.out(`To delete them: mvgit gc --remote ${report.target}`);
  },
};

/** 3600000 -> '1h', 90000 -> '90s': the unit the user most likely wrote. */
function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
