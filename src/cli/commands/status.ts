import type { CommandModule } from 'yargs';
import { openWorkspace } from '../../core/repo/workspace.js';
import { hooksWarning } from '../../core/hooks/missing.js';
import { shellWord } from '../../core/workspace/nested.js';
import type { Repo } from '../../core/repo/repo.js';
import { status, type ArtifactStatus } from '../../core/workspace/status.js';
import { output, printJson } from '../output.js';
import { progressBar } from '../render/progress.js';
import { formatBytes, green, red, table, yellow } from '../render/style.js';

/** Warns on stderr, once per command, when this clone lacks mvgit's hooks (status, pull, checkout). */
export async function warnIfNoHooks(repo: Repo): Promise<void> {
  const w = await hooksWarning(repo);
  if (!w) return;
  output().err(`${yellow('warning:', process.stderr)} ${w.message}`);
  output().err(`${yellow('hint:', process.stderr)} ${w.hint}`);
}

interface StatusArgs {
  paths: string[];
  json?: boolean;
}

const LABELS: Record<ArtifactStatus['status'], (s: string) => string> = {
  'up-to-date': green,
  modified: yellow,
  missing: red,
  'not-in-cache': red,
};

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status [paths..]',
  describe: 'show which artifacts differ from their pointers or lack cache objects',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, default: [] as string[] })
      .option('json', { type: 'boolean', describe: 'print the status as JSON' })
      .example('$0 status', 'every artifact')
      .example('$0 status data/images --json', 'one artifact, for scripts'),
  handler: async (argv) => {
    const ws = await openWorkspace();
    // Git looks for the hooks folder while status works; the warning prints before the results.
    const warned = warnIfNoHooks(ws.repo);
    warned.catch(() => undefined);
    const bar = progressBar();
    let result: ArtifactStatus[];
    try {
      result = await status(ws, { paths: argv.paths, onProgress: bar.onProgress });
    } finally {
      bar.done();
    }
    await warned;
    if (argv.json) return printJson(result);
    const o = output();
    if (result.length === 0) {
      o.out("No artifacts tracked yet. Add one with 'mvgit add PATH' or a rule with 'mvgit track GLOB'.");
      return;
    }
    o.out(
      table(
        result.map((s) => [
          s.path,
          s.kind,
          LABELS[s.status](s.status),
          s.files !== undefined ? `${s.files} files, ${formatBytes(s.size)}` : formatBytes(s.size),
        ]),
      ),
    );
    for (const s of result) {
      if (s.holds) o.out(`  ${s.path} ${heldText(s.holds)}; run mvgit checkout ${shellWord(s.path)}`);
      const c = s.changes;
      if (c && s.modified && !s.holds) {
        for (const f of c.added.slice(0, 10)) o.out(`  ${green('added:   ')} ${s.path}/${f}`);
        for (const f of c.modified.slice(0, 10)) o.out(`  ${yellow('modified:')} ${s.path}/${f}`);
        for (const f of c.deleted.slice(0, 10)) o.out(`  ${red('deleted: ')} ${s.path}/${f}`);
        const more =
          c.added.length +
          c.modified.length +
          c.deleted.length -
          Math.min(10, c.added.length) -
          Math.min(10, c.modified.length) -
          Math.min(10, c.deleted.length);
        if (more > 0) o.out(`  ... and ${more} more (mvgit status ${s.path} --json lists all)`);
      }
    }
    const hints: string[] = [];
    if (result.some((s) => s.modified && !s.holds))
      hints.push('record changes: mvgit add PATH   discard them: mvgit checkout PATH --force');
    const held = result.filter((s) => s.holds);
    if (held.length > 0) {
      const paths = held.map((s) => shellWord(s.path)).join(' ');
      const uncached = held.filter((s) => !s.holds?.inCache);
      // --force would replace bytes the cache does not hold: first make sure a remote has them.
      if (uncached.length === 0) hints.push(`put the pointers' versions back: mvgit checkout ${paths}`);
      else {
        const commit = uncached.find((s) => s.holds?.version)?.holds?.version?.commit.slice(0, 10);
        const fetch = commit ? `mvgit fetch --rev ${commit}` : 'copy it aside';
        hints.push(
          `the cache lacks what the work tree holds: keep it first (${fetch}), then put the pointers' versions back: mvgit checkout ${paths} --force`,
        );
      }
    }
    if (result.some((s) => s.missing)) hints.push('restore missing artifacts: mvgit checkout');
    if (result.some((s) => s.notInCache.length > 0)) hints.push('fetch objects the cache lacks: mvgit pull');
    for (const h of hints) o.out(`\n(${h})`);
  },
};

/** "holds the version of v1 (1a2b3c4)", or of a version only the cache has. */
function heldText(h: NonNullable<ArtifactStatus['holds']>): string {
  return h.version
    ? `holds the version of ${h.version.label}, not an edit`
    : 'holds a version that is in the cache, not an edit';
}
