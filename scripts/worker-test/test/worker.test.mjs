// The Cloudflare Worker, built (make worker) and run in the real workerd
// runtime through miniflare v4: no account, no network. Checks the page's
// headers against `make serve`, every oracle case against the CLI byte for
// byte, the error statuses, and that nothing is logged (200 requests under
// load: load.test.mjs). Run with make test-worker (it builds what this
// needs).
//
// The CLI is run twice per case. Compiled to js/wasm and run in node (the
// same engine with the same floating-point arithmetic as the Worker), its
// JSON must equal the Worker's byte for byte. Native (amd64), it must agree
// byte for byte as well: `make build` compiles it with the portable-math
// overlay (scripts/purego-math.sh), since Go's math.Exp/Log are assembly on
// amd64 and differ in the last bit from the pure Go used on wasm. The
// 1e-12 comparison runs first only to give a readable diff.
//
// Env: CXAUDIT_BIN, the native CLI (default bin/cxaudit); CXAUDIT_CLI_WASM,
// the CLI built for js/wasm (default build/cxaudit-cli.wasm); GO_WASM_EXEC,
// $(go env GOROOT)/lib/wasm/wasm_exec_node.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, root } from '../workerd.mjs';
import { createServer, listen } from '../../serve.mjs';
import {
  ORACLE, ASSETS, CLI, CLI_WASM, cases, fetchx, cliJSON, read, multipart, sameAsCLI, expectError,
  analyze as analyzeAt,
} from './helpers.mjs';

let w; // the workerd under test: {mf, url}
let output = ''; // everything the Worker wrote to stdout/stderr
const api = (p) => new URL(p, w.url);
const analyze = (name, ext, how) => analyzeAt(w.url, name, ext, how);

before(async () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: make build`);
  assert.ok(fs.existsSync(CLI_WASM), `${CLI_WASM} is missing: make test-worker builds it`);
  const t0 = performance.now();
  w = await start({ output: (s) => { output += s; } });
  const ready = performance.now();
  const r = await fetchx(api('/api/health'));
  await r.text();
  const first = performance.now();
  const warm = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await (await fetchx(api('/api/health'))).text();
    warm.push(performance.now() - s);
  }
  warm.sort((a, b) => a - b);
  console.log(`# workerd: ready ${(ready - t0).toFixed(0)} ms, first response ${(first - ready).toFixed(0)} ms later ` +
    `(cold start ${(first - t0).toFixed(0)} ms); warm /api/health median ${warm[2].toFixed(0)} ms`);
  // Start the CLI runs (after the timing above); they take a few seconds each under node.
  for (const name of cases) {
    cliJSON(`${name}.csv`);
    if (fs.existsSync(path.join(ORACLE, `${name}.parquet`))) cliJSON(`${name}.parquet`);
  }
});

after(async () => {
  await w?.mf.dispose();
});

test('GET /api/health', async () => {
  const r = await fetchx(api('/api/health'));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const h = await r.json();
  assert.equal(h.status, 'ok');
  assert.equal(h.engine.name, 'cxaudit');
  assert.equal(h.limits.max_body_bytes, 104857600, 'wrangler.toml [vars] CXAUDIT_MAX_BODY_BYTES');
  assert.equal(h.limits.max_parquet_bytes, 33554432, 'wrangler.toml [vars] CXAUDIT_MAX_PARQUET_BYTES');
});

test('the page and the wasm: same headers and bytes as make serve (scripts/serve.mjs)', async () => {
  const files = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== '_headers') files.push('/' + path.relative(ASSETS, p).split(path.sep).join('/'));
    }
  })(ASSETS);
  assert.ok(files.includes('/index.html'), 'index.html staged');
  assert.ok(files.some((f) => f.endsWith('.wasm')), 'a .wasm staged');
  const srv = createServer({ root: ASSETS });
  const dev = new URL(await listen(srv, 0));
  const compare = ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy',
    'cross-origin-opener-policy', 'cross-origin-resource-policy', 'permissions-policy', 'cache-control', 'service-worker-allowed'];
  try {
    for (const f of ['/', ...files.filter((f) => f !== '/index.html')]) {
      const [a, b] = await Promise.all([fetch(new URL(f, w.url)), fetch(new URL(f, dev))]);
      assert.equal(a.status, 200, `${f}: worker status ${a.status}`);
      assert.equal(b.status, 200, `${f}: make serve status ${b.status}`);
      for (const h of compare) assert.equal(a.headers.get(h), b.headers.get(h), `${f}: ${h}`);
      assert.ok(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer())), `${f}: body`);
    }
  } finally {
    srv.close();
  }
  const wasm = await fetchx(new URL(files.find((f) => f.endsWith('.wasm')), w.url));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  await wasm.arrayBuffer();
  const csp = (await fetchx(w.url)).headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'none'/);
  const hidden = await fetchx(new URL('/_headers', w.url));
  assert.notEqual(hidden.status, 200, '_headers is configuration, not served');
  await hidden.arrayBuffer();
});

for (const name of cases) {
  test(`oracle ${name}: POST /api/analyze = cxaudit analyze, byte for byte`, async () => {
    await sameAsCLI(await analyze(name, 'csv'), `${name}.csv`, 'multipart CSV');
    await sameAsCLI(await analyze(name, 'csv', 'raw'), `${name}.csv`, 'raw text/csv');
    if (fs.existsSync(path.join(ORACLE, `${name}.parquet`))) {
      await sameAsCLI(await analyze(name, 'parquet'), `${name}.parquet`, 'multipart Parquet');
      await sameAsCLI(await analyze(name, 'parquet', 'raw'), `${name}.parquet`, 'raw Parquet');
    }
  });
}

test('POST /api/detect = cxaudit detect', async () => {
  for (const name of ['survey_main', 'tickets_main']) {
    const want = execFileSync(CLI, ['detect', `${name}.csv`], { cwd: ORACLE });
    const r = await fetchx(api('/api/detect'), { method: 'POST', body: multipart(name, 'csv', { plan: false }) });
    const body = Buffer.from(await r.arrayBuffer());
    assert.equal(r.status, 200, body.toString());
    assert.ok(body.equals(want), `${name}: detected plan differs from the CLI's`);
  }
});

test('errors: 400 malformed, 405, 404, 415 wrong type, as JSON', async () => {
  const csv = read('survey_n3.csv');
  const spec = read('survey_n3.spec.json').toString();
  const post = (p, body, type) => fetchx(api(p), { method: 'POST', body, headers: type ? { 'content-type': type } : {} });

  await expectError(await post('/api/analyze', '', 'text/csv'), 400, 'bad_input');
  await expectError(await post(`/api/analyze?plan=${encodeURIComponent('{"kind": "surv')}`, csv, 'text/csv'), 400, 'bad_input', 'plan: not a valid plan document');
  await expectError(await post('/api/analyze?plan=%7B%7D', csv, 'text/csv'), 400, 'bad_input', 'plan: "kind" is missing');
  await expectError(await post(`/api/analyze?plan=${encodeURIComponent(spec)}`, Buffer.from('PAR1 but not Parquet'), 'application/vnd.apache.parquet'), 400, 'bad_input');
  await expectError(await post('/api/analyze', csv, 'multipart/form-data; boundary=nope'), 400, 'bad_input', 'multipart');
  // The CLI's own message for a plan naming a missing column.
  const bad = spec.replace('"column": "csat"', '"column": "nope"');
  fs.writeFileSync(path.join(root, 'build/worker-test-bad.spec.json'), bad);
  let cliMsg = '';
  try {
    execFileSync(CLI, ['analyze', '--plan', path.join(root, 'build/worker-test-bad.spec.json'), 'survey_n3.csv'], { cwd: ORACLE, stdio: 'pipe' });
  } catch (err) {
    cliMsg = err.stderr.toString().trim().replace(/^cxaudit: /, '');
  }
  assert.ok(cliMsg, 'the CLI rejects the plan');
  const fd = new FormData();
  fd.append('plan', bad);
  fd.append('file', new Blob([csv]), 'survey_n3.csv');
  const e = await expectError(await fetchx(api('/api/analyze'), { method: 'POST', body: fd }), 400, 'bad_input');
  assert.equal(e.detail, cliMsg, 'same one-line message as the CLI');

  const g = await fetchx(api('/api/analyze'));
  assert.equal(g.headers.get('allow'), 'POST');
  await expectError(g, 405, 'method_not_allowed');
  await expectError(await fetchx(api('/api/detect'), { method: 'PUT', body: csv }), 405, 'method_not_allowed');
  await expectError(await post('/api/health', csv, 'text/csv'), 405, 'method_not_allowed');
  await expectError(await fetchx(api('/api/nope')), 404, 'not_found');

  await expectError(await post('/api/analyze', csv, 'application/json'), 415, 'unsupported_media_type');
  await expectError(await post('/api/analyze', csv, 'image/png'), 415, 'unsupported_media_type');
  await expectError(await post('/api/detect', csv, 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
});

test('errors: 413 over the configured limits ([vars] override)', async () => {
  const small = await start({ vars: { CXAUDIT_MAX_BODY_BYTES: '65536', CXAUDIT_MAX_PARQUET_BYTES: '16384' }, output: (s) => { output += s; } });
  try {
    const at = (p) => new URL(p, small.url);
    const h = await (await fetchx(at('/api/health'))).json();
    assert.equal(h.limits.max_body_bytes, 65536);
    const csv = read('survey_main.csv'); // 156 KB
    const spec = encodeURIComponent(read('survey_main.spec.json').toString());
    // With a Content-Length: refused before the body is read.
    await expectError(await fetchx(at(`/api/analyze?plan=${spec}`), { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }), 413, 'too_large', '65536 bytes');
    // Streamed without a length: cut off at the limit. The Worker answers
    // 413 while the client may still be sending, and workerd can then reset
    // the connection before the client reads the answer (an HTTP race, seen
    // once in a CI run), so a reset is retried; a 413 must come back.
    // (A reset shows as "fetch failed" with the reason in err.cause.)
    const retryReset = async (send) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await send();
        } catch (err) {
          const why = `${err.message} ${err.cause ? err.cause.message || err.cause.code : ''}`;
          if (attempt >= 3 || !/ECONNRESET|socket|fetch failed/.test(why)) throw err;
        }
      }
    };
    const r = await retryReset(() => {
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < csv.length; i += 8192) c.enqueue(csv.subarray(i, i + 8192));
          c.close();
        },
      });
      return fetchx(at(`/api/analyze?plan=${spec}`), { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'text/csv' } });
    });
    await expectError(r, 413, 'too_large', '65536 bytes');
    // Parquet is held whole: its own limit (survey_main.parquet is ~70 KB);
    // the Worker may answer before the upload ends, the same race.
    if (fs.existsSync(path.join(ORACLE, 'survey_main.parquet'))) {
      const rp = await retryReset(() => {
        const fd = new FormData();
        fd.append('file', new Blob([read('survey_main.parquet').subarray(0, 60000)]), 'survey_main.parquet');
        return fetchx(at('/api/analyze'), { method: 'POST', body: fd });
      });
      await expectError(rp, 413, 'too_large', 'Parquet');
    }
    // Under the limit still works on this instance. (The connection the
    // client kept from a refused upload may have been reset: the same
    // race, seen once on this request in a fresh-clone CI run.)
    const ok = await retryReset(() => fetch(at('/api/analyze'), { method: 'POST', body: multipart('survey_n3', 'csv') }));
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  } finally {
    await small.mf.dispose();
  }
});

// Requests under load (200 of them, good and bad mixed, against the CLI)
// are in load.test.mjs, with why local workerd resets connections when too
// much CPU work is queued at once.

test('nothing about the bodies was logged', () => {
  // Every body above passed through the Worker; none of it may reach the
  // log. (A stray debug print in the core shows up here.)
  const leaks = ['Great support', 'respondent_id', 'R_uVJ1puALkZGKyFk'].filter((s) => output.includes(s));
  assert.deepEqual(leaks, [], `the Worker logged request data:\n${output.slice(0, 2000)}`);
});
