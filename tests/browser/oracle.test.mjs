// Every public oracle case, dropped on the page with the case's plan
// loaded first (input#plan-input, then input#file-input), must export the
// CLI's result document: `cxaudit analyze --plan CASE.spec.json --format
// json CASE.csv`. Numbers may differ only in the last bits (see NUM_TOL in
// harness.mjs); nothing is ignored, not even source.name (the CLI is run in
// the file's directory, so both name the file by its base name). Parquet
// twins (CASE.parquet), when present, must give the same document as the
// CLI on the same Parquet file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, openPage, analyse, exportJSON, cli, diffJSON, ORACLE } from './harness.mjs';

let server; let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const cases = fs.readdirSync(ORACLE).filter((f) => f.endsWith('.spec.json')).map((f) => f.slice(0, -'.spec.json'.length)).sort();

async function checkCase(name, file) {
  const plan = path.join(ORACLE, `${name}.spec.json`);
  const page = await openPage(browser.ctx, server.url);
  await page.setInputFiles('input#plan-input', plan);
  await page.waitForFunction((n) => document.getElementById('plan-status').textContent.includes(n), `${name}.spec.json`);
  const state = await analyse(page, file);
  assert.equal(state, 'done', `page state ${state}: ${await page.textContent('#error')}`);
  const got = await exportJSON(page);
  const want = cli(file, plan);
  const diffs = diffJSON(JSON.parse(got), JSON.parse(want));
  assert.deepEqual(diffs, [], `${path.basename(file)}: the page's JSON differs from the CLI's`);
  // Byte for byte: the CLI is built with portable math (scripts/purego-math.sh),
  // so it computes the same bits as the page's wasm.
  assert.equal(got, want, `${path.basename(file)}: the page's JSON is not byte-identical to the CLI's`);
  assert.deepEqual(page.problems, []);
  return true;
}

test('oracle cases are present', () => assert.ok(cases.length >= 8, `${cases.length} cases`));

for (const name of cases) {
  test(`oracle ${name}.csv with its plan = CLI`, async (t) => {
    const identical = await checkCase(name, path.join(ORACLE, `${name}.csv`));
    t.diagnostic(identical ? 'byte-identical to the CLI' : 'differs');
  });
  const pq = path.join(ORACLE, `${name}.parquet`);
  test(`oracle ${name}.parquet with its plan = CLI`, { skip: fs.existsSync(pq) ? false : 'no Parquet twin in testdata/oracle yet' }, async (t) => {
    const identical = await checkCase(name, pq);
    t.diagnostic(identical ? 'byte-identical to the CLI' : 'differs');
  });
}
