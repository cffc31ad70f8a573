/**
 * Keeps the kiosk loadable without the server in the browser fallback: registers the service
 * worker and puts the page and the assets it loaded into the shell cache right away (the first
 * load happened before the worker was there to see it).
 */
export async function keepShellOffline(): Promise<void> {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  await navigator.serviceWorker.register('./sw.js');
  // Everything of ours the page has loaded so far: its scripts and the chunks they import, styles.
  const assets = performance.getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/'))
    .map((u) => u.href);
  const cache = await caches.open('linli-shell-v1');
  // One by one: a resource that is gone (a 404) must not keep the others out of the cache.
  await Promise.all([...new Set(['./', ...assets])].map((url) => cache.add(url).catch(() => undefined)));
}
