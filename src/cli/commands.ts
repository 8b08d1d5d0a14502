import type { CommandModule } from 'yargs';

// biome-ignore lint/suspicious/noExplicitAny: yargs' own CommandModule defaults
export type AnyCommand = CommandModule<any, any>;

/**
 * Every command, by the name a user types, loaded on demand: loading all of them (and the core
 * modules behind them) cost more than the work of a `mvgit status`. The order is the order of
 * `mvgit --help`.
 */
export const COMMANDS: [name: string, load: () => Promise<AnyCommand[]>][] = [
  ['init', async () => [(await import('./commands/init.js')).initCommand]],
  ['track', async () => [(await import('./commands/track.js')).trackCommand]],
  ['untrack', async () => [(await import('./commands/track.js')).untrackCommand]],
  ['add', async () => [(await import('./commands/add.js')).addCommand]],
  ['commit', async () => [(await import('./commands/commit.js')).commitCommand]],
  ['status', async () => [(await import('./commands/status.js')).statusCommand]],
  ['checkout', async () => [(await import('./commands/checkout.js')).checkoutCommand]],
  ['log', async () => [(await import('./commands/log.js')).logCommand]],
  ['diff', async () => [(await import('./commands/diff.js')).diffCommand]],
  ['show', async () => [(await import('./commands/show.js')).showCommand]],
  ['report', async () => [(await import('./commands/report.js')).reportCommand]],
  ['version', async () => [(await import('./commands/version.js')).versionCommand]],
  ['promote', async () => [(await import('./commands/promote.js')).promoteCommand]],
  ['rollback', async () => [(await import('./commands/rollback.js')).rollbackCommand]],
  ['unassign', async () => [(await import('./commands/unassign.js')).unassignCommand]],
  ['deregister', async () => [(await import('./commands/deregister.js')).deregisterCommand]],
  ['deprecate', async () => [(await import('./commands/deprecate.js')).deprecateCommand]],
  ['ls', async () => [(await import('./commands/ls.js')).lsCommand]],
  ['history', async () => [(await import('./commands/history.js')).historyCommand]],
  ['check-ref', async () => [(await import('./commands/check-ref.js')).checkRefCommand]],
  ['remote', async () => [(await import('./commands/remote.js')).remoteCommand]],
  ['push', async () => [(await import('./commands/push.js')).pushCommand]],
  ['pull', async () => [(await import('./commands/pull.js')).pullCommand]],
  ['fetch', async () => [(await import('./commands/fetch.js')).fetchCommand]],
  ['gc', async () => [(await import('./commands/gc.js')).gcCommand]],
  ['fsck', async () => [(await import('./commands/fsck.js')).fsckCommand]],
  ['get', async () => [(await import('./commands/get.js')).getCommand]],
  ['config', async () => [(await import('./commands/config.js')).configCommand]],
  ['install', async () => [(await import('./commands/install.js')).installCommand]],
  ['uninstall', async () => [(await import('./commands/install.js')).uninstallCommand]],
  ['doctor', async () => [(await import('./commands/doctor.js')).doctorCommand]],
  ['merge-driver', async () => [(await import('./commands/merge-driver.js')).mergeDriverCommand]],
  ['textconv', async () => [(await import('./commands/textconv.js')).textconvCommand]],
];

/** One command's module, loaded without yargs (the fast path of main.ts). */
export async function loadCommand(name: string): Promise<AnyCommand> {
  const entry = COMMANDS.find(([n]) => n === name);
  if (!entry) throw new Error(`no command ${name}`);
  return (await entry[1]())[0];
}
