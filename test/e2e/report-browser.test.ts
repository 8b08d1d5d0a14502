/**
 * `mvgit report --html` in a real browser: headless Chromium loads the file and dumps the DOM
 * it built. Each metric chart must come out as an <svg> with a size and a <polyline> with one
 * point per version on the head branch. Without a chromium binary the test says it skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture } from '../helpers/fixtures.js';
import { cleanup, git, makeMvgitRepo, mvgitOk, tempDir, writeFile } from '../helpers/repo.js';

/** The first Chromium-like binary on PATH. */
function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'])
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const file = path.join(dir, name);
      if (dir && fs.existsSync(file)) return file;
    }
  return undefined;
}

/** The DOM Chromium builds from `file`, serialized after load. */
function dumpDom(chromium: string, file: string, profile: string): string {
  const r = spawnSync(
    chromium,
    ['--headless', '--disable-gpu', '--no-sandbox', `--user-data-dir=${profile}`, '--dump-dom', `file://${file}`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/**
 * The report with its CSP removed and a script that writes what the browser made of each
 * chart into attributes: its laid-out size and the number of points it parsed. The report
 * itself runs no script; this copy exists only to ask the browser.
 */
function probe(html: string): string {
  const script = `<script>
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.getBoundingClientRect();
  svg.setAttribute('data-size', Math.round(box.width) + 'x' + Math.round(box.height));
  svg.setAttribute('data-points', String(svg.querySelector('polyline').points.numberOfItems));
}
</script>`;
  return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${script}</body>`);
}

let repo: string;
let work: string;

function train(metrics: object, message: string): void {
  writeFile(repo, 'metrics.json', JSON.stringify(metrics));
  mvgitOk(repo, ['add', 'model.pkl', '--kind', 'model', '--params', 'params.yaml', '--metrics', 'metrics.json']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', message]);
}

beforeAll(() => {
  work = tempDir();
  repo = makeMvgitRepo();
  copyFixture('models/churn-v1.pkl', path.join(repo, 'model.pkl'));
  copyFixture('params/params.yaml', path.join(repo, 'params.yaml'));
  train({ accuracy: 0.931, loss: 0.187 }, 'v1');
  git(repo, ['checkout', '-q', '-b', 'tuning']);
  copyFixture('models/churn-v2.pkl', path.join(repo, 'model.pkl'));
  train({ accuracy: 0.92, loss: 0.21 }, 'v2');
  writeFile(repo, 'model.pkl', 'v3 weights');
  train({ accuracy: 0.95, loss: 0.15 }, 'v3');
});
afterAll(() => {
  cleanup(repo);
  cleanup(work);
});

test('headless Chromium draws one chart per metric, a point per version', () => {
  const chromium = findChromium();
  if (!chromium) {
    console.warn('skipped: chromium is not installed');
    return;
  }
  const report = path.join(work, 'report.html');
  // No origin here: the base is the merge-base with main.
  mvgitOk(repo, ['report', '--html', '-o', report]);

  const dom = dumpDom(chromium, report, path.join(work, 'profile-1'));
  const polylines = [...dom.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].trim().split(/\s+/).length);
  expect(polylines).toEqual([3, 3]);
  expect(dom).not.toContain('<script');

  // The page also paints: a screenshot of it is a real PNG, not an empty one.
  const png = path.join(work, 'report.png');
  const shot = spawnSync(
    chromium,
    [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      `--user-data-dir=${path.join(work, 'profile-3')}`,
      '--window-size=1000,1400',
      `--screenshot=${png}`,
      `file://${report}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(shot.status).toBe(0);
  expect(fs.readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(fs.statSync(png).size).toBeGreaterThan(5000);

  const probed = path.join(work, 'probe.html');
  fs.writeFileSync(probed, probe(fs.readFileSync(report, 'utf8')));
  const measured = [...dumpDom(chromium, probed, path.join(work, 'profile-2')).matchAll(/<svg [^>]*>/g)].map((m) => ({
    size: /data-size="(\d+)x(\d+)"/.exec(m[0])?.slice(1).map(Number),
    points: Number(/data-points="(\d+)"/.exec(m[0])?.[1]),
  }));
  expect(measured).toHaveLength(2);
  for (const chart of measured) {
    expect(chart.points).toBe(3);
    expect(chart.size?.every((n) => n > 0)).toBe(true);
  }
});
