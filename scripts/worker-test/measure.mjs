#!/usr/bin/env node
// Cold start of the built Worker in workerd (make worker first):
//   node scripts/worker-test/measure.mjs [RUNS]
// Prints, as medians over RUNS fresh workerd processes: time to ready and
// to the first response of cxaudit, the same for an empty Worker (workerd's
// own start-up, to subtract), and V8's compile of app.wasm alone (the part
// Cloudflare's 1 s start-up limit covers: the module is compiled at start-up,
// the Go instance is created per request).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Miniflare, Log, LogLevel } from 'miniflare';
import { start, root } from './workerd.mjs';

const runs = Number(process.argv[2] || 5);
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wasm = path.join(root, 'build/worker/app.wasm');

async function empty() {
  const t0 = performance.now();
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response("ok") } }', cf: false, port: 0, log: new Log(LogLevel.WARN) });
  const url = await mf.ready;
  const ready = performance.now();
  await (await fetch(url)).text();
  const first = performance.now();
  await mf.dispose();
  return [ready - t0, first - t0];
}

async function cxaudit() {
  const t0 = performance.now();
  const { mf, url } = await start();
  const ready = performance.now();
  await (await fetch(new URL('/api/health', url))).text();
  const first = performance.now();
  const warm = [];
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    await (await fetch(new URL('/api/health', url))).text();
    warm.push(performance.now() - s);
  }
  await mf.dispose();
  return [ready - t0, first - t0, first - ready, median(warm.slice(-10))];
}

const E = [], C = [], V = [];
for (let i = 0; i < runs; i++) {
  E.push(await empty());
  C.push(await cxaudit());
  const bytes = fs.readFileSync(wasm);
  const s = performance.now();
  await WebAssembly.compile(bytes);
  V.push(performance.now() - s);
}
const m = (rows, k) => median(rows.map((r) => r[k])).toFixed(0);
const raw = fs.statSync(wasm).size;
const gz = zlib.gzipSync(fs.readFileSync(wasm), { level: 9 }).length;
console.log(`worker wasm: ${raw} bytes raw (${(raw / 2 ** 20).toFixed(2)} MiB), ${gz} bytes gzip -9 (${(gz / 2 ** 20).toFixed(2)} MiB)`);
console.log(`empty Worker:   ready ${m(E, 0)} ms, first response ${m(E, 1)} ms`);
console.log(`cxaudit Worker: ready ${m(C, 0)} ms, first response ${m(C, 1)} ms (${m(C, 2)} ms after ready: first Go instance + /api/health)`);
console.log(`cxaudit start-up over an empty Worker: ${(median(C.map((r) => r[0])) - median(E.map((r) => r[0]))).toFixed(0)} ms; V8 compile of app.wasm alone: ${median(V).toFixed(0)} ms`);
console.log(`warm /api/health (a new Go instance per request): ${m(C, 3)} ms`);
console.log(`(${runs} runs, medians; node ${process.version}, ${(await import('node:os')).cpus().length} CPUs)`);
