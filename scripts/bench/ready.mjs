#!/usr/bin/env node
// Page ready (issue #5): how long the page takes from navigation until its
// engine (the Go wasm in the first Web Worker) answers, and where the time
// goes. (make bench-ready, after make web)
//
//   node scripts/bench/ready.mjs
//
// Each round launches headless chromium with a fresh profile (no HTTP
// cache, no V8 code cache, no service worker) and opens the page (the
// "cold" visit), then opens it again in a new tab of the same browser
// VISITS-1 times ("warm" visits: HTTP cache, V8's wasm code cache and the
// service worker, once installed, can act). One chromium at a time.
//
// Environment:
//   ROUNDS=7        rounds (fresh profiles); the tables give the median
//   VISITS=3        visits per round (the first is cold)
//   SW=1            0 blocks the service worker (context option)
//   PREWARM=0       1 first opens a same-origin 404 in the tab, so the
//                   renderer process already exists when the page loads
//   IDLE_MS=4000    pause after each ready, before the tab is closed: the
//                   worker's warm-up, V8's caching of the compiled wasm and
//                   the service worker's install run meanwhile, as while a
//                   user looks at the page (with 1500, the second visit
//                   often lands on the service worker's install)
//   JSON=FILE       also write every visit's marks to FILE
//   CHROMIUM=/usr/bin/chromium
//   CXAUDIT_DIST=dist   or DIR1,DIR2,…: each measured in turn, a table each
//
// The marks come from the page itself: data-ready-ms (app.js, when the
// engine answers) and data-ready-detail (web/worker.js's marks on the
// page's clock), and the page's navigation and resource timing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, listen } from '../serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
// Several directories (comma-separated) are measured round by round in
// turn, so that the load of a shared machine falls on each alike.
const DISTS = (process.env.CXAUDIT_DIST || path.join(ROOT, 'dist')).split(',').map((d) => path.resolve(d.trim()));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const env = (k, d) => (process.env[k] !== undefined && process.env[k] !== '' ? process.env[k] : d);
const ROUNDS = Number(env('ROUNDS', '7'));
const VISITS = Number(env('VISITS', '3'));
const SW = env('SW', '1') !== '0';
const PREWARM = env('PREWARM', '0') === '1';
const IDLE_MS = Number(env('IDLE_MS', '4000'));
// The launch arguments of tests/browser/harness.mjs.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// visit opens the page in a new tab of ctx and returns its marks (ms
// after navigation start).
async function visit(ctx, url) {
  const page = await ctx.newPage();
  try {
    if (PREWARM) await page.goto(`${url}__prewarm-404`).catch(() => {});
    await page.goto(url, { waitUntil: 'commit' });
    // Poll with plain evaluations: waitForFunction would inject
    // playwright's selector engine into the page while it loads (a
    // 60–70 ms task on the page's main thread, seen in a trace).
    const deadline = Date.now() + 60000;
    while (!(await page.evaluate(() => document.body && document.body.dataset.readyMs).catch(() => null))) {
      if (Date.now() > deadline) throw new Error('the page did not get ready in 60 s');
      await sleep(25);
    }
    const m = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = (name) => performance.getEntriesByType('resource').find((e) => e.name.endsWith(`/${name}`));
      const end = (name) => { const e = res(name); return e ? e.responseEnd : NaN; };
      return {
        ready: Number(document.body.dataset.readyMs),
        ...JSON.parse(document.body.dataset.readyDetail || '{}'),
        docResponse: nav.responseEnd,
        domInteractive: nav.domInteractive,
        dcl: nav.domContentLoadedEventEnd,
        bootJs: end('boot.js'),
        appJs: end('app.js'),
        css: end('style.css'),
        pageWasm: end('cxaudit.wasm'), // only when the page itself fetches it
        sw: !!navigator.serviceWorker?.controller,
      };
    });
    if (IDLE_MS) await sleep(IDLE_MS);
    return m;
  } finally {
    await page.close();
  }
}

// The table: one column per visit, one row per mark (medians).
const COLS = [
  ['docResponse', 'document received'],
  ['bootJs', 'boot.js received'],
  ['boot', 'boot.js runs (new Worker)'],
  ['created', 'worker created (its time origin)'],
  ['script', 'worker.js runs'],
  ['wasmExec', 'wasm_exec.js loaded'],
  ['pageCompiled', 'wasm compiled (by the page)'],
  ['module', 'worker has the Module'],
  ['fetch', 'wasm fetch starts (by the worker)'],
  ['response', 'wasm response headers'],
  ['pageWasm', 'wasm downloaded (by the page)'],
  ['downloaded', 'wasm downloaded (by the worker)'],
  ['compiled', 'wasm instantiated (worker)'],
  ['go', 'Go started (engine ready in the worker)'],
  ['domInteractive', 'DOM interactive'],
  ['appJs', 'app.js received'],
  ['app', 'app.js runs'],
  ['ready', '**page ready** (data-ready-ms)'],
];
function table(rows) {
const head = ['mark (ms after navigation start, median)', ...rows.map((_, v) => (v === 0 ? 'cold (fresh profile)' : `warm visit ${v + 1}`))];
const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '--:' : '---')).join('|')}|`];
for (const [k, label] of COLS) {
  const cells = rows.map((vs) => median(vs.map((m) => m[k])));
  if (cells.every((c) => !Number.isFinite(c))) continue;
  lines.push(`| ${label} | ${cells.map((c) => (Number.isFinite(c) ? Math.round(c) : '—')).join(' | ')} |`);
}
const span = (a, b, label) => {
  const cells = rows.map((vs) => median(vs.map((m) => m[b] - m[a])));
  lines.push(`| ${label} | ${cells.map((c) => (Number.isFinite(c) ? Math.round(c) : '—')).join(' | ')} |`);
};
lines.push(`| *spans:* | ${rows.map(() => '').join(' | ')} |`);
span('fetch', 'compiled', 'fetch + compile (worker)');
span('boot', 'pageCompiled', 'fetch + compile (page)');
span('module', 'compiled', 'instantiate (worker)');
span('compiled', 'go', 'Go start');
span('created', 'script', 'worker created → its script runs');
const readyAll = rows.map((vs) => vs.map((m) => m.ready).sort((a, b) => a - b));
lines.push(`| ready, min–max | ${readyAll.map((xs) => `${xs[0]}–${xs[xs.length - 1]}`).join(' | ')} |`);
lines.push(`| via service worker | ${rows.map((vs) => `${vs.filter((m) => m.sw).length}/${vs.length}`).join(' | ')} |`);
return lines.join('\n');
}

const servers = await Promise.all(DISTS.map(async (root) => {
  const srv = createServer({ root });
  return { root, srv, url: await listen(srv, 0), rows: [] }; // rows[visit][] of marks
}));
let browserVersion = '';
for (let r = 0; r < ROUNDS; r++) {
  for (const s of servers) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxaudit-ready-'));
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, serviceWorkers: SW ? 'allow' : 'block',
    });
    browserVersion ||= ctx.browser()?.version() || '';
    try {
      for (let v = 0; v < VISITS; v++) {
        const m = await visit(ctx, s.url);
        (s.rows[v] ||= []).push(m);
        process.stderr.write(`${path.basename(s.root)} round ${r + 1} visit ${v + 1}: ready ${m.ready} ms (boot ${m.boot}, worker script ${m.script}, compiled ${m.compiled}, go ${m.go}, app ${m.app}${m.sw ? ', via service worker' : ''})\n`);
      }
    } finally {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
for (const s of servers) {
  s.srv.closeAllConnections?.();
  s.srv.close();
}
console.log(`page ready, ${ROUNDS} rounds × ${VISITS} visits, headless chromium ${browserVersion}, SW=${SW ? 1 : 0} PREWARM=${PREWARM ? 1 : 0}, load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const s of servers) {
  console.log(`\n${path.relative(ROOT, s.root) || s.root}:\n`);
  console.log(table(s.rows));
}
if (process.env.JSON) fs.writeFileSync(process.env.JSON, `${JSON.stringify(servers.map((s) => ({ dist: s.root, visits: s.rows })), null, 2)}\n`);
