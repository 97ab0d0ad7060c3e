#!/usr/bin/env node
// Builds the static site in dist/ (make web): the page, its bundled
// JavaScript (esbuild; Observable Plot included, nothing from a CDN), the
// worker, wasm_exec.js copied from the Go toolchain that built the wasm,
// the sample CSVs, the service worker with its asset list, and brotli and
// gzip variants of everything compressible. The wasm itself
// (dist/cxaudit.wasm) is built by the Makefile before this runs.
//
//   node scripts/build-web.mjs [--out dist]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { CSP } from '../web/lib/csp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg > 0 ? process.argv[outArg + 1] : 'dist');

function fail(msg) {
  console.error(`build-web: ${msg}`);
  process.exit(1);
}

const wasm = path.join(out, 'cxaudit.wasm');
if (!fs.existsSync(wasm)) fail(`${path.relative(root, wasm)} is missing: build it first (make web)`);

// 1. The page. Its CSP meta tag must be the policy the server sends.
// (It is written out in step 2b, with web/boot.js in it.)
const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
const meta = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
if (!meta || meta[1] !== CSP) fail('index.html: the Content-Security-Policy meta tag differs from web/lib/csp.js');
if (/(src|href)="(https?:)?\/\//i.test(html)) fail('index.html refers to another origin');
// web/boot.js goes into the page as an inline script, which the CSP
// allows by the hash of its text.
const boot = fs.readFileSync(path.join(root, 'web/boot.js'), 'utf8');
const bootHash = `'sha256-${crypto.createHash('sha256').update(boot).digest('base64')}'`;
if (!CSP.split('; ').find((d) => d.startsWith('script-src ')).split(' ').includes(bootHash)) {
  fail(`web/lib/csp.js and index.html: script-src must allow web/boot.js by its hash, ${bootHash} (the script changed?)`);
}
if (/<\/script/i.test(boot)) fail('web/boot.js: "</script" would end the inline script');
const bootTag = '<script src="boot.js"></script>';
if (!html.includes(bootTag)) fail(`index.html: no ${bootTag} to inline`);

// 2. Scripts and styles.
// The charts (Observable Plot, most of the code) are a bundle of their
// own that app.js imports when it needs them: the page and its engine
// start without downloading and parsing them first.
const chartsExternal = {
  name: 'charts-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/charts\.js$/ }, (args) => (args.importer.endsWith(`${path.sep}app.js`) ? { path: './charts.js', external: true } : undefined));
  },
};
for (const entry of ['app.js', 'charts.js']) {
  await esbuild.build({
    entryPoints: [path.join(root, 'web', entry)],
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: ['chrome110', 'firefox115', 'safari16'],
    outfile: path.join(out, entry),
    legalComments: 'linked',
    logLevel: 'warning',
    plugins: [chartsExternal],
  });
}
await esbuild.build({
  entryPoints: [path.join(root, 'web/worker.js')],
  bundle: false,
  minify: true,
  outfile: path.join(out, 'worker.js'),
  logLevel: 'warning',
});
fs.copyFileSync(path.join(root, 'web/style.css'), path.join(out, 'style.css'));
for (const f of ['boot.js', 'boot.js.br', 'boot.js.gz']) fs.rmSync(path.join(out, f), { force: true }); // inlined now

// wasm_exec.js from the Go toolchain (never committed: it must match the
// compiler that built cxaudit.wasm), put at the head of dist/worker.js in
// place of its importScripts: a worker that starts without a second,
// synchronous request. (dist/wasm_exec.js is written too, step 3.)
const goroot = process.env.GOROOT_WASM || execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
const wasmExec = fs.readFileSync(path.join(goroot, 'lib/wasm/wasm_exec.js'), 'utf8');
{
  const file = path.join(out, 'worker.js');
  const text = fs.readFileSync(file, 'utf8');
  const inlined = text.replace(/importScripts\((["'])wasm_exec\.js\1\)/g, 'void 0');
  if (inlined === text) fail("worker.js: no importScripts('wasm_exec.js') to inline");
  fs.writeFileSync(file, `${wasmExec.trimEnd()}\n;${inlined}`);
}

// The page asks for the wasm as cxaudit.wasm?v=<its hash>: a URL that
// names one build, so it may be cached for good (scripts/serve.mjs sends
// Cache-Control: immutable for it). No revalidation on a repeat visit,
// and V8's cache of the compiled engine, tied to the HTTP cache entry,
// stays valid until the wasm changes.
const wasmVersion = crypto.createHash('sha256').update(fs.readFileSync(wasm)).digest('hex').slice(0, 16);
fs.writeFileSync(path.join(out, 'index.html'), html.replace(bootTag, () => `<script data-wasm="cxaudit.wasm?v=${wasmVersion}">${boot}</script>`));
for (const f of ['worker.js']) {
  const file = path.join(out, f);
  const text = fs.readFileSync(file, 'utf8');
  const versioned = text.replace(/(["'])cxaudit\.wasm\1/g, (_, q) => `${q}cxaudit.wasm?v=${wasmVersion}${q}`);
  if (versioned === text) fail(`${f}: no 'cxaudit.wasm' to version`);
  fs.writeFileSync(file, versioned);
}

// 3. wasm_exec.js on its own as well, for other hosts of the engine.
fs.writeFileSync(path.join(out, 'wasm_exec.js'), wasmExec);

// 4. The samples the CLI embeds, as static files for "Try a sample".
fs.mkdirSync(path.join(out, 'samples'), { recursive: true });
for (const f of fs.readdirSync(path.join(root, 'samples'))) {
  if (f.endsWith('.csv')) fs.copyFileSync(path.join(root, 'samples', f), path.join(out, 'samples', f));
}

// 4b. The Parquet file the worker warms its engine up with (web/worker.js
//     warmUp; made by scripts/parquet-fixtures).
fs.copyFileSync(path.join(root, 'web/warm-up.parquet'), path.join(out, 'warm-up.parquet'));

// 5. The service worker, with the list of files to keep for offline use
//    and a version that changes with any of them.
const assets = ['index.html', 'app.js', 'charts.js', 'style.css', 'worker.js', 'wasm_exec.js', 'cxaudit.wasm', 'warm-up.parquet',
  ...fs.readdirSync(path.join(out, 'samples')).filter((f) => f.endsWith('.csv')).map((f) => `samples/${f}`)];
const hash = crypto.createHash('sha256');
for (const a of assets) hash.update(fs.readFileSync(path.join(out, a)));
const version = hash.digest('hex').slice(0, 16);
const sw = fs.readFileSync(path.join(root, 'web/sw.js'), 'utf8')
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('__ASSETS__', JSON.stringify(['./', ...assets.map((a) => (a === 'cxaudit.wasm' ? `./${a}?v=${wasmVersion}` : `./${a}`))]));
fs.writeFileSync(path.join(out, 'sw.js'), sw);

// 6. Precompressed variants (the dev server and most static hosts serve
//    them with Content-Encoding when the browser accepts it).
// Brotli at quality 11 takes ~20 s on the wasm: reuse the previous
// variants when the file's hash has not changed.
let previous = {};
try {
  previous = JSON.parse(fs.readFileSync(path.join(out, 'build-info.json'), 'utf8')).sizes || {};
} catch { /* first build */ }
const sizes = {};
for (const a of [...assets, 'sw.js']) {
  const file = path.join(out, a);
  const raw = fs.readFileSync(file);
  const sha = crypto.createHash('sha256').update(raw).digest('hex');
  const prev = previous[a];
  if (prev && prev.sha256 === sha && fs.existsSync(`${file}.br`) && fs.existsSync(`${file}.gz`)) {
    const now = new Date();
    fs.utimesSync(`${file}.br`, now, now);
    fs.utimesSync(`${file}.gz`, now, now);
    sizes[a] = prev;
    continue;
  }
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = zlib.gzipSync(raw, { level: 9 });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, gz);
  sizes[a] = { raw: raw.length, br: br.length, gzip: gz.length, sha256: sha };
}
fs.writeFileSync(path.join(out, 'build-info.json'), `${JSON.stringify({ version, wasmVersion, sizes }, null, 2)}\n`);

const mb = (n) => `${(n / 1048576).toFixed(2)} MB`;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const a of ['cxaudit.wasm', 'app.js', 'charts.js', 'worker.js', 'wasm_exec.js', 'style.css', 'index.html']) {
  const s = sizes[a];
  const f = s.raw > 1048576 ? mb : kb;
  console.log(`  dist/${a.padEnd(14)} ${f(s.raw).padStart(10)} raw  ${f(s.br).padStart(10)} brotli  ${f(s.gzip).padStart(10)} gzip`);
}
// The budget of issue #5: the engine must stay under 2 MB brotli.
const BUDGET = 2 * 1048576;
if (sizes['cxaudit.wasm'].br > BUDGET) fail(`cxaudit.wasm is ${mb(sizes['cxaudit.wasm'].br)} brotli, over the 2 MB budget`);
