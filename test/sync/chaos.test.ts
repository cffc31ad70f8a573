import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerProcess } from '../../build/serverProcess.js';
import { buildApp } from '../../server/app.js';
import { runChaos, type ChaosResult } from '../support/chaos.js';
import { scratchDb, type ScratchDb } from '../support/db.js';
import { seedSmallCentre } from '../support/centre.js';
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

function expectWhole(r: ChaosResult, events: number): void {
  expect({ events: r.events, lost: r.lost, duplicated: r.duplicated, balances: r.balanceMismatches, kiosks: r.kioskMismatches, breaches: r.breaches, rejected: r.rejected })
    .toEqual({ events, lost: 0, duplicated: 0, balances: 0, kiosks: 0, breaches: [], rejected: 0 });
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

describe('sync under faults', () => {
  it('loses and doubles nothing through dropped, delayed, duplicated, reordered and cut traffic', async () => {
    const db = await scratchDb('pglite');
    await seedSmallCentre(db);
    const app: FastifyInstance = await buildApp({ db });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(async () => {
      await app.close();
      await db.drop();
    });
    const proxy = await proxyTo(url, 11);
    const r = await runChaos({ db, proxies: [proxy], devices: 3, events: 450, perRound: 10 });
    expectWhole(r, 450);
    // Every kind of fault was met.
    expect(Object.values(proxy.counts).every((n) => n > 0)).toBe(true);
  });

  it('loses and doubles nothing when the server is killed with SIGKILL in the middle of pushes', async () => {
    const { db, servers } = await serverProcesses(1);
    const server = servers[0]!;
    const proxy = await proxyTo(server.url, 12);
    let kills = 0;
    const r = await runChaos({
      db, proxies: [proxy], devices: 3, events: 600, perRound: 20,
      duringSync: async (round) => {
        if (round % 2 !== 1) return;
        await new Promise((resolve) => setTimeout(resolve, 5 + (round * 7) % 30));
        await server.stop('SIGKILL');
        kills += 1;
        await server.start(); // same port, same database
        proxy.retarget(server.url);
      },
    });
    expect(kills).toBeGreaterThanOrEqual(4);
    // Requests were in flight (or on their way) when the server died.
    expect(proxy.serverGone).toBeGreaterThan(0);
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
    const db = await scratchDb('pglite');
    await seedSmallCentre(db);
    let serverNow = Date.now();
    const app = await buildApp({ db, now: () => new Date(serverNow) });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(async () => {
      await app.close();
      await db.drop();
    });
    const proxy = await proxyTo(url, 15);
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
});
