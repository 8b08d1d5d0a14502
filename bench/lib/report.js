// The printed table and the JSON results.
import fs from 'node:fs';

function secs(s) {
  if (s === null || s === undefined) return '-';
  return s < 0.1 ? `${s.toFixed(4)} s` : `${s.toFixed(3)} s`;
}

function cpuSecs(s) {
  return s === null || s === undefined ? '-' : `${s.toFixed(2)} s`;
}

function mb(kb) {
  return kb === null || kb === undefined ? '-' : `${Math.round((kb * 1024) / 1e6)} MB`;
}

function fmtValue(c) {
  if (c.value === null) return '-';
  if (c.unit === 'x') return `${c.value < 10 ? c.value.toFixed(2) : c.value.toFixed(1)}x`;
  return `${Math.round(c.value)} ${c.unit}`;
}

function fmtTarget(c) {
  if (c.op === null || c.target === null) return '';
  return `${c.op} ${c.target}${c.unit === 'x' ? 'x' : ` ${c.unit}`}`;
}

function table(rows, header) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The printed report of one suite's results. */
export function formatSuite(name, title, res) {
  const header = ['workload', 'tool', 'step', 'n', 'median', 'cpu', 'peak RSS', 'ratio', 'value', 'target', 'result'];
  const rows = [];
  for (const m of res.measurements) {
    const checks = res.checks.filter((c) => c.on === m.id);
    const base = [
      m.workload,
      m.tool,
      m.step,
      String(m.reps),
      m.error ? 'FAILED' : secs(m.median),
      m.error ? '-' : cpuSecs(m.cpuMedian),
      mb(m.rssMaxKb),
    ];
    if (checks.length === 0) rows.push([...base, '', '', '', m.error ? 'ERROR' : '']);
    checks.forEach((c, i) => {
      const lead = i === 0 ? base : ['', '', '', '', '', '', ''];
      rows.push([...lead, c.label, fmtValue(c), fmtTarget(c), c.result]);
    });
  }
  // Checks attached to a measurement that never ran (a skipped tool).
  for (const c of res.checks.filter((x) => !res.measurements.some((m) => m.id === x.on))) {
    rows.push(['', '', `(${c.on})`, '', '', '', '', c.label, fmtValue(c), fmtTarget(c), c.result]);
  }
  const out = [`== ${name}: ${title}`, table(rows, header)];
  for (const s of res.skipped) out.push(`skipped: ${s.tool}: ${s.reason}`);
  for (const n of res.notes) out.push(`note: ${n}`);
  for (const m of res.measurements.filter((x) => x.error)) {
    out.push(`error in ${m.tool} ${m.step}: ${m.error.command ? `\`${m.error.command}\` (in ${m.error.cwd})` : ''}`);
    out.push(`  ${(m.error.stderr || m.error.message).split('\n').slice(0, 20).join('\n  ')}`);
  }
  return out.join('\n');
}

export function summarize(suites) {
  const counts = { PASS: 0, MISS: 0, ERROR: 0, SKIP: 0, info: 0 };
  for (const s of Object.values(suites)) for (const c of s.checks) counts[c.result] = (counts[c.result] ?? 0) + 1;
  const failed = Object.values(suites).reduce((n, s) => n + s.measurements.filter((m) => m.error).length, 0);
  return { ...counts, failedMeasurements: failed };
}

export function writeJson(file, data) {
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
