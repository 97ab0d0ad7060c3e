// Files as users have them, with no plan: detection must read them right
// and the page must say so; broken files must give a clear error and leave
// the page working; text from a file is never HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, analyse, exportJSON, cli, diffJSON, ORACLE, ROOT, useBrowser } from './harness.mjs';

let server; let browser; let page; let tmp;
useBrowser('files', async (e) => {
  ({ server, browser, tmp } = e);
  page = await openPage(browser.ctx, server.url);
});

// windows1252 encodes a string of Latin-1/CP1252 characters byte by byte.
function windows1252(s) {
  return Buffer.from([...s].map((ch) => {
    const c = ch.codePointAt(0);
    if (c === 0x20ac) return 0x80;
    if (c > 0xff) throw new Error(`not in CP1252: ${ch}`);
    return c;
  }));
}

async function sameAsCLI(file) {
  const state = await analyse(page, file);
  assert.equal(state, 'done', `page state ${state}: ${await page.textContent('#error')}`);
  const got = JSON.parse(await exportJSON(page));
  const want = JSON.parse(cli(file));
  assert.deepEqual(diffJSON(got, want), []);
  return got;
}

test('a Qualtrics export is analysed with no plan (2 extra header rows skipped)', async () => {
  const doc = await sameAsCLI(path.join(ORACLE, 'survey_qualtrics_export.csv'));
  assert.equal(doc.kind, 'survey');
  assert.equal(doc.source.skip_rows_after_header, 2);
  assert.ok(doc.overall.nps && doc.overall.nps.n > 0, 'NPS computed');
  assert.match(await page.textContent('#summary'), /2 extra header rows skipped/);
});

test('a ;-separated Windows-1252 file is analysed with no plan', async () => {
  const regions = ['Zürich', 'Köln', 'Málaga', 'Besançon'];
  let text = 'Antwort-ID;Datum;Empfehlung (0-10);Zufriedenheit;Region\r\n';
  for (let i = 0; i < 400; i++) {
    const d = `2024-0${1 + (i % 3)}-${String(1 + (i % 27)).padStart(2, '0')}`;
    text += `R${1000 + i};${d};${(i * 7) % 11};${1 + ((i * 3) % 5)};${regions[i % 4]}\r\n`;
  }
  const file = path.join(tmp, 'umfrage_export.csv');
  fs.writeFileSync(file, windows1252(text));
  const doc = await sameAsCLI(file);
  assert.equal(doc.source.delimiter, ';');
  assert.equal(doc.source.encoding, 'windows-1252');
  assert.equal(doc.kind, 'survey');
  assert.ok(doc.overall.nps, 'the NPS column was recognised');
  const segs = Object.values(doc.by_segment || {}).flatMap((v) => Object.keys(v));
  for (const r of regions) assert.ok(segs.includes(r), `segment ${r} decoded (got ${segs.join(', ')})`);
  const shown = await page.textContent('#charts');
  assert.ok(shown.includes('Zürich') && shown.includes('Besançon'), 'decoded names shown on the page');
});

test('a malformed file shows a clear error, and the next file works', async () => {
  const bad = path.join(tmp, 'broken.csv');
  fs.writeFileSync(bad, 'id,nps,comment\n1,9,"this quote never closes\n2,10,ok\n3,4,fine\n');
  const state = await analyse(page, bad);
  assert.equal(state, 'error');
  const msg = await page.textContent('#error');
  assert.match(msg, /broken\.csv/, 'the message names the file');
  assert.match(msg, /quote|row|line/i, `the message says what is wrong: ${msg}`);
  assert.equal(await page.isVisible('#error'), true);
  // Binary junk next: an error again, not a hang or a dead worker.
  const junk = path.join(tmp, 'junk.parquet');
  fs.writeFileSync(junk, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(1000, 7), Buffer.from('PAR1')]));
  assert.equal(await analyse(page, junk), 'error');
  assert.match(await page.textContent('#error'), /junk\.parquet/);
  // And the page still works.
  const ok = await analyse(page, path.join(ROOT, 'samples/survey.csv'));
  assert.equal(ok, 'done');
  assert.equal(await page.isVisible('#error'), false);
  assert.deepEqual(page.problems, []);
});

test('a header and a cell holding HTML render as text', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  let text = `id,nps,"${evil}"\n`;
  for (let i = 0; i < 60; i++) text += `${i},${i % 11},"${i % 2 ? evil : 'plain'}"\n`;
  const file = path.join(tmp, 'evil.csv');
  fs.writeFileSync(file, text);
  const state = await analyse(page, file);
  assert.equal(state, 'done', await page.textContent('#error'));
  await page.locator('#mapping summary').click();
  // The segment chart's table and the mapping panel hold the text, as text.
  const body = await page.textContent('body');
  assert.ok(body.includes(evil), 'the markup is shown literally');
  assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
  assert.equal(await page.evaluate(() => document.querySelectorAll('[onerror]').length), 0);
  // The HTML report escapes it too.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HTML report' }).click()]);
  const html = fs.readFileSync(await dl.path(), 'utf8');
  assert.ok(!html.includes(evil), 'the report holds no raw markup from the file');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.deepEqual(page.problems.filter((p) => p.startsWith('dialog')), [], 'no alert ran');
});
