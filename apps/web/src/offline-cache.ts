/**
 * Puts every built asset this page has loaded (lazy route chunks included) into the service worker's
 * cache, so an offline reload finds the chunks the shell's index.html does not name (public/sw.js).
 */
const CACHE = 'overens-shell-v1';

export function cacheLoadedAssets(): void {
  if (!import.meta.env.PROD || typeof caches === 'undefined') return;
  const urls = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
    .map((u) => u.pathname);
  if (urls.length === 0) return;
  void caches
    .open(CACHE)
    .then(async (cache) => {
      for (const url of new Set(urls)) if (!(await cache.match(url))) await cache.add(url);
    })
    .catch(() => {
      /* no cache: the app still works online */
    });
}
