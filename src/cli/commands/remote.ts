import type { Argv, CommandModule } from 'yargs';
import { loadConfig } from '../../core/repo/config.js';
import { findRepo, requireInitialized } from '../../core/repo/repo.js';
import { addRemote, listRemotes, removeRemote } from '../../core/repo/remote-settings.js';
import { output, printJson } from '../output.js';
import { table } from '../render/style.js';

interface AddArgs {
  name: string;
  url: string;
  default?: boolean;
  endpoint?: string;
  region?: string;
  profile?: string;
  'path-style'?: boolean;
  json?: boolean;
}

const addCommand: CommandModule<object, AddArgs> = {
  command: 'add <name> <url>',
  describe: 'add a remote (saved in .mvgit/config.yaml, so every clone has it; never with secrets)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .positional('url', { type: 'string', demandOption: true, describe: '/path, file:///path or s3://bucket/prefix' })
      .option('default', { alias: 'd', type: 'boolean', describe: 'make it the default remote (core.remote)' })
      .option('endpoint', { type: 'string', describe: 'S3-compatible endpoint URL (MinIO, SeaweedFS, Ceph, R2)' })
      .option('region', { type: 'string', describe: 'S3 region' })
      .option('profile', { type: 'string', describe: 'AWS profile to take credentials from' })
      .option('path-style', {
        type: 'boolean',
        describe: 'address buckets as ENDPOINT/BUCKET (most S3-compatible stores need it)',
      })
      .option('json', { type: 'boolean', describe: 'print the remote as JSON' })
      .example(
        '$0 remote add origin s3://ml-artifacts/churn --default --region eu-west-1',
        'an AWS S3 bucket as the default remote',
      )
      .example('$0 remote add lab s3://models --endpoint http://minio.lab:9000 --path-style', 'a MinIO server')
      .example('$0 remote add shared /mnt/team/mvgit --default', 'a folder on a shared drive'),
  handler: async (argv) => {
    const repo = findRepo();
    requireInitialized(repo);
    const info = await addRemote(
      repo,
      {
        name: argv.name,
        url: argv.url,
        endpoint: argv.endpoint,
        region: argv.region,
        profile: argv.profile,
        pathStyle: argv['path-style'],
      },
      argv.default === true,
    );
    if (argv.json) return printJson(info);
    output().out(
      `Added remote '${info.name}' (${info.url})${info.default ? ' as the default' : ''}. Commit it: git add .mvgit/config.yaml`,
    );
  },
};

interface ListArgs {
  json?: boolean;
}

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  aliases: ['ls'],
  describe: 'show the remotes; * marks the default',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', describe: 'print the remotes as JSON' })
      .example('$0 remote list', 'every remote'),
  handler: async (argv) => {
    const repo = findRepo();
    requireInitialized(repo);
    const remotes = listRemotes(repo, await loadConfig(repo));
    if (argv.json) return printJson(remotes);
    const o = output();
    if (remotes.length === 0) {
      o.out('No remotes. Add one: mvgit remote add origin s3://BUCKET/PREFIX --default');
      return;
    }
    o.out(
      table(
        remotes.map((r) => {
          const extra = [
            r.endpoint && `endpoint=${r.endpoint}`,
            r.region && `region=${r.region}`,
            r.profile && `profile=${r.profile}`,
            r.pathStyle && 'path-style',
          ]
            .filter(Boolean)
            .join(' ');
          return [`${r.default ? '*' : ' '} ${r.name}`, r.url, extra];
        }),
      ),
    );
  },
};

interface RemoveArgs {
  name: string;
}

const removeCommand: CommandModule<object, RemoveArgs> = {
  command: 'remove <name>',
  aliases: ['rm'],
  describe: 'forget a remote (its objects stay where they are)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true })
      .example('$0 remote remove old', 'forget the remote named old'),
  handler: async (argv) => {
    const repo = findRepo();
    requireInitialized(repo);
    await removeRemote(repo, argv.name);
    output().out(`Removed remote '${argv.name}'.`);
  },
};

export const remoteCommand: CommandModule<object, object> = {
  command: 'remote',
  describe: 'manage the remotes that hold the binaries (add, list, remove)',
  builder: (y: Argv) =>
    y
      .command(addCommand)
      .command(listCommand)
      .command(removeCommand)
      .demandCommand(1, 'name a subcommand: add, list or remove')
      .example('$0 remote add origin s3://bucket/prefix --default', 'add the default remote'),
  handler: () => {},
};
