// Issue 2 ("Core", Speed): add / status / checkout of a big file and of a many-file folder,
// against the file system's own floor, git-lfs and DVC (issue 12: DVC in every table).
// Each group of figures that are compared with one another is measured interleaved.
import fs from 'node:fs';
import path from 'node:path';
import { countFiles, warmRead } from '../lib/files.js';

const BIG = 'models/model.bin';
const DS = 'data/ds';

export default {
  name: 'core',
  order: 10,
  title: 'issue 2: add / status / checkout (a big file; a many-file folder)',

  async run(ctx) {
    const big = ctx.workloads.bigFile();
    const ds = ctx.workloads.folder();
    warmRead(big.path);
    warmRead(ds.path);
    const { lfs, dvc } = ctx.tools;
    if (lfs.skip) ctx.skip('git-lfs', lfs.skip);
    if (dvc.skip) ctx.skip('dvc', dvc.skip);

    // ---- helpers (all untimed) ------------------------------------------------------------
    const expectFiles = (dir, n) => {
      const got = countFiles(dir);
      if (got !== n) throw new Error(`${dir}: expected ${n} files, found ${got}`);
    };
    const expectPointer = (repo, rel, files) => {
      const p = path.join(repo, `${rel}.mvgit.yaml`);
      if (!fs.existsSync(p)) throw new Error(`no pointer ${p}`);
      if (files !== undefined && !fs.readFileSync(p, 'utf8').includes(`files: ${files}\n`))
        throw new Error(`${p} does not say files: ${files}`);
    };
    /** A fresh repo with mvgit set up in link mode `link` and `src` copied to `rel`. */
    const mvgitRepo = (name, link, src, rel) => {
      const repo = ctx.gitRepo(name);
      ctx.mvgitSetup(repo, ['init']);
      ctx.mvgitSetup(repo, ['config', 'cache.link', link]);
      ctx.copyIn(src, path.join(repo, rel));
      return repo;
    };
    /** A fresh repo (git-lfs filters come from the isolated global config) with `src` at `rel`. */
    const plainRepo = (name, src, rel) => {
      const repo = ctx.gitRepo(name);
      ctx.copyIn(src, path.join(repo, rel));
      return repo;
    };
    const lfsAdd = (t, repo, pattern, rel) => {
      t('git', ['lfs', 'track', pattern], { cwd: repo, env: ctx.env });
      t('git', ['add', '.gitattributes', rel], { cwd: repo, env: ctx.env });
    };
    const expectLfsFiles = (repo, n) => {
      const listed = ctx.run(repo, 'git', ['lfs', 'ls-files', '-n']).split('\n').filter(Boolean).length;
      if (listed !== n) throw new Error(`git lfs ls-files lists ${listed} files, expected ${n}`);
    };
    const expectDvcFile = (repo, rel) => {
      if (!fs.existsSync(path.join(repo, `${rel}.dvc`))) throw new Error(`no ${rel}.dvc`);
    };
    const dvcRepo = (name, src, rel) => {
      const repo = ctx.gitRepo(name);
      ctx.run(repo, dvc.bin, ['init', '-q']);
      ctx.run(repo, dvc.bin, ['config', 'cache.type', 'copy']);
      ctx.copyIn(src, path.join(repo, rel));
      return repo;
    };
    /**
     * The floors start from what the tools start from: a fresh copy of the workload, made in
     * setup and flushed (the tools get theirs inside a fresh repo), so that page-cache and
     * allocator state before the timed step is alike for everyone.
     */
    const floorCopy = (id, step, args) => ({
      id,
      workload: W2,
      tool: 'floor',
      step,
      setup: () => {
        const dir = ctx.freshDir(id);
        ctx.copyIn(ds.path, path.join(dir, 'src'));
        return { dir, src: path.join(dir, 'src'), dest: path.join(dir, 'dest') };
      },
      run: (t, s) => t('cp', [...args, s.src, s.dest]),
      verify: (s) => expectFiles(s.dest, ds.files),
      teardown: (s) => ctx.discard(s.dir),
    });

    // ---- the big file: add -------------------------------------------------------------------
    const W1 = big.label;
    ctx.measureAll([
      {
        id: 'floor-sha-cp',
        workload: W1,
        tool: 'floor',
        step: 'openssl dgst -sha256 + cp',
        setup: () => {
          const dir = ctx.freshDir('floor-sha-cp');
          ctx.copyIn(big.path, path.join(dir, 'src.bin'));
          return { dir, src: path.join(dir, 'src.bin'), dest: path.join(dir, 'dest.bin') };
        },
        run: (t, s) => {
          t('openssl', ['dgst', '-sha256', s.src]);
          t('cp', [s.src, s.dest]);
        },
        verify: (s) => {
          if (fs.statSync(s.dest).size !== big.bytes) throw new Error('cp made a short copy');
        },
        teardown: (s) => ctx.remove(s.dir),
      },
      {
        id: 'mvgit-add-big',
        workload: W1,
        tool: 'mvgit',
        step: 'add (copy)',
        setup: () => ({ repo: mvgitRepo('add-big', 'copy', big.path, BIG) }),
        run: (t, s) => ctx.mvgit(t, s.repo, ['add', BIG]),
        verify: (s) => expectPointer(s.repo, BIG),
        teardown: (s) => ctx.remove(s.repo),
      },
      !lfs.skip && {
        id: 'lfs-add-big',
        workload: W1,
        tool: 'git-lfs',
        step: 'lfs track + git add',
        setup: () => ({ repo: plainRepo('lfs-add-big', big.path, BIG) }),
        run: (t, s) => lfsAdd(t, s.repo, BIG, BIG),
        verify: (s) => expectLfsFiles(s.repo, 1),
        teardown: (s) => ctx.remove(s.repo),
      },
      !dvc.skip && {
        id: 'dvc-add-big',
        workload: W1,
        tool: 'dvc',
        step: 'dvc add (copy)',
        setup: () => ({ repo: dvcRepo('dvc-add-big', big.path, BIG) }),
        run: (t, s) => t(dvc.bin, ['add', '-q', BIG], { cwd: s.repo, env: ctx.env }),
        verify: (s) => expectDvcFile(s.repo, BIG),
        teardown: (s) => ctx.remove(s.repo),
      },
    ]);

    // ---- the folder: add ---------------------------------------------------------------------
    const W2 = `folder ${ds.label}`;
    ctx.measureAll([
      floorCopy('floor-cp-r', 'cp -r', ['-r']),
      floorCopy('floor-cp-al', 'cp -al', ['-al']),
      ...['copy', 'hardlink'].map((link) => ({
        id: `mvgit-add-folder-${link}`,
        workload: W2,
        tool: 'mvgit',
        step: `add (${link})`,
        setup: () => ({ repo: mvgitRepo(`add-${link}`, link, ds.path, DS) }),
        run: (t, s) => ctx.mvgit(t, s.repo, ['add', DS]),
        verify: (s) => expectPointer(s.repo, DS, ds.files),
        teardown: (s) => ctx.discard(s.repo),
      })),
      // What cache.fsync costs: one `sync -f` of the cache's and the work tree's file systems.
      {
        id: 'mvgit-add-folder-fsync',
        workload: W2,
        tool: 'mvgit',
        step: 'add (copy, cache.fsync)',
        setup: () => {
          const repo = mvgitRepo('add-fsync', 'copy', ds.path, DS);
          ctx.mvgitSetup(repo, ['config', 'cache.fsync', 'true']);
          return { repo };
        },
        run: (t, s) => ctx.mvgit(t, s.repo, ['add', DS]),
        verify: (s) => expectPointer(s.repo, DS, ds.files),
        teardown: (s) => ctx.discard(s.repo),
      },
      !lfs.skip && {
        id: 'lfs-add-folder',
        workload: W2,
        tool: 'git-lfs',
        step: 'lfs track + git add',
        setup: () => ({ repo: plainRepo('lfs-add', ds.path, DS) }),
        run: (t, s) => lfsAdd(t, s.repo, `${DS}/**`, DS),
        verify: (s) => expectLfsFiles(s.repo, ds.files),
        teardown: (s) => ctx.discard(s.repo),
      },
      !dvc.skip && {
        id: 'dvc-add-folder',
        workload: W2,
        tool: 'dvc',
        step: 'dvc add (copy)',
        setup: () => ({ repo: dvcRepo('dvc-add', ds.path, DS) }),
        run: (t, s) => t(dvc.bin, ['add', '-q', DS], { cwd: s.repo, env: ctx.env }),
        verify: (s) => expectDvcFile(s.repo, DS),
        teardown: (s) => ctx.discard(s.repo),
      },
    ]);

    // ---- status with nothing changed, against Node's own start-up ---------------------------
    // Repos that serve every run of a figure are made on its first (warm-up) run, so a failure
    // there is reported as that figure's error and the suite goes on.
    const lazy = (make) => {
      let v;
      return () => (v ??= make());
    };
    const kept = [];
    const statusRepo = lazy(() => {
      const repo = mvgitRepo('status', 'copy', ds.path, DS);
      kept.push(repo);
      ctx.mvgitSetup(repo, ['add', DS]);
      return repo;
    });
    const dvcStatusRepo = lazy(() => {
      const repo = dvcRepo('dvc-status', ds.path, DS);
      kept.push(repo);
      ctx.run(repo, dvc.bin, ['add', '-q', DS]);
      return repo;
    });
    ctx.measureAll([
      {
        id: 'floor-node',
        workload: '-',
        tool: 'floor',
        step: 'node -e 0',
        run: (t) => t(process.execPath, ['-e', '0']),
      },
      {
        id: 'mvgit-status',
        workload: W2,
        tool: 'mvgit',
        step: 'status, nothing changed',
        setup: () => statusRepo(),
        run: (t, repo) => {
          const r = ctx.mvgit(t, repo, ['status']);
          if (!/up-to-date/.test(r.stdout) || /modified|missing/.test(r.stdout))
            throw new Error(`status did not say up-to-date:\n${r.stdout}`);
        },
      },
      !dvc.skip && {
        id: 'dvc-status',
        workload: W2,
        tool: 'dvc',
        step: 'dvc status, nothing changed',
        setup: () => dvcStatusRepo(),
        run: (t, repo) => {
          const r = t(dvc.bin, ['status'], { cwd: repo, env: ctx.env });
          if (!/up to date/i.test(r.stdout)) throw new Error(`dvc status did not say up to date:\n${r.stdout}`);
        },
      },
    ]);

    // ---- the folder: restore after it is gone -------------------------------------------------
    // "Gone" = moved to the trash (see ctx.discard): to the tool it is deleted, but its inodes are
    // not freed, so the file creations measured are not slowed by ext4's recently-deleted scan.
    const restoreSpec = (id, tool, step, makeRepo, command) => {
      const repo = lazy(() => {
        const r = makeRepo();
        kept.push(r);
        return r;
      });
      return {
        id,
        workload: W2,
        tool,
        step,
        setup: () => {
          ctx.discard(path.join(repo(), DS));
          return repo();
        },
        run: (t, r) => t(command[0], command.slice(1), { cwd: r, env: ctx.env }),
        verify: (r) => {
          expectFiles(path.join(r, DS), ds.files);
          const one = fs.readdirSync(path.join(r, DS))[0];
          if (fs.statSync(path.join(r, DS, one)).size !== ds.bytes / ds.files)
            throw new Error(`${one} was not restored with its content`);
        },
      };
    };
    const mv = ctx.tools.mvgit;
    ctx.measureAll([
      ...['copy', 'hardlink'].map((link) =>
        restoreSpec(
          `mvgit-checkout-${link}`,
          'mvgit',
          `checkout, folder gone (${link})`,
          () => {
            const repo = mvgitRepo(`checkout-${link}`, link, ds.path, DS);
            ctx.mvgitSetup(repo, ['add', DS]);
            return repo;
          },
          [mv.cmd, ...mv.pre, 'checkout', DS],
        ),
      ),
      !lfs.skip &&
        restoreSpec(
          'lfs-restore',
          'git-lfs',
          'git checkout -- PATH, folder gone',
          () => {
            const repo = plainRepo('lfs-restore', ds.path, DS);
            ctx.git(repo, ['lfs', 'track', `${DS}/**`]);
            ctx.git(repo, ['add', '.gitattributes', DS]);
            ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
            return repo;
          },
          ['git', 'checkout', '--', DS],
        ),
      !dvc.skip &&
        restoreSpec(
          'dvc-checkout',
          'dvc',
          'dvc checkout, folder gone (copy)',
          () => {
            const repo = dvcRepo('dvc-checkout', ds.path, DS);
            ctx.run(repo, dvc.bin, ['add', '-q', DS]);
            return repo;
          },
          [dvc.bin, 'checkout', '-q', `${DS}.dvc`],
        ),
    ]);
    for (const repo of kept) ctx.discard(repo);

    // ---- targets (issue 2, "Speed") ------------------------------------------------------------
    const m = (id) => ctx.median(id);
    const div = (a, b) => () => (m(a) === null || m(b) === null ? null : m(a) / m(b));
    const rssMB = (id) => () => (ctx.rssMaxKb(id) === null ? null : (ctx.rssMaxKb(id) * 1024) / 1e6);
    ctx.check({
      on: 'mvgit-add-big',
      label: 'add / (sha256 + cp)',
      value: div('mvgit-add-big', 'floor-sha-cp'),
      op: '<=',
      target: 1.2, // issue 12
      needs: ['floor-sha-cp'],
    });
    ctx.check({
      on: 'mvgit-add-big',
      label: 'peak RSS',
      value: rssMB('mvgit-add-big'),
      op: '<=',
      target: 100, // issue 12
      unit: 'MB',
    });
    if (!lfs.skip)
      ctx.check({
        on: 'lfs-add-big',
        label: 'git-lfs / mvgit add',
        value: div('lfs-add-big', 'mvgit-add-big'),
        needs: ['mvgit-add-big'],
      });
    ctx.check({
      on: 'mvgit-add-folder-copy',
      label: 'add / cp -r',
      value: div('mvgit-add-folder-copy', 'floor-cp-r'),
      op: '<=',
      target: 1.5,
      needs: ['floor-cp-r'],
    });
    ctx.check({
      on: 'mvgit-add-folder-copy',
      label: 'git-lfs add / mvgit add',
      value: div('lfs-add-folder', 'mvgit-add-folder-copy'),
      op: '>=',
      target: 3,
      needs: ['lfs-add-folder'],
    });
    ctx.check({
      on: 'mvgit-add-folder-hardlink',
      label: 'add / cp -al',
      value: div('mvgit-add-folder-hardlink', 'floor-cp-al'),
      op: '<=',
      target: 3,
      needs: ['floor-cp-al'],
    });
    // DVC (issue 12): mvgit at least 3x faster on the many-file folder; the big file is informational.
    if (!dvc.skip) {
      ctx.check({
        on: 'dvc-add-big',
        label: 'dvc add / mvgit add',
        value: div('dvc-add-big', 'mvgit-add-big'),
        needs: ['mvgit-add-big'],
      });
      ctx.check({
        on: 'dvc-add-folder',
        label: 'dvc add / mvgit add',
        value: div('dvc-add-folder', 'mvgit-add-folder-copy'),
        op: '>=',
        target: 3,
        needs: ['mvgit-add-folder-copy'],
      });
      ctx.check({
        on: 'dvc-status',
        label: 'dvc status / mvgit status',
        value: div('dvc-status', 'mvgit-status'),
        op: '>=',
        target: 3,
        needs: ['mvgit-status'],
      });
    }
    ctx.check({
      on: 'mvgit-status',
      label: 'status / node -e 0',
      value: div('mvgit-status', 'floor-node'),
      op: '<=',
      target: 3,
      needs: ['floor-node'],
    });
    ctx.check({
      on: 'mvgit-checkout-copy',
      label: 'checkout / cp -r',
      value: div('mvgit-checkout-copy', 'floor-cp-r'),
      op: '<=',
      target: 1.5,
      needs: ['floor-cp-r'],
    });
    ctx.check({
      on: 'mvgit-checkout-copy',
      label: 'git-lfs restore / mvgit checkout',
      value: div('lfs-restore', 'mvgit-checkout-copy'),
      op: '>=',
      target: 2,
      needs: ['lfs-restore'],
    });
    ctx.check({
      on: 'mvgit-checkout-hardlink',
      label: 'checkout / cp -al',
      value: div('mvgit-checkout-hardlink', 'floor-cp-al'),
      op: '<=',
      target: 3,
      needs: ['floor-cp-al'],
    });
    if (!lfs.skip)
      ctx.check({
        on: 'mvgit-checkout-hardlink',
        label: 'git-lfs restore / mvgit checkout',
        value: div('lfs-restore', 'mvgit-checkout-hardlink'),
        needs: ['lfs-restore'],
      });
    if (!dvc.skip)
      ctx.check({
        on: 'dvc-checkout',
        label: 'dvc checkout / mvgit checkout',
        value: div('dvc-checkout', 'mvgit-checkout-copy'),
        op: '>=',
        target: 3,
        needs: ['mvgit-checkout-copy'],
      });
  },
};
