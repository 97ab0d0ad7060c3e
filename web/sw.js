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

// keyOf is the cache key of a URL of this origin: its path (the page for
// a directory), without the query (the wasm is asked for as
// cxaudit.wasm?v=<hash>; one copy is kept, the newest).
const keyOf = (url) => (url.pathname.endsWith('/') ? `${url.pathname}index.html` : url.pathname);

self.addEventListener('install', (event) => {
  // Like addAll, under keyOf keys; the page has usually just loaded these
  // files, so most come from the HTTP cache.
  event.waitUntil(caches.open(CACHE).then((c) => Promise.all(ASSETS.map(async (a) => {
    const url = new URL(a, self.location.href);
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(`${url.pathname}: ${resp.status}`);
    await c.put(keyOf(url), resp);
  }))).then(() => self.skipWaiting()));
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
  const key = keyOf(url);
  const network = () => fetch(req).then((resp) => {
    if (resp.ok && resp.type === 'basic') {
      const copy = resp.clone();
      // Kept unless the copy already held is this very response (same
      // URL, same validator): the engine is 6 MB, not rewritten on
      // every visit.
      caches.open(CACHE).then(async (c) => {
        const held = await c.match(key);
        const same = (h) => !!resp.headers.get(h) && held.headers.get(h) === resp.headers.get(h);
        if (held && held.url === resp.url && (same('etag') || same('last-modified'))) return;
        await c.put(key, copy);
      }).catch(() => {});
    }
    return resp;
  }).catch(() => caches.open(CACHE).then((c) => c.match(key)).then((hit) => hit || Response.error()));
  // The wasm, asked for as cxaudit.wasm?v=<hash>, names one build: the
  // copy held for that very URL is served without asking the network.
  if (url.searchParams.has('v')) {
    event.respondWith(caches.open(CACHE).then((c) => c.match(key)).then((hit) => (hit && hit.url === req.url ? hit : network()), network));
    return;
  }
  event.respondWith(network());
});
