import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { restoreBackup, writeBackup } from '../../server/backup/backup.js';
import { redeem, registerResident, type Clock } from '../../renderer/src/store/actions.js';
import { residentByCard, viewOf, waiting } from '../../renderer/src/store/view.js';
import { type ScratchDb } from '../support/db.js';
import { syncedStore } from '../support/store.js';
import { injectFetch } from '../support/kiosk.js';
import { smallCentreDb, ledgerBreaches, NOW, pushAsImport, smallCentreRows } from '../support/centre.js';

/**
 * A restore loses nothing a kiosk still holds (DESIGN.md): the server is backed up, the kiosks go on
 * working and sync, the server is restored from the backup (a new epoch), and the kiosks come back:
 * each takes the restored state in, pushes again what the server lost, and every event is on the
 * server exactly once, with balances that agree everywhere.
 */
const rows = smallCentreRows();
const rich = [...rows.residents].slice(0, 6);
const tissues = rows.goods[0]!;

describe('a server restored from a backup', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const fetchFn: typeof fetch = (input, init) => injectFetch(app)(input, init);

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    // Points enough for every redemption the test makes.
    await pushAsImport(db, rich.map((r) => ({ kind: 'pointsAwarded', version: 1, payload: { accountId: r.accountId, points: 1000, category: 'volunteering', note: '' } })));
    app = await buildApp({ db, now: () => NOW });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('takes the kiosks\' kept events again: nothing lost, nothing twice, everyone agrees', async () => {
    const kiosks = await Promise.all(['restore-a', 'restore-b'].map((name) => syncedStore(name, db, fetchFn, 'counter', NOW)));
    const [a, b] = kiosks as [typeof kiosks[0], typeof kiosks[0]];
    const redeemOn = async (k: typeof a, i: number) => {
      const r = rich[i % rich.length]!;
      const done = await redeem(k.db, clock, { residentId: r.id, picks: [{ goodsId: tissues.id, quantity: 1 }] }, 'wzgl-s2');
      expect(done.ok).toBe(true);
    };
    // Before the backup: two redemptions each, synced.
    for (let i = 0; i < 2; i++) await redeemOn(a, i);
    for (let i = 0; i < 2; i++) await redeemOn(b, i + 2);
    for (const k of kiosks) await k.client.sync();

    const backup: string[] = [];
    await writeBackup(db, 'wzgl', async (chunk) => {
      backup.push(chunk);
    });

    // After it: more work, a resident registered, all synced and acknowledged.
    for (let i = 0; i < 3; i++) await redeemOn(a, i);
    const registered = await registerResident(b.db, clock, { name: '孙丽', phone: '', building: '5栋', room: '101', birthDate: '', flags: [] }, 'wzgl-s2');
    expect(registered.ok).toBe(true);
    await redeemOn(b, 4);
    for (const k of kiosks) await k.client.sync();
    for (const k of kiosks) expect(await waiting(k.db)).toBe(0);
    const written = (await Promise.all(kiosks.map((k) => k.db.outbox.toArray()))).flat().map((r) => r.id);
    expect(written).toHaveLength(9);

    // The server's disk is lost: it is restored from the backup.
    const restored = await restoreBackup(db, { staffId: 'wzgl-s1', centreId: 'wzgl', tokenHash: '' }, (async function* () {
      for (const chunk of backup) for (const line of chunk.split('\n')) if (line) yield line;
    })());
    expect(restored.epoch).not.toBe('');
    const lostOnServer = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event WHERE id = ANY($1::uuid[])', [written]);
    expect(lostOnServer[0]!.n).toBe(4);

    // The kiosks come back.
    for (let round = 0; round < 3; round++) for (const k of kiosks) await k.client.sync();
    const onServer = await db.query<{ id: string; n: number }>(
      "SELECT id::text AS id, count(*)::int AS n FROM event WHERE id = ANY($1::uuid[]) AND outcome = 'applied' GROUP BY id", [written]);
    expect(onServer.length).toBe(written.length);
    expect(onServer.every((e) => e.n === 1)).toBe(true);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    for (const k of kiosks) expect(await waiting(k.db)).toBe(0);
    // The resident registered after the backup is back, on both kiosks.
    const card = registered.ok ? registered.value.resident.cardCode : '';
    for (const k of kiosks) expect(await residentByCard(k.db, card)).toMatchObject({ resident: { name: '孙丽' } });
    // Every balance the kiosks show is the server's.
    const server = new Map((await db.query<{ id: string; balance: number }>('SELECT id, balance FROM account WHERE id = ANY($1)', [rich.map((r) => r.accountId)])).map((x) => [x.id, x.balance]));
    for (const k of kiosks) {
      const view = await viewOf(k.db, { accounts: rich.map((r) => r.accountId) });
      for (const r of rich) expect(balanceOf(view, r.accountId)).toBe(server.get(r.accountId));
    }
    for (const k of kiosks) k.db.close();
  });
});
