import { ServerProcess } from '../../build/serverProcess.js';
import { openPostgres, type Db } from '../../server/db/db.js';
import { runChaos, type ChaosResult } from './chaos.js';
import { AutoFailover, Haproxy } from './cluster.js';
import { FaultProxy } from './faultProxy.js';

type Say = (text: string) => void;

/** What a failover run saw: the chaos count, and the seconds from the primary's death to the first push accepted. */
export type FailoverRun = { result: ChaosResult; failoverSeconds: number; serverKilled: boolean; primaryKilled: number; primaryAfter: number | null };

/**
 * A city's layout under the two deaths it must survive, with three kiosks (the real store and sync
 * client) redeeming through HAProxy to two server processes on a pg_auto_failover pair (the small
 * demo centre on it):
 * - in round `killServerRound`, one server process is killed with SIGKILL once a push is under way,
 *   and started again on its port (HAProxy sends its kiosks to the other meanwhile);
 * - in round `killPrimaryRound`, the primary database node is killed (keeper and PostgreSQL) once
 *   a push is under way; the kiosks sync again and again until a push is accepted (the standby
 *   promoted, the servers moved to it), which times the failover.
 * Then every kiosk syncs until nothing waits, and the new primary's rows are counted against what
 * the kiosks wrote (test/support/chaos.ts).
 */
export async function failoverRun(say: Say, o: { events: number; killServerRound: number; killPrimaryRound: number }): Promise<FailoverRun> {
  const cluster = await AutoFailover.start(say);
  const servers = [0, 1].map(() => new ServerProcess({ DATABASE_URL: cluster.url, LINLI_DEMO: 'small', LINLI_PAIRING_CODES: '0' }));
  let haproxy: Haproxy | null = null;
  let proxy: FaultProxy | null = null;
  let db: Db | null = null;
  try {
    say('failover: two server processes, HAProxy in front…');
    for (const s of servers) await s.start();
    haproxy = await Haproxy.start(servers.map((s) => s.url));
    // A proxy that lets everything pass: what the chaos run needs to see when a push is under way.
    proxy = new FaultProxy(haproxy.url, { pass: 1 });
    await proxy.start();
    db = await openPostgres(cluster.url, 2);
    const [sync] = await db.query<{ names: string }>('SELECT current_setting($1) AS names', ['synchronous_standby_names']);
    say(`failover: synchronous_standby_names = ${sync?.names ?? '?'}`);

    let killedAt = 0;
    let acceptedAt = 0;
    let serverKilled = false;
    let primaryKilled = 0;
    const pushUnderWay = (syncs: Promise<unknown>) => Promise.race([proxy!.upstreamOpened('/api/sync/push').then(() => true), syncs.then(() => false)]);
    const result = await runChaos({
      db, proxies: [proxy], devices: 3, events: o.events, perRound: 50, seed: 31,
      // A push sent after the death and accepted: the one under way when it died does not count.
      onAnswer: (path, status, sentAt) => {
        if (path === '/api/sync/push' && status === 200 && killedAt > 0 && sentAt > killedAt && acceptedAt === 0) acceptedAt = performance.now();
      },
      strike: {
        rounds: (round) => round === o.killServerRound || round === o.killPrimaryRound,
        run: async (round, { syncs, syncAll, writeAll }) => {
          if (!(await pushUnderWay(syncs))) return;
          if (round === o.killServerRound) {
            say('failover: SIGKILL to server process 1 with a push under way…');
            await servers[0]!.stop('SIGKILL');
            serverKilled = true;
            await syncs;
            await servers[0]!.start();
            return;
          }
          const primary = await cluster.primaryPort();
          if (primary === null) throw new Error('no primary to kill');
          say(`failover: killing the primary (port ${primary}) with a push under way…`);
          killedAt = performance.now();
          cluster.killNode(primary);
          primaryKilled = primary;
          await syncs;
          // The kiosks go on working and asking, as their timers would, until a push is accepted again.
          for (let tries = 0; acceptedAt === 0; tries++) {
            if (tries > 1_200) throw new Error(`no push accepted within a minute of the primary's death: ${JSON.stringify(await cluster.nodes().catch(() => []))}`);
            if (tries % 20 === 0) await writeAll();
            await syncAll();
            if (acceptedAt === 0) await new Promise((resolve) => setTimeout(resolve, 50));
          }
          say(`failover: a push accepted ${((acceptedAt - killedAt) / 1000).toFixed(1)} s after; the monitor says ${JSON.stringify(await cluster.nodes())}`);
        },
      },
      // The count's own connection was on the dead primary: its first question moves it.
      beforeCount: async () => {
        await db!.query('SELECT 1').catch(() => db!.query('SELECT 1'));
      },
      onProgress: (n) => say(`failover: ${n} events written`),
    });
    return { result, failoverSeconds: (acceptedAt - killedAt) / 1000, serverKilled, primaryKilled, primaryAfter: await cluster.primaryPort() };
  } finally {
    await db?.close();
    await proxy?.stop();
    await haproxy?.stop();
    for (const s of servers) await s.stop();
    await cluster.stop();
  }
}
