import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, formatShanghai, MAX_PUSH_BYTES, parseCardCode, reversibilityOf, stockOf, tallyId } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import type { LinliDb } from '../../renderer/src/store/db.js';
import {
  addGoods, awardByRule, certifyService, changeGoods, correctService, countStock, receiveDonation, redeemAtShop, replaceCard, reverseEntry, setRule,
} from '../../renderer/src/store/pointsStore.js';
import { historyOf, missingCardReason, residentByCard, viewOf, waiting } from '../../renderer/src/store/view.js';
import type { SyncClient } from '../../renderer/src/sync/client.js';
import { type ScratchDb } from '../support/db.js';
import { syncedStore } from '../support/store.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { smallCentreDb, ledgerBreaches, NOW, smallCentreRows } from '../support/centre.js';

/**
 * The points store at the counter, through the real kiosk store and sync client and the real
 * server: each action offline, then synced, and the server agreeing. (The screens are tested in
 * Chromium in test/e2e/.)
 */
const rows = smallCentreRows();
const [r1, r2, r3] = rows.residents as [typeof rows.residents[0], typeof rows.residents[0], typeof rows.residents[0]];
const tissues = rows.goods[0]!;

describe('the points store at the counter', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let kiosk: LinliDb;
  let client: SyncClient;
  let network: Network = 'up';
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const fetchFn: typeof fetch = (input, init) => injectFetch(app, () => network)(input, init);
  const clerk = 'wzgl-s2';
  const admin = 'wzgl-s1';
  const balance = async (accountId: string) => balanceOf(await viewOf(kiosk, { accounts: [accountId] }), accountId);
  const serverBalance = async (accountId: string) => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [accountId]))[0]!.balance;
  const rule = (name: string) => kiosk.rules.filter((r) => r.name === name).first().then((r) => r!);

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW });
    ({ db: kiosk, client } = await syncedStore('points-store', db, fetchFn, 'counter', NOW));
    network = 'down';
  });
  afterAll(async () => {
    kiosk.close();
    await app.close();
    await db.drop();
  });

  it('awards by rule within the day\'s cap, offline, and the server agrees', async () => {
    const stairs = await rule('清理楼道');
    const before = await balance(r1.accountId);
    expect(await awardByRule(kiosk, clock, clerk, { accountId: r1.accountId, ruleId: stairs.id, quantity: 2, note: '3栋' })).toMatchObject({ ok: true, value: { result: { points: 20 } } });
    expect(await awardByRule(kiosk, clock, clerk, { accountId: r1.accountId, ruleId: stairs.id, quantity: 1, note: '' })).toMatchObject({ ok: false, error: { key: 'capReached' } });
    expect(await balance(r1.accountId)).toBe(before + 20);
    const history = await historyOf(kiosk, r1.accountId, 1);
    expect(history[0]).toMatchObject({ delta: 20, memo: '清理楼道×2', pending: true });
    network = 'up';
    await client.sync();
    expect(await serverBalance(r1.accountId)).toBe(before + 20);
    network = 'down';
  });

  it('a reversed award by rule gives its cap back: the rule awards again that day, on the kiosk and the server', async () => {
    const stairs = await rule('清理楼道');
    // The test above took the day's cap of this rule for r1.
    expect(await awardByRule(kiosk, clock, clerk, { accountId: r1.accountId, ruleId: stairs.id, quantity: 1, note: '' })).toMatchObject({ ok: false, error: { key: 'capReached' } });
    const award = (await historyOf(kiosk, r1.accountId, 5)).find((e) => e.ruleId === stairs.id && e.reversedBy === null)!;
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'ledgerEntry', entryId: award.id }, '记错人')).toMatchObject({ ok: true });
    expect(await awardByRule(kiosk, clock, clerk, { accountId: r1.accountId, ruleId: stairs.id, quantity: 2, note: '另一位' })).toMatchObject({ ok: true, value: { result: { points: 20 } } });
    network = 'up';
    await client.sync();
    network = 'down';
    expect(await kiosk.rejections.count()).toBe(0);
    // The award's business day (the kiosk's clock, less its offset from the server's).
    const day = formatShanghai(Date.parse(award.at)).slice(0, 10);
    const [tally] = await db.query<{ used: number }>('SELECT used FROM resource WHERE id = $1', [tallyId(stairs.id, r1.accountId, day)]);
    expect(tally).toEqual({ used: 20 });
    expect(await db.query(`SELECT kind FROM rule_exception WHERE subject_id LIKE 'tally:%'`)).toEqual([]);
    expect(await db.query('SELECT reversed_by IS NOT NULL AS reversed, rule_id FROM ledger_entry WHERE id = $1', [award.id])).toEqual([{ reversed: true, rule_id: stairs.id }]);
  });

  it('certifies a roster\'s hours once; a correction moves the points by the difference', async () => {
    const service = await rule('志愿服务');
    const roster = [{ residentId: r2.id, accountId: r2.accountId, minutes: 90 }, { residentId: r3.id, accountId: r3.accountId, minutes: 120 }];
    const before = [await balance(r2.accountId), await balance(r3.accountId)];
    expect(await certifyService(kiosk, clock, clerk, { ruleId: service.id, activity: '敬老院探访', team: '五老关爱队', roster })).toMatchObject({ ok: true, value: { result: { points: 35 } } });
    expect(await certifyService(kiosk, clock, clerk, { ruleId: service.id, activity: '敬老院探访', team: '五老关爱队', roster: roster.slice(0, 1) })).toMatchObject({ ok: false, error: { key: 'alreadyCertified' } });
    network = 'up';
    await client.sync();
    network = 'down';
    const entry = (await kiosk.serviceHours.where('residentId').equals(r2.id).first())!;
    expect(entry).toMatchObject({ minutes: 90, points: 15, pointsPerHour: 10 });
    // The points count against the rule's day cap on the server, as an award's do.
    const used = async (accountId: string) => (await db.query<{ used: number }>('SELECT used FROM resource WHERE id = $1', [tallyId(service.id, accountId, entry.day)]))[0]?.used;
    expect([await used(r2.accountId), await used(r3.accountId)]).toEqual([15, 20]);
    expect(await correctService(kiosk, clock, clerk, { entryId: entry.id, minutes: 120, reason: '签到表核对' })).toMatchObject({ ok: true });
    expect(await balance(r2.accountId)).toBe(before[0]! + 20);
    expect(await balance(r3.accountId)).toBe(before[1]! + 20);
  });

  it('days offline of roster certifications, more than one push body holds, all reach the server: the push goes in parts', async () => {
    // A rule without caps: every certification below is within them.
    const service = await rule('上门探访');
    const roster = rows.residents.map((r) => ({ residentId: r.id, accountId: r.accountId, minutes: 60 }));
    const before = await kiosk.outbox.where('status').equals('pending').count();
    for (let i = 0; i < 420; i++) {
      expect((await certifyService(kiosk, clock, clerk, { ruleId: service.id, activity: `楼道巡查第${i + 1}次`, team: '平安志愿队', roster })).ok).toBe(true);
    }
    const pending = await kiosk.outbox.where('status').equals('pending').toArray();
    expect(pending.length).toBe(before + 420);
    expect(new TextEncoder().encode(JSON.stringify({ events: pending.map((r) => r.event) })).length).toBeGreaterThan(MAX_PUSH_BYTES);
    network = 'up';
    await client.sync();
    network = 'down';
    expect(await kiosk.outbox.where('status').equals('pending').count()).toBe(0);
    expect(await kiosk.rejections.count()).toBe(0);
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event WHERE outcome = 'applied' AND kind = 'serviceCertified' AND payload->>'activity' LIKE '楼道巡查第%'`) as [{ n: number }];
    expect(n).toBe(420);
  });

  it('takes a donation in: new goods on the shelf with their own code, the donor\'s points within the limits', async () => {
    const before = await balance(r3.accountId);
    expect(await receiveDonation(kiosk, clock, clerk, { residentId: r3.id, items: [{ category: 'books', condition: 'good', quantity: 3, newGoods: { name: '儿童绘本《小熊》', category: '捐赠物品', pointPrice: 20, lowStock: 0 } }], points: 30, reason: '' }))
      // At the centre's valuation (the demo's books: 6 points each in good condition), not the default 5.
      .toMatchObject({ ok: false, error: { key: 'donationPointsOutOfBounds', params: { low: 9, high: 27 } } });
    expect(await receiveDonation(kiosk, clock, clerk, { residentId: r3.id, items: [], points: 0, reason: '' })).toMatchObject({ ok: false, error: { key: 'donationEmpty' } });
    const done = await receiveDonation(kiosk, clock, clerk, { residentId: r3.id, items: [{ category: 'books', condition: 'good', quantity: 3, newGoods: { name: '儿童绘本《小熊》', category: '捐赠物品', pointPrice: 20, lowStock: 0 } }], points: 20, reason: '书很新' });
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    const goodsId = done.value.result.newGoodsIds[0]!;
    const view = await viewOf(kiosk, { goods: [goodsId] });
    expect(view.row('goods', goodsId)).toMatchObject({ name: '儿童绘本《小熊》', pointPrice: 20, stock: 3, barcode: expect.stringMatching(/^21010{4}\d{5}$/) });
    expect(await balance(r3.accountId)).toBe(before + 20);
    expect(done.value.event).toMatchObject({ kind: 'donationReceived', version: 2, payload: { proposedPoints: 18, items: [{ pointsEach: 6 }] } });

    // Given by mistake: its points are reversed (冲正) once from the donor's history; the books stay on the shelf.
    const entry = (await historyOf(kiosk, r3.accountId)).find((e) => e.eventId === done.value.event.id)!;
    expect(reversibilityOf(entry, null)).toBe('yes');
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'ledgerEntry', entryId: entry.id }, '记错了捐赠人')).toMatchObject({ ok: true });
    expect(await balance(r3.accountId)).toBe(before);
    expect(stockOf(await viewOf(kiosk, { goods: [goodsId] }), goodsId)).toBe(3);
    const reversed = (await historyOf(kiosk, r3.accountId)).find((e) => e.id === entry.id)!;
    expect(reversibilityOf(reversed, null)).toBe('reversed');
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'ledgerEntry', entryId: entry.id }, '再来一次')).toMatchObject({ ok: false, error: { key: 'cannotReverse' } });
  });

  it('adds goods, changes a price, counts the shelf', async () => {
    const added = await addGoods(kiosk, clock, clerk, { name: '环保袋', category: '日用品', pointPrice: 15, lowStock: 5, barcode: '' });
    expect(added.ok).toBe(true);
    expect(await addGoods(kiosk, clock, clerk, { name: '重复', category: '', pointPrice: 1, lowStock: 0, barcode: tissues.barcode })).toMatchObject({ ok: false, error: { key: 'barcodeTaken' } });
    expect(await addGoods(kiosk, clock, clerk, { name: '坏码', category: '', pointPrice: 1, lowStock: 0, barcode: '6901234567890' })).toMatchObject({ ok: false, error: { key: 'malformedGoodsCode' } });
    expect(await changeGoods(kiosk, clock, clerk, tissues.id, { name: tissues.name, category: '日用品', pointPrice: 35, lowStock: 5 })).toMatchObject({ ok: true });
    const shelf = stockOf(await viewOf(kiosk, { goods: [tissues.id] }), tissues.id);
    expect(await countStock(kiosk, clock, clerk, { goodsId: tissues.id, counted: shelf - 2, reason: '' })).toMatchObject({ ok: false, error: { key: 'countReasonMissing' } });
    expect(await countStock(kiosk, clock, clerk, { goodsId: tissues.id, counted: -1, reason: 'x' })).toMatchObject({ ok: false, error: { key: 'countInvalid' } });
    expect(await countStock(kiosk, clock, clerk, { goodsId: tissues.id, counted: shelf - 2, reason: '破损两包' })).toMatchObject({ ok: true, value: { result: { difference: -2 } } });
    expect(stockOf(await viewOf(kiosk, { goods: [tissues.id] }), tissues.id)).toBe(shelf - 2);
  });

  it('reverses a redemption once: points and goods come back; a reversal of a reversal is refused', async () => {
    const before = await balance(r1.accountId);
    const shelf = stockOf(await viewOf(kiosk, { goods: [tissues.id] }), tissues.id);
    const sold = await redeem(kiosk, clock, { residentId: r1.id, picks: [{ goodsId: tissues.id, quantity: 1 }] }, clerk);
    expect(sold.ok).toBe(true);
    if (!sold.ok) return;
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'redemption', redemptionId: sold.value.event.id }, ' ')).toMatchObject({ ok: false, error: { key: 'reversalReasonMissing' } });
    const reversed = await reverseEntry(kiosk, clock, clerk, { kind: 'redemption', redemptionId: sold.value.event.id }, '居民不要了');
    expect(reversed.ok).toBe(true);
    expect(await balance(r1.accountId)).toBe(before);
    expect(stockOf(await viewOf(kiosk, { goods: [tissues.id] }), tissues.id)).toBe(shelf);
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'redemption', redemptionId: sold.value.event.id }, '再冲')).toMatchObject({ ok: false, error: { key: 'cannotReverse', params: { why: 'reversed' } } });
    const back = (await historyOf(kiosk, r1.accountId, 1))[0]!;
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'ledgerEntry', entryId: back.id }, '错了')).toMatchObject({ ok: false, error: { key: 'cannotReverse', params: { why: 'reversal' } } });
  });

  it('moves points to a partner shop, and replaces a lost card: the old code no longer finds the resident, the balance stays', async () => {
    const shop = (await kiosk.partnerShops.toArray())[0]!;
    const before = await balance(r1.accountId);
    expect(await redeemAtShop(kiosk, clock, clerk, { residentId: r1.id, shopId: shop.id, points: before + 1, offer: '理发' })).toMatchObject({ ok: false, error: { key: 'insufficientPoints' } });
    expect(await redeemAtShop(kiosk, clock, clerk, { residentId: r1.id, shopId: shop.id, points: 10, offer: '理发' })).toMatchObject({ ok: true });
    const replaced = await replaceCard(kiosk, clock, clerk, r1.id);
    expect(replaced.ok).toBe(true);
    if (!replaced.ok) return;
    expect(parseCardCode(replaced.value.result.cardCode)).toMatchObject({ ok: true, value: { generation: 2 } });
    expect(await residentByCard(kiosk, replaced.value.result.cardCode)).toMatchObject({ balance: before - 10 });
    expect(await residentByCard(kiosk, r1.cardCode)).toBeUndefined();
    const old = parseCardCode(r1.cardCode);
    network = 'up';
    await client.sync();
    network = 'down';
    if (old.ok) expect(await missingCardReason(kiosk, old.value)).toMatchObject({ key: 'cardReplaced' });
  });

  it('reverses a resident\'s redemption at a shop whole, offline: the shop gives the points back, and the server applies it once', async () => {
    const shop = (await kiosk.partnerShops.toArray())[0]!;
    const before = [await balance(r3.accountId), await balance(shop.accountId)];
    const paid = await redeemAtShop(kiosk, clock, clerk, { residentId: r3.id, shopId: shop.id, points: 5, offer: '理发' });
    if (!paid.ok) throw new Error(paid.error.key);
    const entry = (await historyOf(kiosk, r3.accountId)).find((e) => e.eventId === paid.value.event.id)!;
    expect(reversibilityOf(entry, null)).toBe('yes');
    expect(await reverseEntry(kiosk, clock, clerk, { kind: 'ledgerEntry', entryId: entry.id }, '店里没做')).toMatchObject({ ok: true });
    expect([await balance(r3.accountId), await balance(shop.accountId)]).toEqual(before);
    network = 'up';
    await client.sync();
    network = 'down';
    expect((await kiosk.rejections.toArray()).map((r) => r.reason)).toEqual([]);
    expect([await serverBalance(r3.accountId), await serverBalance(shop.accountId)]).toEqual([await balance(r3.accountId), await balance(shop.accountId)]);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entry WHERE event_id = $1 AND reversed_by IS NOT NULL', [paid.value.event.id]))[0]!.n).toBe(2);
  });

  it('replaces a card a tenth time with a new card number of this kiosk\'s block; the server applies every replacement', async () => {
    let card = r2.cardCode;
    for (let i = 0; i < 9; i++) {
      const replaced = await replaceCard(kiosk, clock, clerk, r2.id);
      if (!replaced.ok) throw new Error(`replacement ${i + 1}: ${replaced.error.key}`);
      card = replaced.value.result.cardCode;
    }
    const first = parseCardCode(r2.cardCode);
    const last = parseCardCode(card);
    // Eight replacements reach generation 9; the ninth gives a new serial, generation 1.
    expect(first.ok && last.ok && last.value.generation === 1 && last.value.serial !== first.value.serial).toBe(true);
    expect(await residentByCard(kiosk, card)).toMatchObject({ resident: { id: r2.id } });
    network = 'up';
    await client.sync();
    network = 'down';
    expect((await kiosk.rejections.toArray()).map((r) => r.reason)).toEqual([]);
    expect((await db.query<{ card_code: string }>('SELECT card_code FROM resident WHERE id = $1', [r2.id]))[0]!.card_code).toBe(card);
  });

  it('lets only an admin set a rule, and every change above reaches the server once, ledgers whole', async () => {
    expect(await setRule(kiosk, clock, clerk, null, { name: '', category: 'other', unit: 'act', points: 5, capPerDay: null, capPerMonth: null, active: true })).toMatchObject({ ok: false, error: { key: 'ruleNameMissing' } });
    const set = await setRule(kiosk, clock, admin, null, { name: '扫雪', category: 'governance', unit: 'act', points: 5, capPerDay: 10, capPerMonth: null, active: true });
    expect(set.ok).toBe(true);
    network = 'up';
    await client.sync();
    expect(await waiting(kiosk)).toBe(0);
    expect((await kiosk.rejections.toArray()).map((r) => [r.event.kind, r.reason])).toEqual([]);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    const mine = await kiosk.outbox.toArray();
    const applied = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM event WHERE id = ANY($1::uuid[]) AND outcome = 'applied'", [mine.map((m) => m.id)]);
    expect(applied[0]!.n).toBe(mine.length);
    for (const r of [r1, r2, r3]) expect(await balance(r.accountId)).toBe(await serverBalance(r.accountId));
  });
});
