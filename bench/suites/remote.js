// Issue 4 ("Speed"): `mvgit push` of the many-file dataset to a local-folder remote (a fresh
// remote folder every run), against `git lfs push` of the same to a local bare repo (file:// URL,
// git-lfs's own standalone transfer agent, no server), and `dvc push` to a fresh local folder remote;
// and a second `mvgit push` with nothing new.
// The 1 GiB S3 throughput comparison is not measured here (see the note in the table).
// Each group of figures that are compared with one another is measured interleaved.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countFiles, warmRead } from '../lib/files.js';

const DS = 'data/ds';

export default {
  name: 'remote',
  order: 40,
  title: 'issue 4: push to a local-folder remote (a many-file folder)',

  async run(ctx) {
    const ds = ctx.workloads.folder();
    warmRead(ds.path);
    const { lfs, dvc } = ctx.tools;
    if (lfs.skip) ctx.skip('git-lfs', lfs.skip);
    if (dvc.skip) ctx.skip('dvc', dvc.skip);
    const W = `folder ${ds.label}`;

    // ---- helpers (all untimed) ------------------------------------------------------------
    // Repos that serve every run of a figure are made on its first (warm-up) run, so a failure
    // there is reported as that figure's error and the suite goes on.
    const lazy = (make) => {
      let v;
      return () => (v ??= make());
    };
    const kept = [];
    /** The dataset added with mvgit and committed (pointer in HEAD). */
    const mvgitRepo = (name) => {
      const repo = ctx.gitRepo(name);
      kept.push(repo);
      ctx.mvgitSetup(repo, ['init']);
      ctx.copyIn(ds.path, path.join(repo, DS));
      ctx.mvgitSetup(repo, ['add', DS, '--kind', 'dataset']);
      ctx.git(repo, ['add', '-A']);
      ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
      return repo;
    };
    /** The dataset tracked by git-lfs and committed, with a remote `origin` (its URL set per run). */
    const lfsRepo = (name) => {
      const repo = ctx.lfsFolderRepo(name, ds.path, DS);
      kept.push(repo);
      ctx.git(repo, ['remote', 'add', 'origin', 'file:///nonexistent']);
      return repo;
    };
    /** The dataset added with DVC (cache.type copy) and committed; its remote is set per run. */
    const dvcRepo = (name) => {
      const repo = ctx.gitRepo(name);
      kept.push(repo);
      ctx.run(repo, dvc.bin, ['init', '-q']);
      ctx.run(repo, dvc.bin, ['config', 'cache.type', 'copy']);
      ctx.copyIn(ds.path, path.join(repo, DS));
      ctx.run(repo, dvc.bin, ['add', '-q', DS]);
      ctx.git(repo, ['add', '-A']);
      ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
      return repo;
    };
    /** Points mvgit's default remote `store` at `dir` (replacing the previous run's). */
    const setStore = (repo, dir) => {
      const remotes = ctx.mvgitSetup(repo, ['remote', 'list']);
      if (/\bstore\b/.test(remotes)) ctx.mvgitSetup(repo, ['remote', 'remove', 'store']);
      ctx.mvgitSetup(repo, ['remote', 'add', 'store', dir, '--default']);
    };
    const expectObjects = (dir, n) => {
      const got = fs.existsSync(dir) ? countFiles(dir) : 0;
      if (got < n) throw new Error(`${dir}: expected at least ${n} objects, found ${got}`);
    };

    // ---- push of the dataset to a fresh local remote ------------------------------------------
    const pushRepo = lazy(() => mvgitRepo('push'));
    const lfsPushRepo = lazy(() => lfsRepo('lfs-push'));
    const dvcPushRepo = lazy(() => dvcRepo('dvc-push'));
    ctx.measureAll([
      {
        id: 'mvgit-push',
        workload: W,
        tool: 'mvgit',
        step: 'push to a fresh local folder',
        setup: () => {
          const repo = pushRepo();
          const dir = ctx.freshDir('store');
          const store = path.join(dir, 'store');
          setStore(repo, store);
          return { repo, dir, store };
        },
        run: (t, s) => ctx.mvgit(t, s.repo, ['push']),
        verify: (s) => expectObjects(s.store, ds.files),
        teardown: (s) => ctx.discard(s.dir),
      },
      !lfs.skip && {
        id: 'lfs-push',
        workload: W,
        tool: 'git-lfs',
        step: 'git lfs push --all to a fresh bare repo (file://)',
        setup: () => {
          const repo = lfsPushRepo();
          const dir = ctx.freshDir('lfs-remote');
          const bare = path.join(dir, 'remote.git');
          ctx.run(dir, 'git', ['init', '-q', '--bare', bare]);
          ctx.git(repo, ['remote', 'set-url', 'origin', pathToFileURL(bare).href]);
          return { repo, dir, bare };
        },
        run: (t, s) => t('git', ['lfs', 'push', '--all', 'origin'], { cwd: s.repo, env: ctx.env }),
        verify: (s) => expectObjects(path.join(s.bare, 'lfs', 'objects'), ds.files),
        teardown: (s) => ctx.discard(s.dir),
      },
      !dvc.skip && {
        id: 'dvc-push',
        workload: W,
        tool: 'dvc',
        step: 'dvc push to a fresh local folder',
        setup: () => {
          const repo = dvcPushRepo();
          const dir = ctx.freshDir('dvc-store');
          const store = path.join(dir, 'store');
          ctx.run(repo, dvc.bin, ['remote', 'add', '-f', '-d', 'store', store]);
          return { repo, dir, store };
        },
        run: (t, s) => t(dvc.bin, ['push', '-q'], { cwd: s.repo, env: ctx.env }),
        verify: (s) => expectObjects(s.store, ds.files),
        teardown: (s) => ctx.discard(s.dir),
      },
    ]);

    // ---- a second push with nothing new --------------------------------------------------------
    const againRepo = lazy(() => {
      const repo = mvgitRepo('push-again');
      setStore(repo, path.join(ctx.freshDir('store-again'), 'store'));
      ctx.mvgitSetup(repo, ['push']);
      return repo;
    });
    ctx.measure({
      id: 'mvgit-push-again',
      workload: W,
      tool: 'mvgit',
      step: 'push again, nothing new',
      setup: () => ({ repo: againRepo() }),
      run: (t, s) => {
        s.out = ctx.mvgit(t, s.repo, ['push', '--json']).stdout;
      },
      verify: (s) => {
        const r = JSON.parse(s.out);
        if (r.transferred !== 0 || r.failed.length !== 0) throw new Error(`the second push was not a no-op:\n${s.out}`);
      },
    });
    for (const repo of kept) ctx.discard(repo);

    ctx.note('the 1 GiB S3 push/pull throughput against @aws-sdk/lib-storage (issue 4) is not measured by this suite');

    // ---- targets (issue 4, "Speed") ------------------------------------------------------------
    const m = (id) => ctx.median(id);
    ctx.check({
      on: 'mvgit-push',
      label: 'git lfs push / mvgit push',
      value: () => (m('lfs-push') === null || m('mvgit-push') === null ? null : m('lfs-push') / m('mvgit-push')),
      op: '>=',
      target: 2,
      needs: ['lfs-push'],
    });
    ctx.check({
      on: 'mvgit-push',
      label: 'dvc push / mvgit push',
      value: () => (m('dvc-push') === null || m('mvgit-push') === null ? null : m('dvc-push') / m('mvgit-push')),
      op: '>=',
      target: 3,
      needs: ['dvc-push'],
    });
    ctx.check({
      on: 'mvgit-push-again',
      label: 'wall time',
      value: () => (m('mvgit-push-again') === null ? null : m('mvgit-push-again') * 1000),
      op: '<',
      target: 1000,
      unit: 'ms',
    });
  },
};
