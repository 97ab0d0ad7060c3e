// The self-contained HTML report: aggregates, intervals and definitions
// only — never a row of the file. Every text that came from the file
// (column names, segment values, the file name) is escaped. Pure: tested
// with node --test.
import { cards, segmentSeries, monthSeries, comparisons, excludedList } from './doc.js';
import { metricInfo, ciMethodName, fmt, fmtCI, fmtP, REASONS, DIFF_HOW } from './metrics.js';

export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function tableHTML(head, rows) {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;
}

function excludedText(ex) {
  const l = excludedList(ex);
  return l.length ? l.map(([k, v]) => `${v} ${REASONS[k] || k}`).join(', ') : 'none';
}

const CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:14px}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f5f7}td{font-variant-numeric:tabular-nums}.muted{color:#57606a}dt{font-weight:600;margin-top:.5rem}
figure{margin:1rem 0}svg{max-width:100%;height:auto}
@media (prefers-color-scheme:dark){body{background:#0f1419;color:#e6e8ea}thead th{background:#1c232b}th,td{border-color:#39424c}.muted{color:#9aa4ae}}`;

// reportHTML renders the report of result doc. charts is an optional list
// of {title, svg} (serialised SVG of the page's charts: aggregates only).
export function reportHTML(doc, { charts = [], generated = new Date().toISOString() } = {}) {
  const level = doc.confidence || 0.95;
  const pct = `${Math.round(level * 1000) / 10} %`;
  const used = new Set();
  const parts = [];
  const src = doc.source || {};
  parts.push(`<h1>cxaudit report: ${esc(doc.kind || '')}</h1>`);
  parts.push(`<p class="muted">File ${esc(src.name || '')} (${esc(src.format || '')}, ${esc(String(doc.rows ?? src.rows ?? ''))} rows). ${pct} confidence intervals. Generated ${esc(generated)} by cxaudit ${esc((doc.engine && doc.engine.version) || '')}, on the analyst's own machine. This report holds aggregates, intervals and definitions only — no row of the file.</p>`);
  if (doc.warnings && doc.warnings.length) {
    parts.push(`<h2>Warnings</h2><ul>${doc.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  }
  for (const g of cards(doc)) {
    parts.push(`<h2>${esc(g.title)}</h2>`);
    if (g.note) parts.push(`<p class="muted">${esc(g.note)}</p>`);
    parts.push(tableHTML(['metric', 'value', `${pct} interval`, 'method', 'n', 'excluded cells'], g.cards.map(({ id, label, metric }) => {
      const info = metricInfo(id);
      used.add(id);
      return [label || info.label, fmt(metric.value, info.kind), metric.ci ? fmtCI(metric.ci, info.kind) : (metric.note || '—'),
        metric.ci ? ciMethodName(metric.ci) : '', metric.n === null || metric.n === undefined ? '—' : String(metric.n), excludedText(metric.excluded)];
    })));
  }
  const segs = segmentSeries(doc);
  if (segs.length) {
    parts.push('<h2>By segment</h2>');
    for (const s of segs) {
      used.add(s.id);
      parts.push(`<h3>${esc(s.info.label)} by ${esc(s.column)}</h3>`);
      parts.push(tableHTML([s.column, 'value', `${pct} interval`, 'n'], s.rows.map((r) => [r.segment, fmt(r.value, s.info.kind), r.lo === null ? '—' : fmtCI(r, s.info.kind), r.n === null ? '—' : String(r.n)])));
    }
  }
  const months = monthSeries(doc);
  if (months.length) {
    parts.push('<h2>By month (UTC)</h2>');
    for (const s of months) {
      used.add(s.id);
      parts.push(`<h3>${esc(s.info.label)}</h3>`);
      parts.push(tableHTML(['month', 'value', `${pct} interval`, 'n'], s.rows.map((r) => [r.month, fmt(r.value, s.info.kind), r.lo === null || r.lo === undefined ? '—' : fmtCI(r, s.info.kind), r.n === null || r.n === undefined ? '—' : String(r.n)])));
    }
  }
  const comps = comparisons(doc);
  if (comps.length) {
    parts.push('<h2>Comparisons</h2>');
    parts.push(tableHTML(['compared', 'metric', 'difference a − b', `${pct} interval`, 'p (Holm)', 'real difference?'], comps.map((c) => [
      `${c.by}: ${c.a} vs ${c.b}`, c.info.label, fmt(c.value, c.info.kind === 'nps' ? 'mean' : c.info.kind), c.lo === null ? '—' : fmtCI(c, c.info.kind === 'nps' ? 'mean' : c.info.kind),
      fmtP(c.p), c.real ? 'yes: the interval excludes 0' : 'not shown: the interval includes 0 or p ≥ α'])));
  }
  if (charts.length) {
    parts.push('<h2>Charts</h2>');
    for (const c of charts) parts.push(`<figure><figcaption>${esc(c.title)}</figcaption>${c.svg}</figure>`);
  }
  parts.push('<h2>Definitions</h2><dl>');
  for (const id of used) {
    const info = metricInfo(id);
    if (info.how) parts.push(`<dt>${esc(info.label)}</dt><dd>${esc(info.how)}</dd>`);
  }
  if (comps.length) {
    parts.push(`<dt>Differences</dt><dd>NPS: ${esc(DIFF_HOW.nps)} Percentages: ${esc(DIFF_HOW.pct)} Means: ${esc(DIFF_HOW.mean)} p-values are Holm-adjusted across all comparisons.</dd>`);
  }
  parts.push('</dl>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cxaudit report: ${esc(doc.kind || '')} — ${esc(src.name || '')}</title>
<style>${CSS}</style></head><body>
${parts.join('\n')}
</body></html>
`;
}
