// "Your file never leaves this page" — proved: during a full analysis
// every request (page, worker, service worker) goes to the page's own
// origin, is a GET without a body, and carries nothing of the file; the
// Content-Security-Policy blocks connections anywhere else; after the
// first load the page works with the network gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { startServer, launch, openPage, analyse, sample, exportJSON, listenElsewhere, useBrowser } from './harness.mjs';

let server; let browser; let tmp;
useBrowser('privacy', (e) => ({ server, browser, tmp } = e));

// A file whose every cell carries a marker: if any byte of it left the
// page, the marker would show up in a URL, a header or a body.
function markedFile() {
  const marker = `SECRET${Date.now().toString(36)}X`;
  let text = 'respondent_id,submitted_at,nps,csat,team\n';
  for (let i = 0; i < 3000; i++) {
    text += `${marker}-${i},2024-0${1 + (i % 3)}-1${i % 9}T10:00:00Z,${i % 11},${1 + (i % 5)},${marker}team${i % 4}\n`;
  }
  const file = path.join(tmp, 'customers_private.csv');
  fs.writeFileSync(file, text);
  return { file, marker };
}

test('every request of a full analysis goes to the own origin and carries no file content', async () => {
  const { file, marker } = markedFile();
  const origin = new URL(server.url).origin;
  const seen = [];
  const record = (req) => seen.push({ url: req.url(), method: req.method(), body: req.postData(), headers: req.headers(), from: req.serviceWorker() ? 'service worker' : 'page' });
  browser.ctx.on('request', record);
  server.log.length = 0;
  const page = await openPage(browser.ctx, server.url);
  const state = await analyse(page, file);
  assert.equal(state, 'done', await page.textContent('#error'));
  await exportJSON(page); // exports are blob: downloads, not requests
  assert.equal(await sample(page, 'Survey'), 'done'); // samples come from the own origin
  browser.ctx.off('request', record);

  assert.ok(seen.length > 0, 'requests were recorded');
  for (const r of seen) {
    const u = new URL(r.url);
    if (u.protocol === 'blob:' || u.protocol === 'data:') continue;
    assert.equal(u.origin, origin, `request to another origin: ${r.url}`);
    assert.ok(['GET', 'HEAD'].includes(r.method), `${r.method} ${r.url}`);
    assert.ok(!r.body, `request with a body: ${r.url}`);
    const all = `${r.url} ${JSON.stringify(r.headers)}`;
    assert.ok(!all.includes(marker), `file content in a request: ${r.url}`);
  }
  // The server's own record agrees: GETs of the page's files, no bodies.
  assert.ok(server.log.length > 0);
  for (const r of server.log) {
    assert.ok(['GET', 'HEAD'].includes(r.method), `${r.method} ${r.url}`);
    assert.equal(r.bodyBytes, 0, `${r.url} had a body`);
    assert.ok(!`${r.url} ${JSON.stringify(r.headers)}`.includes(marker), `file content reached the server: ${r.url}`);
    assert.ok(/^\/(|index\.html|boot\.js|app\.js|charts\.js|style\.css|worker\.js|wasm_exec\.js|cxaudit\.wasm|sw\.js|warm-up\.parquet|samples\/\w+\.csv)(\?.*)?$/.test(r.url), `unexpected request ${r.url}`);
  }
  const urls = new Set(server.log.map((r) => new URL(r.url, origin).pathname));
  assert.ok(urls.has('/cxaudit.wasm') && urls.has('/worker.js'), [...urls].join(' '));
  assert.deepEqual(page.problems, []);
});

test('the Content-Security-Policy forbids connections to any other origin', async () => {
  const other = await listenElsewhere();
  try {
    const page = await openPage(browser.ctx, server.url);
    const result = await page.evaluate(async (url) => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const out = {};
      try { await fetch(url, { method: 'POST', body: 'data' }); out.fetch = 'sent'; } catch (e) { out.fetch = 'blocked'; }
      try {
        const img = new Image();
        await new Promise((res, rej) => { img.onload = res; img.onerror = rej; img.src = `${url}?img`; });
        out.img = 'loaded';
      } catch { out.img = 'blocked'; }
      out.beacon = navigator.sendBeacon(url, 'data') ? 'queued' : 'refused';
      await new Promise((r) => setTimeout(r, 300));
      out.violations = violations;
      return out;
    }, other.url);
    assert.equal(result.fetch, 'blocked');
    assert.equal(result.img, 'blocked');
    assert.ok(result.violations.includes('connect-src'), JSON.stringify(result));
    assert.equal(other.hits.length, 0, `the other origin was reached: ${JSON.stringify(other.hits)}`);
    const resp = await page.goto(server.url);
    assert.match(resp.headers()['content-security-policy'], /connect-src 'self'/);
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(meta, /connect-src 'self'/);
  } finally {
    await other.close();
  }
});

test('after the first load the page works offline', async () => {
  // A server of its own, so that stopping it cuts the network for real.
  const own = await startServer();
  const { ctx, close } = await launch();
  try {
    const page = await openPage(ctx, own.url);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await page.waitForFunction(() => document.getElementById('engine-version').textContent !== '');
    await own.close();
    await ctx.setOffline(true);
    const again = await openPage(ctx, own.url);
    assert.equal(await again.evaluate(() => navigator.onLine), false);
    const { file } = markedFile();
    assert.equal(await analyse(again, file), 'done', await again.textContent('#error'));
    assert.equal(await sample(again, 'Tickets'), 'done', await again.textContent('#error'));
    assert.match(await again.textContent('#summary'), /tickets/);
  } finally {
    await close();
  }
});
