/*
 * Överens service worker: keeps the app shell available offline so that a reload while the server is
 * unreachable still opens the app; the agreement itself then comes from the IndexedDB cache (y-indexeddb).
 * - Page loads (navigations): network first, the cached shell when the network fails.
 * - Built assets (/assets/…, content-hashed): cache first.
 * - /api, /sync, /metrics: never cached.
 */
const CACHE = 'overens-shell-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(async (cache) => {
        // The shell and the assets it references (they are requested before this worker controls the page).
        const res = await fetch(new Request('/', { cache: 'reload' }));
        if (!res.ok) return;
        const html = await res.clone().text();
        await cache.put('/', res);
        const assets = [...new Set(html.match(/\/assets\/[^"'\s)]+/g) || [])];
        await cache.addAll(assets);
      })
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (/^\/(api|sync|metrics)(\/|$)/.test(url.pathname)) return;

  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put('/', copy));
          }
          return res;
        })
        .catch(() => caches.match('/').then((r) => r || Response.error())),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              caches.open(CACHE).then((c) => c.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});
