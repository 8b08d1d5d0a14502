/**
 * A line chart as plain inline SVG: axes, a polyline with a marker per point, the lowest and
 * highest value on the y axis and a label per point on the x axis. No script, no font file and
 * no network: the report stays one file that opens anywhere.
 */

export interface LineChart {
  title: string;
  /** One label per point, oldest first (short commits). */
  labels: string[];
  values: number[];
  width?: number;
  height?: number;
}

/** Text for HTML and SVG: the five characters that can open markup or end an attribute. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** A number short enough for an axis label. */
function tick(n: number): string {
  return String(Number(n.toPrecision(4)));
}

/**
 * The chart as an `<svg>` element.
 * @example renderLineChart({ title: 'auc', labels: ['a1b2c3d', 'e4f5a6b'], values: [0.93, 0.95] })
 */
export function renderLineChart(chart: LineChart): string {
  const width = chart.width ?? 480;
  const height = chart.height ?? 240;
  const pad = { left: 64, right: 16, top: 32, bottom: 48 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const min = Math.min(...chart.values);
  const max = Math.max(...chart.values);
  // A flat series still needs a scale: center it.
  const [lo, hi] = min === max ? [min - 1, max + 1] : [min, max];
  const n = chart.values.length;
  const x = (i: number): number => pad.left + (n === 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number): number => pad.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const coords = chart.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const bottom = pad.top + plotH;
  // SVG text does not wrap: a long title is cut to the chart's width, whole in the tooltip.
  const fits = Math.floor(width / 7.5);
  const shown = chart.title.length > fits ? `${chart.title.slice(0, fits - 1)}…` : chart.title;
  const out = [
    // No xmlns: inline in HTML5 it is implied, and the report holds no URL at all.
    `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(chart.title)}">`,
    `<title>${escapeHtml(chart.title)}</title>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" class="title">${escapeHtml(shown)}</text>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${bottom}" stroke="#888" class="axis"/>`,
    `<line x1="${pad.left}" y1="${bottom}" x2="${width - pad.right}" y2="${bottom}" stroke="#888" class="axis"/>`,
    `<text x="${pad.left - 6}" y="${y(hi) + 4}" text-anchor="end">${tick(hi)}</text>`,
    `<text x="${pad.left - 6}" y="${y(lo) + 4}" text-anchor="end">${tick(lo)}</text>`,
    `<polyline points="${coords.join(' ')}" fill="none" stroke="#0969da" stroke-width="2" class="line"/>`,
  ];
  chart.values.forEach((v, i) => {
    out.push(
      `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="#0969da" class="point"><title>${escapeHtml(`${chart.labels[i] ?? ''}: ${v}`)}</title></circle>`,
      `<text x="${x(i).toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(chart.labels[i] ?? '')}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
