import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/context.js';
import { MvgitError } from '../../core/errors.js';
import { fsck } from '../../core/fsck.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';

interface FsckArgs {
  repair?: boolean;
  json?: boolean;
}

export const fsckCommand: CommandModule<object, FsckArgs> = {
  command: 'fsck',
  describe: 're-hash every object in the cache and report corrupt ones',
  builder: (y) =>
    y
      .option('repair', { type: 'boolean', describe: 'move corrupt objects aside (to the cache\'s corrupt/ folder)' })
      .option('json', { type: 'boolean', describe: 'print the report as JSON' })
      .example('$0 fsck', 'check the cache')
      .example('$0 fsck --repair', 'move corrupt objects aside so a pull can replace them'),
  handler: async (argv) => {
    const ws = await openWorkspace();
    const bar = progressBar();
    const report = await fsck(ws, { repair: argv.repair, onProgress: bar.onProgress }).finally(bar.done);
    const failed = report.corrupt.length > 0 && !argv.repair;
    // With --json stdout holds one document: the report, or the error carrying it.
    if (argv.json && !failed) printJson(report);
    else if (!argv.json) {
      const o = output();
      o.out(`checked ${report.checked} object(s)`);
      for (const c of report.corrupt) o.out(`corrupt: ${c.oid} ${c.movedTo ? `(moved to ${c.movedTo})` : c.file}`);
      if (report.tempsRemoved > 0) o.out(`removed ${report.tempsRemoved} temp file(s) left by interrupted runs`);
    }
    if (failed) {
      const names = report.corrupt.map((c) => c.oid.slice('sha256:'.length, 'sha256:'.length + 12));
      throw new MvgitError('OBJECT_CORRUPT', `${names.length} corrupt object(s) in the cache: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`, {
        hint: "run 'mvgit fsck --repair' to move them aside, then 'mvgit pull' or 'mvgit add' to replace them",
        data: { corrupt: report.corrupt, checked: report.checked, tempsRemoved: report.tempsRemoved },
      });
    }
  },
};
