// Cancel on the multi-worker path (web/lib/engine.js analyzeParts): a
// ~64 MB export with quoted line breaks, read by 2 Web Workers
// (?workers=2), is cancelled while both workers are reading their parts.
// The page must return to idle, say "Cancelled", show no error, stop
// reading the file, and then analyse the next files right: a small one
// (one worker) and the same 64 MB one (two workers), each equal to the
// CLI's document. ui.test.mjs covers Cancel on one worker. No timing is
// asserted (the machine is shared); the cancel latency is logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage, analyse, exportJSON, cli, armProbe, reads, useBrowser } from './harness.mjs';
import { generate } from '../../scripts/huge-csv.mjs';

let server; let browser; let tmp;
useBrowser('cancel', (e) => ({ server, browser, tmp } = e));

// quietReads waits until no worker has read for quietMs and returns the
// last counts.
async function quietReads(page, workers, quietMs = 1500, timeout = 30000) {
  const t0 = Date.now();
  let prev = JSON.stringify(await reads(workers)); let since = Date.now();
  for (;;) {
    await page.waitForTimeout(100);
    const now = await reads(workers);
    const s = JSON.stringify(now);
    if (s !== prev) { prev = s; since = Date.now(); }
    if (Date.now() - since >= quietMs) return now;
    if (Date.now() - t0 > timeout) throw new Error(`the workers still read ${timeout} ms after Cancel: ${s}`);
  }
}

test('Cancel on 2 workers: the page returns to idle, stops reading, and the next analyses are right', { timeout: 5 * 60 * 1000 }, async (t) => {
  const big = path.join(tmp, 'survey_64mb.csv');
  const meta = generate(big, 64 << 20);
  const small = path.join(tmp, 'survey_small.csv');
  generate(small, 256 << 10, { seed: 7 });

  const page = await openPage(browser.ctx, `${server.url}?workers=2`);
  // The second worker starts once the first is ready (web/lib/engine.js).
  for (let i = 0; i < 100 && page.workers().length < 2; i++) await page.waitForTimeout(100);
  const workers = page.workers();
  assert.equal(workers.length, 2, 'two engine workers');
  await armProbe(page, workers);

  await page.setInputFiles('input#file-input', big);
  await page.waitForFunction(() => document.body.dataset.state === 'running');
  // Both workers are reading their parts: the multi-worker path.
  let atClick;
  for (;;) {
    atClick = await reads(workers);
    if (atClick.every((r) => r && r.n > 0)) break;
    const state = await page.evaluate(() => document.body.dataset.state);
    assert.equal(state, 'running', `the analysis ended (${state}) before both workers read: ${JSON.stringify(atClick)}`);
    await page.waitForTimeout(20);
  }
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'idle', 'back to idle (no earlier result)');
  assert.match(await page.textContent('#status'), /Cancelled/);
  assert.equal(await page.locator('#error').isHidden(), true, `no error: ${await page.textContent('#error')}`);
  const quiet = await quietReads(page, workers);
  const probe = await page.evaluate(() => window.cxProbe);
  const lastRead = Math.max(...quiet.filter(Boolean).map((r) => r.last));
  const total = quiet.reduce((s, r) => s + (r ? r.n : 0), 0);
  const chunks = Math.ceil(meta.bytes / (4 << 20));
  assert.ok(total < chunks, `Cancel stopped the reads before the end of the file (${total} reads, ${chunks} chunks)`);
  t.diagnostic(`cancelled ${(meta.bytes / 1048576).toFixed(0)} MB on 2 workers after ${atClick.map((r) => r.n).join('+')} reads: idle ${probe.idle - probe.click} ms after the click, last read ${Math.max(0, lastRead - probe.click)} ms after it, ${quiet.map((r) => (r ? r.times.filter((x) => x >= probe.click).length : 'gone')).join('+')} reads after it, ${total} reads in all (${chunks} chunks in the file)`);
  assert.deepEqual(page.problems, []);

  // The page is still usable: a small file (one worker) ...
  assert.equal(await analyse(page, small), 'done', await page.textContent('#error'));
  assert.equal(await exportJSON(page), cli(small), 'the next analysis = the CLI');
  // ... and the cancelled file again, on both workers, to the end.
  assert.equal(await analyse(page, big, 4 * 60 * 1000), 'done', await page.textContent('#error'));
  const run = JSON.parse(await page.evaluate(() => document.body.dataset.lastRun));
  assert.equal(run.workers, 2);
  assert.equal(run.rows, meta.rows, 'every generated row');
  assert.equal(await exportJSON(page), cli(big), 'the 64 MB file after Cancel = the CLI');
  t.diagnostic(`then ${run.rows} rows on ${run.workers} workers (${run.parts} parts, ${run.redos} read again) in ${run.ms} ms`);
  assert.deepEqual(page.problems, []);
});
