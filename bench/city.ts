import http from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ServerProcess } from '../build/serverProcess.js';
import { EnrolResponse, PullResponse } from '../core/index.js';
import { WUZHOU_GUANLAN } from '../server/demo/generate.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { scratchDb, type ScratchDb } from '../test/support/db.js';
import { METRICS_TOKEN, pushFigures, rawCommitRate } from './push.js';

/**
 * A city's server, measured on one process against PostgreSQL with the full demo centre at its
 * head (`npx tsx bench/city.ts` alone; `npm run bench` runs it without the push, which it measures
 * already):
 *
 * - `health_rps` and `empty_pull_rps.postgres`, one after the other in the same run, 100
 *   connections each (keep-alive, Node's own http; each pull from one of 20 kiosks, with the
 *   cursor at the head);
 * - `push_apply_rate.postgres` (bench/push.ts: 10,000 redemptions from 3 kiosks);
 * - `streams_held` poke streams opened at once on that one process, and `stream_rss_mb`, the
 *   process's resident memory while it holds them.
 */
type Figure = (name: string, value: number, unit: string) => void;
type Say = (text: string) => void;

const CONNECTIONS = 100;
const SECONDS = Number(process.env.LINLI_BENCH_SECONDS ?? 5);
const STREAMS = Number(process.env.LINLI_BENCH_STREAMS ?? 10_000);

/** Requests a second over `connections` keep-alive connections for `seconds`, each asking `path(i)`. */
async function load(url: string, path: (i: number) => { path: string; token?: string }, connections: number, seconds: number): Promise<{ rps: number; failed: number }> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const one = (i: number) => new Promise<void>((resolve) => {
    const p = path(i);
    const req = http.request({ hostname, port, path: p.path, agent, headers: p.token ? { authorization: `Bearer ${p.token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) done += 1;
        else failed += 1;
        resolve();
      });
    });
    req.on('error', () => {
      failed += 1;
      resolve();
    });
    req.end();
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async (_, i) => {
    while (performance.now() < until) await one(i);
  }));
  agent.destroy();
  return { rps: done / ((performance.now() - started) / 1000), failed };
}

async function enrolKiosks(url: string, db: ScratchDb, n: number): Promise<{ token: string; head: number; epoch: string }[]> {
  const kiosks = [];
  for (let i = 0; i < n; i++) {
    const pairingCode = await createPairingCode(db, 'wzgl', 'counter', new Date());
    const res = await fetch(`${url}/api/devices/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingCode }) });
    const { token } = EnrolResponse.parse(await res.json());
    const page = PullResponse.parse(await (await fetch(`${url}/api/sync/pull?since=0&limit=1`, { headers: { authorization: `Bearer ${token}` } })).json());
    kiosks.push({ token, head: page.head, epoch: page.epoch });
  }
  return kiosks;
}

/** The resident memory of a process, in MB (Linux). */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** Opens `n` poke streams (their `ready` read), 500 opening at a time; answers them to close later. */
async function openStreams(url: string, tokens: readonly string[], n: number): Promise<http.ClientRequest[]> {
  const { hostname, port } = new URL(url);
  const open: http.ClientRequest[] = [];
  let next = 0;
  const one = () => new Promise<void>((resolve, reject) => {
    const req = http.request({ hostname, port, path: '/api/sync/stream', agent: false, headers: { authorization: `Bearer ${tokens[next % tokens.length]!}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream refused: ${res.statusCode}`));
      res.setEncoding('utf8');
      const onData = (chunk: string) => {
        if (!chunk.includes('event: ready')) return;
        res.off('data', onData);
        resolve();
      };
      res.on('data', onData);
    });
    req.on('error', reject);
    req.end();
    open.push(req);
    next += 1;
  });
  await Promise.all(Array.from({ length: 500 }, async () => {
    while (next < n) await one();
  }));
  return open;
}

/** The city figures; `withPush` adds the push rate (npm run bench measures it elsewhere). */
export async function cityFigures(figure: Figure, say: Say, withPush: boolean): Promise<void> {
  const db = await scratchDb('postgres');
  const server = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: process.env.LINLI_BENCH_DEMO ?? 'full', LINLI_METRICS_TOKEN: METRICS_TOKEN });
  try {
    say('city: seeding the demo centre on PostgreSQL…');
    await server.start();
    const kiosks = await enrolKiosks(server.url, db, 20);
    say(`city: /api/health then empty pulls, ${CONNECTIONS} connections, ${SECONDS} s each…`);
    const health = await load(server.url, () => ({ path: '/api/health' }), CONNECTIONS, SECONDS);
    const pulls = await load(server.url, (i) => {
      const k = kiosks[i % kiosks.length]!;
      return { path: `/api/sync/pull?since=${k.head}&epoch=${k.epoch}`, token: k.token };
    }, CONNECTIONS, SECONDS);
    if (health.failed + pulls.failed > 0) say(`city: ${health.failed} health and ${pulls.failed} pull requests failed!`);
    figure('health_rps', health.rps, 'requests/s');
    figure('empty_pull_rps.postgres', pulls.rps, 'requests/s');
    say(`city: empty pulls at ${(pulls.rps / health.rps).toFixed(2)} of health`);

    if (withPush) {
      figure('raw_commit_rate.postgres', await rawCommitRate(db.url!), 'commits/s');
      say('city: pushing 10,000 redemptions from 3 kiosks, after a first round…');
      const pushed = await pushFigures(server.url, db, 10_000, WUZHOU_GUANLAN.volunteers, METRICS_TOKEN, server.pid!);
      figure('push_apply_rate.postgres', pushed.rate, 'events/s');
      figure('push_clock_held_ms', pushed.clockHeldMs, 'ms per 500 events');
      figure('push_server_cpu_ms', pushed.serverCpuMs, 'ms per 500 events');
      figure('push_db_cpu_ms', pushed.dbCpuMs, 'ms per 500 events');
    }

    const pid = server.pid;
    const before = pid ? rssMb(pid) : 0;
    say(`city: opening ${STREAMS} poke streams (server at ${before.toFixed(0)} MB)…`);
    const streams = await openStreams(server.url, kiosks.map((k) => k.token), STREAMS);
    // Memory as it settles with the streams held: after a collection's chance.
    await new Promise((r) => setTimeout(r, 2_000));
    figure('streams_held', streams.length, 'streams');
    figure('stream_rss_mb', pid ? rssMb(pid) : 0, 'MB');
    say(`city: ${((rssMb(pid ?? 0) - before) * 1024 / streams.length).toFixed(1)} kB a stream over the ${before.toFixed(0)} MB before`);
    for (const s of streams) s.destroy();
  } finally {
    await server.stop();
    await db.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { round } = await import('./stats.js');
  await cityFigures((name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`), (t) => process.stderr.write(`bench: ${t}\n`), true);
}
