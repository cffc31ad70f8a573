import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb, type OutboxRow } from '../../renderer/src/store/db.js';
import { SyncClient } from '../../renderer/src/sync/client.js';
import { isQuotaError } from '../../renderer/src/sync/exportOutbox.js';
import { formatMessage, KIOSK_SCHEMA_VERSION, REPLICATED, TABLE_NAMES } from '../../core/index.js';
import { type ScratchDb } from '../support/db.js';
import { syncedStore } from '../support/store.js';
import { injectFetch } from '../support/kiosk.js';
import { smallCentreDb, NOW, smallCentreRows } from '../support/centre.js';

/**
 * The kiosk's storage holding: a write refused for quota (a full disk) loses nothing and leaves
 * no hole in the seqs; a kiosk of database version 1 opens as version 2 with its outbox intact.
 */
const rows = smallCentreRows();
const resident = rows.residents.find((r) => r.isVolunteer)!;
const tissues = rows.goods[0]!;

describe('kiosk storage', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const fetchFn: typeof fetch = (input, init) => injectFetch(app)(input, init);

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('a quota error refuses the redemption in plain words, keeps every saved event and skips no seq', async () => {
    const { db: kiosk } = await syncedStore('kiosk-quota', db, fetchFn, 'counter', NOW);
    const command = { residentId: resident.id, picks: [{ goodsId: tissues.id, quantity: 1 }] };
    expect((await redeem(kiosk, clock, command, 'wzgl-s2')).ok).toBe(true);

    // The disk fills: IndexedDB refuses the outbox write as browsers do.
    const full = (): never => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    kiosk.outbox.hook('creating', full);
    const refused = await redeem(kiosk, clock, command, 'wzgl-s2').then(() => null, (err: unknown) => err);
    expect(isQuotaError(refused)).toBe(true);
    expect(formatMessage({ key: 'storageFull', params: {} }, 'zh')).toContain('这一笔没有保存');
    expect((await kiosk.outbox.toArray()).map((r: OutboxRow) => r.seq)).toEqual([1]);

    // Space again: the next redemption takes seq 2, so the server sees no gap.
    kiosk.outbox.hook('creating').unsubscribe(full);
    const next = await redeem(kiosk, clock, command, 'wzgl-s2');
    expect(next.ok && next.value.event.seq).toBe(2);
    await new SyncClient(kiosk, fetchFn).sync();
    const [{ n } = { n: 0 }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event e JOIN device d ON d.id = e.device_id WHERE d.code = 'K01' AND e.outcome = 'applied'`);
    expect(n).toBe(2);
  });

  it('a kiosk database of version 1 opens at today\'s version with its outbox, and pulls the new tables', async () => {
    const name = 'kiosk-v1';
    const v1 = new Dexie(name);
    v1.version(1).stores({ accounts: 'id', residents: 'id, cardCode, accountId', goods: 'id, barcode', ledger: 'id, accountId, changeSeq', outbox: 'seq, &id, status', rejections: 'id', meta: 'key' });
    await v1.open();
    const pendingEvent = { seq: 7, id: '019abcde-0000-7000-8000-000000000007', status: 'pending', serverSeq: null, event: { kind: 'pointsAwarded' } };
    await v1.table('outbox').put(pendingEvent);
    await v1.table('meta').put({ key: 'cursor', epoch: 'e', seq: 1234 });
    v1.close();

    const now = new LinliDb(name);
    await now.open();
    expect(now.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await now.outbox.toArray()).toEqual([pendingEvent]);
    expect(await now.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    expect(await now.staff.count()).toBe(0);
    now.close();
  });

  it('a kiosk database of version 2 opens at today\'s version: the new tables, residents\' new fields pulled again, the outbox kept', async () => {
    const name = 'kiosk-v2';
    const v2 = new Dexie(name);
    v2.version(2).stores({
      accounts: 'id', residents: 'id, cardCode, accountId', goods: 'id, barcode', ledger: 'id, accountId, changeSeq', outbox: 'seq, &id, status',
      rejections: 'id', meta: 'key', staff: 'id, cardCode', exceptions: 'id, resolvedBy, changeSeq',
    });
    await v2.open();
    const pendingEvent = { seq: 3, id: '019abcde-0000-7000-8000-000000000003', status: 'pending', serverSeq: null, event: { kind: 'pointsAwarded' } };
    await v2.table('outbox').put(pendingEvent);
    await v2.table('residents').put({ id: resident.id, centreId: 'wzgl', name: resident.name, cardCode: resident.cardCode, accountId: resident.accountId, isVolunteer: true, changeSeq: 3 });
    await v2.table('rejections').put({ id: 'x', seq: 1, event: pendingEvent.event, reason: 'unknownGoods: g9', at: '' });
    await v2.table('meta').put({ key: 'cursor', epoch: 'e', seq: 99 });
    v2.close();

    const v3 = new LinliDb(name);
    await v3.open();
    expect(v3.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v3.outbox.toArray()).toEqual([pendingEvent]);
    expect(await v3.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    expect(await v3.resources.count()).toBe(0);
    // A refusal kept before the server spoke in message keys is still shown, in words.
    expect((await v3.rejections.get('x'))?.reason).toBe('unknownGoods: g9');
    v3.close();
  });

  it('a kiosk database of version 3 opens at today\'s version: the canteen\'s and the points store\'s tables, pulled from 0, the outbox and replica kept', async () => {
    const name = 'kiosk-v3';
    const v3 = new Dexie(name);
    v3.version(3).stores({
      accounts: 'id', residents: 'id, cardCode, accountId', goods: 'id, barcode', ledger: 'id, accountId, changeSeq', resources: 'id', staff: 'id, cardCode',
      exceptions: 'id, resolvedBy, changeSeq', outbox: 'seq, &id, status', rejections: 'id', meta: 'key',
    });
    await v3.open();
    const pendingEvent = { seq: 4, id: '019abcde-0000-7000-8000-000000000004', status: 'pending', serverSeq: null, event: { kind: 'goodsRedeemed' } };
    await v3.table('outbox').put(pendingEvent);
    await v3.table('resources').put({ id: '20261125-l', centreId: 'wzgl', capacity: 30, used: 3, changeSeq: 40 });
    await v3.table('meta').put({ key: 'cursor', epoch: 'e', seq: 120 });
    v3.close();

    const v4 = new LinliDb(name);
    await v4.open();
    expect(v4.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v4.outbox.toArray()).toEqual([pendingEvent]);
    expect(await v4.resources.get('20261125-l')).toMatchObject({ capacity: 30, used: 3 });
    expect(await v4.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    for (const t of [v4.sittings, v4.meals, v4.subsidyRules, v4.eligibility, v4.mealOrders, v4.standingBookings, v4.rules, v4.serviceHours, v4.donations, v4.partnerShops, v4.redemptions]) {
      expect(await t.count()).toBe(0);
    }
    // The new indexes answer: a sitting's orders, a resident's, a ticket by its key.
    await v4.mealOrders.put({ id: 'o1', sittingId: '20261125-l', residentId: 'r1', ticketKey: '20261125-l/1', day: '2026-11-25' } as never);
    expect(await v4.mealOrders.where('ticketKey').equals('20261125-l/1').count()).toBe(1);
    v4.close();
  });
  it('a kiosk database of version 5 opens at today\'s version: the week\'s services, pulled from 0 (a self-service device then gets its card codes keyed), the outbox and replica kept', async () => {
    const name = 'kiosk-v5';
    const v5 = new Dexie(name);
    v5.version(5).stores({
      ...Object.fromEntries(TABLE_NAMES.filter((t) => t !== 'services').map((t) => [t, REPLICATED[t].dexie])), outbox: 'seq, &id, status', rejections: 'id', meta: 'key',
    });
    await v5.open();
    const pendingEvent = { seq: 7, id: '019abcde-0000-7000-8000-000000000007', status: 'pending', serverSeq: null, event: { kind: 'mealBooked' } };
    await v5.table('outbox').put(pendingEvent);
    await v5.table('residents').put({ id: 'r1', cardCode: 'LL0000000117', accountId: 'a1' });
    await v5.table('meta').put({ key: 'cursor', epoch: 'e', seq: 300 });
    v5.close();

    const v6 = new LinliDb(name);
    await v6.open();
    expect(v6.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v6.outbox.toArray()).toEqual([pendingEvent]);
    expect(await v6.residents.get('r1')).toMatchObject({ cardCode: 'LL0000000117' });
    expect(await v6.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    expect(await v6.services.count()).toBe(0);
    v6.close();
  });

  it('a kiosk database of version 7 opens at today\'s version: the centre\'s payment code and the meals\' on-sale mark, pulled from 0, the outbox and replica kept', async () => {
    const name = 'kiosk-v7';
    const v7 = new Dexie(name);
    v7.version(7).stores({
      ...Object.fromEntries(TABLE_NAMES.filter((t) => t !== 'paymentCodes' && t !== 'goodsPhotos').map((t) => [t, REPLICATED[t].dexie])), outbox: 'seq, &id, status', rejections: 'id', meta: 'key',
    });
    await v7.open();
    const pendingEvent = { seq: 9, id: '019abcde-0000-7000-8000-000000000009', status: 'pending', serverSeq: null, event: { kind: 'mealSold' } };
    await v7.table('outbox').put(pendingEvent);
    await v7.table('meals').put({ id: 'm1', sittingId: '20261125-l', name: '爱心套餐' });
    await v7.table('meta').put({ key: 'cursor', epoch: 'e', seq: 500 });
    v7.close();

    const v8 = new LinliDb(name);
    await v8.open();
    expect(v8.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v8.outbox.toArray()).toEqual([pendingEvent]);
    // Kept on sale: an offline kiosk goes on selling it until a pull says otherwise.
    expect(await v8.meals.get('m1')).toMatchObject({ name: '爱心套餐', offered: true });
    expect(await v8.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    expect(await v8.paymentCodes.count()).toBe(0);
    v8.close();
  });

  it('a kiosk database of version 8 opens at today\'s version: the goods\' photos, pulled from 0, the outbox and replica kept', async () => {
    const name = 'kiosk-v8';
    const v8 = new Dexie(name);
    v8.version(8).stores({
      ...Object.fromEntries(TABLE_NAMES.filter((t) => t !== 'goodsPhotos').map((t) => [t, REPLICATED[t].dexie])), outbox: 'seq, &id, status', rejections: 'id', meta: 'key',
    });
    await v8.open();
    const pendingEvent = { seq: 4, id: '019abcde-0000-7000-8000-000000000004', status: 'pending', serverSeq: null, event: { kind: 'goodsRedeemed' } };
    await v8.table('outbox').put(pendingEvent);
    await v8.table('goods').put({ id: 'g1', name: '抽纸', barcode: '69012345', stock: 4 });
    await v8.table('meta').put({ key: 'cursor', epoch: 'e', seq: 700 });
    v8.close();

    const v9 = new LinliDb(name);
    await v9.open();
    expect(v9.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v9.outbox.toArray()).toEqual([pendingEvent]);
    expect(await v9.goods.get('g1')).toMatchObject({ name: '抽纸', stock: 4 });
    expect(await v9.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    expect(await v9.goodsPhotos.count()).toBe(0);
    v9.close();
  });
  it('a kiosk database of version 9 opens at today\'s version: its ledger kept, indexed by time instead of change, packs empty, pulled from 0', async () => {
    const name = 'kiosk-v9';
    const v9 = new Dexie(name);
    v9.version(9).stores({
      ...Object.fromEntries(TABLE_NAMES.map((t) => [t, REPLICATED[t].dexie])), ledger: 'id, accountId, changeSeq', outbox: 'seq, &id, status', rejections: 'id', meta: 'key',
    });
    await v9.open();
    const pendingEvent = { seq: 5, id: '019abcde-0000-7000-8000-000000000005', status: 'pending', serverSeq: null, event: { kind: 'pointsAwarded' } };
    await v9.table('outbox').put(pendingEvent);
    await v9.table('ledger').put({ id: 'e1:0', accountId: 'a1', delta: 10, changeSeq: 3 });
    await v9.table('meta').put({ key: 'cursor', epoch: 'e', seq: 900 });
    v9.close();

    const v10 = new LinliDb(name);
    await v10.open();
    expect(v10.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v10.outbox.toArray()).toEqual([pendingEvent]);
    expect(await v10.ledger.where('accountId').equals('a1').toArray()).toMatchObject([{ id: 'e1:0', delta: 10 }]);
    expect(v10.ledger.schema.indexes.map((i) => i.name)).toEqual(['accountId', 'at']);
    expect(await v10.packs.count()).toBe(0);
    expect(await v10.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    v10.close();
  });

  it('a kiosk database of version 10 opens at today\'s version: the centre\'s valuation of donations, pulled from 0, the outbox and replica kept', async () => {
    const name = 'kiosk-v10';
    const v10 = new Dexie(name);
    v10.version(10).stores({
      ...Object.fromEntries(TABLE_NAMES.filter((t) => t !== 'donationValues').map((t) => [t, REPLICATED[t].dexie])), outbox: 'seq, &id, status', rejections: 'id', meta: 'key', packs: 'key',
    });
    await v10.open();
    const pendingEvent = { seq: 6, id: '019abcde-0000-7000-8000-000000000006', status: 'pending', serverSeq: null, event: { kind: 'donationReceived' } };
    await v10.table('outbox').put(pendingEvent);
    await v10.table('goods').put({ id: 'g1', name: '抽纸', barcode: '69012345', stock: 4 });
    await v10.table('meta').put({ key: 'cursor', epoch: 'e', seq: 1000 });
    v10.close();

    const v11 = new LinliDb(name);
    await v11.open();
    expect(v11.verno).toBe(KIOSK_SCHEMA_VERSION);
    expect(await v11.outbox.toArray()).toEqual([pendingEvent]);
    expect(await v11.goods.get('g1')).toMatchObject({ name: '抽纸', stock: 4 });
    expect(await v11.donationValues.count()).toBe(0);
    expect(await v11.cursor()).toEqual({ key: 'cursor', epoch: 'e', seq: 0 });
    v11.close();
  });
});
