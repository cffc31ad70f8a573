import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../../build/serverProcess.js';
import { buildApp } from '../../server/app.js';
import { runChaos, type ChaosResult } from '../support/chaos.js';
import { scratchDb, type ScratchDb } from '../support/db.js';
import { smallCentreDb } from '../support/centre.js';
import { FaultProxy } from '../support/faultProxy.js';

/**
 * Fault tests: the kiosks' real store and sync client against real servers through a proxy that
 * drops, delays, duplicates, reorders and cuts traffic; a server killed with SIGKILL mid-push;
 * two server processes on one PostgreSQL; three kiosks three simulated days offline. After each,
 * every event is on the server exactly once and every balance and stock agrees.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What a run's counters say, beside what they say when every event is on the server exactly once. */
const counted = (r: ChaosResult) => ({
  events: r.events, once: r.appliedOnce, twice: r.appliedTwice, lost: r.lost, partly: r.appliedPartly,
  balances: r.balanceMismatches, stocks: r.stockMismatches, kiosks: r.kioskMismatches, breaches: r.breaches, rejected: r.rejected,
});
const whole = (events: number) => ({ events, once: events, twice: 0, lost: 0, partly: 0, balances: 0, stocks: 0, kiosks: 0, breaches: [], rejected: 0 });

function expectWhole(r: ChaosResult, events: number): void {
  expect(counted(r)).toEqual(whole(events));
}

/** The small centre on PGlite behind a fault proxy. */
async function smallCentreBehindProxy(seed: number, now?: () => Date): Promise<{ db: ScratchDb; proxy: FaultProxy }> {
  const db = await smallCentreDb('pglite');
  const app: FastifyInstance = await buildApp({ db, now });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(async () => {
    await app.close();
    await db.drop();
  });
  return { db, proxy: await proxyTo(url, seed) };
}

async function proxyTo(target: string, seed: number): Promise<FaultProxy> {
  const proxy = new FaultProxy(target, undefined, seed);
  await proxy.start();
  cleanups.push(() => proxy.stop());
  return proxy;
}

/** The real server processes on one scratch PostgreSQL schema (the first seeds the centre). */
async function serverProcesses(count: number): Promise<{ db: ScratchDb; servers: ServerProcess[] }> {
  const db = await scratchDb('postgres');
  cleanups.push(() => db.drop());
  const servers: ServerProcess[] = [];
  for (let i = 0; i < count; i++) {
    const server = new ServerProcess({ DATABASE_URL: db.url!, LINLI_PAIRING_CODES: '0' });
    await server.start();
    cleanups.push(() => server.stop());
    servers.push(server);
  }
  return { db, servers };
}

// Real processes, restarts and thousands of requests: minutes on a busy 2-core machine, not a hang.
describe('sync under faults', { timeout: 180_000 }, () => {
  it('loses and doubles nothing through dropped, delayed, duplicated, reordered and cut traffic', async () => {
    const { db, proxy } = await smallCentreBehindProxy(11);
    const r = await runChaos({ db, proxies: [proxy], devices: 3, events: 450, perRound: 10 });
    expectWhole(r, 450);
    // Every kind of fault was met.
    expect(Object.values(proxy.counts).every((n) => n > 0)).toBe(true);
  });

  it('loses and doubles nothing when the server is killed with SIGKILL in the middle of pushes', async () => {
    const { db, servers } = await serverProcesses(1);
    const server = servers[0]!;
    const proxy = await proxyTo(server.url, 12);
    const r = await runChaos({
      db, proxies: [proxy], devices: 3, events: 600, perRound: 20,
      // Every other round; in rounds 1, 5, 9 the moment a push has left the proxy for the server, so it meets it in flight.
      kill: { server, proxy, rounds: (round) => round % 2 === 1, afterMs: (round) => (round % 4 === 1 ? 0 : 5 + (round * 7) % 30) },
    });
    expect(r.kills).toBeGreaterThanOrEqual(4);
    expect(r.killsInFlight).toBeGreaterThanOrEqual(2);
    expect(proxy.openUpstream).toBe(0); // the count of open requests comes back down: it is not stuck above 0
    expectWhole(r, 600);
  });

  it('two server processes serve one centre from one PostgreSQL, through faults', async () => {
    const { db, servers } = await serverProcesses(2);
    const proxies = [await proxyTo(servers[0]!.url, 13), await proxyTo(servers[1]!.url, 14)];
    const r = await runChaos({ db, proxies, devices: 3, events: 450, perRound: 15 });
    expectWhole(r, 450);
    const served = proxies.map((p) => Object.values(p.counts).reduce((a, b) => a + b, 0));
    expect(served.every((n) => n > 20)).toBe(true);
  });

  it('three kiosks three simulated days offline come back and agree', async () => {
    let serverNow = Date.now();
    const { db, proxy } = await smallCentreBehindProxy(15, () => new Date(serverNow));
    const day = 86_400_000;
    // Three days of a counter's work each, eight hours a day, one round per hour; offline throughout.
    const r = await runChaos({
      db, proxies: [proxy], devices: 3, events: 3 * 3 * 8 * 5, perRound: 5, roundMs: day / 8,
      online: () => false, setTime: (ms) => void (serverNow = ms),
    });
    expectWhole(r, 360);
    // The corrected times stay within the server's clock: nothing was flagged for time.
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rule_exception WHERE kind = 'clockSkew'`))[0]!.n).toBe(0);
  });

  it('counts an event applied twice, an event lost and a balance moved without an event, from the rows', async () => {
    const { db, proxy } = await smallCentreBehindProxy(16);
    proxy.enabled = false;
    const broken = { twice: '', moved: '' };
    const r = await runChaos({
      db, proxies: [proxy], devices: 3, events: 60, perRound: 10,
      // The server's rows as three failures would leave them, after everything has settled.
      beforeCount: async (journal) => {
        const [twice, gone, moved] = [...new Map(journal.map((e) => [e.ledger[0]!.accountId, e])).values()];
        const [l] = twice!.ledger;
        const [m] = twice!.stock;
        // Applied a second time: its effects again, under ids of their own.
        await db.query(`INSERT INTO ledger_entry (id, centre_id, account_id, event_id, delta, kind, at, change_seq, memo)
          SELECT id || ':again', centre_id, account_id, event_id, delta, kind, at, change_seq, memo FROM ledger_entry WHERE centre_id = 'wzgl' AND event_id = $1`, [twice!.id]);
        await db.query(`INSERT INTO stock_movement (id, centre_id, goods_id, event_id, delta, change_seq)
          SELECT id || ':again', centre_id, goods_id, event_id, delta, change_seq FROM stock_movement WHERE centre_id = 'wzgl' AND event_id = $1`, [twice!.id]);
        await db.query(`UPDATE account SET balance = balance + $2 WHERE centre_id = 'wzgl' AND id = $1`, [l!.accountId, l!.delta]);
        await db.query(`UPDATE goods SET stock = stock + $2 WHERE centre_id = 'wzgl' AND id = $1`, [m!.goodsId, m!.delta]);
        // Lost: its effects gone (its event row says applied all the same).
        await db.query(`DELETE FROM ledger_entry WHERE centre_id = 'wzgl' AND event_id = $1`, [gone!.id]);
        await db.query(`DELETE FROM stock_movement WHERE centre_id = 'wzgl' AND event_id = $1`, [gone!.id]);
        await db.query(`UPDATE account SET balance = balance - $2 WHERE centre_id = 'wzgl' AND id = $1`, [gone!.ledger[0]!.accountId, gone!.ledger[0]!.delta]);
        await db.query(`UPDATE goods SET stock = stock - $2 WHERE centre_id = 'wzgl' AND id = $1`, [gone!.stock[0]!.goodsId, gone!.stock[0]!.delta]);
        // A balance moved by nothing the kiosks or anyone else wrote.
        await db.query(`UPDATE account SET balance = balance + 1 WHERE centre_id = 'wzgl' AND id = $1`, [moved!.ledger[0]!.accountId]);
        Object.assign(broken, { twice: twice!.id, moved: moved!.ledger[0]!.accountId });
      },
    });
    // The doubled stock movement and the lost one cancel out on the shelf; the three balances do not.
    expect(counted(r)).toEqual({
      ...whole(60), once: 58, twice: 1, lost: 1, balances: 3, kiosks: 3,
      breaches: expect.arrayContaining([{ what: 'ledgerTwice', id: broken.twice }, { what: 'balance', id: broken.moved }]),
    });
    expect(r.breaches).toHaveLength(2);
  });
});
