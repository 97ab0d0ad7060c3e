#!/usr/bin/env node
// The dev server for dist/: a static file server bound to 127.0.0.1 with
// the right MIME types (application/wasm), the page's Content-Security-
// Policy as a header, and precompressed .br/.gz variants when the browser
// accepts them. It serves GET and HEAD only.
//
//   node scripts/serve.mjs [DIR]      DIR defaults to dist; PORT (default
//                                     8080, 0 = any free port) from the env
//
// Tests import createServer() and read its request log.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_HEADER } from '../web/lib/csp.js';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

// createServer returns an http.Server for root. Every request is appended
// to log (if given) as {method, url, headers, bodyBytes}.
export function createServer({ root, log } = {}) {
  root = path.resolve(root);
  return http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (c) => { bodyBytes += c.length; });
    req.on('end', () => {
      if (log) log.push({ method: req.method, url: req.url, headers: req.headers, bodyBytes });
      handle(root, req, res);
    });
  });
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end(text);
}

function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed\n');
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    return send(res, 400, 'bad request\n');
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = path.join(root, pathname);
  if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'forbidden\n');
  let st;
  try {
    st = fs.statSync(file);
  } catch {
    return send(res, 404, 'not found\n');
  }
  if (st.isDirectory()) {
    res.writeHead(301, { Location: pathname + '/', ...SECURITY_HEADERS });
    return res.end();
  }
  const ext = path.extname(file).toLowerCase();
  const headers = {
    'Content-Type': MIME[ext] || 'application/octet-stream',
    'Cache-Control': immutable(root, pathname, req.url) ? 'public, max-age=31536000, immutable' : 'no-cache',
    Vary: 'Accept-Encoding',
    ...SECURITY_HEADERS,
  };
  if (path.basename(file) === 'sw.js') headers['Service-Worker-Allowed'] = '/';
  const accept = String(req.headers['accept-encoding'] || '');
  let body = file;
  for (const [enc, suffix] of [['br', '.br'], ['gzip', '.gz']]) {
    if (!new RegExp(`\\b${enc}\\b`).test(accept)) continue;
    try {
      const cst = fs.statSync(file + suffix);
      if (cst.mtimeMs + 1 >= st.mtimeMs) {
        body = file + suffix;
        headers['Content-Encoding'] = enc;
        st = cst;
        break;
      }
    } catch { /* no precompressed variant */ }
  }
  headers['Content-Length'] = st.size;
  headers['Last-Modified'] = new Date(st.mtimeMs).toUTCString();
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(body).pipe(res);
}

// immutable tells whether url names one build of the file: the wasm is
// asked for as /cxaudit.wasm?v=<hash> (scripts/build-web.mjs writes the
// hash into the page's scripts and into build-info.json as wasmVersion).
// Any other request is revalidated (no-cache).
function immutable(root, pathname, url) {
  if (pathname !== '/cxaudit.wasm') return false;
  const v = new URL(url, 'http://x').searchParams.get('v');
  if (!v) return false;
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'build-info.json'), 'utf8')).wasmVersion === v;
  } catch {
    return false;
  }
}

// listen starts srv on 127.0.0.1:port and resolves with the page's URL.
export function listen(srv, port = 0) {
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${srv.address().port}/`));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] || 'dist';
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`serve: ${root}/index.html not found (run make web first)`);
    process.exit(1);
  }
  const port = process.env.PORT === undefined ? 8080 : Number(process.env.PORT);
  const srv = createServer({ root });
  listen(srv, port).then((url) => {
    console.log(`cxaudit: serving ${root}/ on ${url}  (Ctrl-C to stop)`);
  }, (err) => {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  });
}
