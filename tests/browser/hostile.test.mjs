// The hostile corpus (testdata/hostile, issue #6) dropped on the page one
// file after another, with no plan, in one tab: every file ends in an
// error shown in #error — the CLI's one-line message, word for word — or in
// a result whose exported JSON is the CLI's byte for byte and has the
// counts written down in expected.json. Never a blank page, a pageerror or
// a console error; after each error the next file (a good one) still
// works. The large files (10 000 columns, a 5 MiB cell, 1 000 000 segment
// values, a 65 MiB unclosed quote) are generated into a temporary
// directory first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openPage, analyse, CLI, ORACLE } from './harness.mjs';
import { cases, writeLarge, fileOf, cliAnalyze, checkResult } from '../../testdata/hostile/expected.mjs';

let server; let browser; let page; let large;
before(async () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: make build`);
  large = writeLarge();
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.ctx, server.url);
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (large) fs.rmSync(large, { recursive: true, force: true });
});

const good = path.join(ORACLE, 'survey_n3.csv');
const PREFIX = 'Could not analyse the file. ';

// exportJSON is the harness's, with a time limit to suit the file: with
// 10 000 columns the page holds ~160 000 elements (a mapping row per
// column) and stays busy for a while after the result is shown.
async function exportJSON(page, timeout) {
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout }),
    page.getByRole('button', { name: 'Export JSON' }).click({ timeout }),
  ]);
  return fs.readFileSync(await dl.path(), 'utf8');
}

for (const c of cases) {
  test(`${c.file} (${c.what}): ${c.result ? 'a result' : 'an error'}, as the CLI`, async () => {
    const file = fileOf(c, large);
    const want = cliAnalyze(CLI, file);
    const limit = c.large ? 300000 : 60000; // waits, not assertions: a slow machine only waits longer
    const state = await analyse(page, file, limit);
    if (c.result) {
      assert.equal(want.code, 0, `the CLI: ${want.message}`);
      assert.equal(state, 'done', `page state ${state}: ${await page.textContent('#error')}`);
      assert.equal(await page.isVisible('#results'), true, 'the results are shown');
      assert.equal(await page.isVisible('#error'), false);
      const got = await exportJSON(page, limit);
      assert.deepEqual(checkResult(JSON.parse(got), c), []);
      assert.ok(got === want.stdout.toString(), `${c.file}: the page's JSON is not byte-identical to the CLI's`);
    } else {
      assert.equal(want.code, 1, `the CLI exits 1 (stderr ${want.message})`);
      assert.ok(want.message.startsWith(`${c.file}: ${c.error}`), `the CLI says ${want.message}`);
      assert.equal(state, 'error', `page state ${state}`);
      assert.equal(await page.isVisible('#error'), true, 'the error is shown');
      const shown = await page.textContent('#error');
      assert.equal(shown, PREFIX + want.message, 'the page shows the CLI\'s message');
      // The next file still works.
      assert.equal(await analyse(page, good, limit), 'done', await page.textContent('#error'));
      assert.equal(await page.isVisible('#error'), false);
    }
    assert.deepEqual(page.problems, []);
  });
}
