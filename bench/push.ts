import pg from 'pg';
import { uuidv7, type LinliEvent } from '../core/index.js';
import { EnrolResponse, PushResponse } from '../core/index.js';
import type { Queryable } from '../server/db/db.js';
import { DEMO_GOODS } from '../server/demo/generate.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { cpuBetween, cpuByPid } from './cpu.js';

/**
 * Pushes `total` redemptions from `devices` kiosks of the demo centre to a running server over
 * HTTP, each kiosk in batches of 500 one after another (as the sync client does), the kiosks at
 * once. Answers events per second from the first request to the last answer. `run` makes the
 * event ids another round's (a second round on the same server); `beforeTimed` runs just before
 * the clock starts (the caller reads its counters there).
 *
 * The redemptions are what kiosks really send: volunteers (who hold points) taking everyday
 * goods (40 points or less). A kiosk refuses an overdraft and goods it has not got, so few of them
 * overdraw, and the store has received the goods before it gives them out: the first kiosk pushes
 * the stock for them (入库) before the clock starts. (Without it, two in three redemptions
 * passed an empty shelf, and each was applied as an exception for the admin: not a day's work.)
 */
/** The demo centre's everyday goods (40 points or less), what the pushing kiosks redeem. */
export const EVERYDAY_GOODS = DEMO_GOODS.flatMap(([, price], i) => (price <= 40 ? [{ goodsId: `wzgl-g${i + 1}`, pointPrice: price }] : []));

export async function pushRate(serverUrl: string, pairingCodes: readonly string[], total: number, volunteers: number, run = 0, beforeTimed?: () => Promise<void>): Promise<number> {
  const everyday = EVERYDAY_GOODS;
  const devices = await Promise.all(pairingCodes.map(async (pairingCode) => {
    const res = await fetch(`${serverUrl}/api/devices/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingCode }) });
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`enrolment refused: ${JSON.stringify(body)}`);
    return EnrolResponse.parse(body);
  }));
  const perDevice = Math.ceil(total / devices.length);
  const first = devices[0]!;
  const stocked = await send(serverUrl, first.token, JSON.stringify({ events: everyday.map((goods, i): LinliEvent => ({
    id: uuidv7(Date.UTC(2026, 10, 24) + i, tail(0x4000_0000 + i, run)), deviceId: first.deviceId, seq: i + 1, staffId: 'wzgl-s2',
    at: new Date(Date.UTC(2026, 10, 24, 23) + i * 1000).toISOString(), clockOffset: 0, basis: 0,
    kind: 'stockReceived', version: 2,
    payload: { goodsId: goods.goodsId, quantity: Math.ceil(total / everyday.length), source: 'purchase', shopId: null, note: '' },
  })) }));
  if (stocked.some((o) => o.status !== 'applied')) throw new Error(`stock not received: ${JSON.stringify(stocked.find((o) => o.status !== 'applied'))}`);
  const batches = devices.map((d, k) => {
    const events: LinliEvent[] = [];
    const seq0 = k === 0 ? everyday.length : 0;
    for (let i = 0; i < perDevice && k * perDevice + i < total; i++) {
      const n = k * perDevice + i;
      const r = 1 + ((n * 7919) % volunteers);
      const goods = everyday[n % everyday.length]!;
      events.push({
        id: uuidv7(Date.UTC(2026, 10, 25) + n, tail(n, run)), deviceId: d.deviceId, seq: seq0 + i + 1, staffId: 'wzgl-s2',
        at: new Date(Date.UTC(2026, 10, 25, 3) + n * 1000).toISOString(), clockOffset: 0, basis: 0,
        kind: 'goodsRedeemed', version: 1,
        payload: { accountId: `wzgl-a${r}`, residentId: `wzgl-r${r}`, lines: [{ ...goods, quantity: 1 }] },
      });
    }
    // Each request's body made before the clock starts: the kiosks' work, not the server's.
    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += 500) bodies.push(JSON.stringify({ events: events.slice(i, i + 500) }));
    return { token: d.token, bodies };
  });
  await beforeTimed?.();
  const started = performance.now();
  let flagged = 0;
  await Promise.all(batches.map(async ({ token, bodies }) => {
    for (const body of bodies) {
      const outcomes = await send(serverUrl, token, body);
      if (outcomes.some((o) => o.status !== 'applied')) throw new Error(`push not applied: ${JSON.stringify(outcomes.find((o) => o.status !== 'applied'))}`);
      flagged += outcomes.filter((o) => o.status === 'applied' && o.exceptions.length > 0).length;
    }
  }));
  const rate = total / ((performance.now() - started) / 1000);
  // An event applied as an exception (an overdraft, an empty shelf) takes another path and writes
  // another row: past a few, the figure would time what kiosks do not send.
  process.stderr.write(`bench:   ${flagged} of ${total} redemptions applied as exceptions (overdrafts, empty shelves)\n`);
  if (flagged > total * MOST_FLAGGED) throw new Error(`${flagged} of ${total} redemptions were applied as exceptions: the figure would not be a day's work`);
  return rate;
}

/** The share of pushed redemptions that may be applied as exceptions (a few volunteers overdraw). */
const MOST_FLAGGED = 0.02;

/** Sixteen bytes, zero but for `run` and `n`: an event id's random part, the same in every run of that number. */
function tail(n: number, run: number): Uint8Array {
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setUint32(8, run);
  new DataView(bytes.buffer).setUint32(12, n);
  return bytes;
}

/**
 * `raw_commit_rate.postgres`: the database's raw one-row commit rate, the yardstick the push's aim
 * is set against ("seven times"): three connections each committing 2,000 one-row INSERTs of a
 * small JSON document, one transaction each, into a table of their own in the bench's schema.
 */
export async function rawCommitRate(databaseUrl: string): Promise<number> {
  const clients = [1, 2, 3].map(() => new pg.Client({ connectionString: databaseUrl }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const [first] = clients;
    await first!.query('CREATE TABLE raw_commit_probe (id bigserial PRIMARY KEY, device text NOT NULL, n int NOT NULL, payload jsonb NOT NULL)');
    const started = performance.now();
    await Promise.all(clients.map(async (c, k) => {
      for (let n = 0; n < RAW_COMMITS; n++) await c.query('INSERT INTO raw_commit_probe (device, n, payload) VALUES ($1, $2, $3)', [`d${k}`, n, '{"goodsId":"wzgl-g1","quantity":1}']);
    }));
    const rate = (clients.length * RAW_COMMITS) / ((performance.now() - started) / 1000);
    await first!.query('DROP TABLE raw_commit_probe');
    return rate;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** One-row commits each connection makes for `raw_commit_rate.postgres`. */
const RAW_COMMITS = 2_000;

/** The bench servers' scraper token for `/api/admin/metrics`. */
export const METRICS_TOKEN = 'linli-bench-metrics-scraper';

/** Redemptions a first round pushes, untimed, so that the timed round meets a server that has run. */
const WARM_UP = 3_000;

/**
 * `push_apply_rate.postgres` and `push_clock_held_ms` on a server started with `metricsToken`:
 * 10,000 redemptions from three new kiosks of the demo centre after a first, untimed round from
 * three others, and how long the timed round held the centre's clock for each 500 events, from
 * the server's own metrics (`linli_push_clock_held_seconds`, timed by the server process: from
 * the locking read's answer to the commit's). The centre's batches are applied one after another,
 * so 500 events over that time is what one centre could take at most with the machine's other
 * work out of its way. And where the machine's time went: the CPU time of the server process and
 * of PostgreSQL for each 500 events.
 */
export async function pushFigures(serverUrl: string, db: Queryable, total: number, volunteers: number, metricsToken: string, serverPid: number): Promise<PushFigures> {
  const codes = () => Promise.all([1, 2, 3].map(() => createPairingCode(db, 'wzgl', 'counter', new Date())));
  await pushRate(serverUrl, await codes(), WARM_UP, volunteers, 1);
  const timed = await codes();
  let before = { sum: 0, count: 0 };
  let cpu = { server: new Map<number, number>(), db: new Map<number, number>() };
  const rate = await pushRate(serverUrl, timed, total, volunteers, 0, async () => {
    before = await clockHeld(serverUrl, metricsToken);
    cpu = { server: cpuByPid({ pid: serverPid }), db: cpuByPid({ comm: 'postgres' }) };
  });
  const perBatch = 500 / total;
  // By process: one of PostgreSQL's that ended meanwhile (an autovacuum worker) is left out, not subtracted.
  const serverCpu = cpuBetween(cpu.server, cpuByPid({ pid: serverPid })) * 1000 * perBatch;
  const dbCpu = cpuBetween(cpu.db, cpuByPid({ comm: 'postgres' })) * 1000 * perBatch;
  const after = await clockHeld(serverUrl, metricsToken);
  if (after.count <= before.count) throw new Error('the server counted no push holding the clock');
  return { rate, clockHeldMs: (after.sum - before.sum) * 1000 * perBatch, serverCpuMs: serverCpu, dbCpuMs: dbCpu };
}

/**
 * What `pushFigures` measured: events a second; the time the centre's clock was held, the CPU time
 * of the server process and of PostgreSQL's processes on this machine, each for 500 events (a
 * batch; each kiosk's last is smaller).
 */
export type PushFigures = { rate: number; clockHeldMs: number; serverCpuMs: number; dbCpuMs: number };

/** The server's `linli_push_clock_held_seconds` sum and count so far. */
async function clockHeld(serverUrl: string, metricsToken: string): Promise<{ sum: number; count: number }> {
  const res = await fetch(`${serverUrl}/api/admin/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  if (!res.ok) throw new Error(`metrics refused: ${res.status}`);
  const text = await res.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { sum: value('linli_push_clock_held_seconds_sum'), count: value('linli_push_clock_held_seconds_count') };
}

async function send(serverUrl: string, token: string, body: string): Promise<PushResponse['outcomes']> {
  const res = await fetch(`${serverUrl}/api/sync/push`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body,
  });
  return PushResponse.parse(await res.json()).outcomes;
}
