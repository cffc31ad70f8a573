// The kiosk's app shell for the browser fallback: pages and assets are fetched from the network
// when the server answers and from this cache when it does not, so the kiosk reloads offline.
// The sync API is never cached. (In Electron the kiosk loads from app:// and this is unused.)
const SHELL = 'linli-shell-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(SHELL);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(event.request.mode === 'navigate' ? './' : event.request, response.clone());
      return response;
    } catch (err) {
      const cached = await cache.match(event.request.mode === 'navigate' ? './' : event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw err;
    }
  })());
});
