#!/usr/bin/env node
// The browser benchmark (make bench-browser): the real cxaudit page (dist/)
// against DuckDB-WASM, PapaParse + JS and hyparquet + JS on the same survey
// export, CSV and Parquet, in headless Debian chromium.
//
//   node scripts/bench/run.mjs        (after make web; make bench-browser does both)
//
// Environment:
//   ROWS=100000,1000000   file sizes in rows (comma list; default both)
//   RUNS=5                timed runs per contender and file (median, min–max)
//   AGAIN=0               skip the second pass (the same file again in the same tab)
//   CONTENDERS=…          only these ids: cxaudit-1w,cxaudit-2w,duckdb,papaparse,hyparquet
//   FORMATS=csv,parquet   only these formats
//   CHROMIUM=/usr/bin/chromium
//
// The contenders of a file take turns, run by run, each in a browser of
// its own. Each run opens a fresh tab in its contender's browser, waits
// until the engine is loaded ("engine load": navigation → engine ready),
// then sets the file on the page's file input and times "file available"
// (the input's change event) → "numbers ready" (cxaudit: the page's own
// data-last-run when it sets one, else an observer in the page from the
// change event to data-state=done; contenders: their page's own clock).
// Memory: the summed RSS of every chromium process of this browser's
// profile, sampled from /proc every 50 ms during the run, minus the sample
// just before it. Every contender's point values must equal the values the
// generator computed (counts exactly, numbers to 1e-9 relative), or the
// run fails. Output: one Markdown table per file on stdout, and
// dist/bench/results.md and results.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, listen, MIME } from '../serve.mjs';
import { ensure, ROOT, OUT } from './generate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = process.env.CXAUDIT_DIST || path.join(ROOT, 'dist');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const env = (k, d) => (process.env[k] ? process.env[k] : d);
const ROWS = env('ROWS', '100000,1000000').split(',').map((s) => Number(s.trim()));
const RUNS = Number(env('RUNS', '5'));
const FORMATS = env('FORMATS', 'csv,parquet').split(',').map((s) => s.trim());
const ONLY = process.env.CONTENDERS ? process.env.CONTENDERS.split(',').map((s) => s.trim()) : null;
const RUN_TIMEOUT = Number(env('BENCH_TIMEOUT_MS', String(15 * 60 * 1000)));
const TOL = 1e-9;
// The launch arguments of tests/browser/harness.mjs.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

for (const r of ROWS) if (!Number.isInteger(r) || r < 1) throw new Error(`ROWS: bad value ${r}`);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`RUNS: bad value ${RUNS}`);

const version = (pkg) => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const V = {
  duckdb: version('@duckdb/duckdb-wasm'), papaparse: version('papaparse'), hyparquet: version('hyparquet'),
  hyparquetWriter: version('hyparquet-writer'), playwright: version('playwright-core'),
};

const CONTENDERS = [
  { id: 'cxaudit-1w', label: 'cxaudit, 1 worker', kind: 'cxaudit', workers: 1, formats: ['csv', 'parquet'] },
  { id: 'cxaudit-2w', label: 'cxaudit, ?workers=2', kind: 'cxaudit', workers: 2, formats: ['csv', 'parquet'] },
  { id: 'duckdb', label: `DuckDB-WASM ${V.duckdb} (eh bundle)`, kind: 'bench', engine: 'duckdb', formats: ['csv', 'parquet'] },
  { id: 'papaparse', label: `PapaParse ${V.papaparse} + JS`, kind: 'bench', engine: 'papaparse', formats: ['csv'] },
  { id: 'hyparquet', label: `hyparquet ${V.hyparquet} + JS`, kind: 'bench', engine: 'hyparquet', formats: ['parquet'] },
].filter((c) => !ONLY || ONLY.includes(c.id));

const log = (...a) => console.error(...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- servers ----------------------------------------------------------------

// The contenders' page and their packages, from this directory only.
export function benchServer() {
  const roots = { '/node_modules/': path.join(HERE, 'node_modules'), '/': path.join(HERE, 'page') };
  const srv = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (pathname === '/') pathname = '/index.html';
    const prefix = pathname.startsWith('/node_modules/') ? '/node_modules/' : '/';
    const root = roots[prefix];
    const file = path.join(root, pathname.slice(prefix.length));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
      });
      fs.createReadStream(file).pipe(res);
    });
  });
  return { srv };
}

// ---- memory -----------------------------------------------------------------

// RSS sums VmRSS of the processes whose command line names dir (this
// browser's profile): the browser, its renderers (page + Web Workers),
// GPU and utility processes.
class RSS {
  constructor(dir) {
    this.dir = dir;
    this.pids = [];
    this.refresh();
  }

  refresh() {
    this.pids = [];
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.dir)) this.pids.push(pid);
      } catch { /* gone */ }
    }
  }

  total() {
    let sum = 0;
    for (const pid of this.pids) {
      try {
        const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
        if (m) sum += Number(m[1]) * 1024;
      } catch { /* gone */ }
    }
    return sum;
  }

  // during samples every 50 ms (the process list every 500 ms) while fn
  // runs; it returns {base, peak, value: fn's result}.
  async during(fn) {
    this.refresh();
    const base = this.total();
    let peak = base;
    let tick = 0;
    const timer = setInterval(() => {
      if (++tick % 10 === 0) this.refresh();
      peak = Math.max(peak, this.total());
    }, 50);
    try {
      const value = await fn();
      peak = Math.max(peak, this.total());
      return { base, peak, value };
    } finally {
      clearInterval(timer);
    }
  }
}

// ---- browser ------------------------------------------------------------------

async function launch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxaudit-bench-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    ctx, dir, rss: new RSS(dir),
    close: async () => {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function watch(page) {
  const w = { problems: [], external: [], failed: [], workers: 0 };
  page.on('pageerror', (e) => w.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') w.problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => { w.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('worker', () => { w.workers++; });
  page.on('request', (r) => {
    const u = r.url();
    if (!/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(u)) w.external.push(u);
  });
  page.on('requestfailed', (r) => w.failed.push(`${r.url()} (${r.failure()?.errorText || 'failed'})`));
  return w;
}

// valuesFromDoc reads the benchmark's point values from the page's
// exported result document.
function valuesFromDoc(doc) {
  const o = doc.overall || {};
  for (const m of ['nps', 'csat_top_box', 'ces_mean']) {
    if (!o[m]) throw new Error(`the page's result has no overall.${m}: detection missed a column (pass a plan)`);
  }
  const ch = doc.by_segment && doc.by_segment.channel;
  if (!ch) throw new Error('the page\'s result is not segmented by channel: detection missed it (pass a plan)');
  const by = {};
  for (const [k, v] of Object.entries(ch)) if (v.nps && v.nps.n > 0) by[k] = { nps: v.nps.value, n: v.nps.n };
  return {
    rows: doc.rows,
    nps: o.nps.value, nps_n: o.nps.n,
    csat_top2: o.csat_top_box.value, csat_n: o.csat_top_box.n,
    ces_mean: o.ces_mean.value, ces_n: o.ces_mean.n,
    nps_by_channel: by,
  };
}

// PASSES: each tab analyses the file twice: the first is the headline
// (a user drops one file on a freshly loaded page), the second shows the
// same engine warm (its wasm tiered up, its caches filled). AGAIN=0 skips
// the second.
const PASSES = process.env.AGAIN === '0' ? 1 : 2;
// IDLE_MS: how long to wait after the engine is ready before the first
// file, as a user choosing a file would (the page warms its engine up in
// that time, see web/worker.js warmUp). 0 drops the file at once.
const IDLE_MS = Number(env('IDLE_MS', '0'));

async function runCxaudit(b, url, file, workers) {
  const page = await b.ctx.newPage();
  const w = watch(page);
  try {
    await page.goto(`${url}?workers=${workers}`);
    await page.waitForFunction(() => document.getElementById('engine-version').textContent !== '', null, { timeout: 120000 });
    const loadMs = Number(await page.evaluate(() => document.body.dataset.readyMs));
    const version = await page.textContent('#engine-version');
    // The fallback clock: the file input's change event (capture phase,
    // before the page's own handler) → data-state done or error.
    await page.evaluate(() => {
      const t = { t0: null, t1: null };
      window.__bench = t;
      document.addEventListener('change', (e) => { if (e.target.id === 'file-input') { t.t0 = performance.now(); t.t1 = null; } }, true);
      new MutationObserver(() => {
        const s = document.body.dataset.state;
        if (t.t0 !== null && t.t1 === null && (s === 'done' || s === 'error')) t.t1 = performance.now();
      }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
    });
    const passes = [];
    await sleep(IDLE_MS);
    for (let pass = 0; pass < PASSES; pass++) {
      await sleep(300);
      const before = await page.evaluate(() => ({ runs: Number(document.body.dataset.runs || 0), lastRun: document.body.dataset.lastRun ?? null }));
      const w0 = performance.now();
      // Chromium fires no change event for the file the input already
      // holds: empty it first (as a user's second pick of the same file).
      await page.evaluate(() => { document.getElementById('file-input').value = ''; });
      const { base, peak, value: state } = await b.rss.during(async () => {
        await page.setInputFiles('input#file-input', file);
        await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before.runs, { timeout: 30000 });
        await page.waitForFunction(() => ['done', 'error', 'idle'].includes(document.body.dataset.state), null, { timeout: RUN_TIMEOUT });
        return page.evaluate(() => document.body.dataset.state);
      });
      const wallMs = performance.now() - w0;
      if (state !== 'done') throw new Error(`the page ended in state ${state}: ${(await page.textContent('#error')) || ''}`.trim());
      const after = await page.evaluate(() => ({ lastRun: document.body.dataset.lastRun ?? null, t: window.__bench }));
      let ms; let source; let lastRun = null;
      if (after.lastRun && after.lastRun !== before.lastRun) {
        lastRun = JSON.parse(after.lastRun);
        ms = Number(lastRun.ms);
        source = 'data-last-run';
      } else if (after.t.t0 !== null && after.t.t1 !== null) {
        ms = after.t.t1 - after.t.t0;
        source = 'change→done observer';
      } else {
        ms = wallMs;
        source = 'wall clock';
      }
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
      const doc = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
      passes.push({ ms, wallMs, base, peak, values: valuesFromDoc(doc), source, lastRun });
    }
    return { loadMs, version, passes, workersSeen: w.workers, external: w.external, problems: w.problems };
  } finally {
    await page.close();
  }
}

async function runBench(b, url, engine, format, file) {
  const page = await b.ctx.newPage();
  const w = watch(page);
  try {
    await page.goto(`${url}?engine=${engine}&format=${format}`);
    await page.waitForFunction(() => ['ready', 'load-error'].includes(document.body.dataset.state), null, { timeout: 120000 });
    const loaded = await page.evaluate(() => ({ state: document.body.dataset.state, ms: Number(document.body.dataset.readyMs), error: document.body.dataset.loadError, version: document.body.dataset.engineVersion }));
    if (loaded.state !== 'ready') throw new Error(`engine load failed: ${loaded.error}`);
    const passes = [];
    await sleep(IDLE_MS);
    for (let pass = 0; pass < PASSES; pass++) {
      await sleep(300);
      const runs = await page.evaluate(() => { document.body.dataset.state = 'ready'; return window.benchRuns || 0; });
      const w0 = performance.now();
      await page.evaluate(() => { document.getElementById('file-input').value = ''; });
      const { base, peak, value: res } = await b.rss.during(async () => {
        await page.setInputFiles('#file-input', file);
        await page.waitForFunction(() => document.body.dataset.state !== 'ready', null, { timeout: 30000 });
        await page.waitForFunction((n) => (window.benchRuns || 0) > n, runs, { timeout: RUN_TIMEOUT });
        return page.evaluate(() => window.benchResult);
      });
      const wallMs = performance.now() - w0;
      if (res.error) {
        throw Object.assign(new Error(res.error), { external: w.external, failed: w.failed, loadMs: loaded.ms });
      }
      passes.push({ ms: res.ms, wallMs, base, peak, values: res.values, source: 'page clock' });
    }
    return { loadMs: loaded.ms, version: loaded.version, passes, workersSeen: w.workers, external: w.external, problems: w.problems };
  } finally {
    await page.close();
  }
}

// ---- agreement ----------------------------------------------------------------

function disagreements(got, want) {
  const out = [];
  const num = (k, a, b) => {
    if (a === null || b === null || a === undefined || b === undefined) {
      if (a !== b) out.push(`${k}: ${a} != ${b}`);
    } else if (!(Math.abs(a - b) <= TOL * Math.max(1, Math.abs(a), Math.abs(b)))) {
      out.push(`${k}: ${a} != ${b}`);
    }
  };
  const int = (k, a, b) => { if (a !== b) out.push(`${k}: ${a} != ${b}`); };
  int('rows', got.rows, want.rows);
  num('nps', got.nps, want.nps); int('nps_n', got.nps_n, want.nps_n);
  num('csat_top2', got.csat_top2, want.csat_top2); int('csat_n', got.csat_n, want.csat_n);
  num('ces_mean', got.ces_mean, want.ces_mean); int('ces_n', got.ces_n, want.ces_n);
  const keys = new Set([...Object.keys(got.nps_by_channel || {}), ...Object.keys(want.nps_by_channel)]);
  for (const k of keys) {
    const a = (got.nps_by_channel || {})[k]; const b = want.nps_by_channel[k];
    if (!a || !b) { out.push(`nps_by_channel.${k}: ${a ? 'unexpected' : 'missing'}`); continue; }
    num(`nps_by_channel.${k}.nps`, a.nps, b.nps); int(`nps_by_channel.${k}.n`, a.n, b.n);
  }
  return out;
}

// ---- report -------------------------------------------------------------------

const MB = 1e6;
const fmt = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs };
}

// summarise reduces the tabs of one contender on one file: the first pass
// of each tab is the headline, the second the warm figure.
function summarise(tabs, bytes, rows) {
  const first = tabs.map((t) => t.passes[0]);
  const again = tabs.map((t) => t.passes[t.passes.length - 1]);
  const run = stats(first.map((r) => r.ms));
  const warm = stats(again.map((r) => r.ms));
  const grow = (r) => (r.peak - r.base) / MB;
  return {
    engine_load_ms: stats(tabs.map((t) => t.loadMs)),
    run_ms: run,
    mb_per_s: bytes / MB / (run.median / 1000),
    rows_per_s: rows / (run.median / 1000),
    peak_mem_mb: { median: median(first.map(grow)), max: Math.max(...tabs.flatMap((t) => t.passes.map(grow))), baseline_mb: first.map((r) => r.base / MB) },
    ...(PASSES > 1 ? { again_ms: warm, again_mb_per_s: bytes / MB / (warm.median / 1000) } : {}),
    wall_ms: first.map((r) => r.wallMs),
  };
}

function table(f) {
  const again = PASSES > 1;
  const base = f.contenders.find((c) => c.id === 'cxaudit-1w' && !c.error);
  const lines = [
    `### ${f.name}: ${fmt(f.rows)} rows, ${fmt(f.bytes / MB, 1)} MB`,
    '',
    `| contender | engine load ms | run ms, median (min–max) | MB/s | rows/s | peak memory MB | vs cxaudit 1 worker |${again ? ' again in the same tab: ms (MB/s) | again vs cxaudit 1 worker |' : ''}`,
    `|---|--:|--:|--:|--:|--:|--:|${again ? '--:|--:|' : ''}`,
  ];
  for (const c of f.contenders) {
    if (c.error) {
      lines.push(`| ${c.label} | ${fmt(c.engine_load_ms?.median)} | ${c.error_label}: \`${c.error.replaceAll('|', '\\|').replaceAll('\n', ' ').slice(0, 300)}\` | | | | |${again ? ' | |' : ''}`);
      continue;
    }
    const ratio = base ? `${fmt(c.mb_per_s / base.mb_per_s, 2)}×` : '—';
    const ratioAgain = base ? `${fmt(c.again_mb_per_s / base.again_mb_per_s, 2)}×` : '—';
    lines.push(`| ${c.label} | ${fmt(c.engine_load_ms.median)} | ${fmt(c.run_ms.median)} (${fmt(c.run_ms.min)}–${fmt(c.run_ms.max)}) | ${fmt(c.mb_per_s, 1)} | ${fmt(c.rows_per_s)} | ${fmt(c.peak_mem_mb.median)} | ${ratio} |${again ? ` ${fmt(c.again_ms.median)} (${fmt(c.again_mb_per_s, 1)}) | ${ratioAgain} |` : ''}`);
  }
  const notes = f.contenders.filter((c) => c.note).map((c) => `- ${c.label}: ${c.note}`);
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n');
}

// ---- main -----------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html not found: run make web first (make bench-browser does)`);
  }
  const files = [];
  for (const rows of ROWS) {
    const g = ensure(rows, { log });
    for (const format of FORMATS) files.push({ rows, format, path: g[format], expected: g.expected, bytes: fs.statSync(g[format]).size });
  }

  const cx = createServer({ root: DIST });
  const cxUrl = await listen(cx, 0);
  const bench = benchServer();
  const benchUrl = await listen(bench.srv, 0);
  const chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  log(`cxaudit page ${cxUrl}, contenders ${benchUrl}; ${chromiumVersion}; RUNS=${RUNS}`);

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, mem_gb: +(os.totalmem() / 2 ** 30).toFixed(1), load_avg_at_start: os.loadavg() },
    chromium: chromiumVersion, node: process.version, packages: V, runs: RUNS,
    definitions: {
      engine_load_ms: 'navigation → engine ready, median over runs (a fresh tab per run, same browser profile)',
      run_ms: '"file available" (the file input\'s change event, a File in the page) → "numbers ready"; the first file in a freshly loaded tab',
      again_ms: 'the same, for the same file a second time in the same tab (engine warm)',
      mb: '10^6 bytes',
      peak_memory_mb: 'summed RSS of all chromium processes of the profile, sampled every 50 ms: peak during the run minus the sample just before it; median over runs',
    },
    files: [],
    failures: [],
  };
  const loads = [os.loadavg()[0]];
  const closeAll = async () => {
    cx.closeAllConnections?.(); cx.close();
    bench.srv.closeAllConnections?.(); bench.srv.close();
  };

  try {
    for (const f of files) {
      const name = path.basename(f.path);
      const entry = { name, format: f.format, rows: f.rows, bytes: f.bytes, contenders: [] };
      results.files.push(entry);
      // The contenders take turns, run by run (each in a browser of its
      // own, open throughout): the load of a shared machine drifts over
      // minutes, and when each contender ran all its runs in a row a
      // quiet or a busy spell fell on one of them alone.
      const turns = CONTENDERS.filter((k) => k.formats.includes(f.format)).map((c) => ({ c, b: null, runs: [], error: null }));
      try {
        for (const t of turns) t.b = await launch();
        for (let i = 0; i < RUNS; i++) {
          for (const t of turns.filter((x) => !x.error)) {
            const { c, b, runs } = t;
            try {
              const r = c.kind === 'cxaudit'
                ? await runCxaudit(b, cxUrl, f.path, c.workers)
                : await runBench(b, benchUrl, c.engine, f.format, f.path);
              for (const p of r.passes) {
                const bad = disagreements(p.values, f.expected);
                if (bad.length) {
                  throw Object.assign(new Error(`point values disagree with the generator's: ${bad.slice(0, 8).join('; ')}`), { disagree: true, values: p.values });
                }
              }
              runs.push(r);
              const [p0, p1] = r.passes;
              loads.push(os.loadavg()[0]);
              log(`${name}: ${c.label}: run ${i + 1}/${RUNS}: load ${r.loadMs.toFixed(0)} ms, first ${p0.ms.toFixed(0)} ms (${p0.source}, +${((p0.peak - p0.base) / MB).toFixed(0)} MB)${p1 ? `, again ${p1.ms.toFixed(0)} ms` : ''}; load average ${os.loadavg()[0].toFixed(1)}`);
            } catch (err) {
              t.error = err;
              log(`${name}: ${c.label}: FAILED: ${err.message}`);
            }
            await sleep(300);
          }
        }
      } finally {
        for (const t of turns) await t.b?.close();
      }
      for (const { c, runs, error } of turns) {
        const out = { id: c.id, label: c.label };
        if (error) {
          out.error = error.message;
          // DuckDB-WASM loads its parquet extension from extensions.duckdb.org.
          const offline = c.engine === 'duckdb' && f.format === 'parquet'
            && (error.external || []).some((u) => /extensions\.duckdb\.org/.test(u));
          out.error_label = error.disagree ? 'WRONG VALUES' : offline ? 'cannot read Parquet offline' : 'failed';
          if (error.external?.length) out.external_requests = [...new Set(error.external)];
          if (error.failed?.length) out.failed_requests = [...new Set(error.failed)];
          if (offline) out.note = `it fetched ${[...new Set(error.failed?.length ? error.failed : error.external)].join(', ')}, then failed with "${error.message}"`;
          if (error.values) out.values = error.values;
          const loads = [...runs.map((r) => r.loadMs), ...(error.loadMs !== undefined ? [error.loadMs] : [])];
          if (loads.length) out.engine_load_ms = { median: median(loads) };
          // Only a contender's honest "cannot do it offline" is a result;
          // a wrong value or a cxaudit failure fails the benchmark.
          if (!offline) results.failures.push(`${name}: ${c.label}: ${error.message}`);
        } else {
          Object.assign(out, summarise(runs, f.bytes, f.rows));
          const last = runs[runs.length - 1];
          out.values = last.passes[0].values;
          out.timing_source = [...new Set(runs.flatMap((r) => r.passes.map((p) => p.source)))].join(', ');
          out.engine_version = last.version || undefined;
          out.workers_seen = last.workersSeen;
          const ext = [...new Set(runs.flatMap((r) => r.external))];
          if (ext.length) out.external_requests = ext;
          const problems = [...new Set(runs.flatMap((r) => r.problems))];
          if (problems.length) out.page_problems = problems;
          const notes = [];
          if (c.kind === 'cxaudit') {
            const lr = last.passes[0].lastRun;
            notes.push(`timed by ${out.timing_source}`);
            if (lr && lr.workers !== undefined) {
              notes.push(`the page says it used ${lr.workers} worker(s)`);
              if (Number(lr.workers) !== c.workers) notes.push(`asked for ${c.workers}`);
            } else {
              notes.push(`${last.workersSeen} Web Worker(s) seen in the tab${c.workers > 1 && last.workersSeen < c.workers ? `: the page ignores ?workers=${c.workers}` : ''}`);
            }
          }
          if (ext.length) notes.push(`requests outside 127.0.0.1: ${ext.join(', ')}`);
          if (notes.length) out.note = notes.join('; ');
        }
        entry.contenders.push(out);
      }
    }
  } finally {
    await closeAll();
  }

  results.machine.load_avg_1m = { min: Math.min(...loads), max: Math.max(...loads) };
  const md = [
    '# cxaudit browser benchmark',
    '',
    `${results.date} · ${results.machine.cpus} × ${results.machine.cpu} · ${chromiumVersion} (headless) · node ${process.version} · `
      + `RUNS=${RUNS} · IDLE_MS=${IDLE_MS} · 1-minute load average during the runs ${fmt(Math.min(...loads), 1)}–${fmt(Math.max(...loads), 1)} (the machine is shared)`,
    '',
    'Run ms: "file available" (a File set on the page\'s file input) → "numbers ready", for the first file dropped on a '
      + 'freshly loaded tab: median of the runs (min–max), each run a new tab. '
      + (PASSES > 1 ? '"Again": the same file a second time in that tab (the engine warm). ' : '')
      + 'Engine load: navigation → engine ready. MB = 10⁶ bytes. Peak memory: summed RSS of all chromium '
      + 'processes, peak during the first file minus just before it (median of the runs). Every contender\'s NPS, CSAT '
      + 'top-2-box, CES mean, NPS by channel and their counts equal the values the generator computed (numbers to 1e-9). '
      + 'cxaudit computes more than the others: every interval, both segments (channel, region), every month.',
    '',
    ...results.files.map((f) => `${table(f)}\n`),
  ];
  if (results.failures.length) md.push('**FAILED**', '', ...results.failures.map((x) => `- ${x}`), '');
  const text = md.join('\n');
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, 'results.md'), text);
  fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(text);
  log(`wrote ${path.relative(process.cwd(), path.join(OUT, 'results.md'))} and results.json`);
  if (results.failures.length) {
    log(`\nFAILED:\n${results.failures.map((x) => `  ${x}`).join('\n')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`bench: ${err.stack || err.message}`);
    process.exit(1);
  });
}
