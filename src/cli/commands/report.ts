import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { ioError, MvgitError } from '../../base/errors.js';
import { writeFileAtomic } from '../../base/fs/atomic-write.js';
import { findRepo } from '../../core/repo/repo.js';
import { buildReport } from '../../core/review/report.js';
import { output } from '../output.js';
import { renderReportHtml } from '../render/report-html.js';
import { renderReportMarkdown } from '../render/report-md.js';

interface ReportArgs {
  base?: string;
  head?: string;
  md?: boolean;
  html?: boolean;
  json?: boolean;
  o?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'what a branch changes in models and datasets, for a pull request: Markdown or one HTML file with charts',
  builder: (y) =>
    y
      .option('base', {
        type: 'string',
        describe: "compare from here (default: the merge-base with the default remote's default branch)",
      })
      .option('head', { type: 'string', describe: 'compare up to here (default: HEAD)' })
      .option('md', { type: 'boolean', describe: 'Markdown for a pull request comment (the default)' })
      .option('html', { type: 'boolean', describe: 'one self-contained HTML page with SVG charts', conflicts: 'md' })
      .option('json', { type: 'boolean', describe: 'the report as JSON, for scripts', conflicts: ['md', 'html'] })
      .option('o', { alias: 'output', type: 'string', describe: 'write to this file (atomically) instead of stdout' })
      .example('$0 report > comment.md', 'a pull request comment: this branch against its merge-base')
      .example('$0 report --base v1.0 --html -o report.html', 'one HTML page with metric charts'),
  handler: async (argv) => {
    const report = await buildReport(findRepo(), { base: argv.base, head: argv.head });
    const text = argv.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : argv.html
        ? renderReportHtml(report)
        : `${renderReportMarkdown(report)}\n`;
    if (argv.o === undefined) return output().out(text);
    const file = path.resolve(argv.o);
    if (!fs.existsSync(path.dirname(file)))
      throw new MvgitError(
        'PATH_NOT_FOUND',
        `cannot write ${argv.o}: the folder ${path.dirname(argv.o)} does not exist`,
        {
          hint: `create it first (mkdir -p ${path.dirname(argv.o)}) or name a file in an existing folder`,
          data: { path: argv.o },
        },
      );
    try {
      writeFileAtomic(file, text);
    } catch (err) {
      throw ioError(err, 'write', argv.o) ?? err;
    }
  },
};
