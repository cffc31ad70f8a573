import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { applyEvent, balanceOf, stockOf, type EventBody, type LinliEvent } from '../../core/index.js';
import type { ServerProcess } from '../../build/serverProcess.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { viewOf, waiting } from '../../renderer/src/store/view.js';
import { SyncClient } from '../../renderer/src/sync/client.js';
import type { Db } from '../../server/db/db.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { ledgerBreaches, pushAsImport } from './centre.js';
import type { FaultProxy } from './faultProxy.js';

/**
 * Chaos runs: kiosks with the real store and sync client (Dexie over an in-memory IndexedDB)
 * redeem through a fault proxy to real servers, round after round; a server may be killed with
 * SIGKILL while a push is in the proxy, and a round may be offline. At the end the faults stop and
 * every kiosk syncs until its outbox is empty. Then the server's database is counted against what
 * the kiosks wrote, as each kiosk's journal recorded it (every event its store committed, with the
 * effects the kind declares), not against the server's own keys:
 * - an event is applied once when each of its effects (a ledger entry on the account with its
 *   delta, a stock movement of each line) is on the server exactly once, twice when any is there
 *   more than once, lost when none is, partly when some are missing or others are not the kiosk's;
 * - a balance (or stock) is wrong when it differs from its level before the run plus what the
 *   journals imply plus what other devices did meanwhile;
 * - a kiosk disagrees when a balance or stock it shows (replica and pending events) differs from
 *   the server's.
 * Ledger ids are made of the event id, so a second application of one event cannot add a row under
 * its id: it shows as an entry under another id (counted twice here) or as a balance moved with no
 * entry (a wrong balance here, a breach of `ledgerBreaches`).
 */
export type ChaosOptions = {
  db: Db;
  /** Proxies in front of the server processes; a kiosk's calls go round them in turn. */
  proxies: FaultProxy[];
  devices: number;
  /** Events to write in all. */
  events: number;
  /** Events each kiosk writes per round. */
  perRound: number;
  /** Whether the kiosks sync after round `r` (false: they stay offline that round). */
  online?: (round: number) => boolean;
  /** How far the kiosks' clocks move per round (simulated days). */
  roundMs?: number;
  /** Told the simulated time whenever it moves, for a server whose clock the test drives. */
  setTime?: (ms: number) => void;
  /**
   * A server process killed with SIGKILL during the syncs of the rounds `rounds` picks: `afterMs`
   * after a push has gone through `proxy` to it, then started again on the same port.
   */
  kill?: { server: ServerProcess; proxy: FaultProxy; rounds: (round: number) => boolean; afterMs: (round: number) => number };
  /**
   * Something else that breaks during the syncs of a round (a database killed): run beside them
   * when `rounds` picks the round, with the syncs under way and a way to sync every kiosk again
   * (to wait for the service to come back); the round ends when both have.
   */
  strike?: { rounds: (round: number) => boolean; run: (round: number, during: Strike) => Promise<void> };
  /** Told every answer a kiosk gets: its path, HTTP status (0 when none came) and when the request was sent (performance.now()). */
  onAnswer?: (path: string, status: number, sentAt: number) => void;
  /** Runs once everything has settled, before the count (a test breaks the server's rows here). */
  beforeCount?: (journal: readonly JournalEntry[]) => Promise<void>;
  onProgress?: (written: number) => void;
  seed?: number;
};

/** What a strike is given: the round's syncs under way, and a way to write and sync more. */
export type Strike = {
  syncs: Promise<unknown>;
  /** Every kiosk syncs once more. */
  syncAll: () => Promise<void>;
  /** Every kiosk writes one more redemption (journalled like the rest). */
  writeAll: () => Promise<void>;
};

/** One event a kiosk's store committed, with the level effects its kind declares. */
export type JournalEntry = {
  id: string;
  deviceId: string;
  seq: number;
  /** `ledger:<account>:<delta>` and `stock:<goods>:<delta>`, one per effect. */
  effects: string[];
  ledger: { accountId: string; delta: number }[];
  stock: { goodsId: string; delta: number }[];
};

export type ChaosResult = {
  /** Events the kiosks committed (their journals). */
  events: number;
  appliedOnce: number;
  appliedTwice: number;
  lost: number;
  /** Events with some effects on the server and not all, or effects that are not the kiosk's. */
  appliedPartly: number;
  /** Accounts whose balance differs from what the events imply. */
  balanceMismatches: number;
  /** Goods whose stock differs from what the events imply. */
  stockMismatches: number;
  /** Kiosks that show a balance or stock other than the server's. */
  kioskMismatches: number;
  breaches: unknown[];
  /** Events of the kiosks the server rejected. */
  rejected: number;
  kills: number;
  /** SIGKILLs sent while a request was open from the proxy to that server. */
  killsInFlight: number;
  syncRounds: number;
  /** Seconds from the faults stopping to every kiosk agreeing with the server. */
  catchUpSeconds: number;
};

const CENTRE = 'wzgl';
const STAFF = 'wzgl-s2';
let run = 0;

/** Gives the accounts plenty of points and the goods plenty of stock, through the import device. */
async function stockUp(db: Db, accountIds: readonly string[], goodsId: string): Promise<void> {
  const stockIn: EventBody = { kind: 'stockReceived', version: 1, payload: { goodsId, quantity: 9_999, source: 'donation', note: 'chaos' } };
  await pushAsImport(db, [
    ...accountIds.map((accountId): EventBody => ({ kind: 'pointsAwarded', version: 1, payload: { accountId, points: 100_000, category: 'other', note: 'chaos' } })),
    stockIn, stockIn, stockIn,
  ]);
}

/** The journal's line for an event the store committed: its level effects, from its kind. */
function journalled(event: LinliEvent): JournalEntry {
  // The kind's effects need a view only for words (a ledger memo names the goods).
  const { effects } = applyEvent({ row: () => undefined }, event, { eventId: event.id, at: Date.parse(event.at), staffId: event.staffId });
  const ledger = effects.flatMap((fx) => (fx.type === 'ledger' ? [{ accountId: fx.accountId, delta: fx.delta }] : []));
  const stock = effects.flatMap((fx) => (fx.type === 'stock' ? [{ goodsId: fx.goodsId, delta: fx.delta }] : []));
  return {
    id: event.id, deviceId: event.deviceId, seq: event.seq, ledger, stock,
    effects: [...ledger.map((l) => `ledger:${l.accountId}:${l.delta}`), ...stock.map((m) => `stock:${m.goodsId}:${m.delta}`)],
  };
}

type Levels = { accounts: Map<string, number>; goods: Map<string, number> };

async function levels(db: Db): Promise<Levels> {
  const accounts = await db.query<{ id: string; level: number }>('SELECT id, balance::int AS level FROM account WHERE centre_id = $1', [CENTRE]);
  const goods = await db.query<{ id: string; level: number }>('SELECT id, stock::int AS level FROM goods WHERE centre_id = $1', [CENTRE]);
  return { accounts: new Map(accounts.map((a) => [a.id, a.level])), goods: new Map(goods.map((g) => [g.id, g.level])) };
}

const add = (m: Map<string, number>, id: string, n: number) => m.set(id, (m.get(id) ?? 0) + n);

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  run += 1;
  const seed = o.seed ?? 7;
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const residents = await o.db.query<{ id: string; account_id: string }>(`SELECT id, account_id FROM resident WHERE centre_id = $1 ORDER BY id LIMIT 30`, [CENTRE]);
  const [goods] = await o.db.query<{ id: string; point_price: number }>(`SELECT id, point_price FROM goods WHERE centre_id = $1 AND point_price > 0 ORDER BY point_price, id LIMIT 1`, [CENTRE]);
  await stockUp(o.db, residents.map((r) => r.account_id), goods!.id);
  const before = await levels(o.db);
  const [clock0] = await o.db.query<{ seq: number }>('SELECT seq::int AS seq FROM centre_clock WHERE centre_id = $1', [CENTRE]);

  let turn = 0;
  const fetchFn: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    const proxy = o.proxies[turn++ % o.proxies.length]!;
    const sentAt = performance.now();
    const answer = fetch(`${proxy.url}${url.pathname}${url.search}`, init);
    if (o.onAnswer) answer.then((res) => o.onAnswer!(url.pathname, res.status, sentAt), () => o.onAnswer!(url.pathname, 0, sentAt));
    return answer;
  };
  let now = Date.now();
  o.setTime?.(now);
  const clock: Clock = { now: () => (now += 1), random: (n) => new Uint8Array(randomBytes(n)) };

  // Kiosks enrol with the faults off: a lost enrolment answer costs a pairing code, not data.
  for (const p of o.proxies) p.enabled = false;
  const kiosks: { db: LinliDb; client: SyncClient; journal: JournalEntry[] }[] = [];
  for (let i = 0; i < o.devices; i++) {
    const db = new LinliDb(`chaos-${run}-${i}-${seed}`);
    await SyncClient.enrol(db, 'http://linli.test', await createPairingCode(o.db, CENTRE, 'counter', new Date()), fetchFn);
    const client = new SyncClient(db, fetchFn);
    await client.sync();
    kiosks.push({ db, client, journal: [] });
  }
  for (const p of o.proxies) p.enabled = true;

  let kills = 0;
  let killsInFlight = 0;
  /** Kills the server once a push has gone to it (or not at all if the syncs end first). */
  const killDuring = async (k: NonNullable<ChaosOptions['kill']>, round: number, syncs: Promise<unknown>) => {
    if (!(await Promise.race([k.proxy.upstreamOpened('/api/sync/push').then(() => true), syncs.then(() => false)]))) return;
    const ms = k.afterMs(round);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms)); // where in the push the kill lands
    const inFlight = k.proxy.openUpstream > 0;
    const stopped = k.server.stop('SIGKILL'); // the signal goes before stop() first waits
    kills += 1;
    if (inFlight) killsInFlight += 1;
    await stopped;
    await k.server.start(); // same port, same database
    k.proxy.retarget(k.server.url);
  };

  const written = () => kiosks.reduce((n, k) => n + k.journal.length, 0);
  const writeOne = async (k: (typeof kiosks)[number]) => {
    const r = residents[Math.floor(rnd() * residents.length)]!;
    const result = await redeem(k.db, clock, { residentId: r.id, picks: [{ goodsId: goods!.id, quantity: 1 }] }, STAFF);
    if (!result.ok) throw new Error(`the kiosk refused a chaos redemption: ${result.error.key}`);
    k.journal.push(journalled(result.value.event));
  };
  let round = 0;
  while (written() < o.events) {
    await Promise.all(kiosks.map(async (k) => {
      for (let j = 0; j < o.perRound && written() < o.events; j++) await writeOne(k);
    }));
    now += o.roundMs ?? 0;
    o.setTime?.(now);
    if (o.online?.(round) ?? true) {
      const syncs = Promise.all(kiosks.map((k) => k.client.sync()));
      const during: Strike = {
        syncs,
        syncAll: async () => {
          await Promise.all(kiosks.map((k) => k.client.sync()));
        },
        writeAll: async () => {
          for (const k of kiosks) await writeOne(k);
        },
      };
      await Promise.all([syncs, o.kill?.rounds(round) ? killDuring(o.kill, round, syncs) : null, o.strike?.rounds(round) ? o.strike.run(round, during) : null]);
    }
    o.onProgress?.(written());
    round += 1;
  }

  // The faults stop; every kiosk syncs until nothing waits and it has pulled to the head.
  for (const p of o.proxies) p.enabled = false;
  const healed = performance.now();
  let syncRounds = 0;
  for (; syncRounds < 50; syncRounds++) {
    await Promise.all(kiosks.map((k) => k.client.sync()));
    const stillWaiting = await Promise.all(kiosks.map((k) => waiting(k.db)));
    if (stillWaiting.every((n) => n === 0)) break;
  }
  // Nothing waits anywhere now: one more pull each reaches what the others pushed last.
  await Promise.all(kiosks.map((k) => k.client.sync()));
  const catchUpSeconds = (performance.now() - healed) / 1000;

  const journal = kiosks.flatMap((k) => k.journal);
  await o.beforeCount?.(journal);
  const counted = await countAgainstJournal(o.db, journal, before, clock0!.seq);

  const after = await levels(o.db);
  let kioskMismatches = 0;
  for (const k of kiosks) {
    const view = await viewOf(k.db, { accounts: after.accounts.keys(), goods: after.goods.keys() });
    const differs = [...after.accounts].some(([id, b]) => balanceOf(view, id) !== b) || [...after.goods].some(([id, n]) => stockOf(view, id) !== n);
    if (differs) kioskMismatches += 1;
    k.client.stop();
    k.db.close();
  }
  return {
    events: journal.length, ...counted, kioskMismatches,
    breaches: await ledgerBreaches(o.db, CENTRE), kills, killsInFlight, syncRounds, catchUpSeconds,
  };
}

/**
 * Counts the server's rows against the kiosks' journals: how often each event's effects are
 * there, and whether each balance and stock is its level before the run (`before`, at change
 * sequence `sinceSeq`) plus the journals' effects plus what other devices did since.
 */
async function countAgainstJournal(db: Db, journal: readonly JournalEntry[], before: Levels, sinceSeq: number) {
  const ids = journal.map((e) => e.id);
  const devices = [...new Set(journal.map((e) => e.deviceId))];
  const rows = await db.query<{ event_id: string; effect: string }>(
    `SELECT event_id::text AS event_id, 'ledger:' || account_id || ':' || delta AS effect FROM ledger_entry WHERE centre_id = $1 AND event_id = ANY($2::uuid[])
     UNION ALL
     SELECT event_id::text, 'stock:' || goods_id || ':' || delta FROM stock_movement WHERE centre_id = $1 AND event_id = ANY($2::uuid[])`, [CENTRE, ids]);
  const onServer = new Map<string, string[]>();
  for (const r of rows) onServer.set(r.event_id, [...(onServer.get(r.event_id) ?? []), r.effect]);

  let appliedOnce = 0;
  let appliedTwice = 0;
  let lost = 0;
  let appliedPartly = 0;
  for (const e of journal) {
    const found = onServer.get(e.id) ?? [];
    const times = e.effects.map((fx) => found.filter((f) => f === fx).length);
    const foreign = found.some((f) => !e.effects.includes(f));
    if (times.some((n) => n > 1)) appliedTwice += 1;
    else if (found.length === 0) lost += 1;
    else if (!foreign && times.every((n) => n === 1)) appliedOnce += 1;
    else appliedPartly += 1;
  }

  // What the kiosks' events imply, and what other devices (the import device, the admin) did meanwhile.
  const expected: Levels = { accounts: new Map(before.accounts), goods: new Map(before.goods) };
  for (const e of journal) {
    for (const l of e.ledger) add(expected.accounts, l.accountId, l.delta);
    for (const m of e.stock) add(expected.goods, m.goodsId, m.delta);
  }
  const others = await db.query<{ level: 'accounts' | 'goods'; id: string; delta: number }>(
    `SELECT 'accounts' AS level, l.account_id AS id, sum(l.delta)::int AS delta FROM ledger_entry l JOIN event e ON e.centre_id = l.centre_id AND e.id = l.event_id AND e.outcome = 'applied'
       WHERE l.centre_id = $1 AND l.change_seq > $2 AND NOT (e.device_id = ANY($3)) GROUP BY l.account_id
     UNION ALL
     SELECT 'goods', m.goods_id, sum(m.delta)::int FROM stock_movement m JOIN event e ON e.centre_id = m.centre_id AND e.id = m.event_id AND e.outcome = 'applied'
       WHERE m.centre_id = $1 AND m.change_seq > $2 AND NOT (e.device_id = ANY($3)) GROUP BY m.goods_id`, [CENTRE, sinceSeq, devices]);
  for (const r of others) add(expected[r.level], r.id, r.delta);
  const now = await levels(db);
  const wrong = (level: 'accounts' | 'goods') => [...now[level]].filter(([id, n]) => n !== (expected[level].get(id) ?? 0)).length;

  const [rejected] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event WHERE device_id = ANY($1) AND outcome = 'rejected'`, [devices]);
  return { appliedOnce, appliedTwice, lost, appliedPartly, balanceMismatches: wrong('accounts'), stockMismatches: wrong('goods'), rejected: rejected?.n ?? 0 };
}
