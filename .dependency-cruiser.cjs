/**
 * The layers of mvgit, lowest first. A module may import from its own folder and from the
 * folders below it, never from one above it (shared/DESIGN.md, "Layers"). `npm run lint`
 * checks this in CI.
 *
 *   base                 errors, sha256, formats shared by every layer
 *   adapters/git|remote  spawning git, the remote backends: they import only base
 *   core/pointer         pointer files and folder manifests
 *   core/store           the object store, the stat cache, per-file work on the worker pool
 *   core/repo            finding the repo, config, remotes by name, the open Workspace
 *   core/history         revisions, pointers at a revision and in the work tree, logs, scope, merge
 *   core/transfer        push, fetch, gc, fsck of remotes
 *   core/workspace       add, status, checkout, pull, tracking rules, the write guard
 *   core/hooks | review | registry   what git hooks and reviewers run
 *   src/index.ts, api/   the library API: one options object per operation
 *   cli                  arguments in, rendering out
 */
const LAYERS = [
  '^src/base/',
  '^src/adapters/',
  '^src/core/pointer/',
  '^src/core/store/',
  '^src/core/repo/',
  '^src/core/history/',
  '^src/core/transfer/',
  '^src/core/workspace/',
  '^src/core/(hooks|review|registry)/',
  '^src/(index\\.ts$|api/)',
  '^src/cli/',
];

/** One rule per layer: it may not import any layer above it. */
const upward = LAYERS.slice(0, -1).map((from, i) => ({
  name: `no-upward-from-${from.replace(/[\^$\\/]|\.ts/g, '') || 'index'}`,
  comment: 'a layer imports only from itself and the layers below it',
  severity: 'error',
  from: { path: from },
  to: { path: LAYERS.slice(i + 1).join('|') },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'adapters-import-only-base',
      comment: 'git and the remote backends depend on nothing of mvgit but the base layer',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/', pathNot: '^src/(base|adapters)/' },
    },
    {
      name: 'adapters-do-not-know-each-other',
      severity: 'error',
      from: { path: '^src/adapters/git/' },
      to: { path: '^src/adapters/remote/' },
    },
    {
      name: 'hooks-review-registry-side-by-side',
      comment: 'the top capabilities do not import each other',
      severity: 'error',
      from: { path: '^src/core/(hooks|review|registry)/' },
      to: { path: '^src/core/(hooks|review|registry)/', pathNot: '^src/core/$1/' },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, pathNot: '^src/core/hooks/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count too: a layer should not even name what lives above it.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
