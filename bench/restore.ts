import 'fake-indexeddb/auto';
import { buildApp } from '../server/app.js';
import { restoreBackup, writeBackup } from '../server/backup/backup.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { redeem, type Clock } from '../renderer/src/store/actions.js';
import { LinliDb } from '../renderer/src/store/db.js';
import { SyncClient } from '../renderer/src/sync/client.js';
import { pushAsImport, smallCentreDb, smallCentreRows } from '../test/support/centre.js';
import { injectFetch } from '../test/support/kiosk.js';

/**
 * `restore_lost`: three kiosks redeem, the server is backed up, they redeem more and sync (the
 * server acknowledges it all), the server is restored from the backup, the kiosks come back.
 * Answers the events the kiosks wrote that the server does not hold once after that: 0 is right.
 */
export async function restoreLost(perKiosk: number, say: (text: string) => void): Promise<{ written: number; lost: number }> {
  const db = await smallCentreDb('pglite');
  const app = await buildApp({ db });
  const fetchFn: typeof fetch = (input, init) => injectFetch(app)(input, init);
  let tick = 0;
  const clock: Clock = { now: () => Date.now() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const rows = smallCentreRows();
  const goods = rows.goods.filter((g) => g.pointPrice <= 40);
  try {
    await pushAsImport(db, rows.residents.map((r) => ({ kind: 'pointsAwarded', version: 1, payload: { accountId: r.accountId, points: 100_000, category: 'other', note: 'bench' } })));
    await pushAsImport(db, goods.map((g) => ({ kind: 'stockReceived', version: 1, payload: { goodsId: g.id, quantity: 9_999, source: 'purchase', note: 'bench' } })));
    const kiosks = await Promise.all([1, 2, 3].map(async (n) => {
      const k = new LinliDb(`bench-restore-${n}-${Date.now()}`);
      await SyncClient.enrol(k, 'http://linli.test', await createPairingCode(db, 'wzgl', 'counter', new Date()), fetchFn);
      const client = new SyncClient(k, fetchFn);
      await client.sync();
      return { db: k, client };
    }));
    // Every event a kiosk committed, as the store answered it: counted before the restore, so an
    // event a kiosk let go of (the defect this figure watches for) counts as lost.
    const written: string[] = [];
    const work = async (count: number) => {
      for (let i = 0; i < count; i++) {
        for (const [n, k] of kiosks.entries()) {
          const r = rows.residents[(i * 3 + n) % rows.residents.length]!;
          const done = await redeem(k.db, clock, { residentId: r.id, picks: [{ goodsId: goods[i % goods.length]!.id, quantity: 1 }] }, 'wzgl-s2');
          if (done.ok) written.push(done.value.event.id);
        }
      }
      for (const k of kiosks) await k.client.sync();
    };
    await work(perKiosk / 2);
    const backup: string[] = [];
    await writeBackup(db, 'wzgl', async (chunk) => void backup.push(chunk));
    say(`  restore: backed up; ${perKiosk / 2} more redemptions per kiosk, then the restore`);
    await work(perKiosk / 2);
    await restoreBackup(db, { staffId: 'wzgl-s1', centreId: 'wzgl', tokenHash: '' }, (async function* () {
      for (const chunk of backup) for (const line of chunk.split('\n')) if (line) yield line;
    })());
    for (let round = 0; round < 3; round++) for (const k of kiosks) await k.client.sync();
    const [held] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM (SELECT id FROM event WHERE id = ANY($1::uuid[]) AND outcome = 'applied' GROUP BY id HAVING count(*) = 1) x", [written]);
    for (const k of kiosks) k.db.close();
    return { written: written.length, lost: written.length - (held?.n ?? 0) };
  } finally {
    await app.close();
    await db.drop();
  }
}
