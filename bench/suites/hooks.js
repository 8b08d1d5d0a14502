// Issue 3 ("Speed"): the git hooks `mvgit init` installs, in a repo with the many-file dataset
// tracked by a rule: a pre-commit hook with nothing to do (against Node's own start-up), and a
// `git checkout` between two commits whose dataset differs in 1 file in 20 (the post-checkout
// hook restores it), against git-lfs and DVC (its own hooks, `dvc install`) doing the same.
// Each group of figures that are compared with one another is measured interleaved.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { warmRead } from '../lib/files.js';
import { installNpmManagers, MANAGER_NAMES, preCommitBin, setUpManager } from '../lib/hook-managers.js';
import { changeFolderFiles, folderFileName } from '../lib/workloads.js';

const DS = 'data/ds';

export default {
  name: 'hooks',
  order: 20,
  title: 'issue 3: git hooks (pre-commit with nothing to do; git checkout between dataset versions)',

  async run(ctx) {
    const ds = ctx.workloads.folder();
    warmRead(ds.path);
    const { lfs, dvc } = ctx.tools;
    if (lfs.skip) ctx.skip('git-lfs', lfs.skip);
    if (dvc.skip) ctx.skip('dvc', dvc.skip);
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
     * A fresh repo with DVC's git hooks (`dvc install`: pre-commit runs `dvc status`,
     * post-checkout `dvc checkout`), the dataset added (cache.type copy) and committed once.
     */
    const dvcRepo = (name) => {
      const repo = ctx.gitRepo(name);
      kept.push(repo);
      ctx.run(repo, dvc.bin, ['init', '-q']);
      ctx.run(repo, dvc.bin, ['config', 'cache.type', 'copy']);
      ctx.run(repo, dvc.bin, ['install']);
      ctx.copyIn(ds.path, path.join(repo, DS));
      ctx.run(repo, dvc.bin, ['add', '-q', DS]);
      ctx.git(repo, ['add', '-A']);
      ctx.git(repo, ['commit', '-q', '-m', 'dataset']);
      return repo;
    };
    /**
     * Branch A = the first commit; branch B (checked out) = `changed` files rewritten, committed
     * (with mvgit, by `mvgit commit`: git alone sees no change, the dataset being out of its index).
     */
    const twoBranches = (repo, tool) => {
      ctx.git(repo, ['branch', 'A']);
      const probe = path.join(repo, DS, folderFileName(0));
      const shaA = sha(probe);
      ctx.git(repo, ['checkout', '-q', '-b', 'B']);
      changeFolderFiles(path.join(repo, DS), changed, fileBytes);
      const msg = `${changed} files changed`;
      if (tool === 'mvgit') ctx.mvgitSetup(repo, ['commit', '-q', '-m', msg]);
      else if (tool === 'dvc') {
        ctx.run(repo, dvc.bin, ['add', '-q', DS]);
        ctx.git(repo, ['add', '-A']);
        ctx.git(repo, ['commit', '-q', '-m', msg]);
      } else {
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

    // ---- issue 11: the same through each hook manager, with and without mvgit's line ----------
    const managers = { env: ctx.env };
    try {
      managers.nodeModules = installNpmManagers(ctx.freshDir('npm-managers'));
    } catch (err) {
      for (const m of MANAGER_NAMES.slice(0, 3)) ctx.skip(m, `npm install failed: ${String(err).slice(0, 200)}`);
    }
    try {
      managers.preCommit = preCommitBin();
    } catch (err) {
      ctx.skip('pre-commit', `the pre-commit venv could not be made: ${String(err).slice(0, 200)}`);
    }
    const usable = MANAGER_NAMES.filter((m) => (m === 'pre-commit' ? managers.preCommit : managers.nodeModules));
    /** A repo with the manager and a user hook; with mvgit, also `mvgit init` and one model recorded. */
    const managerRepo = (name, withMvgit) => {
      const repo = ctx.gitRepo(`${name}-${withMvgit ? 'mvgit' : 'alone'}`);
      kept.push(repo);
      setUpManager(name, repo, managers);
      if (withMvgit) {
        ctx.mvgitSetup(repo, ['init']);
        // mvgit runs `pre-commit install` when it is on PATH; the bench's PATH lacks the venv.
        if (name === 'pre-commit') ctx.run(repo, path.join(managers.preCommit, 'pre-commit'), ['install']);
        ctx.mvgitSetup(repo, ['track', 'models/*.bin', '--kind', 'model']);
        fs.mkdirSync(path.join(repo, 'models'));
        fs.writeFileSync(path.join(repo, 'models', 'm.bin'), crypto.randomBytes(1 << 20));
      }
      ctx.git(repo, ['add', '-A']);
      ctx.git(repo, ['commit', '-q', '-m', 'set up']);
      return repo;
    };
    const managerSpecs = usable.flatMap((name) =>
      [false, true].map((withMvgit) => {
        const repo = lazy(() => managerRepo(name, withMvgit));
        return {
          id: `${name}-${withMvgit ? 'mvgit' : 'alone'}`,
          workload: withMvgit ? 'one 1 MB model' : '-',
          tool: withMvgit ? 'mvgit' : name,
          step: `git hook run pre-commit through ${name}${withMvgit ? ' + mvgit, nothing to do' : ' alone (a no-op user hook)'}`,
          setup: () => repo(),
          run: (t, r) => t('git', ['hook', 'run', 'pre-commit'], { cwd: r, env: ctx.env }),
        };
      }),
    );

    // ---- pre-commit with nothing to do, against Node's own start-up --------------------------
    const hookRepo = lazy(() => mvgitRepo('pre-commit'));
    const dvcHookRepo = lazy(() => dvcRepo('dvc-pre-commit'));
    /** `git hook run pre-commit` in `repo`, which must leave the work tree as it was. */
    const preCommitSpec = (id, tool, repo) => ({
      id,
      workload: W,
      tool,
      step: 'git hook run pre-commit, nothing to do',
      setup: () => repo(),
      run: (t, r) => t('git', ['hook', 'run', 'pre-commit'], { cwd: r, env: ctx.env }),
      verify: (r) => {
        const status = ctx.git(r, ['status', '--porcelain']);
        if (status.trim() !== '') throw new Error(`the hook changed something:\n${status}`);
      },
    });
    ctx.measureAll([
      {
        id: 'floor-node',
        workload: '-',
        tool: 'floor',
        step: 'node -e 0',
        run: (t) => t(process.execPath, ['-e', '0']),
      },
      preCommitSpec('mvgit-pre-commit', 'mvgit', hookRepo),
      !dvc.skip && preCommitSpec('dvc-pre-commit', 'dvc', dvcHookRepo),
      ...managerSpecs,
    ]);

    // ---- git checkout between two commits whose dataset differs ------------------------------
    ctx.measureAll([
      switchSpec(
        'mvgit-switch',
        'mvgit',
        'git checkout A / B (post-checkout hook)',
        lazy(() => twoBranches(mvgitRepo('switch'), 'mvgit')),
      ),
      !lfs.skip &&
        switchSpec(
          'lfs-switch',
          'git-lfs',
          'git checkout A / B (lfs smudge)',
          lazy(() => twoBranches(lfsRepo('lfs-switch'), 'git-lfs')),
        ),
      !dvc.skip &&
        switchSpec(
          'dvc-switch',
          'dvc',
          'git checkout A / B (dvc post-checkout hook)',
          lazy(() => twoBranches(dvcRepo('dvc-switch'), 'dvc')),
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
      target: 2,
      needs: ['floor-node'],
    });
    // Through a manager, mvgit's share is the hook's time with its line less the manager's own.
    for (const name of usable)
      ctx.check({
        on: `${name}-mvgit`,
        label: `(${name} + mvgit - ${name} alone) / node -e 0`,
        value: () => {
          const [a, b, f] = [m(`${name}-mvgit`), m(`${name}-alone`), m('floor-node')];
          return a === null || b === null || f === null ? null : (a - b) / f;
        },
        op: '<=',
        target: 2,
        needs: [`${name}-alone`, 'floor-node'],
      });
    if (!dvc.skip)
      ctx.check({
        on: 'dvc-pre-commit',
        label: 'dvc pre-commit / mvgit pre-commit',
        value: div('dvc-pre-commit', 'mvgit-pre-commit'),
        needs: ['mvgit-pre-commit'],
      });
    ctx.check({
      on: 'mvgit-switch',
      label: 'git-lfs switch / mvgit switch',
      value: div('lfs-switch', 'mvgit-switch'),
      op: '>=',
      target: 3,
      needs: ['lfs-switch'],
    });
    if (!dvc.skip)
      ctx.check({
        on: 'dvc-switch',
        label: 'dvc switch / mvgit switch',
        value: div('dvc-switch', 'mvgit-switch'),
        op: '>=',
        target: 3,
        needs: ['mvgit-switch'],
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
