// The page as a CX lead uses it: samples, the mapping panel, plans that
// round-trip, Cancel, exports, the planner, keyboard use, URL settings,
// themes — and screenshots of the result view, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, openPage, analyse, sample, runAndWait, exportJSON, ensureOut, ROOT, CLI, useBrowser } from './harness.mjs';

let server; let browser; let page; let tmp;
useBrowser('ui', async (e) => {
  ({ server, browser, tmp } = e);
  page = await openPage(browser.ctx, server.url);
});

async function download(name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  return { name: dl.suggestedFilename(), data: fs.readFileSync(await dl.path()) };
}

for (const [name, kind, card] of [['Survey', 'survey', 'NPS'], ['Tickets', 'tickets', 'Resolution time (median)'], ['Customers', 'customers', 'Churn rate'], ['Events', 'events', 'MAU 2024-01']]) {
  test(`"Try a sample": ${name} shows a full analysis`, async () => {
    assert.equal(await sample(page, name), 'done', await page.textContent('#error'));
    const doc = JSON.parse(await exportJSON(page));
    assert.equal(doc.kind, kind);
    const titles = await page.locator('.card h4').allTextContents();
    assert.ok(titles.includes(card), `cards: ${titles.join(' | ')}`);
    assert.ok(await page.locator('figure.chart svg').count() > 0, 'charts drawn');
    assert.equal(await page.locator('figure.chart').count(), await page.locator('figure.chart details.alt table').count(), 'every chart has a table');
  });
}

test('cards show value, interval, n, exclusions, method and how it is computed', async () => {
  assert.equal(await sample(page, 'Survey'), 'done');
  const nps = page.locator('.card', { has: page.locator('h4', { hasText: /^NPS$/ }) });
  const text = await nps.textContent();
  assert.match(text, /95 % CI -?\d+\.\d to -?\d+\.\d/);
  assert.match(text, /n = 1,9\d\d/);
  assert.match(text, /Excluded: .*blank/);
  assert.match(text, /method: adjusted Wald/);
  await nps.locator('summary', { hasText: 'How is this computed' }).click();
  assert.match(await nps.locator('details.how p').textContent(), /n′ = n \+ 3/);
  // The NPS distribution and a monthly trend with an interval band.
  assert.ok(await page.locator('figure.chart .chart-title', { hasText: 'NPS answers' }).count() === 1);
  assert.ok(await page.locator('figure.chart .chart-title', { hasText: 'NPS per month' }).count() === 1);
});

test('comparisons say plainly whether each difference is real', async () => {
  await page.setInputFiles('input#plan-input', path.join(ROOT, 'testdata/oracle/survey_main.spec.json'));
  assert.equal(await analyse(page, path.join(ROOT, 'testdata/oracle/survey_main.csv')), 'done');
  const rows = page.locator('table.comparisons tbody tr');
  assert.ok(await rows.count() >= 10);
  const texts = await rows.allTextContents();
  assert.ok(texts.some((t) => /Yes — in_app is higher/.test(t)), 'a real difference is called real');
  assert.ok(texts.some((t) => /No — could be chance/.test(t)), 'a non-difference is called chance');
  await page.getByRole('button', { name: 'Use detection again' }).click();
});

test('the mapping panel shows the detected plan and re-runs an edited one', async () => {
  assert.equal(await sample(page, 'Survey'), 'done');
  await page.locator('#mapping summary').click();
  const row = page.locator('#map-rows tr', { has: page.locator('th', { hasText: /^csat$/ }) });
  assert.match(await row.locator('td.why').textContent(), /CSAT \(1–5\), 9\d % sure/);
  assert.ok(await page.locator('.card h4', { hasText: 'CSAT (top-2-box)' }).count() === 1);
  await row.locator('select').selectOption('');
  const state = await runAndWait(page, () => page.getByRole('button', { name: 'Apply and re-run' }).click());
  assert.equal(state, 'done');
  assert.equal(await page.locator('.card h4', { hasText: 'CSAT (top-2-box)' }).count(), 0, 'CSAT is gone');
  const doc = JSON.parse(await exportJSON(page));
  assert.equal(doc.plan.metrics.csat, undefined);
  assert.match(await page.textContent('#plan-status'), /edited/);
  // Export the plan in use, then load it: the same analysis again.
  const plan = await download('Export plan');
  assert.match(plan.name, /plan\.json$/);
  const file = path.join(tmp, plan.name);
  fs.writeFileSync(file, plan.data);
  await page.getByRole('button', { name: 'Use detection again' }).click();
  await page.waitForFunction(() => document.body.dataset.state === 'done');
  assert.equal(await runAndWait(page, () => page.setInputFiles('input#plan-input', file)), 'done');
  const again = JSON.parse(await exportJSON(page));
  assert.equal(again.plan.metrics.csat, undefined, 'the loaded plan was applied');
  await page.getByRole('button', { name: 'Use detection again' }).click();
  await page.waitForFunction(() => document.body.dataset.state === 'done');
});

test('Cancel stops a running analysis and the page stays usable', async () => {
  const big = path.join(tmp, 'big.csv');
  const fd = fs.openSync(big, 'w');
  fs.writeSync(fd, 'id,submitted_at,nps,csat,region\n');
  const chunk = [];
  for (let i = 0; i < 20000; i++) chunk.push(`${i},2024-0${1 + (i % 9)}-15T10:00:00Z,${i % 11},${1 + (i % 5)},r${i % 7}`);
  const block = `${chunk.join('\n')}\n`;
  for (let i = 0; i < 150; i++) fs.writeSync(fd, block); // ~100 MB
  fs.closeSync(fd);
  await page.setInputFiles('input#file-input', big);
  await page.waitForFunction(() => document.body.dataset.state === 'running');
  await page.waitForFunction(() => /rows\/s/.test(document.getElementById('progress-text').textContent));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 10000 });
  assert.match(await page.textContent('#status'), /Cancelled/);
  assert.equal(await sample(page, 'Events'), 'done', 'the next analysis works');
});

test('exports: CSV is formula-safe, the HTML report holds no row, charts as PNG', async () => {
  const evil = path.join(tmp, 'formulas.csv');
  let text = 'respondent_id,nps,team\n';
  for (let i = 0; i < 50; i++) text += `ROWID${i},${i % 11},${i % 2 ? '=HYPERLINK("http://x")' : '+cmd'}\n`;
  fs.writeFileSync(evil, text);
  assert.equal(await analyse(page, evil), 'done', await page.textContent('#error'));
  const csv = (await download('Export CSV')).data.toString('utf8');
  assert.ok(csv.length > 0);
  for (const line of csv.split(/\r?\n/)) {
    for (const cell of line.split(',')) assert.ok(!/^[=+\-@]/.test(cell.replace(/^"/, '')) || /^-?\d/.test(cell.replace(/^"/, '')), `unsafe CSV cell ${cell}`);
  }
  const html = (await download('Export HTML report')).data.toString('utf8');
  assert.match(html, /<!doctype html>/i);
  assert.match(html, /Definitions/);
  assert.match(html, /Content-Security-Policy/);
  assert.ok(!/ROWID\d/.test(html), 'no row-level value (respondent ids) in the report');
  assert.ok(!/<script/i.test(html), 'no script in the report');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('figure.chart button[data-action="png"]').first().click()]);
  const png = fs.readFileSync(await dl.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 2000, `PNG of ${png.length} bytes`);
  fs.writeFileSync(path.join(ensureOut(), 'chart-export.png'), png);
});

test('the sample-size planner answers "how many responses for ±5 NPS points?"', async () => {
  await page.fill('#plan-margin', '5');
  await page.selectOption('#plan-metric', 'nps');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.waitForFunction(() => /You need/.test(document.getElementById('planner-result').textContent));
  const text = await page.textContent('#planner-result');
  const want = JSON.parse(require_cli(['plan-size', '--metric', 'nps', '--margin', '5'])).n;
  assert.match(text, new RegExp(`You need ${want.toLocaleString('en-US')} responses for ±5 NPS points`));
});

function require_cli(args) {
  return execFileSync(CLI, args, { encoding: 'utf8' });
}

test('every control is reachable by keyboard, with labels and a visible focus', async () => {
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById('engine-version').textContent !== '');
  const reached = new Set();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      const cs = getComputedStyle(a.matches('input[type=file]') ? document.querySelector(`label[for="${a.id}"]`) : a);
      return { id: a.id || a.textContent.trim(), outline: cs.outlineStyle !== 'none' && cs.outlineWidth !== '0px' };
    });
    reached.add(f.id);
    if (['file-input', 'plan-input', 'Survey'].includes(f.id)) assert.ok(f.outline, `visible focus on ${f.id}`);
  }
  for (const id of ['confidence', 'theme', 'file-input', 'Survey', 'Tickets', 'Customers', 'Events', 'plan-input']) assert.ok(reached.has(id), `${id} reachable: ${[...reached].join(', ')}`);
  // The file picker opens from the keyboard (Enter, or Space: both activate
  // a file input). Headless chromium now and then drops the first key
  // activation when the tab is not in front, so bring it forward and give
  // the second key a chance before failing.
  await page.bringToFront();
  const openWith = async (key, timeout) => {
    await page.focus('#file-input');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout }), page.keyboard.press(key)]);
    return chooser;
  };
  const chooser = await openWith('Enter', 5000).catch(() => openWith('Space', 20000));
  assert.ok(chooser, 'the file picker opens from the keyboard');
  // Every form control has an accessible name.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
    .map((e) => e.id || e.outerHTML.slice(0, 60)));
  assert.deepEqual(unnamed, []);
});

test('settings live in the URL (theme, confidence, sample), never data', async () => {
  await page.goto(`${server.url}?theme=dark&confidence=0.9&sample=survey`);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const doc = JSON.parse(await exportJSON(page));
  assert.equal(doc.confidence, 0.9);
  await page.selectOption('#theme', 'light');
  assert.match(page.url(), /theme=light/);
  assert.ok(!/nps|respondent|csv=/.test(new URL(page.url()).search.replace('sample=survey', '')), page.url());
});

test('screenshots of the result view, light and dark', async () => {
  const out = ensureOut();
  for (const theme of ['light', 'dark']) {
    await page.goto(`${server.url}?theme=${theme}&sample=survey`);
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
    await page.locator('.card details.how summary').first().click();
    await page.screenshot({ path: path.join(out, `result-${theme}.png`), fullPage: true });
    await page.locator('#results').screenshot({ path: path.join(out, `result-${theme}-top.png`) }).catch(() => {});
    await page.screenshot({ path: path.join(out, `result-${theme}-viewport.png`) });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, theme === 'dark' ? 'rgb(15, 20, 25)' : 'rgb(255, 255, 255)');
  }
  assert.deepEqual(page.problems, []);
});

test('while a file is being picked, the engine warms up on the page\'s own warm-up.parquet too', async () => {
  // web/worker.js warmUp: a CSV made in memory, then this file, fetched
  // by the engine's worker from the page's origin (privacy.test.mjs
  // allows it). The service worker fetches it too, to keep it offline:
  // only a request of the page's own (its worker's) counts here.
  const seen = [];
  const record = (req) => { if (!req.serviceWorker() && new URL(req.url()).pathname === '/warm-up.parquet') seen.push(req.url()); };
  browser.ctx.on('request', record);
  const p = await openPage(browser.ctx, server.url);
  try {
    for (let i = 0; i < 200 && !seen.length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(seen.length > 0, 'the engine\'s worker did not fetch warm-up.parquet');
  } finally {
    browser.ctx.off('request', record);
    await p.close();
  }
});

test('time until the page is ready (engine loaded) on localhost', async (t) => {
  const times = [];
  for (const cold of [true, false, false, false]) {
    const { ctx, close } = cold ? await launch() : { ctx: browser.ctx, close: async () => {} };
    try {
      const p = ctx.pages()[0] || await ctx.newPage();
      await p.goto(server.url);
      await p.waitForFunction(() => document.body.dataset.readyMs, null, { timeout: 30000 });
      const detail = JSON.parse(await p.evaluate(() => document.body.dataset.readyDetail || '{}'));
      times.push({ cold, ms: Number(await p.evaluate(() => document.body.dataset.readyMs)), ...detail });
    } finally {
      await close();
    }
  }
  fs.writeFileSync(path.join(ensureOut(), 'page-ready.json'), `${JSON.stringify(times, null, 2)}\n`);
  // fetchCompile: from boot.js (the page compiles the wasm, web/boot.js),
  // or from the worker's own fetch when the page could not.
  t.diagnostic(times.map((x) => `${x.cold ? 'first visit' : 'reload'} ${x.ms} ms (boot.js at ${x.boot} ms, worker script at ${x.workerStart} ms, wasm fetch+compile ${x.fetchCompile} ms, Go start ${x.goStart} ms)`).join(', '));
  assert.ok(times[0].ms < 10000);
});
