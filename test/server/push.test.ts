import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, enrolDevice, eventMaker, ledgerBreaches, NOW, redemption, seedSmallCentre, smallCentreRows } from '../support/centre.js';
import type { LinliEvent, PushResponse } from '../../core/index.js';

const rows = smallCentreRows();
const resident = rows.residents[0]!;
const tissues = rows.goods[0]!;

describe.each(DB_KINDS)('push on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let token: string;
  let deviceId: string;
  /** Events the seeded centre holds before a test pushes (the demo's own and its services'). */
  let seeded: number;

  beforeEach(async () => {
    db = await smallCentreDb(kind);
    app = await buildApp({ db, now: () => NOW });
    ({ token, deviceId } = await enrolDevice(db));
    seeded = await eventCount();
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const send = (events: unknown, t = token) =>
    app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${t}` }, payload: { events } });
  const balance = async (accountId: string) => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [accountId]))[0]!.balance;
  const stock = async (goodsId: string) => (await db.query<{ stock: number }>('SELECT stock FROM goods WHERE id = $1', [goodsId]))[0]!.stock;
  const eventCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event'))[0]!.n;
  const award = (points: number) => ({ kind: 'pointsAwarded' as const, version: 1 as const, payload: { accountId: resident.accountId, points, category: 'volunteering' as const, note: '' } });

  it('applies a whole-shelf count, and flags a goods whose stock moved since it was counted (the count wins)', async () => {
    const next = eventMaker(deviceId);
    const [soap, other] = [rows.goods[1]!, rows.goods[2]!];
    const before = { tissues: await stock(tissues.id), soap: await stock(soap.id), other: await stock(other.id) };
    // A sale of tissues reaches the server first; the count was made on a kiosk that had not seen it.
    const sale = next(redemption(resident.id, resident.accountId, tissues.id, 1, tissues.pointPrice));
    const count = next({ kind: 'stockCounted', version: 2, payload: { lines: [
      { goodsId: tissues.id, counted: before.tissues, expected: before.tissues, reason: '' },
      { goodsId: soap.id, counted: before.soap - 1, expected: before.soap, reason: '破损' },
    ] } });
    const res = await send([sale, count]);
    expect(res.statusCode).toBe(200);
    expect((res.json() as PushResponse).outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect([await stock(tissues.id), await stock(soap.id), await stock(other.id)]).toEqual([before.tissues, before.soap - 1, before.other]);
    expect(await db.query('SELECT kind, subject_id, amount FROM rule_exception WHERE event_id = $1', [count.id])).toEqual([{ kind: 'countMoved', subject_id: tissues.id, amount: -1 }]);
  });

  it("keeps the admin's valuation of donations (a clerk may not set it), and a donation decided at values since changed keeps them, flagged", async () => {
    const next = eventMaker(deviceId);
    const asClerk = next({ kind: 'donationValueSet', version: 1, payload: { category: 'shoes', good: 1, fair: 0 } });
    const asAdmin = next({ kind: 'donationValueSet', version: 1, payload: { category: 'shoes', good: 4, fair: 2 } }, { staffId: 'wzgl-s1' });
    // Taken in offline while shoes were still worth 8 each: 2 × 8 = 16, taken as 20 with a reason.
    const donation = next({ kind: 'donationReceived', version: 2, payload: {
      donationId: 'wzgl-don-e2e', donorResidentId: resident.id, donorAccountId: resident.accountId, proposedPoints: 16, points: 20, reason: '鞋很新',
      items: [{ category: 'shoes', condition: 'good', quantity: 2, goodsId: tissues.id, newGoods: null, pointsEach: 8 }],
    } });
    const before = await balance(resident.accountId);
    const res = (await send([asClerk, asAdmin, donation])).json<PushResponse>();
    expect(res.outcomes.map((o) => (o.status === 'rejected' ? o.reason.key : o.status))).toEqual(['refusedRole', 'applied', 'applied']);
    expect(await db.query("SELECT good, fair FROM donation_value WHERE centre_id = 'wzgl' AND id = 'shoes'")).toEqual([{ good: 4, fair: 2 }]);
    expect(await balance(resident.accountId)).toBe(before + 20);
    expect(await db.query("SELECT items, proposed_points FROM donation WHERE id = 'wzgl-don-e2e'")).toEqual([
      { items: [{ category: 'shoes', condition: 'good', quantity: 2, goodsId: tissues.id, pointsEach: 8 }], proposed_points: 16 },
    ]);
    // Valued at 8 where the centre now says 4: flagged for staff, 8 points above.
    expect(await db.query('SELECT kind, subject_id, amount FROM rule_exception WHERE event_id = $1', [donation.id])).toEqual([{ kind: 'donationValueMoved', subject_id: resident.accountId, amount: 8 }]);
  });

  it("measures an award against the cap it was decided under: a cap raised since the tally began flags nothing, and the tally keeps the new cap", async () => {
    const next = eventMaker(deviceId);
    const other = rows.residents[5]!;
    const stairs = (capPerDay: number) => ({ kind: 'pointsAwarded' as const, version: 2 as const, payload: {
      accountId: other.accountId, ruleId: 'wzgl-rule1', quantity: 1, points: 10, category: 'governance' as const, ruleName: '清理楼道', capPerDay, capPerMonth: 200, day: '2026-11-25', note: '',
    } });
    const res = (await send([next(stairs(20)), next(stairs(20)), next(stairs(40))])).json<PushResponse>();
    expect(res.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await db.query("SELECT kind FROM rule_exception WHERE subject_id LIKE 'tally:wzgl-rule1:' || $1 || '%'", [other.accountId])).toEqual([]);
    expect(await db.query('SELECT capacity, used FROM resource WHERE id = $1', [`tally:wzgl-rule1:${other.accountId}:2026-11-25`])).toEqual([{ capacity: 40, used: 30 }]);
  });

  it('flags the award that passes a cap when two kiosks decided theirs offline, each within it: both applied, the second flagged capExceeded', async () => {
    const other = rows.residents[6]!;
    const stairs = { kind: 'pointsAwarded' as const, version: 2 as const, payload: {
      accountId: other.accountId, ruleId: 'wzgl-rule1', quantity: 2, points: 20, category: 'governance' as const, ruleName: '清理楼道', capPerDay: 20, capPerMonth: 200, day: '2026-11-25', note: '',
    } };
    const second = await enrolDevice(db);
    const before = await balance(other.accountId);
    const fromA = eventMaker(deviceId)(stairs);
    const fromB = eventMaker(second.deviceId)(stairs);
    expect((await send([fromA])).json<PushResponse>().outcomes[0]).toMatchObject({ status: 'applied' });
    expect((await send([fromB], second.token)).json<PushResponse>().outcomes[0]).toMatchObject({ status: 'applied' });
    expect(await balance(other.accountId)).toBe(before + 40);
    expect(await db.query('SELECT kind, event_id, amount FROM rule_exception WHERE subject_id = $1', [`tally:wzgl-rule1:${other.accountId}:2026-11-25`]))
      .toEqual([{ kind: 'capExceeded', event_id: fromB.id, amount: -20 }]);
  });

  it('applies a redemption decided at the old price at that price, though a price change reached the server first', async () => {
    const next = eventMaker(deviceId);
    const before = await balance(resident.accountId);
    const [topUp, change, redeem] = [
      next(award(100)),
      next({ kind: 'goodsChanged', version: 1, payload: { goodsId: tissues.id, name: tissues.name, category: tissues.category, pointPrice: tissues.pointPrice + 5, lowStock: tissues.lowStock } }, { staffId: 'wzgl-s1' }),
      // Decided on a kiosk that had not yet seen the change.
      next(redemption(resident.id, resident.accountId, tissues.id, 1, tissues.pointPrice)),
    ];
    expect((await send([topUp, change, redeem])).json<PushResponse>().outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await db.query('SELECT point_price FROM goods WHERE id = $1', [tissues.id])).toEqual([{ point_price: tissues.pointPrice + 5 }]);
    expect(await balance(resident.accountId)).toBe(before + 100 - tissues.pointPrice);
    expect(await db.query("SELECT delta FROM ledger_entry WHERE event_id = $1", [redeem.id])).toEqual([{ delta: -tissues.pointPrice }]);
  });

  it('applies a redemption once: points and stock go down, the ledger agrees', async () => {
    const next = eventMaker(deviceId);
    const before = { points: await balance(resident.accountId), stock: await stock(tissues.id) };
    const topUp = next(award(100));
    const redeem = next(redemption(resident.id, resident.accountId, tissues.id, 1, 30));
    const res = await send([topUp, redeem]);
    expect(res.statusCode).toBe(200);
    const body = res.json<PushResponse>();
    expect(body.lastSeq).toBe(2);
    expect(body.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(await balance(resident.accountId)).toBe(before.points + 70);
    expect(await stock(tissues.id)).toBe(before.stock - 1);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  });

  it('answers a replay with the first outcome and changes nothing', async () => {
    const next = eventMaker(deviceId);
    const batch = [next(award(50)), next(redemption(resident.id, resident.accountId, tissues.id, 1, 30))];
    const first = (await send(batch)).json<PushResponse>();
    const points = await balance(resident.accountId);
    const again = (await send(batch)).json<PushResponse>();
    expect(again.outcomes).toEqual(first.outcomes.map((o) => o.status === 'applied'
      ? { status: 'duplicate', id: o.id, seq: o.seq, serverSeq: o.serverSeq, first: 'applied', reason: null } : o));
    expect(await balance(resident.accountId)).toBe(points);
    expect(await eventCount()).toBe(seeded + 2);
  });

  it('calls the same seq with another payload a seqConflict and applies nothing of it', async () => {
    const next = eventMaker(deviceId);
    const original = next(award(10));
    await send([original]);
    const points = await balance(resident.accountId);
    const forged: LinliEvent = { ...original, payload: { ...original.payload, points: 9999 } } as LinliEvent;
    const res = (await send([forged])).json<PushResponse>();
    expect(res.outcomes).toEqual([{ status: 'seqConflict', id: original.id, seq: 1 }]);
    expect(await balance(resident.accountId)).toBe(points);
  });

  it('refuses a gap with the seq it expects, and changes nothing', async () => {
    const next = eventMaker(deviceId);
    next(award(10)); // seq 1, never sent
    const res = await send([next(award(20))]);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'seqGap', lastSeq: 0 });
    expect(await eventCount()).toBe(seeded);
  });

  it('applies two kiosks spending the same last points and records the overdraft', async () => {
    const other = await enrolDevice(db);
    const pts = await balance(resident.accountId);
    const spend = (id: string) => eventMaker(id)(redemption(resident.id, resident.accountId, tissues.id, 1, pts));
    const [a, b] = await Promise.all([send([spend(deviceId)]), send([spend(other.deviceId)], other.token)]);
    expect([a.json<PushResponse>().outcomes[0]!.status, b.json<PushResponse>().outcomes[0]!.status]).toEqual(['applied', 'applied']);
    expect(await balance(resident.accountId)).toBe(-pts);
    const exceptions = await db.query<{ kind: string; subject_id: string; amount: number }>('SELECT kind, subject_id, amount FROM rule_exception');
    expect(exceptions).toEqual([{ kind: 'overdraft', subject_id: resident.accountId, amount: -pts }]);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  });

  it('rejects an event naming another centre\'s goods, keeps the reason and goes on with the next', async () => {
    await seedSmallCentre(db, 'other', '别的社区');
    const next = eventMaker(deviceId);
    const foreign = next(redemption(resident.id, resident.accountId, 'other-g1', 1, 30));
    const fine = next(award(5));
    const res = (await send([foreign, fine])).json<PushResponse>();
    const why = { key: 'refusedUnknownRow', params: { table: 'goods', id: 'other-g1' } };
    expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: why });
    expect(res.outcomes[1]).toMatchObject({ status: 'applied' });
    expect(res.lastSeq).toBe(2);
    const [stored] = await db.query<{ outcome: string; reason: string; reason_params: unknown }>('SELECT outcome, reason, reason_params FROM event WHERE id = $1', [foreign.id]);
    expect(stored).toEqual({ outcome: 'rejected', reason: why.key, reason_params: why.params });
  });

  it('rejects a kind the device profile may not push', async () => {
    const kiosk = await enrolDevice(db, 'wzgl', 'selfService');
    const res = (await send([eventMaker(kiosk.deviceId)(award(10))], kiosk.token)).json<PushResponse>();
    expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { key: 'refusedKind', params: { kind: 'pointsAwarded', profile: 'selfService' } } });
  });

  describe('bad input changes nothing', () => {
    it.each([
      ['a body that is not the push shape', { nope: true }],
      ['events out of order', 'order'],
    ])('%s gets a typed 400', async (_name, what) => {
      const next = eventMaker(deviceId);
      const payload = what === 'order' ? { events: [next(award(1)), next(award(1))].reverse() } : what;
      const res = await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('malformed');
      expect(await eventCount()).toBe(seeded);
    });

    it('an oversized body gets 413 tooLarge', async () => {
      const next = eventMaker(deviceId);
      const huge = { events: [{ ...next(award(1)), payload: { accountId: resident.accountId, points: 1, category: 'other', note: 'x'.repeat(1_100_000) } }] };
      const res = await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload: huge });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toBe('tooLarge');
      expect(await eventCount()).toBe(seeded);
    });

    it('an event of another device gets 403 and an unknown token 401', async () => {
      const other = await enrolDevice(db);
      const forged = await send([eventMaker(other.deviceId)(award(1))]);
      expect(forged.statusCode).toBe(403);
      expect(forged.json().error).toBe('wrongDevice');
      const stranger = await send([eventMaker(deviceId)(award(1))], 'x'.repeat(43));
      expect(stranger.statusCode).toBe(401);
      expect(await eventCount()).toBe(seeded);
    });
  });
});
