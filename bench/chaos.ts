import { ServerProcess } from '../build/serverProcess.js';
import { buildApp } from '../server/app.js';
import { runChaos } from '../test/support/chaos.js';
import { seedSmallCentre } from '../test/support/centre.js';
import { scratchDb } from '../test/support/db.js';
import { FaultProxy } from '../test/support/faultProxy.js';

type Say = (text: string) => void;

/**
 * The chaos run: three kiosks (real store and sync client) write at least 10,000 redemptions
 * through fault proxies to two server processes on one PostgreSQL; one of the processes is
 * killed with SIGKILL every fifth round while pushes are in flight, and every fourth round the
 * kiosks stay offline. Answers what reached the server: events written, lost and duplicated.
 */
export async function chaosFigures(events: number, say: Say): Promise<{ events: number; lost: number; duplicated: number; breaches: number; mismatches: number }> {
  const db = await scratchDb('postgres');
  const servers = [new ServerProcess({ DATABASE_URL: db.url!, LINLI_PAIRING_CODES: '0' }), new ServerProcess({ DATABASE_URL: db.url!, LINLI_PAIRING_CODES: '0' })];
  const proxies: FaultProxy[] = [];
  try {
    for (const s of servers) await s.start();
    for (const [i, s] of servers.entries()) {
      proxies.push(new FaultProxy(s.url, undefined, 101 + i));
      await proxies[i]!.start();
    }
    let kills = 0;
    const r = await runChaos({
      db, proxies, devices: 3, events, perRound: 50, seed: 99,
      online: (round) => round % 4 !== 3,
      duringSync: async (round) => {
        if (round % 5 !== 2) return;
        await new Promise((resolve) => setTimeout(resolve, 10 + (round * 13) % 40));
        await servers[0]!.stop('SIGKILL');
        kills += 1;
        await servers[0]!.start();
        proxies[0]!.retarget(servers[0]!.url);
      },
      onProgress: (n) => say(`  chaos: ${n} events written`),
    });
    const faults = proxies.map((p) => Object.entries(p.counts).map(([f, n]) => `${f} ${n}`).join(', '));
    say(`  chaos: ${kills} SIGKILLs; faults met: ${faults.join(' | ')}; ${r.syncRounds + 1} rounds to settle`);
    return { events: r.events, lost: r.lost, duplicated: r.duplicated, breaches: r.breaches.length, mismatches: r.balanceMismatches + r.kioskMismatches };
  } finally {
    for (const p of proxies) await p.stop();
    for (const s of servers) await s.stop();
    await db.drop();
  }
}

/**
 * Three kiosks work three simulated days offline (eight hours a day, 25 redemptions an hour each)
 * against a server on PGlite whose clock moves with theirs, then come back: answers the seconds
 * from reconnecting until all three have pushed and pulled to agreement.
 */
export async function catchUpThreeDays(say: Say): Promise<{ seconds: number; events: number }> {
  const db = await scratchDb('pglite');
  await seedSmallCentre(db);
  let serverNow = Date.now();
  const app = await buildApp({ db, now: () => new Date(serverNow) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const proxy = new FaultProxy(url, { pass: 1 });
  await proxy.start();
  try {
    const r = await runChaos({
      db, proxies: [proxy], devices: 3, events: 3 * 3 * 8 * 25, perRound: 25, roundMs: 3 * 3_600_000, // 24 rounds of 3 h: three days
      online: () => false, setTime: (ms) => void (serverNow = ms),
    });
    if (r.lost + r.duplicated + r.balanceMismatches + r.kioskMismatches > 0) throw new Error(`catch-up did not agree: ${JSON.stringify(r)}`);
    say(`  catch-up: ${r.events} events pushed and pulled in ${r.syncRounds + 1} rounds`);
    return { seconds: r.catchUpSeconds, events: r.events };
  } finally {
    await proxy.stop();
    await app.close();
    await db.drop();
  }
}
