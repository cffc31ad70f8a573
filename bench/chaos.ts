import { ServerProcess } from '../build/serverProcess.js';
import { buildApp } from '../server/app.js';
import { runChaos, type ChaosResult } from '../test/support/chaos.js';
import { smallCentreDb } from '../test/support/centre.js';
import { scratchDb } from '../test/support/db.js';
import { FaultProxy } from '../test/support/faultProxy.js';

type Say = (text: string) => void;

/**
 * The chaos run, on the full demo centre (8,507 residents, a year of history): three kiosks (real
 * store and sync client, each first pulling the whole centre) write 10,200 redemptions through
 * fault proxies to two server processes on one PostgreSQL; one process is killed with SIGKILL
 * every fifth round 0–24 ms after a push has gone to it, and every fourth round the kiosks stay
 * offline. Answers what the server holds, counted against the kiosks' journals.
 */
export async function chaosFigures(events: number, say: Say): Promise<ChaosResult> {
  const db = await scratchDb('postgres');
  const servers = [0, 1].map(() => new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'full', LINLI_PAIRING_CODES: '0' }));
  const proxies: FaultProxy[] = [];
  try {
    say('  chaos: seeding the demo centre…');
    for (const s of servers) await s.start();
    for (const [i, s] of servers.entries()) {
      proxies.push(new FaultProxy(s.url, undefined, 101 + i));
      await proxies[i]!.start();
    }
    const r = await runChaos({
      db, proxies, devices: 3, events, perRound: 50, seed: 99,
      online: (round) => round % 4 !== 3,
      kill: { server: servers[0]!, proxy: proxies[0]!, rounds: (round) => round % 5 === 2, afterMs: (round) => (round * 7) % 25 },
      onProgress: (n) => say(`  chaos: ${n} events written`),
    });
    const faults = proxies.map((p) => Object.entries(p.counts).map(([f, n]) => `${f} ${n}`).join(', '));
    say(`  chaos: ${r.kills} SIGKILLs (${r.killsInFlight} with a request in flight); faults met: ${faults.join(' | ')}; ${r.syncRounds + 1} rounds to settle`);
    return r;
  } finally {
    for (const p of proxies) await p.stop();
    for (const s of servers) await s.stop();
    await db.drop();
  }
}

/** What a chaos run got wrong beyond the figures, in words (empty when nothing). */
export function chaosWrongs(r: ChaosResult): string[] {
  const wrongs = [
    [r.appliedPartly, 'events applied in part'], [r.stockMismatches, 'stocks that differ from the events'],
    [r.breaches.length, 'ledger breaches'], [r.rejected, 'kiosk events rejected'],
  ] as const;
  return wrongs.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
}

/**
 * Three kiosks work three simulated days offline (eight hours a day, 25 redemptions an hour each)
 * against a server on PGlite (the small demo centre) whose clock moves with theirs, then come back: answers the seconds
 * from reconnecting until all three have pushed and pulled to agreement.
 */
export async function catchUpThreeDays(say: Say): Promise<{ seconds: number; events: number }> {
  const db = await smallCentreDb('pglite');
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
    if (r.appliedOnce !== r.events || r.balanceMismatches + r.kioskMismatches > 0 || chaosWrongs(r).length > 0) throw new Error(`catch-up did not agree: ${JSON.stringify(r)}`);
    say(`  catch-up: ${r.events} events pushed and pulled in ${r.syncRounds + 1} rounds`);
    return { seconds: r.catchUpSeconds, events: r.events };
  } finally {
    await proxy.stop();
    await app.close();
    await db.drop();
  }
}
