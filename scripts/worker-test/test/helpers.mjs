// Shared by the Worker tests (worker.test.mjs, load.test.mjs): the CLI to
// compare with, fetch with a readable network error, the JSON comparison
// and the error-document check.
//
// Env: CXAUDIT_BIN, the native CLI (default bin/cxaudit); CXAUDIT_CLI_WASM,
// the CLI built for js/wasm (default build/cxaudit-cli.wasm); GO_WASM_EXEC,
// $(go env GOROOT)/lib/wasm/wasm_exec_node.js.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { root } from '../workerd.mjs';

export { root };
export const ORACLE = path.join(root, 'testdata/oracle');
export const ASSETS = path.join(root, 'build/worker-assets');
export const CLI = process.env.CXAUDIT_BIN || path.join(root, 'bin/cxaudit');
export const CLI_WASM = process.env.CXAUDIT_CLI_WASM || path.join(root, 'build/cxaudit-cli.wasm');
export const WASM_EXEC = process.env.GO_WASM_EXEC ||
  path.join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'lib/wasm/wasm_exec_node.js');
export const cases = fs.readdirSync(ORACLE).filter((f) => f.endsWith('.spec.json')).map((f) => f.slice(0, -'.spec.json'.length)).sort();

const execFileP = promisify(execFile);
// At most a few CLI processes at a time (each js/wasm one is a node).
let running = 0;
const queue = [];
export async function run(...args) {
  if (running >= Math.max(2, os.cpus().length / 2)) await new Promise((go) => queue.push(go));
  running++;
  try {
    return await execFileP(...args);
  } finally {
    running--;
    queue.shift()?.();
  }
}

// fetchx is fetch, with the network cause in the message when it fails.
// A request that fails because the connection it was sent on closed
// (UND_ERR_SOCKET, ECONNRESET: node's fetch reused a pooled keep-alive
// connection that workerd was closing; seen once in a fresh-clone run, as
// a bare "fetch failed" on an empty POST right after another test's
// requests) is sent once more, on a new connection, and says so. The API
// is stateless, so a request sent twice answers the same; a Worker that
// crashed fails both. A streamed body cannot be sent twice: its caller
// decides (the 413 test retries with a new stream).
export async function fetchx(url, init) {
  const replayable = !(init?.body instanceof ReadableStream);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      const code = err.cause?.code ?? '';
      if (attempt === 0 && replayable && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET')) {
        console.log(`# fetch ${init?.method ?? 'GET'} ${url}: ${code} ${err.cause?.message ?? ''}; sent again`);
        continue;
      }
      throw new Error(`fetch ${init?.method ?? 'GET'} ${url}: ${err.message}: ${code} ${err.cause?.message ?? err.cause ?? ''}`);
    }
  }
}

const cli = new Map(); // "dir|plan|file" → Promise<{native, wasm}>: the CLI's JSON, as bytes

// cliJSON runs `cxaudit analyze --plan PLAN --format json FILE` natively
// and as js/wasm, from dir (default: the oracle directory) so that
// source.name is the bare file name, as the Worker gets it from the
// multipart part. plan defaults to NAME.spec.json beside an oracle case.
// wasm: false skips the js/wasm run (it takes seconds on large files).
export function cliJSON(file, { dir = ORACLE, plan, wasm = true } = {}) {
  plan ??= `${file.replace(/\.(csv|parquet)$/, '')}.spec.json`;
  const key = `${dir}|${plan}|${file}|${wasm}`;
  if (!cli.has(key)) {
    const args = ['analyze', '--plan', plan, '--format', 'json', file];
    const opts = { cwd: dir, maxBuffer: 64 << 20, encoding: 'buffer' };
    cli.set(key, Promise.all([
      run(CLI, args, opts),
      // js/wasm limits argv + env to ~8 KB: a clean environment.
      wasm ? run(process.execPath, [WASM_EXEC, CLI_WASM, ...args], { ...opts, env: { PATH: process.env.PATH } }) : null,
    ]).then(([n, w]) => ({ native: n.stdout, wasm: w ? w.stdout : null })));
  }
  return cli.get(key);
}

// near compares two decoded JSON values: same shape, keys, strings; numbers
// equal to 1e-12 relative.
export function near(a, b, at, diffs) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && !(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)))) diffs.push(`${at}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => near(v, b[i], `${at}[${i}]`, diffs));
  } else if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).join(','), kb = Object.keys(b).join(',');
    if (ka !== kb) diffs.push(`${at}: keys ${ka} vs ${kb}`);
    else for (const k of Object.keys(a)) near(a[k], b[k], `${at}.${k}`, diffs);
  } else if (a !== b) {
    diffs.push(`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
}

export const read = (f) => fs.readFileSync(path.join(ORACLE, f));

// multipart is the body of an oracle case: its plan part, then the file.
export function multipart(name, ext, { plan = true } = {}) {
  const fd = new FormData();
  if (plan) fd.append('plan', new Blob([read(`${name}.spec.json`)], { type: 'application/json' }), `${name}.spec.json`);
  fd.append('file', new Blob([read(`${name}.${ext}`)]), `${name}.${ext}`);
  return fd;
}

// analyze posts an oracle case to base's /api/analyze, as multipart or as
// a raw body with ?plan= and ?name=; it returns {r, body} (body a Buffer).
export async function analyze(base, name, ext, how = 'multipart') {
  let r;
  if (how === 'multipart') {
    r = await fetchx(new URL('/api/analyze', base), { method: 'POST', body: multipart(name, ext) });
  } else {
    const q = new URLSearchParams({ plan: read(`${name}.spec.json`).toString(), name: `${name}.${ext}` });
    const type = ext === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet';
    r = await fetchx(new URL(`/api/analyze?${q}`, base), { method: 'POST', body: read(`${name}.${ext}`), headers: { 'content-type': type } });
  }
  return { r, body: Buffer.from(await r.arrayBuffer()) };
}

// sameBytes fails with the first differing byte of got and want.
export function sameBytes(got, want, what) {
  if (got.equals(want)) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  assert.fail(`${what} at byte ${i} (${got.length} vs ${want.length} bytes)\n` +
    `worker …${got.subarray(Math.max(0, i - 80), i + 80)}…\ncli    …${want.subarray(Math.max(0, i - 80), i + 80)}…`);
}

// sameAsCLI checks an answer {r, body} against the CLI's JSON for file:
// first to 1e-12 (a readable diff), then byte for byte with the native CLI
// (built with portable math, scripts/purego-math.sh) and the js/wasm one.
export async function sameAsCLI({ r, body }, file, what, opts) {
  assert.equal(r.status, 200, `${what}: status ${r.status}: ${body.toString().slice(0, 300)}`);
  assert.equal(r.headers.get('content-type'), 'application/json', what);
  const { native, wasm } = await cliJSON(file, opts);
  const diffs = [];
  near(JSON.parse(body), JSON.parse(native), '', diffs);
  assert.deepEqual(diffs.slice(0, 20), [], `${what}: the Worker's JSON differs from the native CLI's`);
  sameBytes(body, Buffer.from(native), `${what}: the Worker's JSON differs from the native CLI's`);
  if (wasm) sameBytes(body, Buffer.from(wasm), `${what}: the Worker's JSON differs from the js/wasm CLI's`);
}

// errorDoc checks an error answer: status, JSON {error, detail}, detail one
// line without a trace. It takes the status and body already read.
export function errorDoc(status, type, text, wantStatus, code, detail = '') {
  assert.equal(status, wantStatus, `status ${status}, want ${wantStatus}: ${text}`);
  assert.equal(type, 'application/json');
  const e = JSON.parse(text);
  assert.deepEqual(Object.keys(e), ['error', 'detail']);
  assert.equal(e.error, code, text);
  assert.ok(e.detail.includes(detail), `detail ${JSON.stringify(e.detail)} lacks ${JSON.stringify(detail)}`);
  assert.ok(!/\n|goroutine |\.go:\d/.test(e.detail), `detail is not one line / has a trace: ${e.detail}`);
  return e;
}

export async function expectError(res, status, code, detail = '') {
  return errorDoc(res.status, res.headers.get('content-type'), await res.text(), status, code, detail);
}
