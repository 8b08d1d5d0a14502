import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { textconv } from '../../core/review/textconv.js';
import { output } from '../output.js';

interface TextconvArgs {
  file: string;
}

/**
 * Hidden: git runs it as diff.mvgit.textconv (`mvgit install` configures it) with one version
 * of a pointer file, and diffs what it prints. It never fails: a git diff must go on.
 */
export const textconvCommand: CommandModule<object, TextconvArgs> = {
  command: 'textconv <file>',
  describe: false,
  builder: (y) => y.positional('file', { type: 'string', demandOption: true }),
  handler: (argv) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(argv.file);
    } catch (err) {
      output().err(`mvgit textconv: cannot read ${argv.file}: ${(err as Error).message}`);
      return;
    }
    // Bytes, not text through output(): a file that is not a pointer is shown exactly as it is.
    process.stdout.write(textconv(bytes, process.cwd()));
  },
};
