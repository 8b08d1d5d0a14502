import type { CommandModule } from 'yargs';
import { removeGetTemps } from '../../core/registry/get-temps.js';
import { describeResolution, getArtifact, type GetResolution, resolveRef } from '../../core/registry/get.js';
import { MvgitError } from '../../base/errors.js';
import { formatBytes } from '../../base/format.js';
import { output, printJson } from '../output.js';
import { bold, table } from '../render/style.js';

interface GetArgs {
  repo: string;
  ref: string;
  rev?: string;
  out?: string;
  force?: boolean;
  show?: boolean;
  json?: boolean;
}

export const getCommand: CommandModule<object, GetArgs> = {
  command: 'get <repo> <ref>',
  describe: 'download one artifact of another repository (by version, stage or path) without cloning it',
  builder: (y) =>
    y
      .positional('repo', { type: 'string', demandOption: true, describe: 'any URL or path git can reach' })
      .positional('ref', {
        type: 'string',
        demandOption: true,
        describe: 'NAME#STAGE, NAME@vX.Y.Z, NAME@latest, or the artifact path in REPO',
      })
      .option('rev', {
        type: 'string',
        describe: "for a path: a branch, tag or full commit id (default: REPO's default branch)",
      })
      .option('out', { alias: 'o', type: 'string', describe: 'where to write it (a folder for a folder artifact)' })
      .option('force', { alias: 'f', type: 'boolean', describe: 'replace OUT when it exists' })
      .option('show', {
        type: 'boolean',
        describe: 'say what REF names (version, commit, oid, size); download nothing',
      })
      .option('json', { type: 'boolean', describe: 'print the outcome as JSON' })
      .check((argv) => {
        if (!argv.show && argv.out === undefined)
          throw new MvgitError('USAGE', '-o OUT is required (or --show)', { hint: 'see mvgit get --help' });
        return true;
      })
      .example('$0 get git@github.com:acme/churn.git churn#prod -o model.pkl', 'the model at stage prod')
      .example('$0 get ../churn churn@v0.2.0 --show', 'what a version is, without downloading it')
      .example('$0 get ../churn models/churn.pkl --rev main -o model.pkl', 'a path at a branch'),
  handler: async (argv) => {
    stopCleanly();
    const base = { repo: argv.repo, ref: argv.ref, rev: argv.rev };
    if (argv.show) {
      const r = await resolveRef(base);
      if (argv.json) return printJson(describeResolution(r));
      return output().out(render(r));
    }
    const r = await getArtifact({ ...base, out: argv.out!, force: argv.force });
    if (argv.json) return printJson(describeResolution(r));
    output().out(`${what(r)}; wrote ${argv.out} (${formatBytes(r.pointer.size)}, ${r.pointer.oid})`);
  },
};

/**
 * A get stopped by a signal (Ctrl-C, a CI job cancelled) removes its temps first, then dies of
 * that signal as it would have.
 */
function stopCleanly(): void {
  const stop = (signal: NodeJS.Signals): void => {
    removeGetTemps();
    process.kill(process.pid, signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
}

/** `churn#prod is churn@v0.2.0 (churn#prod#3) at 1a2b3c4d5e`; `models/churn.pkl at 1a2b3c4d5e`. */
function what(r: GetResolution): string {
  const label = r.version !== null && r.name !== null ? `${r.name}@${r.version.replace(/^v?/, 'v')}` : r.path;
  const tag = r.tag !== null && r.tag !== label ? ` (${r.tag})` : '';
  const at = `${tag} at ${r.commit.slice(0, 10)}`;
  return r.ref === label ? `${label}${at}` : `${r.ref} is ${label}${at}`;
}

function render(r: GetResolution): string {
  const rows: [string, string][] = [['ref', r.ref]];
  if (r.name !== null) rows.push(['name', r.name]);
  if (r.version !== null) rows.push(['version', r.version]);
  if (r.stage !== null) rows.push(['stage', r.stage]);
  if (r.tag !== null) rows.push(['tag', r.tag]);
  rows.push(['commit', r.commit], ['path', r.path], ['kind', r.pointer.kind], ['oid', r.pointer.oid]);
  rows.push(['size', `${formatBytes(r.pointer.size)} (${r.pointer.size} bytes)`]);
  if (r.pointer.files !== undefined) rows.push(['files', String(r.pointer.files)]);
  rows.push(['remote', `${r.remote.name} (${r.remote.url})`]);
  return table(rows.map(([k, v]) => [bold(k), v]));
}
