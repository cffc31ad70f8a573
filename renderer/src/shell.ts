/**
 * Keeps the kiosk loadable without the server in the browser fallback: registers the service
 * worker and puts the page and the assets it loaded into the shell cache right away (the first
 * load happened before the worker was there to see it).
 */
export async function keepShellOffline(): Promise<void> {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  await navigator.serviceWorker.register('./sw.js');
  const assets = [...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>('script[src], link[rel=stylesheet][href]')]
    .map((el) => (el instanceof HTMLScriptElement ? el.src : el.href));
  const cache = await caches.open('linli-shell-v1');
  await cache.addAll(['./', ...assets]);
}
