// Shared setup of the browser tests: the dev server (in-process, with its
// request log), Debian's chromium driven by playwright-core, and the CLI
// whose output the page must reproduce.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, listen } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.CXAUDIT_DIST || path.join(ROOT, 'dist');
export const CLI = path.resolve(ROOT, process.env.CXAUDIT_BIN || 'bin/cxaudit');
export const ORACLE = path.join(ROOT, 'testdata/oracle');
export const OUT = process.env.CXAUDIT_TEST_OUT || path.join(DIST, 'test-output');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// startServer serves dist/ on a free port of 127.0.0.1.
export async function startServer() {
  const log = [];
  const srv = createServer({ root: DIST, log });
  const url = await listen(srv, 0);
  return { srv, url, log, close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(() => r()); }) };
}

// useBrowser registers the hooks most test files share: before their
// tests, a temporary folder (cxaudit-<name>-…), the page's server and a
// chromium, handed to set (awaited: a file sets up more there, an open
// page, say); after them, all three closed and removed.
export function useBrowser(name, set) {
  const env = {};
  before(async () => {
    env.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `cxaudit-${name}-`));
    env.server = await startServer();
    env.browser = await launch();
    await set(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
    if (env.tmp) fs.rmSync(env.tmp, { recursive: true, force: true });
  });
}

// launch starts chromium with a fresh profile; close() removes it.
export async function launch(opts = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxaudit-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    ...opts,
  });
  return {
    ctx,
    dir,
    close: async () => {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// openPage opens the app and waits until the engine is loaded. Page
// errors and console errors are collected in page.problems.
export async function openPage(ctx, url) {
  const page = ctx.pages()[0] || await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('engine-version').textContent !== '', null, { timeout: 30000 });
  return page;
}

// waitDone waits for data-state to leave "running"; it returns the state.
export async function waitDone(page, timeout = 60000) {
  await page.waitForFunction(() => ['done', 'error', 'idle'].includes(document.body.dataset.state) && document.body.dataset.state !== 'running', null, { timeout });
  return page.evaluate(() => document.body.dataset.state);
}

// runAndWait performs action (which starts an analysis) and waits until
// that analysis ends; it returns the final data-state. data-runs counts the
// analyses started.
export async function runAndWait(page, action, timeout = 60000) {
  const before = await page.evaluate(() => Number(document.body.dataset.runs || 0));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n, before, { timeout: 15000 });
  return waitDone(page, timeout);
}

// analyse sets the file input to file and waits for the analysis.
export async function analyse(page, file, timeout) {
  return runAndWait(page, () => page.setInputFiles('input#file-input', file), timeout);
}

// sample clicks a "Try a sample" button and waits for the analysis.
export async function sample(page, name) {
  return runAndWait(page, () => page.getByRole('button', { name, exact: true }).click());
}

// exportJSON clicks "Export JSON" and returns the downloaded text.
export async function exportJSON(page) {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const p = await dl.path();
  return fs.readFileSync(p, 'utf8');
}

// cli runs `cxaudit analyze --format json [--plan P] FILE` in FILE's
// directory (so the source name is the bare file name, as in the page).
export function cli(file, plan) {
  const args = ['analyze', '--format', 'json'];
  if (plan) args.push('--plan', path.resolve(plan));
  args.push(path.basename(file));
  return execFileSync(CLI, args, { cwd: path.dirname(path.resolve(file)), encoding: 'utf8', maxBuffer: 64 << 20 });
}

// NUM_TOL is the relative tolerance diffJSON reports numbers with, for a
// readable diff; the oracle test then requires byte-identical documents
// (the CLI is built with portable math, scripts/purego-math.sh).
export const NUM_TOL = 1e-9;

// diffJSON lists the differences between two decoded documents; paths in
// ignore (e.g. "source.name") are skipped.
export function diffJSON(a, b, ignore = [], at = '', out = []) {
  if (ignore.includes(at)) return out;
  if (out.length > 20) return out;
  if (typeof a === 'number' && typeof b === 'number' && !(Number.isInteger(a) && Number.isInteger(b))) {
    if (!(Math.abs(a - b) <= NUM_TOL * Math.max(1, Math.abs(a), Math.abs(b)))) out.push(`${at}: ${a} != ${b}`);
    return out;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) out.push(`${at || '(root)'}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
    return out;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${at}: array vs object`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const p = at ? `${at}.${k}` : k;
    if (!(k in a)) out.push(`${p}: missing on the left`);
    else if (!(k in b)) out.push(`${p}: missing on the right`);
    else diffJSON(a[k], b[k], ignore, p, out);
  }
  return out;
}

export function ensureOut() {
  fs.mkdirSync(OUT, { recursive: true });
  return OUT;
}

// listenElsewhere starts a server on another origin (127.0.0.2 when
// available, else another port) that records any hit.
export async function listenElsewhere() {
  const hits = [];
  const srv = http.createServer((req, res) => { hits.push(`${req.method} ${req.url}`); res.writeHead(200, { 'Access-Control-Allow-Origin': '*' }); res.end('x'); });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${srv.address().port}/collect`, hits, close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(() => r()); }) };
}

// armProbe instruments the page (never the app): each worker counts its
// File reads (Blob.prototype.slice, the worker's only way to read the
// file) with the wall-clock times of the last 64, and the page records
// when Cancel was clicked and when data-state then left "running".
// Used by cancel.test.mjs and the 5 GB run of large.test.mjs.
export async function armProbe(page, workers) {
  for (const w of workers) {
    await w.evaluate(() => {
      if (self.cxReads) return;
      const slice = Blob.prototype.slice;
      self.cxReads = { n: 0, last: 0, times: [] };
      Blob.prototype.slice = function probedSlice(...args) {
        self.cxReads.n++;
        self.cxReads.last = Date.now();
        self.cxReads.times.push(self.cxReads.last);
        if (self.cxReads.times.length > 64) self.cxReads.times.shift();
        return slice.apply(this, args);
      };
    });
  }
  await page.evaluate(() => {
    const p = { click: 0, idle: 0 };
    window.cxProbe = p;
    document.getElementById('cancel').addEventListener('click', () => { p.click = Date.now(); p.idle = 0; }, true);
    new MutationObserver(() => {
      if (p.click && !p.idle && document.body.dataset.state !== 'running') p.idle = Date.now();
    }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
}

// reads gives each worker's {n, last, times}, or null for a worker that is
// gone.
export function reads(workers) {
  return Promise.all(workers.map((w) => w.evaluate(() => ({ ...self.cxReads })).catch(() => null)));
}
