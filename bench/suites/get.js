// Issue 10 ("Speed"): `mvgit get REPO churn@v0.1.0 -o OUT` of a 100 MB model whose repository
// and folder remote are on this machine, run from a folder outside any repository, against a
// plain `cp` of the object out of the remote (the floor, measured interleaved). Target: under
// 0.5 s (reading the repository: ls-remote, a blob-less fetch, Node's start) plus 1.2x the copy.
import fs from 'node:fs';
import path from 'node:path';
import { makeRandomFile } from '../lib/workloads.js';

const MiB = 1024 * 1024;
const MODEL = 'models/churn.pkl';

export default {
  name: 'get',
  order: 60,
  title: 'issue 10: mvgit get of a model from another repository (folder remote)',

  async run(ctx) {
    const bytes = (ctx.cfg.small ? 16 : 100) * MiB;
    const W = `file ${bytes / MiB} MiB`;

    // ---- the source repository (untimed): one model, one version, pushed to a folder remote ----
    const dir = ctx.freshDir('source');
    const repo = path.join(dir, 'repo');
    const store = path.join(dir, 'store');
    fs.mkdirSync(repo);
    ctx.git(repo, ['init', '-q', '-b', 'main']);
    ctx.mvgitSetup(repo, ['init', '--remote', store, '--no-hooks']);
    fs.mkdirSync(path.join(repo, 'models'));
    makeRandomFile(path.join(repo, MODEL), bytes);
    ctx.mvgitSetup(repo, ['add', MODEL, '--kind', 'model']);
    ctx.git(repo, ['add', '-A']);
    ctx.git(repo, ['commit', '-q', '-m', 'churn v0.1.0']);
    ctx.mvgitSetup(repo, ['version', 'churn', '0.1.0']);
    ctx.mvgitSetup(repo, ['push']);
    const pointer = fs.readFileSync(path.join(repo, `${MODEL}.mvgit.yaml`), 'utf8');
    const hex = /oid: sha256:([0-9a-f]{64})/.exec(pointer)[1];
    const object = path.join(store, 'objects', 'sha256', hex.slice(0, 2), hex.slice(2));

    const expectOut = (s) => {
      const st = fs.statSync(s.out, { throwIfNoEntry: false });
      if (st?.size !== bytes) throw new Error(`${s.out}: expected ${bytes} bytes, found ${st ? st.size : 'nothing'}`);
    };
    const outDir = (id) => {
      const d = ctx.freshDir(id);
      return { dir: d, out: path.join(d, 'model.pkl') };
    };
    ctx.measureAll([
      {
        id: 'floor-cp-object',
        workload: W,
        tool: 'floor',
        step: 'cp of the object out of the remote',
        setup: () => outDir('floor-cp-object'),
        run: (t, s) => t('cp', [object, s.out]),
        verify: expectOut,
        teardown: (s) => ctx.remove(s.dir),
      },
      {
        // Not a target: on a busy machine, how much of get is Node's own start-up.
        id: 'floor-node-get',
        workload: W,
        tool: 'floor',
        step: 'node -e 0',
        setup: () => ({}),
        run: (t) => t(process.execPath, ['-e', '0']),
      },
      {
        id: 'mvgit-get',
        workload: W,
        tool: 'mvgit',
        step: 'get REPO churn@v0.1.0 -o OUT (outside any repo)',
        setup: () => outDir('mvgit-get'),
        run: (t, s) => ctx.mvgit(t, s.dir, ['get', repo, 'churn@v0.1.0', '-o', s.out]),
        verify: expectOut,
        teardown: (s) => ctx.remove(s.dir),
      },
    ]);
    ctx.remove(dir);

    const m = (id) => ctx.median(id);
    ctx.check({
      on: 'mvgit-get',
      label: '(get - 0.5 s) / cp',
      value: () =>
        m('mvgit-get') === null || m('floor-cp-object') === null ? null : (m('mvgit-get') - 0.5) / m('floor-cp-object'),
      op: '<',
      target: 1.2,
      needs: ['floor-cp-object'],
    });
  },
};
