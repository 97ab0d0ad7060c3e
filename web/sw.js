// The offline copy of the page. On install it caches the page's own files
// (the list is written in by scripts/build-web.mjs); afterwards every GET
// of this origin goes to the network first and falls back to the cache, so
// a new build is picked up at once and the page still opens with no
// network. Dropped files are never fetched, so never cached: only the
// page's code and the sample files are.
/* global self, caches */
const VERSION = '__VERSION__';
const ASSETS = __ASSETS__;
const CACHE = `cxaudit-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cxaudit-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const key = url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname;
  event.respondWith(fetch(req).then((resp) => {
    if (resp.ok && resp.type === 'basic') {
      const copy = resp.clone();
      caches.open(CACHE).then((c) => c.put(key, copy)).catch(() => {});
    }
    return resp;
  }).catch(() => caches.open(CACHE).then((c) => c.match(key)).then((hit) => hit || Response.error())));
});
