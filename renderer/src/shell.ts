/** Whether the service worker served this page (read as the page starts: a worker may take it over later). */
const servedByWorker = typeof navigator !== 'undefined' && 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null;

/**
 * Keeps the kiosk loadable without the server in the browser fallback: registers the service
 * worker and, on a page the worker did not serve, puts the page and the assets it loaded into the
 * shell cache (that load happened before the worker was there to see it).
 */

export async function keepShellOffline(): Promise<void> {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  await navigator.serviceWorker.register('./sw.js');
  // A page the worker served: it kept the page and every asset as they came. Only a page loaded
  // before the worker was there (the first) has to put them in the cache itself.
  if (servedByWorker) return;
  // Everything of ours the page has loaded so far: its scripts and the chunks they import, styles.
  const assets = performance.getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/'))
    .map((u) => u.href);
  const cache = await caches.open('linli-shell-v1');
  // One by one: a resource that is gone (a 404) must not keep the others out of the cache.
  await Promise.all([...new Set(['./', ...assets])].map((url) => cache.add(url).catch(() => undefined)));
}
