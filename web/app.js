// The page: DOM, events and URL state. All data work happens in the Web
// Worker (web/worker.js, which owns the Go engine); this module only moves
// Files to it and shows the result document. Every text that comes from a
// file goes into the DOM through textContent, never as HTML.
import { Engine, defaultWorkers } from './lib/engine.js';
import { cards, segmentSeries, monthSeries, periodSeries, npsDistribution, comparisons, excludedList } from './lib/doc.js';
import { metricInfo, methodName, ciMethodName, fmt, fmtCI, fmtP, REASONS, DIFF_HOW } from './lib/metrics.js';
import { toMapping, toPlan, rolesFor, cleanPlan, ROLE_LABELS, METRIC_ROLES } from './lib/plan.js';
import { readSettings, writeSettings } from './lib/url.js';
import { reportHTML } from './lib/report-html.js';
// The charts (Observable Plot) are a bundle of their own, dist/charts.js,
// loaded once the engine is ready or when the first result arrives: the
// page and its engine start without parsing them.
let charts = null; // the charts module, once loaded
let chartsLoading = null;
function loadCharts() {
  chartsLoading ||= import('./charts.js').then((m) => { charts = m; return m; }, (err) => { chartsLoading = null; throw err; });
  return chartsLoading;
}

performance.mark('cxaudit-app'); // page-ready timing: the bundle runs
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const state = {
  settings: readSettings(location.search),
  file: null, // the File last analysed
  plan: null, // {text, label}: the plan in force (loaded or applied), or null = detect
  doc: null,
  out: null, // {json, csv, md, header}
  detected: null, // _detected of the last detection, for the mapping panel
  job: null,
};

const engine = new Engine('worker.js', {
  workers: state.settings.workers ? Number(state.settings.workers) : defaultWorkers(navigator.hardwareConcurrency),
});
engine.ready.then((m) => {
  $('engine-version').textContent = `engine ${m.version}`;
  // Fetch the charts while the user picks a file.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => loadCharts().catch(() => {}), { timeout: 2000 });
  else setTimeout(() => loadCharts().catch(() => {}), 200);
  // Test hook: milliseconds from navigation until the engine is loaded.
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  if (m.timing) {
    // Start-up marks on this page's clock (ms after navigation start).
    // The page's: boot (boot.js starts the compile and the worker),
    // pageCompiled (the Module is compiled), app (this bundle runs). The
    // worker's: created, script (worker.js runs), wasmExec, module (the
    // Module arrived), fetch/response/downloaded (only if the worker
    // compiled the wasm itself), compiled (instantiated), go (engine up).
    const at = {};
    for (const [k, v] of Object.entries(m.timing)) if (typeof v === 'number') at[k] = Math.round(v - performance.timeOrigin);
    for (const [k, name] of [['boot', 'cxaudit-boot'], ['pageCompiled', 'cxaudit-compiled'], ['app', 'cxaudit-app']]) {
      const e = performance.getEntriesByName(name)[0];
      if (e) at[k] = Math.round(e.startTime);
    }
    const compileFrom = at.fetch ?? at.boot;
    document.body.dataset.readyDetail = JSON.stringify({
      ...at, workerStart: at.script, fetchCompile: at.compiled - compileFrom, goStart: at.go - at.compiled,
    });
  }
}, (err) => showError(err.message));

// ---- state, status, errors ------------------------------------------------

function setState(s) {
  document.body.dataset.state = s;
}

function status(text) {
  $('status').textContent = text;
}

function showError(message) {
  const box = $('error');
  box.replaceChildren(el('strong', { text: 'Could not analyse the file. ' }), el('span', { text: message }));
  box.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').replaceChildren();
}

function saveSettings() {
  history.replaceState(null, '', location.pathname + writeSettings(state.settings) + location.hash);
}

function applyTheme() {
  document.documentElement.dataset.theme = state.settings.theme;
  $('theme').value = state.settings.theme;
}

// ---- running ---------------------------------------------------------------

function bytes(n) {
  if (n < 1024) return `${n} B`;
  const u = ['KB', 'MB', 'GB', 'TB'];
  let i = -1;
  do { n /= 1024; i++; } while (n >= 1024 && i < u.length - 1);
  return `${n.toFixed(n < 10 ? 1 : 0)} ${u[i]}`;
}

async function run(file) {
  if (state.job) state.job.cancel();
  clearError();
  state.file = file;
  // Test hook: counts analyses started, so a test can wait for the next one.
  document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
  setState('running');
  $('progress-section').hidden = false;
  $('progress-file').textContent = file.name;
  $('progress-bar').value = 0;
  $('progress-text').textContent = 'Starting…';
  status('');
  const confidence = state.settings.confidence ? Number(state.settings.confidence) : null;
  const job = engine.analyze(file, {
    plan: state.plan ? state.plan.text : '',
    confidence,
    onProgress: (p) => {
      if (state.job !== job) return;
      const frac = p.size > 0 ? p.bytes / p.size : 1;
      $('progress-bar').value = Math.round(frac * 100);
      const rate = p.ms > 0 ? Math.round((p.rows / p.ms) * 1000) : 0;
      $('progress-text').textContent = `${bytes(p.bytes)} of ${bytes(p.size)} · ${p.rows.toLocaleString('en-US')} rows · ${rate.toLocaleString('en-US')} rows/s`;
    },
  });
  state.job = job;
  try {
    const res = await job.promise;
    if (state.job !== job) return;
    state.out = res;
    state.doc = JSON.parse(res.json);
    if (state.doc.plan && state.doc.plan._detected) state.detected = state.doc.plan._detected;
    else if (!state.plan) state.detected = null;
    await loadCharts();
    if (state.job !== job) return;
    render();
    const secs = (res.ms / 1000).toFixed(res.ms < 10000 ? 2 : 1);
    // Test and benchmark hook: how long this analysis took, file chosen →
    // result ready, and on how many workers.
    document.body.dataset.lastRun = JSON.stringify({ ms: Math.round(res.ms), rows: Number(state.doc.rows), bytes: file.size, workers: res.workers || 1, parts: res.parts || 1, redos: res.redos || 0, timeline: res.timeline || [] });
    status(`Analysed ${file.name}: ${Number(state.doc.rows).toLocaleString('en-US')} rows in ${secs} s.`);
    setState('done');
  } catch (err) {
    if (state.job !== job) return;
    if (err.cancelled) {
      status('Cancelled. Drop another file, or the same one again.');
      setState(state.doc ? 'done' : 'idle');
    } else {
      showError(err.message);
      setState('error');
    }
  } finally {
    if (state.job === job) {
      state.job = null;
      $('progress-section').hidden = true;
    }
  }
}

async function runSample(name) {
  try {
    const resp = await fetch(`samples/${name}.csv`);
    if (!resp.ok) throw new Error(`sample ${name}: HTTP ${resp.status}`);
    const blob = await resp.blob();
    await run(new File([blob], `${name}.csv`, { type: 'text/csv' }));
  } catch (err) {
    showError(err.message);
    setState('error');
  }
}

// ---- plans -----------------------------------------------------------------

function setPlan(plan) {
  state.plan = plan;
  $('plan-status').textContent = plan ? `Plan: ${plan.label}.` : 'Plan: detected from each file.';
  $('clear-plan').hidden = !plan;
  updateExportPlan();
}

function updateExportPlan() {
  $('export-plan').disabled = !(state.doc || state.plan);
}

async function loadPlan(file) {
  clearError();
  let text;
  try {
    text = await file.text();
    const p = JSON.parse(text);
    if (!p || typeof p !== 'object' || !p.kind) throw new Error('it has no "kind"');
  } catch (err) {
    showError(`${file.name} is not a plan: ${err.message}`);
    setState('error');
    return;
  }
  setPlan({ text, label: `loaded from ${file.name}` });
  if (state.file) run(state.file);
  else status(`Plan ${file.name} loaded; drop a file to analyse it with this plan.`);
}

function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function baseName() {
  const n = (state.doc && state.doc.source && state.doc.source.name) || (state.file && state.file.name) || 'cxaudit';
  return n.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'cxaudit';
}

// ---- rendering -------------------------------------------------------------

function level() {
  return (state.doc && state.doc.confidence) || 0.95;
}

function render() {
  const doc = state.doc;
  $('results').hidden = false;
  const src = doc.source || {};
  const bits = [`${doc.kind}`, `${Number(doc.rows).toLocaleString('en-US')} rows`, src.format === 'csv'
    ? `CSV (${src.delimiter === '\t' ? 'tab' : `"${src.delimiter}"`}-separated, ${src.encoding}${src.skip_rows_after_header ? `, ${src.skip_rows_after_header} extra header rows skipped` : ''})`
    : src.format, `${Math.round(level() * 1000) / 10} % intervals`];
  $('summary').textContent = `${src.name || ''}: ${bits.join(' · ')}`;
  const warn = $('warnings');
  warn.replaceChildren();
  const warnings = [...(doc.warnings || [])];
  for (const [k, v] of excludedList(doc.timestamp_excluded)) warnings.push(`${v} timestamp cells excluded: ${REASONS[k] || k}`);
  if (doc.excluded && typeof doc.excluded === 'object') {
    const parts = [];
    for (const [k, v] of Object.entries(doc.excluded)) {
      if (typeof v === 'number') { if (v > 0) parts.push(`${k.replace(/_/g, ' ')}: ${v}`); } else {
        for (const [r, c] of excludedList(v)) parts.push(`${k.replace(/_/g, ' ')}: ${c} ${REASONS[r] || r}`);
      }
    }
    if (parts.length) warnings.push(`Excluded cells — ${parts.join('; ')}`);
  }
  if (warnings.length) {
    warn.append(el('ul', { class: 'warnings' }, ...warnings.map((w) => el('li', { text: w }))));
  }
  renderMapping();
  renderCards();
  renderCharts();
  renderComparisons();
  updateExportPlan();
}

function card(id, label, m) {
  const info = metricInfo(id);
  const c = el('article', { class: 'card' });
  c.append(el('h4', { text: label || info.label }));
  c.append(el('p', { class: 'value', text: fmt(m.value, info.kind) }));
  if (m.ci) {
    c.append(el('p', { class: 'ci', text: `${Math.round(level() * 1000) / 10} % CI ${fmtCI(m.ci, info.kind)}` }));
    c.append(el('p', { class: 'method muted', text: `method: ${ciMethodName(m.ci)}` }));
    if (m.ci.algorithm === 'abc' && m.ci.note) c.append(el('p', { class: 'note muted', text: m.ci.note }));
  } else if (m.value !== undefined && m.n !== null && m.n !== undefined) {
    c.append(el('p', { class: 'ci muted', text: m.note ? `no interval: ${m.note}` : 'no interval' }));
  }
  const facts = [];
  if (m.n !== null && m.n !== undefined) facts.push(`n = ${Number(m.n).toLocaleString('en-US')}${typeof m.k === 'number' ? ` (k = ${m.k.toLocaleString('en-US')})` : ''}`);
  if (facts.length) c.append(el('p', { class: 'n', text: facts.join(' ') }));
  const ex = excludedList(m.excluded);
  if (ex.length) {
    c.append(el('p', { class: 'excluded', text: `Excluded: ${ex.map(([k, v]) => `${v} ${REASONS[k] || k}`).join(', ')}` }));
  } else if (m.excluded) {
    c.append(el('p', { class: 'excluded muted', text: 'Excluded: none' }));
  }
  if (m.ci && m.note) c.append(el('p', { class: 'note muted', text: m.note }));
  if (info.how) {
    c.append(el('details', { class: 'how' }, el('summary', { text: 'How is this computed' }), el('p', { text: info.how })));
  }
  return c;
}

function renderCards() {
  const box = $('cards');
  box.replaceChildren();
  for (const g of cards(state.doc)) {
    const sec = el('section', { class: 'card-group' });
    sec.append(el('h3', { text: g.title }));
    if (g.note) sec.append(el('p', { class: 'muted', text: g.note }));
    const grid = el('div', { class: 'cards' });
    for (const { id, label, metric } of g.cards) grid.append(card(id, label, metric));
    sec.append(grid);
    box.append(sec);
  }
}

function renderCharts() {
  const box = $('charts');
  box.replaceChildren();
  const lv = level();
  const dist = npsDistribution(state.doc);
  const trends = monthSeries(state.doc);
  const segs = segmentSeries(state.doc);
  if (dist) {
    box.append(el('h3', { text: 'NPS distribution' }), charts.npsChart(dist));
  }
  if (trends.length) {
    box.append(el('h3', { text: 'Monthly trends' }));
    const grid = el('div', { class: 'chart-grid' });
    for (const s of trends) grid.append(charts.trendChart(s, lv));
    box.append(grid);
  }
  const periods = periodSeries(state.doc);
  if (periods.length) {
    box.append(el('h3', { text: 'By period' }));
    const grid = el('div', { class: 'chart-grid' });
    for (const s of periods) grid.append(charts.segmentChart(s, lv));
    box.append(grid);
  }
  if (segs.length) {
    box.append(el('h3', { text: 'By segment' }));
    const grid = el('div', { class: 'chart-grid' });
    for (const s of segs) grid.append(charts.segmentChart(s, lv));
    box.append(grid);
  }
}

function renderComparisons() {
  const box = $('comparisons');
  box.replaceChildren();
  const rows = comparisons(state.doc);
  if (!rows.length) return;
  const pct = `${Math.round(level() * 1000) / 10} %`;
  box.append(el('h3', { text: 'Comparisons' }));
  box.append(el('p', { class: 'muted', text: `A difference is called real when its ${pct} interval excludes 0 and its Holm-adjusted p-value (adjusted for all the comparisons made) is below ${(1 - level()).toFixed(2)}.` }));
  const t = charts.table(['compared', 'metric', 'difference a − b', `${pct} interval`, 'method', 'p (Holm-adjusted)', 'is the difference real?'],
    rows.map((r) => {
      const k = r.info.kind === 'nps' ? 'mean' : r.info.kind;
      return [`${r.by}: ${r.a} vs ${r.b}`, r.info.label, fmt(r.value, k), r.lo === null ? '—' : fmtCI(r, k), methodName(r.method),
        r.p_holm !== null ? fmtP(r.p_holm) : fmtP(r.p_value),
        r.real ? `Yes — ${r.a} is ${r.value > 0 ? 'higher' : 'lower'}; the interval excludes 0` : 'No — could be chance: the interval includes 0' + (r.excludes0 ? ' after adjustment' : '')];
    }));
  t.classList.add('comparisons');
  t.querySelectorAll('tbody tr').forEach((tr, i) => tr.classList.add(rows[i].real ? 'real' : 'not-real'));
  box.append(t);
  box.append(el('details', { class: 'how' }, el('summary', { text: 'How are differences computed' }),
    el('p', { text: `NPS: ${DIFF_HOW.nps}` }), el('p', { text: `Percentages: ${DIFF_HOW.pct}` }), el('p', { text: `Means: ${DIFF_HOW.mean}` }),
    el('p', { text: 'Holm adjustment: sort the m p-values; multiply the i-th smallest by (m − i + 1), keep them non-decreasing, cap at 1.' })));
}

// ---- mapping panel ---------------------------------------------------------

let mapping = null;

function renderMapping() {
  const plan = { ...(state.doc.plan || {}) };
  if (!plan._detected && state.detected) plan._detected = state.detected;
  mapping = toMapping(plan, state.out.header || []);
  $('map-kind').value = mapping.kind;
  $('map-bymonth').checked = mapping.byMonth;
  $('map-months').value = mapping.months;
  $('map-periods').value = mapping.periods;
  $('map-referral').value = mapping.referral;
  $('map-compare').value = mapping.compare;
  $('mapping-error').textContent = '';
  renderMappingRows();
}

function renderMappingRows() {
  const kind = $('map-kind').value;
  $('map-bymonth-label').hidden = kind !== 'survey';
  $('map-months-label').hidden = !(kind === 'tickets' || kind === 'events');
  $('map-periods-label').hidden = kind !== 'customers';
  $('map-referral-label').hidden = kind !== 'customers';
  const body = $('map-rows');
  body.replaceChildren();
  mapping.rows.forEach((row, i) => {
    const tr = el('tr');
    tr.append(el('th', { scope: 'row', text: row.column }));
    const sel = el('select', { 'data-row': String(i), 'aria-label': `Role of column ${row.column}` });
    const roles = rolesFor(kind);
    if (row.role && !roles.includes(row.role)) row.role = '';
    for (const r of roles) {
      const o = el('option', { value: r, text: ROLE_LABELS[r] || r });
      if (r === row.role) o.selected = true;
      sel.append(o);
    }
    sel.addEventListener('change', () => {
      row.role = sel.value;
      row.scale = METRIC_ROLES[row.role] ? [...METRIC_ROLES[row.role]] : null;
      renderMappingRows();
    });
    tr.append(el('td', {}, sel));
    const sc = el('td');
    if (kind === 'survey' && METRIC_ROLES[row.role] && row.role !== 'nps') {
      const s = row.scale || METRIC_ROLES[row.role];
      const lo = el('input', { type: 'number', step: '1', value: String(s[0]), class: 'scale', 'aria-label': `Scale minimum of ${row.column}` });
      const hi = el('input', { type: 'number', step: '1', value: String(s[1]), class: 'scale', 'aria-label': `Scale maximum of ${row.column}` });
      const upd = () => { row.scale = [Number(lo.value), Number(hi.value)]; };
      lo.addEventListener('change', upd);
      hi.addEventListener('change', upd);
      sc.append(lo, el('span', { text: ' – ' }), hi);
    } else if (row.role === 'nps') {
      sc.textContent = '0–10';
    }
    tr.append(sc);
    const det = el('td', { class: 'why' });
    if (row.confidence !== null) {
      det.append(el('span', { class: 'conf', text: `${ROLE_LABELS[row.detectedRole] || row.detectedRole}, ${Math.round(row.confidence * 100)} % sure` }));
      if (row.why) det.append(el('span', { class: 'muted', text: ` — ${row.why}` }));
    } else {
      det.append(el('span', { class: 'muted', text: 'no role detected' }));
    }
    tr.append(det);
    body.append(tr);
  });
}

function applyMapping(e) {
  e.preventDefault();
  mapping.kind = $('map-kind').value;
  mapping.byMonth = $('map-bymonth').checked;
  mapping.months = $('map-months').value;
  mapping.periods = $('map-periods').value;
  mapping.referral = $('map-referral').value;
  mapping.compare = $('map-compare').value;
  let plan;
  try {
    plan = toPlan(state.doc.plan, mapping);
  } catch (err) {
    $('mapping-error').textContent = err.message;
    return;
  }
  setPlan({ text: JSON.stringify(plan), label: 'edited in the mapping panel' });
  run(state.file);
}

// ---- planner ---------------------------------------------------------------

async function plannerCompute(e) {
  if (e) e.preventDefault();
  const metric = $('plan-metric').value;
  document.querySelectorAll('#planner .nps-only').forEach((n) => { n.hidden = metric !== 'nps'; });
  document.querySelectorAll('#planner .prop-only').forEach((n) => { n.hidden = metric === 'nps'; });
  const req = {
    metric,
    margin: Number($('plan-margin').value),
    confidence: Number($('plan-confidence').value),
    promoters: Number($('plan-promoters').value),
    detractors: Number($('plan-detractors').value),
    p: Number($('plan-p').value),
  };
  const out = $('planner-result');
  try {
    const r = await engine.planSize(req);
    const unit = metric === 'nps' ? 'NPS points' : 'percentage points';
    out.textContent = `You need ${r.n.toLocaleString('en-US')} responses for ±${r.margin} ${unit} at ${Math.round(r.confidence * 1000) / 10} % confidence (${r.method}).`;
  } catch (err) {
    out.textContent = err.message;
  }
}

// ---- events ----------------------------------------------------------------

function wire() {
  applyTheme();
  $('confidence').value = state.settings.confidence;
  $('theme').addEventListener('change', () => { state.settings.theme = $('theme').value; applyTheme(); saveSettings(); });
  $('confidence').addEventListener('change', () => {
    state.settings.confidence = $('confidence').value;
    saveSettings();
    if (state.file && !state.job) run(state.file);
  });
  $('file-input').addEventListener('change', (e) => {
    const f = e.target.files && e.target.files[0];
    e.target.value = '';
    if (f) run(f);
  });
  $('plan-input').addEventListener('change', (e) => {
    const f = e.target.files && e.target.files[0];
    e.target.value = '';
    if (f) loadPlan(f);
  });
  const dz = $('drop-zone');
  for (const ev of ['dragenter', 'dragover']) {
    dz.addEventListener(ev, (e) => { e.preventDefault(); dz.classList.add('over'); });
  }
  for (const ev of ['dragleave', 'drop']) dz.addEventListener(ev, () => dz.classList.remove('over'));
  dz.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (!f) return;
    if (/\.json$/i.test(f.name)) loadPlan(f);
    else run(f);
  });
  // A file dropped outside the zone must not make the browser navigate away.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  document.querySelector('.samples').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sample]');
    if (b) runSample(b.dataset.sample);
  });
  $('cancel').addEventListener('click', () => { if (state.job) { $('progress-text').textContent = 'Cancelling…'; state.job.cancel(); } });
  $('clear-plan').addEventListener('click', () => { setPlan(null); if (state.file) run(state.file); });
  $('export-plan').addEventListener('click', () => {
    const plan = state.doc ? cleanPlan(state.doc.plan) : JSON.parse(state.plan.text);
    download(`${baseName()}-plan.json`, `${JSON.stringify(plan, null, 2)}\n`, 'application/json');
  });
  $('export-json').addEventListener('click', () => download(`${baseName()}-cxaudit.json`, state.out.json, 'application/json'));
  $('export-csv').addEventListener('click', () => download(`${baseName()}-cxaudit.csv`, state.out.csv, 'text/csv'));
  $('export-html').addEventListener('click', () => {
    const charts = [...document.querySelectorAll('#charts figure.chart')].map((f) => ({
      title: f.querySelector('.chart-title').textContent,
      svg: f.querySelector('svg') ? new XMLSerializer().serializeToString(f.querySelector('svg')) : '',
    }));
    download(`${baseName()}-cxaudit-report.html`, reportHTML(state.doc, { charts }), 'text/html');
  });
  $('charts').addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-action="png"]');
    if (!b) return;
    const svg = b.closest('figure').querySelector('svg');
    try {
      download(b.dataset.file, await (await loadCharts()).toPNG(svg));
    } catch (err) {
      status(`PNG export failed: ${err.message}`);
    }
  });
  $('map-kind').addEventListener('change', renderMappingRows);
  $('mapping-form').addEventListener('submit', applyMapping);
  $('planner-form').addEventListener('submit', plannerCompute);
  $('planner-form').addEventListener('change', () => plannerCompute());
  plannerCompute();
  if (state.settings.sample) runSample(state.settings.sample);
}

wire();

// Offline: a service worker keeps a copy of the page (never of data).
// Registered once the engine is up: its install fetches the page's files
// (the wasm too), which would compete with the page's own first load.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  const register = () => navigator.serviceWorker.register('sw.js').catch(() => {});
  engine.ready.then(register, register);
}
