import { EnrolResponse, TOKEN_IN_MAIN } from '../core/index.js';
import type { DeviceProfile } from './secrets.js';

/**
 * The kiosk page's sync calls, forwarded by main. The page talks to its own origin only
 * (`app://kiosk/api/…`, CSP `connect-src 'self'`); main sends each call on to the centre's server
 * and puts the device token in its `authorization` header there. So the token never enters the
 * page: not in its memory, not in its storage, not even at pairing, because main takes it out of
 * the enrolment's answer and hands the page `TOKEN_IN_MAIN` instead. Whatever `authorization`
 * the page sends is dropped.
 *
 * The same-origin calls also spare the kiosk CORS: the server serves no CORS headers, and needs none.
 *
 * The page's sync client is the browser's, unchanged: in a browser it talks to the server that
 * served it, in Electron to main.
 */
export type TokenHolder = {
  token(): string | null;
  /** Keeps the enrolment (sealed, written) and resolves once it is. */
  keepEnrolment(token: string, profile: DeviceProfile): Promise<void>;
};

/** The calls the kiosk makes, and nothing else: the admin API is never reachable through a kiosk. */
const ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: 'POST', path: '/api/devices/enrol' },
  { method: 'GET', path: '/api/sync/hello' },
  { method: 'GET', path: '/api/sync/stream' },
  { method: 'GET', path: '/api/sync/pull' },
  { method: 'POST', path: '/api/sync/push' },
  // A counter registering a resident with an ID number asks the server to key it (the key stays there).
  { method: 'POST', path: '/api/residents/id-number' },
];

/** Request headers passed on to the server; everything else the page sets stays behind. */
const PASSED = ['accept', 'content-type'];

/** `fetch` as main makes it (Electron's `net.fetch`, with the centre's certificate trusted). */
export type UpstreamFetch = (url: string, init: RequestInit) => Promise<Response>;

export function syncProxy(o: { serverUrl: string; fetch: UpstreamFetch; holder: TokenHolder }): (request: Request) => Promise<Response> {
  const server = new URL(o.serverUrl);
  const base = server.href.replace(/\/$/, '');
  return async (request) => {
    const url = new URL(request.url);
    const route = ROUTES.find((r) => r.path === url.pathname && r.method === request.method);
    if (!route) return json(404, { error: 'forbidden', message: `${request.method} ${url.pathname} is not a kiosk call` });
    const headers = new Headers();
    for (const h of PASSED) {
      const v = request.headers.get(h);
      if (v !== null) headers.set(h, v);
    }
    const enrolling = route.path === '/api/devices/enrol';
    const token = o.holder.token();
    if (!enrolling && token !== null) headers.set('authorization', `Bearer ${token}`);
    let res: Response;
    try {
      res = await o.fetch(`${base}${url.pathname}${url.search}`, {
        method: request.method, headers,
        // Bodies are small JSON (a push is at most 1 MB): read whole, which every fetch can send.
        ...(request.method === 'POST' ? { body: await request.arrayBuffer() } : {}),
        signal: request.signal,
      });
    } catch {
      // What the page's client takes as "server unreachable, try again later" (any 5xx, the body as the
      // server's own 503), as it takes a failed fetch; a plain answer, which any protocol handler can give.
      return json(502, { error: 'retry', message: 'the server cannot be reached' });
    }
    if (enrolling && res.ok) return keepEnrolment(res, o.holder);
    const out = new Headers();
    for (const h of ['content-type', 'cache-control']) {
      const v = res.headers.get(h);
      if (v !== null) out.set(h, v);
    }
    return new Response(res.body, { status: res.status, headers: out });
  };
}

/** Keeps the enrolment's token and profile in main and answers the page the same, with `TOKEN_IN_MAIN` for the token. */
async function keepEnrolment(res: Response, holder: TokenHolder): Promise<Response> {
  const parsed = EnrolResponse.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return json(502, { error: 'retry', message: 'the server answered the enrolment with something else' });
  await holder.keepEnrolment(parsed.data.token, parsed.data.profile);
  return json(res.status, { ...parsed.data, token: TOKEN_IN_MAIN });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
