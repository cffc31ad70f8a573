import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy on loopback that breaks sync traffic the way a centre's network does. Each request to
 * the sync API meets one fault, drawn from a seeded mix:
 * - `pass`: forwarded as it is;
 * - `drop`: the connection is closed before anything reaches the server;
 * - `delay`: held 0–300 ms, then forwarded;
 * - `duplicate`: forwarded twice at once (a retry racing the original), one answer returned;
 * - `reorder`: held until the next request through the proxy has gone (or 150 ms), so requests
 *   reach the server in another order than they were sent;
 * - `dropResponse`: forwarded and applied, then the connection is closed before the answer (the
 *   timed-out upload that makes point-of-sale systems count twice);
 * - `cut`: the answer is cut off half-way.
 * The poke stream (`/api/sync/stream`) is piped through untouched.
 */
export const FAULTS = ['pass', 'drop', 'delay', 'duplicate', 'reorder', 'dropResponse', 'cut'] as const;
export type Fault = (typeof FAULTS)[number];
export type FaultMix = Partial<Record<Fault, number>>;

/** The mix the chaos runs use: about half the requests meet a fault. */
export const CHAOS_MIX: FaultMix = { pass: 8, drop: 1, delay: 2, duplicate: 2, reorder: 1, dropResponse: 2, cut: 1 };

type Forwarded = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

export class FaultProxy {
  private server: http.Server | null = null;
  private rnd: () => number;
  private held: (() => void) | null = null;
  /** How many requests met each fault. */
  readonly counts: Record<Fault, number> = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  /** Requests forwarded to the server and not yet answered (the poke stream left out): what a SIGKILL now would meet. */
  openUpstream = 0;
  private onOpen: { path: string; wake: () => void }[] = [];
  /** Faults on (the mix) or off (everything passes). */
  enabled = true;
  url = '';

  constructor(private target: string, private readonly mix: FaultMix = CHAOS_MIX, seed = 1) {
    let s = seed >>> 0 || 1;
    this.rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /** Points the proxy at another server (a restarted one, another process). */
  retarget(target: string): void {
    this.target = target;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.held?.();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Resolves when the next request whose path starts with `path` has been forwarded to the server. */
  upstreamOpened(path = '/'): Promise<void> {
    return new Promise((resolve) => this.onOpen.push({ path, wake: resolve }));
  }

  private pick(): Fault {
    if (!this.enabled) return 'pass';
    const entries = Object.entries(this.mix) as [Fault, number][];
    let r = this.rnd() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [fault, weight] of entries) {
      r -= weight;
      if (r < 0) return fault;
    }
    return 'pass';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    if (req.url?.startsWith('/api/sync/stream')) return this.pipeStream(req, res);
    const release = this.held;
    this.held = null;
    const fault = this.pick();
    this.counts[fault] += 1;
    try {
      switch (fault) {
        case 'drop':
          res.destroy();
          return;
        case 'delay':
          await new Promise((r) => setTimeout(r, Math.floor(this.rnd() * 300)));
          break;
        case 'reorder':
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 150);
            this.held = () => {
              clearTimeout(t);
              resolve();
            };
          });
          break;
        default:
          break;
      }
      const answer = fault === 'duplicate'
        ? (await Promise.all([this.forward(req, body), this.forward(req, body)]))[1]
        : await this.forward(req, body);
      if (fault === 'dropResponse') {
        res.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json', 'content-length': answer.body.length });
      if (fault === 'cut') {
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
        res.destroy();
        return;
      }
      res.end(answer.body);
    } finally {
      // A request held for reordering goes now, after this one.
      release?.();
    }
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<Forwarded> {
    const target = new URL(req.url ?? '/', this.target);
    return new Promise((resolve, reject) => {
      let open = true;
      const closed = () => {
        if (open) this.openUpstream -= 1;
        open = false;
      };
      this.openUpstream += 1;
      const out = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
        readAll(r).then((b) => {
          closed();
          resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b });
        }, (err: unknown) => {
          closed();
          reject(err);
        });
      });
      // However the exchange ends (a server killed mid-answer may end it with neither).
      out.on('close', closed);
      out.on('error', (err) => {
        closed();
        reject(err);
      });
      out.end(body);
      const waiting = this.onOpen;
      this.onOpen = waiting.filter((w) => !target.pathname.startsWith(w.path));
      for (const w of waiting) if (target.pathname.startsWith(w.path)) w.wake();
    });
  }

  private pipeStream(req: IncomingMessage, res: ServerResponse): void {
    const target = new URL(req.url ?? '/', this.target);
    const out = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    out.end();
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
