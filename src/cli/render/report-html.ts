/**
 * `mvgit report --html`: the Markdown report's content as one self-contained page, with each
 * metric's history drawn as inline SVG. No script, no stylesheet or font from elsewhere, no
 * URL: a CI artifact that opens offline, and that a hostile pointer cannot script.
 */
import type { Report } from '../../core/review/report.js';
import { folderNames, REPORT_MARKER, reportRows, seriesTitle, summaryParts } from './report-md.js';
import { escapeHtml, renderLineChart } from './svg-chart.js';

const STYLE = `
body { font: 14px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #1f2328; padding: 0 1em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
code { background: #f6f8fa; padding: 1px 4px; border-radius: 4px; }
.better { color: #1a7f37; } .worse { color: #cf222e; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg text { font-size: 11px; fill: #57606a; } svg text.title { font-size: 13px; fill: #1f2328; }
`;

const code = (s: string): string => `<code>${escapeHtml(s)}</code>`;

/**
 * The report as one HTML file.
 * @example writeFileAtomic('report.html', renderReportHtml(await report({})))
 */
export function renderReportHtml(r: Report): string {
  const side = (s: { label: string; commit: string }): string =>
    `${escapeHtml(s.label)} (${code(s.commit.slice(0, 7))})`;
  const sum = summaryParts(r);
  const biggest = sum.biggest
    ? ` Biggest metric change: ${code(sum.biggest.path)} ${code(sum.biggest.metric)} ${escapeHtml(sum.biggest.rest)}.`
    : '';
  const body = [
    `<h1>mvgit report: ${side(r.base)} → ${side(r.head)}</h1>`,
    `<p><strong>${escapeHtml(sum.counts)}.</strong>${biggest}</p>`,
  ];
  for (const s of r.sections) {
    const d = s.diff;
    const renamed = d.oldPath ? ` from ${code(d.oldPath)}` : '';
    body.push(`<section>`, `<h2>${code(d.path)} (${escapeHtml(`${d.kind}, ${d.status}`)}${renamed})</h2>`);
    body.push('<table>', '<tr><th></th><th>base</th><th>head</th><th>change</th></tr>');
    for (const row of reportRows(s)) {
      const what = row.name !== undefined ? `${row.what} ${code(row.name)}` : row.what;
      const cls = row.status === 'better' || row.status === 'worse' ? ` class="${row.status}"` : '';
      body.push(
        `<tr><td>${what}</td><td>${escapeHtml(row.base)}</td><td>${escapeHtml(row.head)}</td><td${cls}>${escapeHtml(row.change)}</td></tr>`,
      );
    }
    body.push('</table>');
    const files = folderNames(s);
    if (files.note) body.push(`<p><em>${escapeHtml(files.note)}</em></p>`);
    if (files.names.length > 0)
      body.push('<ul>', ...files.names.map(([word, name]) => `<li>${word} ${code(name)}</li>`), '</ul>');
    const charts = s.series.filter((series) => series.points.length > 0);
    if (charts.length > 0) {
      body.push('<div class="charts">');
      for (const series of charts)
        body.push(
          renderLineChart({
            title: seriesTitle(d.path, series),
            labels: series.points.map((p) => p.commit.slice(0, 7)),
            values: series.points.map((p) => p.value),
          }),
        );
      body.push('</div>');
    }
    body.push('</section>');
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // No script runs and nothing loads from elsewhere, even if a string escaped the escaping.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>mvgit report: ${escapeHtml(r.base.label)} → ${escapeHtml(r.head.label)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    REPORT_MARKER,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
