import path from 'node:path';
import type { CommandModule } from 'yargs';
import { installHooks, uninstallHooks, type InstallResult } from '../../core/hooks/install.js';
import { findRepo } from '../../core/repo/repo.js';
import { packageLauncher } from '../../api/session.js';
import { output, printJson } from '../output.js';

/** This mvgit, as the hooks should run it (see packageLauncher). */
export const thisMvgit = packageLauncher;

const ACTIONS: Record<InstallResult['hooks'][number]['action'], string> = {
  installed: 'installed',
  updated: 'updated',
  unchanged: 'already installed',
  chained: 'installed; your existing hook is kept and runs first',
};

/** The summary `mvgit install` and `mvgit init` print. */
export function printInstall(r: InstallResult): void {
  const o = output();
  const dir = path.relative(process.cwd(), r.hooksDir) || '.';
  if (r.manager) printManager(r.manager);
  else o.out(`Git hooks in ${dir}:`);
  for (const h of r.hooks)
    o.out(
      `  ${h.name.padEnd(14)}${ACTIONS[h.action]}${h.action === 'chained' ? ` (kept as ${h.name}.mvgit-chained)` : ''}`,
    );
  o.out(
    'Merge driver and git diff text for *.mvgit.yaml configured (git config merge.mvgit.driver, diff.mvgit.textconv).',
  );
  if (r.gitattributes)
    o.out(
      `${r.attributes.action === 'updated' ? 'Updated the line to' : 'Added'} '${r.attributes.line}' ${r.attributes.action === 'updated' ? 'in' : 'to'} ${r.gitattributes}: commit it (git add ${r.gitattributes}) so every clone merges and diffs pointers this way.`,
    );
}

/** What install did in a hook manager's files, and what is left to do. */
function printManager(m: NonNullable<InstallResult['manager']>): void {
  const o = output();
  o.out(`Git hooks through ${m.manager}:`);
  if (m.changed.length > 0)
    o.out(`  added mvgit's hook line to ${m.changed.join(', ')}: commit it (git add ${m.changed.join(' ')})`);
  else o.out("  mvgit's hook lines are already there");
  if (m.ran?.ok) o.out(`  ran '${m.ran.command}'`);
  if (m.ran && !m.ran.ok) o.err(`warning: '${m.ran.command}' failed:\n${m.ran.output}`);
  if (m.todo) o.out(`  run '${m.todo}' so git runs them (${m.manager} writes git's hooks from its files)`);
}

interface JsonArgs {
  json?: boolean;
}

export const installCommand: CommandModule<object, JsonArgs> = {
  command: 'install',
  describe:
    'install the git hooks (record on commit, restore on checkout/merge, upload on push) and the pointer merge driver',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print what was done as JSON' })
      .example('$0 install', 'install the hooks; existing hooks are kept and run first')
      .example('git config core.hooksPath .husky/_ && $0 install', 'hooks go where git runs them (core.hooksPath)'),
  handler: (argv) => {
    const r = installHooks(findRepo(), thisMvgit());
    if (argv.json) return printJson(r);
    printInstall(r);
  },
};

export const uninstallCommand: CommandModule<object, JsonArgs> = {
  command: 'uninstall',
  describe: 'remove the git hooks, putting back any hook they replaced',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print what was done as JSON' })
      .example('$0 uninstall', 'remove the hooks and the merge driver config'),
  handler: (argv) => {
    const r = uninstallHooks(findRepo());
    if (argv.json) return printJson(r);
    const o = output();
    for (const h of r.hooks) {
      if (h.action === 'removed') o.out(`removed   ${h.name}`);
      if (h.action === 'restored') o.out(`restored  ${h.name} (the hook that was there before mvgit)`);
      if (h.action === 'foreign') o.err(`warning: ${h.name} is not mvgit's hook: left as it is`);
    }
    for (const f of r.managerFiles) o.out(`removed   mvgit's hook lines from ${f}`);
    if (r.managerLeft.length > 0)
      o.err(
        `warning: ${r.managerLeft.join(', ')} still run${r.managerLeft.length === 1 ? 's' : ''} mvgit: another clone's 'mvgit install' added those lines; remove the ones that run "$mvgit_hook" by hand (without this clone's launcher they do nothing but say to run 'mvgit init')`,
      );
    if (r.managerFiles.length === 0 && r.hooks.every((h) => h.action === 'not-installed' || h.action === 'foreign'))
      o.out('No mvgit hooks were installed.');
    o.out(
      'The merge driver and textconv config is removed; a .gitattributes line install upgraded is put back as it was, one it added stays (harmless without the config).',
    );
  },
};
