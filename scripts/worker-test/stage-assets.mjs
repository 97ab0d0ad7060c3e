#!/usr/bin/env node
// Stages the page for Workers static assets (make worker): copies SRC
// (dist/) into OUT (build/worker-assets), leaving out the precompressed
// .br/.gz variants (Cloudflare compresses at the edge), and writes OUT/_headers
// so that every file gets what `make serve` (scripts/serve.mjs) sends: the
// Content-Security-Policy of web/lib/csp.js, the security headers, the MIME
// types and Cache-Control: no-cache. The tests compare the two servers
// header by header.
//
//   node scripts/worker-test/stage-assets.mjs [--fixture-if-missing] SRC OUT
//
// --fixture-if-missing: if SRC/index.html does not exist (the page is not
// built), stage scripts/worker-test/fixture-dist instead and say so. The
// tests use this; make worker does not.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_HEADER } from '../../web/lib/csp.js';
import * as serve from '../serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const fallback = args[0] === '--fixture-if-missing';
if (fallback) args.shift();
if (args.length !== 2) {
  console.error('usage: stage-assets.mjs [--fixture-if-missing] SRC OUT');
  process.exit(2);
}
let [src, out] = args;

if (!fs.existsSync(path.join(src, 'index.html'))) {
  if (!fallback) {
    console.error(`stage-assets: ${src}/index.html not found: build the page first (make web), or set WORKER_DIST`);
    process.exit(1);
  }
  console.log(`stage-assets: ${src}/index.html not found; staging the test fixture ${path.relative(process.cwd(), path.join(here, 'fixture-dist'))} instead`);
  src = path.join(here, 'fixture-dist');
}

// The security headers of scripts/serve.mjs. It does not export them (yet);
// this copy is checked against the running dev server by the tests.
const SECURITY_HEADERS = serve.SECURITY_HEADERS ?? {
  'Content-Security-Policy': CSP_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
let files = 0;
let bytes = 0;
(function copy(from, to) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) {
      // Not the site: benchmark data (make bench-browser) and test output
      // in dist/ (Cloudflare also refuses assets over 25 MiB).
      if (from === src && (e.name === 'bench' || e.name === 'test-output')) continue;
      fs.mkdirSync(b);
      copy(a, b);
    } else if (e.isFile() && !/\.(br|gz)$/.test(e.name) && e.name !== '_headers' && e.name !== '_redirects') {
      fs.copyFileSync(a, b);
      files++;
      bytes += fs.statSync(a).size;
    }
  }
})(src, out);

// _headers (https://developers.cloudflare.com/workers/static-assets/headers/):
// rules that match a path all apply; a header set by two rules would be
// joined, so each header is set by one rule only.
const lines = ['# Written by scripts/worker-test/stage-assets.mjs: the headers of scripts/serve.mjs.', '/*'];
for (const [k, v] of Object.entries(SECURITY_HEADERS)) lines.push(`  ${k}: ${v}`);
lines.push('  Cache-Control: no-cache');
lines.push('/', `  Content-Type: ${serve.MIME['.html']}`);
for (const [ext, type] of Object.entries(serve.MIME)) lines.push(`/*${ext}`, `  Content-Type: ${type}`);
lines.push('/sw.js', '  Service-Worker-Allowed: /');
fs.writeFileSync(path.join(out, '_headers'), lines.join('\n') + '\n');
console.log(`stage-assets: ${files} files (${(bytes / 1024).toFixed(0)} KiB) from ${path.relative(process.cwd(), src) || '.'} → ${out}, with _headers`);
