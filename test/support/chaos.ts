import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { balanceOf, type EventBody } from '../../core/index.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { viewOf } from '../../renderer/src/store/view.js';
import { SyncClient } from '../../renderer/src/sync/client.js';
import type { Db } from '../../server/db/db.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { ledgerBreaches, pushAsImport } from './centre.js';
import type { FaultProxy } from './faultProxy.js';

/**
 * Chaos runs: kiosks with the real store and sync client (Dexie over an in-memory IndexedDB)
 * redeem through a fault proxy to real servers, round after round; between rounds the test may
 * kill a server, and a round may be offline. At the end the faults stop, every kiosk syncs until
 * its outbox is empty, and the server is checked: every event written on a kiosk is applied
 * exactly once, every balance equals its ledger and the kiosks' expectations, every stock its
 * movements, and every kiosk shows what the server holds.
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
  /** Runs while round `r`'s syncs are in flight (to kill a server mid-push). */
  duringSync?: (round: number) => Promise<void>;
  onProgress?: (written: number) => void;
  seed?: number;
};

export type ChaosResult = {
  events: number;
  lost: number;
  duplicated: number;
  balanceMismatches: number;
  kioskMismatches: number;
  breaches: unknown[];
  rejected: number;
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
  const before = new Map((await o.db.query<{ id: string; balance: number }>('SELECT id, balance FROM account WHERE id = ANY($1)', [residents.map((r) => r.account_id)])).map((a) => [a.id, a.balance]));

  let turn = 0;
  const fetchFn: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    const proxy = o.proxies[turn++ % o.proxies.length]!;
    return fetch(`${proxy.url}${url.pathname}${url.search}`, init);
  };
  let now = Date.now();
  o.setTime?.(now);
  const clock: Clock = { now: () => (now += 1), random: (n) => new Uint8Array(randomBytes(n)) };

  // Kiosks enrol with the faults off: a lost enrolment answer costs a pairing code, not data.
  for (const p of o.proxies) p.enabled = false;
  const kiosks: { db: LinliDb; client: SyncClient }[] = [];
  for (let i = 0; i < o.devices; i++) {
    const db = new LinliDb(`chaos-${run}-${i}-${seed}`);
    await SyncClient.enrol(db, 'http://linli.test', await createPairingCode(o.db, CENTRE, 'counter', new Date()), fetchFn);
    const client = new SyncClient(db, fetchFn);
    await client.sync();
    kiosks.push({ db, client });
  }
  for (const p of o.proxies) p.enabled = true;

  const spent = new Map<string, number>();
  let written = 0;
  let round = 0;
  while (written < o.events) {
    await Promise.all(kiosks.map(async (k) => {
      for (let j = 0; j < o.perRound && written < o.events; j++) {
        const r = residents[Math.floor(rnd() * residents.length)]!;
        const result = await redeem(k.db, clock, { residentId: r.id, picks: [{ goodsId: goods!.id, quantity: 1 }] }, STAFF);
        if (!result.ok) throw new Error(`the kiosk refused a chaos redemption: ${result.error.key}`);
        written += 1;
        spent.set(r.account_id, (spent.get(r.account_id) ?? 0) + goods!.point_price);
      }
    }));
    now += o.roundMs ?? 0;
    o.setTime?.(now);
    if (o.online?.(round) ?? true) await Promise.all([...kiosks.map((k) => k.client.sync()), o.duringSync?.(round)]);
    o.onProgress?.(written);
    round += 1;
  }

  // The faults stop; every kiosk syncs until nothing waits and it has pulled to the head.
  for (const p of o.proxies) p.enabled = false;
  const healed = performance.now();
  let syncRounds = 0;
  for (; syncRounds < 50; syncRounds++) {
    await Promise.all(kiosks.map((k) => k.client.sync()));
    const waiting = await Promise.all(kiosks.map((k) => k.db.outbox.count()));
    if (waiting.every((n) => n === 0)) break;
  }
  // Nothing waits anywhere now: one more pull each reaches what the others pushed last.
  await Promise.all(kiosks.map((k) => k.client.sync()));
  const catchUpSeconds = (performance.now() - healed) / 1000;

  let lost = 0;
  let rejected = 0;
  const deviceIds: string[] = [];
  for (const k of kiosks) {
    const device = (await k.db.device())!;
    deviceIds.push(device.deviceId);
    const next = ((await k.db.meta.get('seq')) as { next: number }).next;
    const [row] = await o.db.query<{ applied: number; rejected: number }>(
      `SELECT count(DISTINCT seq) FILTER (WHERE outcome = 'applied')::int AS applied, count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected FROM event WHERE device_id = $1`, [device.deviceId]);
    lost += next - 1 - (row?.applied ?? 0);
    rejected += row?.rejected ?? 0;
  }
  const [dup] = await o.db.query<{ ledger: number; movements: number; events: number }>(
    `SELECT (SELECT count(*) - count(DISTINCT event_id) FROM ledger_entry l JOIN event e ON e.id = l.event_id WHERE e.device_id = ANY($1))::int AS ledger,
            (SELECT count(*) - count(DISTINCT event_id) FROM stock_movement m JOIN event e ON e.id = m.event_id WHERE e.device_id = ANY($1))::int AS movements,
            (SELECT count(*) - count(DISTINCT id) FROM event WHERE device_id = ANY($1))::int AS events`, [deviceIds]);
  const after = new Map((await o.db.query<{ id: string; balance: number }>('SELECT id, balance FROM account WHERE id = ANY($1)', [[...before.keys()]])).map((a) => [a.id, a.balance]));
  const balanceMismatches = [...before].filter(([id, b]) => after.get(id) !== b - (spent.get(id) ?? 0)).length;
  let kioskMismatches = 0;
  for (const k of kiosks) {
    const view = await viewOf(k.db, { accounts: before.keys() });
    kioskMismatches += [...after].filter(([id, b]) => balanceOf(view, id) !== b).length;
    k.client.stop();
    k.db.close();
  }
  return {
    events: written, lost, duplicated: (dup?.ledger ?? 0) + (dup?.movements ?? 0) + (dup?.events ?? 0), balanceMismatches, kioskMismatches,
    breaches: await ledgerBreaches(o.db, CENTRE), rejected, syncRounds, catchUpSeconds,
  };
}
