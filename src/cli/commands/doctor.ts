import type { CommandModule } from 'yargs';
import { doctor } from '../../core/hooks/doctor.js';
import { output, printJson } from '../output.js';
import { green, red } from '../render/style.js';

interface DoctorArgs {
  json?: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'check the git hooks (directly or through a hook manager), merge and diff drivers, remote and cache',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print the checks as JSON' })
      .example('$0 doctor', 'every check, with the command that fixes what fails (exit 1 then)'),
  handler: async (argv) => {
    const r = await doctor();
    if (!r.ok) process.exitCode = 1;
    if (argv.json) return printJson(r);
    const o = output();
    const width = Math.max(...r.checks.map((c) => c.check.length)) + 2;
    for (const c of r.checks) o.out(`${c.check.padEnd(width)}${c.ok ? green('ok  ') : red('FAIL')}  ${c.detail}`);
    if (r.ok) return o.out('\nEverything mvgit needs is in place.');
    o.out(`\n${r.checks.filter((c) => !c.ok).length} problem(s). Fix with:`);
    for (const f of r.fixes) o.out(`  ${f}`);
  },
};
