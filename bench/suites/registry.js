// Issue 10 ("Registry", Speed): with 2,000 registry tags and 5,000 unrelated tags, `mvgit ls`
// and `mvgit show churn#prod` each take under 3x `node -e 0`; `gto show` on the same repo side
// by side where GTO is installed (~/.cache/mvgit-test/gto-venv, or `gto` on PATH). GTO asks git
// per tag and took 6-12 s at ~1,500 tags (iterative/gto#156).
// Part of `npm run bench`; alone: `node bench/run.js registry` (after a build).
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ARTIFACTS = 10;
const UNRELATED = 5000;
const REGISTRY = 2000;
/** Per artifact: versions, then stage assignments among them (prod and staging, in turn). */
const PER_ARTIFACT = REGISTRY / ARTIFACTS;
const VERSIONS = Math.floor(PER_ARTIFACT * 0.75);
const ASSIGNS = PER_ARTIFACT - VERSIONS;

const names = Array.from({ length: ARTIFACTS }, (_, i) => (i === 0 ? 'churn' : `model-${i}`));

function pointerText(name, v) {
  const oid = crypto.createHash('sha256').update(`${name} v${v}`).digest('hex');
  return `mvgit: 1\nkind: model\npath: ${name}.pkl\noid: sha256:${oid}\nsize: ${1_000_000 + v}\nmeta:\n  metrics:\n    auc: ${(0.8 + v / 10_000).toFixed(4)}\n`;
}

/**
 * One `git fast-import`: VERSIONS commits, each a new version of every artifact; then for each
 * artifact a `NAME@vX.Y.Z` tag per version and `NAME#STAGE#N` tags, and UNRELATED annotated
 * `build-N` tags. Every tag has its own second, as real ones would.
 */
export function buildRegistryRepo(dir, env) {
  if (!fs.existsSync(path.join(dir, '.git'))) execFileSync('git', ['init', '-q', dir], { env });
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const chunks = [];
  let mark = 0;
  let when = 1_700_000_000;
  const who = () => `Dev <dev@example.com> ${when++} +0000`;
  for (let v = 0; v < VERSIONS; v++) {
    const ops = names.map((n) => `M 100644 inline models/${n}.pkl.mvgit.yaml\n${data(pointerText(n, v))}`);
    if (v === 0) ops.push(`M 100644 inline models/.gitignore\n${data(names.map((n) => `/${n}.pkl`).join('\n'))}`);
    const w = who();
    chunks.push(
      `commit refs/heads/main\nmark :${++mark}\nauthor ${w}\ncommitter ${w}\n${data(`train v${v}`)}${ops.join('')}\n`,
    );
  }
  const tag = (name, commitMark, message) =>
    chunks.push(`tag ${name}\nfrom :${commitMark}\ntagger ${who()}\n${data(message)}`);
  for (const n of names) {
    for (let v = 0; v < VERSIONS; v++) tag(`${n}@v0.${v}.0`, v + 1, `Registering artifact ${n} version v0.${v}.0`);
    for (let a = 0; a < ASSIGNS; a++) {
      const v = Math.min(VERSIONS - 1, Math.floor((a * VERSIONS) / ASSIGNS) + 1);
      const stage = a % 2 === 0 ? 'prod' : 'staging';
      tag(`${n}#${stage}#${a + 1}`, v + 1, `Assigning stage ${stage} to artifact ${n} version v0.${v}.0`);
    }
  }
  for (let i = 0; i < UNRELATED; i++) tag(`build-${i}`, (i % VERSIONS) + 1, `CI build ${i}`);
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: chunks.join(''), maxBuffer: 1 << 28 });
  execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/main'], { cwd: dir, env });
  execFileSync('git', ['reset', '-q', '--hard'], { cwd: dir, env });
  // As in any clone: fast-import leaves 7,000 loose ref files, which cost git more than the tags.
  execFileSync('git', ['pack-refs', '--all'], { cwd: dir, env });
}

/** GTO where this machine has it: the test venv, else `gto` on PATH. */
function findGto() {
  const venv = path.join(os.homedir(), '.cache', 'mvgit-test', 'gto-venv', 'bin', 'gto');
  if (fs.existsSync(venv)) return venv;
  const which = spawnSync('sh', ['-c', 'command -v gto'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

export default {
  name: 'registry',
  order: 40,
  title: `issue 10: mvgit ls / show churn#prod with ${REGISTRY} registry + ${UNRELATED} unrelated tags`,

  async run(ctx) {
    const repo = ctx.gitRepo('registry');
    buildRegistryRepo(repo, ctx.env);
    const W = `${REGISTRY} registry + ${UNRELATED} other tags`;
    const gto = findGto();
    if (!gto) ctx.skip('gto', 'gto is not installed (pip install gto, or run the registry e2e test once)');
    ctx.measureAll([
      {
        id: 'floor-node',
        workload: '-',
        tool: 'floor',
        step: 'node -e 0',
        run: (t) => t(process.execPath, ['-e', '0']),
      },
      {
        id: 'mvgit-ls',
        workload: W,
        tool: 'mvgit',
        step: 'ls --json',
        setup: () => ({}),
        run: (t, s) => {
          s.out = ctx.mvgit(t, repo, ['ls', '--json']).stdout;
        },
        verify: (s) => {
          const { artifacts } = JSON.parse(s.out);
          if (artifacts.length !== ARTIFACTS) throw new Error(`mvgit ls listed ${artifacts.length} artifacts`);
        },
      },
      {
        id: 'mvgit-show-prod',
        workload: W,
        tool: 'mvgit',
        step: 'show churn#prod --json',
        setup: () => ({}),
        run: (t, s) => {
          s.out = ctx.mvgit(t, repo, ['show', 'churn#prod', '--json']).stdout;
        },
        verify: (s) => {
          const shown = JSON.parse(s.out);
          if (shown.registry?.stage !== 'prod') throw new Error(`mvgit show churn#prod gave ${s.out.slice(0, 200)}`);
        },
      },
      gto && {
        id: 'gto-show',
        workload: W,
        tool: 'gto',
        step: 'gto show churn#prod --json',
        run: (t) => t(gto, ['show', 'churn#prod', '--json'], { cwd: repo, env: ctx.env }),
      },
    ]);
    const m = (id) => ctx.median(id);
    const div = (a, b) => () => (m(a) === null || m(b) === null ? null : m(a) / m(b));
    for (const id of ['mvgit-ls', 'mvgit-show-prod'])
      ctx.check({
        on: id,
        label: `${id.slice(6)} / node -e 0`,
        value: div(id, 'floor-node'),
        op: '<',
        target: 3,
        needs: ['floor-node'],
      });
    if (gto)
      ctx.check({
        on: 'gto-show',
        label: 'gto show / mvgit show',
        value: div('gto-show', 'mvgit-show-prod'),
        needs: ['mvgit-show-prod'],
      });
  },
};
