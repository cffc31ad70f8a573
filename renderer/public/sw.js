// The kiosk's app shell for the browser fallback: pages and assets are fetched from the network
// when the server answers and from this cache when it does not, so the kiosk reloads offline.
// The sync API is never cached. (In Electron the kiosk loads from app:// and this is unused.)
const SHELL = 'linli-shell-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// A built asset's name carries a hash of its content (vite: assets/main-D80u-2BY.js): the copy kept
// is the one asked for, so it is served from the cache without asking the server.
const HASHED = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  const key = event.request.mode === 'navigate' ? './' : event.request;
  event.respondWith((async () => {
    const cache = await caches.open(SHELL);
    if (HASHED.test(url.pathname)) {
      const kept = await cache.match(event.request);
      if (kept) return kept;
    }
    try {
      const response = await fetch(event.request);
      // Kept while the page already gets it: the page does not wait for the cache's write.
      if (response.ok) event.waitUntil(cache.put(key, response.clone()));
      return response;
    } catch (err) {
      const cached = await cache.match(key, { ignoreSearch: true });
      if (cached) return cached;
      throw err;
    }
  })());
});
