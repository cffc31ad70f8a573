import http from 'node:http';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ServerProcess } from '../build/serverProcess.js';
import { PullEdge, PushResponse, TABLE_NAMES, tableSpec, uuidv7, type LinliEvent } from '../core/index.js';
import { createPairingCode, enrol as enrolDevice } from '../server/devices/enrol.js';
import { scratchDb, type ScratchDb } from '../test/support/db.js';
import { EVERYDAY_GOODS } from './push.js';
import { cpuBetween, cpuByPid } from './cpu.js';
import { percentile } from './stats.js';

/**
 * A city simulated (issue 16 item 6): `CENTRES` centres on one PostgreSQL (the small demo centre
 * copied, each its own rows), three counter kiosks each, played by this process over HTTP to one
 * server process: every kiosk holds a poke stream and polls every 30 s; redemptions arrive at a
 * city-wide rate, each pushed at once by its kiosk (one event a push, as a clerk's action goes),
 * and the centre's two other kiosks, poked, pull it. The rate is doubled step by step from a busy
 * afternoon's (300 events an hour a centre) until the server falls behind: what one server holds
 * and what gives first, on stderr and as figures.
 *
 * Both the server (and PostgreSQL) and the kiosks' player share this machine's two cores: the
 * player's own CPU is reported beside the server's and the database's.
 */
type Figure = (name: string, value: number, unit: string) => void;
type Say = (text: string) => void;

const CENTRES = Number(process.env.LINLI_SIM_CENTRES ?? 1_000);
const KIOSKS_PER_CENTRE = 3;
const STEP_SECONDS = Number(process.env.LINLI_SIM_SECONDS ?? 10);
/** A centre's busy afternoon: 300 events an hour. */
const BASE_EVENTS_PER_CENTRE_HOUR = 300;
const POLL_MS = 30_000;
const TEMPLATE = 'wzgl';

type Kiosk = {
  centreId: string; deviceId: string; token: string; seq: number; cursor: number; epoch: string; pulling: boolean; again: boolean;
  /** Events written and not yet pushed, with when each was written; `pushing` while a push is out (a kiosk pushes one batch at a time, in seq order). */
  waiting: { event: LinliEvent; at: number }[]; pushing: boolean;
};
type Step = { rate: number; achieved: number; pushP50: number; pushP95: number; pullP95: number; pulls: number; errors: number; serverCpu: number; dbCpu: number; playerCpu: number; machine: number; lagging: number };

const centreIdOf = (n: number) => `c${String(n).padStart(4, '0')}`;

/** Copies the template centre's rows to `n - 1` more centres, one statement a table. */
async function copyCentres(db: ScratchDb, n: number, say: Say): Promise<string[]> {
  const ids = Array.from({ length: n - 1 }, (_, i) => centreIdOf(i + 1));
  const columnsOf = async (table: string) => (await db.query<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, [table])).map((r) => r.c);
  const copy = async (table: string, key = 'centre_id', also: Record<string, string> = {}) => {
    const cols = await columnsOf(table);
    const select = cols.map((c) => (c === key ? 'n.id' : also[c] ?? `t.${c}`)).join(', ');
    await db.query(`INSERT INTO ${table} (${cols.join(', ')}) SELECT ${select} FROM ${table} t CROSS JOIN unnest($1::text[]) AS n(id) WHERE t.${key} = $2`, [ids, TEMPLATE]);
  };
  const t0 = performance.now();
  await copy('centre', 'id', { name: `t.name || ' ' || n.id` });
  await copy('centre_clock');
  const tables = [...TABLE_NAMES.map((t) => tableSpec(t).sql).filter((t) => t !== 'centre'), 'stock_movement'];
  for (const [i, table] of tables.entries()) {
    await copy(table);
    say(`city sim: copied ${table} (${i + 1}/${tables.length}, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  await db.query('ANALYZE');
  return [TEMPLATE, ...ids];
}

async function enrol(url: string, db: ScratchDb, centres: readonly string[], say: Say): Promise<Kiosk[]> {
  const kiosks: Kiosk[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  let next = 0;
  const pairs = centres.flatMap((c) => Array.from({ length: KIOSKS_PER_CENTRE }, () => c));
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < pairs.length) {
      const i = next++;
      const centreId = pairs[i]!;
      // Enrolled as the route does it, without the route's limit on tries from one address.
      const e = await enrolDevice(db, await createPairingCode(db, centreId, 'counter', new Date()), new Date(), { source: `sim-${i}` });
      const edge = PullEdge.parse(JSON.parse(await request(url, agent, 'GET', '/api/sync/pull?since=0&limit=1', e.token)));
      kiosks.push({ centreId, deviceId: e.deviceId, token: e.token, seq: 0, cursor: edge.head, epoch: edge.epoch, pulling: false, again: false, waiting: [], pushing: false });
      if (kiosks.length % 500 === 0) say(`city sim: ${kiosks.length} kiosks enrolled`);
    }
  }));
  agent.destroy();
  return kiosks;
}

/** One HTTP request; answers the body, or throws on a failure or a status other than 200. */
function request(url: string, agent: http.Agent, method: string, path: string, token?: string, body?: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method, agent, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode} ${path}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The machine's busy CPU seconds so far (all cores), from /proc/stat. */
function machineBusy(): number {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = f.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return (n.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
}

/** Whether a step was held: its pushes answered within a second at p95, none failed, and nearly all of the rate asked answered. */
const held = (s: Step) => s.pushP95 <= 1_000 && s.errors === 0 && s.achieved >= s.rate * 0.9;

export async function citySimFigures(figure: Figure, say: Say): Promise<void> {
  const db = await scratchDb('postgres');
  const template = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'small', LINLI_PAIRING_CODES: '0' });
  const server = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'none', LINLI_PAIRING_CODES: '0' });
  const streams: http.ClientRequest[] = [];
  try {
    say(`city sim: the template centre, then ${CENTRES} centres…`);
    await template.start();
    await template.stop();
    const centres = await copyCentres(db, CENTRES, say);
    const [rows] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entry');
    say(`city sim: ${centres.length} centres, ${rows!.n} ledger entries`);
    await server.start();
    const kiosks = await enrol(server.url, db, centres, say);
    const byCentre = new Map<string, Kiosk[]>();
    for (const k of kiosks) byCentre.set(k.centreId, [...(byCentre.get(k.centreId) ?? []), k]);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    let pullTimes: number[] = [];
    let errors = 0;
    const pullNow = async (k: Kiosk): Promise<void> => {
      if (k.pulling) {
        k.again = true;
        return;
      }
      k.pulling = true;
      try {
        do {
          k.again = false;
          const t = performance.now();
          const page = PullEdge.parse(JSON.parse(await request(server.url, agent, 'GET', `/api/sync/pull?since=${k.cursor}&epoch=${k.epoch}`, k.token)));
          pullTimes.push(performance.now() - t);
          k.cursor = page.upTo;
        } while (k.again);
      } catch {
        errors += 1;
      } finally {
        k.pulling = false;
      }
    };

    say(`city sim: opening ${kiosks.length} poke streams…`);
    const { hostname, port } = new URL(server.url);
    const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
    await Promise.all(kiosks.map((k) => new Promise<void>((resolve, reject) => {
      const req = http.request({ hostname, port, path: '/api/sync/stream', agent: streamAgent, headers: { authorization: `Bearer ${k.token}` } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream HTTP ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (chunk.includes('event: ready')) resolve();
          if (chunk.includes('event: poke')) void pullNow(k);
        });
      });
      req.on('error', reject);
      req.end();
      streams.push(req);
    })));

    // The template centre's goods: every copy has them under the same ids.
    const everyday = EVERYDAY_GOODS;
    let pushTimes: number[] = [];
    let done = 0;
    /** Writes a redemption at kiosk `k` and pushes it, with whatever else waits there, as the sync client does. */
    const write = (k: Kiosk, n: number): Promise<void> => {
      k.seq += 1;
      const r = 1 + (n % 12);
      k.waiting.push({
        at: performance.now(),
        event: {
          id: uuidv7(Date.now(), new Uint8Array(randomBytes(16))), deviceId: k.deviceId, seq: k.seq, staffId: `${TEMPLATE}-s2`,
          at: new Date().toISOString(), clockOffset: 0, basis: 0, kind: 'goodsRedeemed', version: 1,
          payload: { accountId: `${TEMPLATE}-a${r}`, residentId: `${TEMPLATE}-r${r}`, lines: [{ ...everyday[n % everyday.length]!, quantity: 1 }] },
        },
      });
      return k.pushing ? Promise.resolve() : pushWaiting(k);
    };
    const pushWaiting = async (k: Kiosk): Promise<void> => {
      k.pushing = true;
      try {
        while (k.waiting.length > 0) {
          const batch = k.waiting.splice(0);
          const body = PushResponse.parse(JSON.parse(await request(server.url, agent, 'POST', '/api/sync/push', k.token, JSON.stringify({ events: batch.map((b) => b.event) }))));
          if (body.outcomes.some((o) => o.status !== 'applied')) throw new Error(`push not applied: ${JSON.stringify(body.outcomes.find((o) => o.status !== 'applied'))}`);
          const now = performance.now();
          for (const b of batch) pushTimes.push(now - b.at);
          done += batch.length;
        }
      } catch {
        // The kiosk is out of step now (its events lost here): counted, and the step ends as broken.
        errors += 1;
        k.waiting = [];
      } finally {
        k.pushing = false;
      }
    };

    // Polls, spread evenly over 30 s, all the while.
    let polling = true;
    const polls = (async () => {
      let i = 0;
      const gap = POLL_MS / kiosks.length;
      const started = performance.now();
      while (polling) {
        void pullNow(kiosks[i % kiosks.length]!);
        i += 1;
        const wait = started + i * gap - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    })();

    const base = (CENTRES * BASE_EVENTS_PER_CENTRE_HOUR) / 3600;
    const steps: Step[] = [];
    let n = 0;
    for (let m = 1; m <= 64; m *= 2) {
      const rate = base * m;
      pushTimes = [];
      pullTimes = [];
      errors = 0;
      done = 0;
      let lagging = 0;
      const cpu0 = { server: cpuByPid({ pid: server.pid! }), db: cpuByPid({ comm: 'postgres' }), player: process.cpuUsage(), machine: machineBusy() };
      const started = performance.now();
      const inFlight = new Set<Promise<void>>();
      // Open-loop arrivals: the k-th event is due at k / rate, whether or not earlier ones are answered.
      for (let k = 0; ; k++) {
        const due = started + (k / rate) * 1000;
        if (due > started + STEP_SECONDS * 1000) break;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        else if (wait < -1000) lagging += 1; // the player itself a second behind its schedule
        const centre = centres[(n * 7919) % centres.length]!;
        const kiosk = byCentre.get(centre)![n % KIOSKS_PER_CENTRE]!;
        const tracked = write(kiosk, n++).finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
      while (inFlight.size > 0) await Promise.all(inFlight);
      const seconds = (performance.now() - started) / 1000;
      const player = process.cpuUsage(cpu0.player);
      const step: Step = {
        rate, achieved: done / seconds, pushP50: percentile(pushTimes, 50), pushP95: percentile(pushTimes, 95), pullP95: percentile(pullTimes, 95), pulls: pullTimes.length, errors,
        serverCpu: cpuBetween(cpu0.server, cpuByPid({ pid: server.pid! })) / seconds, dbCpu: cpuBetween(cpu0.db, cpuByPid({ comm: 'postgres' })) / seconds,
        playerCpu: (player.user + player.system) / 1e6 / seconds, machine: (machineBusy() - cpu0.machine) / seconds, lagging,
      };
      steps.push(step);
      say(`city sim: ${rate.toFixed(0)} events/s asked, ${step.achieved.toFixed(0)} answered; push p50 ${step.pushP50.toFixed(0)} ms, p95 ${step.pushP95.toFixed(0)} ms; ${step.pulls} pulls, p95 ${step.pullP95.toFixed(0)} ms; ${errors} errors; CPU: server ${(step.serverCpu * 100).toFixed(0)}%, PostgreSQL ${(step.dbCpu * 100).toFixed(0)}%, player ${(step.playerCpu * 100).toFixed(0)}%, the machine ${(step.machine * 100).toFixed(0)}% of ${os.cpus().length * 100}%${lagging > 0 ? `; the player fell behind ${lagging} times` : ''}`);
      if (!held(step)) break;
    }
    polling = false;
    await polls;
    agent.destroy();

    const last = steps.filter(held).at(-1);
    figure('city_sim_centres', centres.length, 'centres');
    figure('city_sim_push_p95', steps[0]?.pushP95 ?? 0, 'ms');
    figure('city_sim_events_held', last?.achieved ?? 0, 'events/s');
  } finally {
    for (const s of streams) s.destroy();
    await server.stop();
    await template.stop();
    await db.drop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { round } = await import('./stats.js');
  await citySimFigures((name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`), (t) => process.stderr.write(`bench: ${t}\n`));
}
