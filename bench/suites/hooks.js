// Issue 3 ("Speed"): the git hooks `mvgit init` installs, in a repo with the many-file dataset
// tracked by a rule: a pre-commit hook with nothing to do (against Node's own start-up), and a
// `git checkout` between two commits whose dataset differs in 1 file in 20 (the post-checkout
// hook restores it), against git-lfs doing the same switch.
// Each group of figures that are compared with one another is measured interleaved.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { warmRead } from '../lib/files.js';
import { changeFolderFiles, folderFileName } from '../lib/workloads.js';

const DS = 'data/ds';

export default {
  name: 'hooks',
  order: 20,
  title: 'issue 3: git hooks (pre-commit with nothing to do; git checkout between dataset versions)',

  async run(ctx) {
    const ds = ctx.workloads.folder();
    warmRead(ds.path);
    const { lfs } = ctx.tools;
    if (lfs.skip) ctx.skip('git-lfs', lfs.skip);
    const fileBytes = ds.bytes / ds.files;
    // 1,000 of 20,000 (1 in 20; 100 of 2,000 with BENCH_SMALL).
    const changed = Math.max(1, Math.round(ds.files / 20));
    const W = `folder ${ds.label}`;
    const WC = `${W}, ${changed.toLocaleString('en-US')} differ`;

    // ---- helpers (all untimed) ------------------------------------------------------------
    // Repos that serve every run of a figure are made on its first (warm-up) run, so a failure
    // there is reported as that figure's error and the suite goes on.
    const lazy = (make) => {
      let v;
      return () => (v ??= make());
    };
    const kept = [];
    const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    /** A fresh repo with mvgit's hooks, a rule tracking the dataset, and one commit recording it. */
    const mvgitRepo = (name) => {
      const repo = ctx.gitRepo(name);
      kept.push(repo);
      ctx.mvgitSetup(repo, ['init']);
      ctx.mvgitSetup(repo, ['track', DS, '--kind', 'dataset']);
      ctx.copyIn(ds.path, path.join(repo, DS));
      ctx.git(repo, ['add', '-A']);
      ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
      if (!fs.existsSync(path.join(repo, `${DS}.mvgit.yaml`)))
        throw new Error(`the pre-commit hook wrote no pointer ${DS}.mvgit.yaml`);
      return repo;
    };
    /** A fresh repo with the dataset tracked by git-lfs, committed once. */
    const lfsRepo = (name) => {
      const repo = ctx.lfsFolderRepo(name, ds.path, DS);
      kept.push(repo);
      return repo;
    };
    /**
     * Branch A = the first commit; branch B (checked out) = `changed` files rewritten, committed
     * (with mvgit, by `mvgit commit`: git alone sees no change, the dataset being out of its index).
     */
    const twoBranches = (repo, mvgit) => {
      ctx.git(repo, ['branch', 'A']);
      const probe = path.join(repo, DS, folderFileName(0));
      const shaA = sha(probe);
      ctx.git(repo, ['checkout', '-q', '-b', 'B']);
      changeFolderFiles(path.join(repo, DS), changed, fileBytes);
      const msg = `${changed} files changed`;
      if (mvgit) ctx.mvgitSetup(repo, ['commit', '-q', '-m', msg]);
      else {
        ctx.git(repo, ['add', '-A']);
        ctx.git(repo, ['commit', '-q', '-m', msg]);
      }
      const status = ctx.git(repo, ['status', '--porcelain']);
      if (status.trim() !== '') throw new Error(`work tree not clean after the second commit:\n${status}`);
      return { repo, probe, sha: { A: shaA, B: sha(probe) }, at: 'B' };
    };
    /** Each run switches to the other branch; verify checks a changed file has that branch's bytes. */
    const switchSpec = (id, tool, step, make) => ({
      id,
      workload: WC,
      tool,
      step,
      setup: () => {
        const s = make();
        s.to = s.at === 'A' ? 'B' : 'A';
        return s;
      },
      run: (t, s) => t('git', ['checkout', '-q', s.to], { cwd: s.repo, env: ctx.env }),
      verify: (s) => {
        s.at = s.to;
        const got = sha(s.probe);
        if (got !== s.sha[s.to])
          throw new Error(`after git checkout ${s.to}, ${s.probe} does not hold that commit's bytes`);
      },
    });

    // ---- pre-commit with nothing to do, against Node's own start-up --------------------------
    const hookRepo = lazy(() => mvgitRepo('pre-commit'));
    ctx.measureAll([
      {
        id: 'floor-node',
        workload: '-',
        tool: 'floor',
        step: 'node -e 0',
        run: (t) => t(process.execPath, ['-e', '0']),
      },
      {
        id: 'mvgit-pre-commit',
        workload: W,
        tool: 'mvgit',
        step: 'git hook run pre-commit, nothing to do',
        setup: () => hookRepo(),
        run: (t, repo) => t('git', ['hook', 'run', 'pre-commit'], { cwd: repo, env: ctx.env }),
        verify: (repo) => {
          const status = ctx.git(repo, ['status', '--porcelain']);
          if (status.trim() !== '') throw new Error(`the hook changed something:\n${status}`);
        },
      },
    ]);

    // ---- git checkout between two commits whose dataset differs ------------------------------
    ctx.measureAll([
      switchSpec(
        'mvgit-switch',
        'mvgit',
        'git checkout A / B (post-checkout hook)',
        lazy(() => twoBranches(mvgitRepo('switch'), true)),
      ),
      !lfs.skip &&
        switchSpec(
          'lfs-switch',
          'git-lfs',
          'git checkout A / B (lfs smudge)',
          lazy(() => twoBranches(lfsRepo('lfs-switch'), false)),
        ),
    ]);
    for (const repo of kept) ctx.discard(repo);

    // ---- targets (issue 3, "Speed") ------------------------------------------------------------
    const m = (id) => ctx.median(id);
    const div = (a, b) => () => (m(a) === null || m(b) === null ? null : m(a) / m(b));
    ctx.check({
      on: 'mvgit-pre-commit',
      label: 'pre-commit / node -e 0',
      value: div('mvgit-pre-commit', 'floor-node'),
      op: '<=',
      target: 2.5,
      needs: ['floor-node'],
    });
    ctx.check({
      on: 'mvgit-switch',
      label: 'git-lfs switch / mvgit switch',
      value: div('lfs-switch', 'mvgit-switch'),
      op: '>=',
      target: 3,
      needs: ['lfs-switch'],
    });
    // Issue 12: the whole `git checkout`, hook included (GNU time's peak is its largest process).
    ctx.check({
      on: 'mvgit-switch',
      label: 'peak RSS',
      value: () => (ctx.rssMaxKb('mvgit-switch') === null ? null : (ctx.rssMaxKb('mvgit-switch') * 1024) / 1e6),
      op: '<=',
      target: 100,
      unit: 'MB',
    });
  },
};
