// Charts of the results view, drawn with Observable Plot (bundled into
// dist/app.js by esbuild; nothing is loaded from elsewhere). Every chart
// comes inside a <figure> with a caption, an accessible label, a table
// holding the same numbers (the text alternative) and a PNG download.
import * as Plot from '@observablehq/plot';
import { fmt } from './lib/metrics.js';

const ACCENT = '#2f6fde';
const GROUP_COLORS = { detractor: '#d64541', passive: '#9aa0a6', promoter: '#1e9e5a' };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

// table builds the text alternative of a chart: head is a list of column
// titles, rows lists of cell texts. Everything goes in as textContent.
export function table(head, rows, caption) {
  const t = el('table', { class: 'data' });
  if (caption) t.append(el('caption', { text: caption }));
  const thead = el('thead');
  const tr = el('tr');
  for (const h of head) tr.append(el('th', { scope: 'col', text: h }));
  thead.append(tr);
  const tbody = el('tbody');
  for (const r of rows) {
    const row = el('tr');
    r.forEach((c, i) => row.append(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row', text: c } : { text: c })));
    tbody.append(row);
  }
  t.append(thead, tbody);
  return t;
}

function figure({ title, description, svg, head, rows, file }) {
  const fig = el('figure', { class: 'chart' });
  const cap = el('figcaption', {}, el('span', { class: 'chart-title', text: title }));
  const png = el('button', { type: 'button', class: 'small', 'data-action': 'png', text: 'Download PNG' });
  png.setAttribute('aria-label', `Download PNG: ${title}`);
  png.dataset.file = file;
  cap.append(png);
  fig.append(cap);
  if (svg) {
    const holder = el('div', { class: 'plot' });
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${title}. ${description}`);
    holder.append(svg);
    fig.append(holder);
  }
  const det = el('details', { class: 'alt' }, el('summary', { text: 'Show as table' }), table(head, rows));
  fig.append(det);
  return fig;
}

function ciText(r, kind) {
  return r.lo === null || r.lo === undefined ? '—' : `${fmt(r.lo, kind === 'nps' ? 'mean' : kind)} to ${fmt(r.hi, kind === 'nps' ? 'mean' : kind)}`;
}

function slug(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'chart';
}

const MAX_SEGMENTS = 40;

// segmentChart: one point per segment value with its interval as a
// whisker, sorted by value (highest first).
export function segmentChart(s, level) {
  const rows = s.rows.slice(0, MAX_SEGMENTS);
  const kind = s.info.kind;
  const title = `${s.info.label} by ${s.column}`;
  const withCI = rows.filter((r) => r.lo !== null && r.value !== null);
  const longest = Math.max(...rows.map((r) => String(r.segment).length), 4);
  const svg = Plot.plot({
    width: 640,
    height: 40 + rows.length * 26,
    marginLeft: Math.min(200, 12 + longest * 7),
    marginRight: 24,
    style: { background: 'transparent', fontSize: '12px' },
    x: { label: `${s.info.label}${s.info.unit ? ` (${s.info.unit})` : ''}, ${Math.round(level * 100)} % interval`, grid: true, nice: true },
    y: { domain: rows.map((r) => r.segment), label: null, tickFormat: (d) => (String(d).length > 28 ? `${String(d).slice(0, 27)}…` : d) },
    marks: [
      kind === 'nps' ? Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.4 }) : null,
      Plot.ruleY(withCI, { y: 'segment', x1: 'lo', x2: 'hi', stroke: ACCENT, strokeWidth: 2 }),
      Plot.tickX(withCI, { y: 'segment', x: 'lo', stroke: ACCENT }),
      Plot.tickX(withCI, { y: 'segment', x: 'hi', stroke: ACCENT }),
      Plot.dot(rows.filter((r) => r.value !== null), { y: 'segment', x: 'value', fill: 'currentColor', r: 3.5 }),
    ],
  });
  const desc = rows.map((r) => `${r.segment}: ${fmt(r.value, kind)}`).join('; ');
  return figure({
    title: s.rows.length > MAX_SEGMENTS ? `${title} (first ${MAX_SEGMENTS} of ${s.rows.length})` : title,
    description: desc,
    svg,
    head: [s.column, s.info.label, `${Math.round(level * 100)} % interval`, 'n'],
    rows: s.rows.map((r) => [String(r.segment), fmt(r.value, kind), ciText(r, kind), r.n === null ? '—' : String(r.n)]),
    file: `${slug(title)}.png`,
  });
}

// trendChart: the value per UTC month with its interval as a band.
export function trendChart(s, level) {
  const kind = s.info.kind;
  const rows = s.rows;
  const months = rows.map((r) => r.month);
  const band = rows.filter((r) => r.lo !== null && r.lo !== undefined && r.value !== null);
  const title = `${s.info.label} per month`;
  const svg = Plot.plot({
    width: 640,
    height: 260,
    marginLeft: 56,
    marginBottom: 42,
    style: { background: 'transparent', fontSize: '12px' },
    x: { type: 'point', domain: months, label: 'month (UTC)', padding: 0.3 },
    y: { label: `${s.info.label}${s.info.unit ? ` (${s.info.unit})` : ''}`, grid: true, nice: true, zero: kind === 'count' },
    marks: [
      Plot.areaY(band, { x: 'month', y1: 'lo', y2: 'hi', fill: ACCENT, fillOpacity: 0.18, curve: 'linear' }),
      Plot.ruleX(band, { x: 'month', y1: 'lo', y2: 'hi', stroke: ACCENT, strokeOpacity: 0.6 }),
      Plot.lineY(rows.filter((r) => r.value !== null), { x: 'month', y: 'value', stroke: 'currentColor' }),
      Plot.dot(rows.filter((r) => r.value !== null), { x: 'month', y: 'value', fill: 'currentColor', r: 3 }),
    ],
  });
  return figure({
    title,
    description: rows.map((r) => `${r.month}: ${fmt(r.value, kind)}`).join('; '),
    svg,
    head: ['month', s.info.label, band.length ? `${Math.round(level * 100)} % interval` : 'interval', 'n'],
    rows: rows.map((r) => [r.month, fmt(r.value, kind), ciText(r, kind), r.n === null || r.n === undefined ? '—' : String(r.n)]),
    file: `${slug(title)}.png`,
  });
}

// npsChart: the answers' distribution (0–10 when known, else the three
// groups), coloured detractor / passive / promoter.
export function npsChart(d) {
  const title = d.scores ? 'NPS answers, 0–10' : 'NPS answers by group';
  const svg = Plot.plot({
    width: 640,
    height: 240,
    marginLeft: 56,
    style: { background: 'transparent', fontSize: '12px' },
    x: { domain: d.rows.map((r) => r.score), label: d.scores ? 'score' : null, padding: 0.15 },
    y: { label: 'answers', grid: true },
    color: { domain: Object.keys(GROUP_COLORS), range: Object.values(GROUP_COLORS) },
    marks: [
      Plot.barY(d.rows, { x: 'score', y: 'count', fill: 'group' }),
      Plot.ruleY([0]),
    ],
  });
  const total = d.rows.reduce((a, r) => a + r.count, 0) || 1;
  return figure({
    title,
    description: d.rows.map((r) => `${r.score}: ${r.count}`).join('; '),
    svg,
    head: [d.scores ? 'score' : 'group', 'answers', 'share'],
    rows: d.rows.map((r) => [r.score, String(r.count), `${((100 * r.count) / total).toFixed(1)} %`]),
    file: `${slug(title)}.png`,
  });
}

// toPNG renders an SVG chart to a PNG Blob (2× for sharpness) on the
// page's background, with currentColor resolved.
export async function toPNG(svg) {
  const rect = svg.getBoundingClientRect();
  const w = Math.ceil(rect.width || Number(svg.getAttribute('width')) || 640);
  const h = Math.ceil(rect.height || Number(svg.getAttribute('height')) || 300);
  const clone = svg.cloneNode(true);
  const cs = getComputedStyle(svg);
  const bg = getComputedStyle(document.body).backgroundColor || '#fff';
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', w);
  clone.setAttribute('height', h);
  clone.style.color = cs.color;
  clone.style.background = bg;
  clone.style.fontFamily = cs.fontFamily;
  const text = new XMLSerializer().serializeToString(clone);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.width = w;
    img.height = h;
    await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = () => reject(new Error('could not render the chart')); img.src = url; });
    const canvas = document.createElement('canvas');
    canvas.width = w * 2;
    canvas.height = h * 2;
    const ctx = canvas.getContext('2d');
    ctx.scale(2, 2);
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
