// The hostile corpus (testdata/hostile, issue #6) through the built Worker
// in workerd: POST /api/analyze (multipart, no plan) of each file answers
// 400 {"error": "bad_input", "detail": the CLI's one-line message, word for
// word} or 200 with the CLI's JSON byte for byte, which has the counts
// written down in expected.json; after each file the Worker is still
// healthy. The large files are generated into a temporary directory first.
// Run with make test-worker (it builds what this needs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, root } from '../workerd.mjs';
import { cases, writeLarge, fileOf, cliAnalyze, checkResult } from '../../../testdata/hostile/expected.mjs';
import { fetchx } from './helpers.mjs';

const CLI = process.env.CXAUDIT_BIN || path.join(root, 'bin/cxaudit');

let w; let large;
let output = ''; // what the Worker wrote to stdout/stderr
before(async () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: make build`);
  large = writeLarge();
  w = await start({ output: (s) => { output += s; } });
});
after(async () => {
  await w?.mf.dispose();
  if (large) fs.rmSync(large, { recursive: true, force: true });
});

const api = (p) => new URL(p, w.url);

async function post(file) {
  const fd = new FormData();
  fd.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
  const r = await fetchx(api('/api/analyze'), { method: 'POST', body: fd });
  return { r, body: Buffer.from(await r.arrayBuffer()) };
}

for (const c of cases) {
  test(`${c.file} (${c.what}): ${c.result ? '200, a result' : '400'}, as the CLI`, async () => {
    const file = fileOf(c, large);
    const want = cliAnalyze(CLI, file);
    const { r, body } = await post(file);
    assert.equal(r.headers.get('content-type'), 'application/json');
    if (c.result) {
      assert.equal(want.code, 0, `the CLI: ${want.message}`);
      assert.equal(r.status, 200, body.toString().slice(0, 500));
      assert.deepEqual(checkResult(JSON.parse(body), c), []);
      assert.ok(body.equals(want.stdout), `${c.file}: the Worker's JSON is not byte-identical to the CLI's`);
    } else {
      assert.equal(want.code, 1, `the CLI exits 1 (stderr ${want.message})`);
      assert.ok(want.message.startsWith(`${c.file}: ${c.error}`), `the CLI says ${want.message}`);
      assert.equal(r.status, 400, body.toString().slice(0, 500));
      assert.deepEqual(JSON.parse(body), { error: 'bad_input', detail: want.message });
    }
    const h = await fetchx(api('/api/health'));
    assert.equal(h.status, 200, 'the Worker is still healthy');
    assert.equal((await h.json()).status, 'ok');
  });
}

test('after the corpus, a good file still analyses, and nothing was logged', async () => {
  const { r, body } = await post(path.join(root, 'testdata/oracle/survey_n3.csv'));
  assert.equal(r.status, 200, body.toString().slice(0, 300));
  // Bytes from the files (a header, a cell) must not reach the log.
  const leaks = ['respondent_id', 'lorem, ipsum', 'a quote that never closes', 'très bien'].filter((s) => output.includes(s));
  assert.deepEqual(leaks, [], `the Worker logged request data:\n${output.slice(0, 2000)}`);
});
