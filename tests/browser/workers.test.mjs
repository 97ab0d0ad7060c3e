// One file read by several Web Workers (web/lib/engine.js, core/engine
// parts.go) gives the same result document, byte for byte, as one worker
// and as the CLI — on a file made to trip the split: comments with quoted
// line breaks, delimiters and doubled quotes, bare quotes, CRLF and blank
// lines, ragged rows, dirty scores. (core/ingest and core/engine test the
// record-boundary guess at every kind of cut point; this proves the page
// wires it end to end.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, analyse, exportJSON, cli, useBrowser } from './harness.mjs';

let server; let browser; let tmp;
useBrowser('workers', (e) => ({ server, browser, tmp } = e));

// tricky writes a ~24 MB survey export (above the page's 16 MiB split
// threshold) from a fixed-seed generator.
function tricky(file) {
  let seed = 42;
  const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const comments = ['', 'fine', '"slow, but ""fine"""', '"line one\nline two, still the comment"', '"crlf\r\ninside"', 'a "bare" quote', '"x"y'];
  const channels = ['email', 'web', 'in_app', 'sms'];
  const ends = ['\n', '\n', '\n', '\r\n', '\n\n'];
  const dirt = ['N/A', '', '11', '7.5', 'ten'];
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'respondent_id,submitted_at,channel,nps,csat,ces,comment\n');
  let size = 0; let i = 0;
  while (size < 24e6) {
    let chunk = '';
    for (let k = 0; k < 20000; k++, i++) {
      const nps = rnd(100) === 0 ? dirt[rnd(5)] : String(rnd(11));
      let row = `r${i},2024-${String(1 + rnd(12)).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')}T10:00:00Z,${channels[rnd(4)]},${nps},${1 + rnd(5)},${1 + rnd(7)},${comments[rnd(comments.length)]}`;
      if (rnd(500) === 0) row += ',extra';
      chunk += row + ends[rnd(ends.length)];
    }
    size += fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
}

test('a file read by 2 workers gives the document of 1 worker and of the CLI', { timeout: 10 * 60 * 1000 }, async () => {
  const file = path.join(tmp, 'tricky_export.csv');
  tricky(file);
  const want = cli(file);
  const docs = {};
  for (const workers of [1, 2]) {
    const page = await openPage(browser.ctx, `${server.url}?workers=${workers}`);
    const state = await analyse(page, file, 5 * 60 * 1000);
    assert.equal(state, 'done', await page.textContent('#error'));
    const run = JSON.parse(await page.evaluate(() => document.body.dataset.lastRun));
    assert.equal(run.workers, workers, 'the analysis ran on the requested number of workers');
    if (workers > 1) assert.equal(run.redos, 0, 'every part guessed its first record right');
    docs[workers] = await exportJSON(page);
    assert.deepEqual(page.problems, []);
    console.log(`# ${workers} worker(s): ${run.rows} rows, ${(run.bytes / 1e6).toFixed(1)} MB in ${run.ms} ms, ${run.parts || 1} part(s), ${run.redos || 0} read again = ${(run.bytes / 1e3 / run.ms).toFixed(1)} MB/s`);
  }
  const parsed = JSON.parse(docs[2]);
  assert.ok(parsed.rows > 100000, `${parsed.rows} rows`);
  assert.ok(parsed.warnings.some((w) => /different number of cells/.test(w)), 'ragged rows are counted');
  assert.equal(docs[2], docs[1], '2 workers = 1 worker, byte for byte');
  assert.equal(docs[1], want, 'the page = the CLI, byte for byte');
});
