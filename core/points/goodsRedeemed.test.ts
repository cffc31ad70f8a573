import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceOf, foldEffects, RowState, rowsView, stockOf } from '../effects/effects.js';
import { overlay } from '../effects/overlay.js';
import { LIMITS } from '../entities.js';
import { GoodsRedeemedV1, decideRedemption, goodsRedeemed, redemptionTotal, type RedemptionPick } from './goodsRedeemed.js';
import { formatMessage } from '../i18n/messages.js';
import { decideAward } from './pointsAwarded.js';
import { decideStockIn } from '../goods/stockReceived.js';

const tissues = { id: 'g-tissue', name: '抽纸', pointPrice: 30, stock: 5 };
const soap = { id: 'g-soap', name: '香皂', pointPrice: 50, stock: 1 };

const account = (id: string, balance: number) => ({ id, centreId: 'c', holderKind: 'resident' as const, holderId: `r-${id}`, balance, changeSeq: 1 });
const goods = (id: string, stock: number, name = id) => ({ id, centreId: 'c', name, barcode: '69000000', pointPrice: 30, stock, category: '', lowStock: 5, changeSeq: 1 });
const at = '2026-11-25T02:00:00.000Z';
const body = (accountId: string, goodsId: string, quantity: number, pointPrice: number) =>
  ({ kind: 'goodsRedeemed' as const, version: 1 as const, payload: { accountId, residentId: 'r1', lines: [{ goodsId, quantity, pointPrice }] } });
const ev = (id: string, b: ReturnType<typeof body>) => ({ ...b, id, at, clockOffset: 0, staffId: 's1' });

describe('decideRedemption', () => {
  it('accepts a redemption the account and the shelf can cover exactly, at today\'s prices', () => {
    const d = decideRedemption(110, [{ goods: tissues, quantity: 2 }, { goods: soap, quantity: 1 }]);
    expect(d).toEqual({ ok: true, value: [
      { goodsId: 'g-tissue', quantity: 2, pointPrice: 30 },
      { goodsId: 'g-soap', quantity: 1, pointPrice: 50 },
    ] });
  });

  it('refuses too few points, with the numbers in the message', () => {
    const d = decideRedemption(29, [{ goods: tissues, quantity: 1 }]);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.error).toEqual({ key: 'insufficientPoints', params: { needed: 30, balance: 29 } });
    expect(formatMessage(d.error, 'zh')).toBe('积分不足：需要 30 分，账户只有 29 分。');
  });

  it('adds up picks of the same goods before checking the stock', () => {
    const d = decideRedemption(1000, [{ goods: soap, quantity: 1 }, { goods: soap, quantity: 1 }]);
    expect(d.ok ? null : d.error).toEqual({ key: 'insufficientStock', params: { goodsName: '香皂', wanted: 2, stock: 1 } });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses quantity %s', (quantity) => {
    const d = decideRedemption(1000, [{ goods: tissues, quantity }]);
    expect(d.ok ? null : d.error.key).toBe('invalidQuantity');
  });

  it('refuses an empty basket', () => {
    expect(decideRedemption(1000, [])).toEqual({ ok: false, error: { key: 'emptyRedemption', params: {} } });
  });

  it('refuses an absurd total before anything is written, and the event schema refuses it too', () => {
    const bicycle = { id: 'g-x', name: '金条', pointPrice: 1_000_000, stock: 9_999 };
    const d = decideRedemption(LIMITS.balance, [{ goods: bicycle, quantity: 9_999 }]);
    expect(d.ok ? null : d.error.key).toBe('amountTooLarge');
    const lines = Array.from({ length: 50 }, (_, i) => ({ goodsId: `g${i}`, quantity: 9_999, pointPrice: 1_000_000 }));
    expect(GoodsRedeemedV1.safeParse({ kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a', residentId: 'r', lines } }).success).toBe(false);
  });
});

describe('decideAward and decideStockIn', () => {
  it('take whole numbers above zero only', () => {
    expect(decideAward(10)).toEqual({ ok: true, value: 10 });
    expect(decideAward(0).ok).toBe(false);
    expect(decideAward(-5).ok).toBe(false);
    expect(decideStockIn(3)).toEqual({ ok: true, value: 3 });
    expect(decideStockIn(-3).ok).toBe(false);
  });
});

describe('applying a redemption', () => {
  it('takes the points off the account and the goods off the shelf, and says what it was for', () => {
    const view = rowsView({ accounts: [account('a1', 100)], goods: [goods('g1', 4, '抽纸')] });
    expect(goodsRedeemed.apply(view, body('a1', 'g1', 2, 30), { eventId: 'e1', at: 0, staffId: 's1' }).effects).toEqual([
      { type: 'ledger', accountId: 'a1', delta: -60, memo: '抽纸×2', category: 'redemption' },
      { type: 'stock', goodsId: 'g1', delta: -2 },
      // Kept as a record: the receipt can be printed again, and the redemption reversed.
      { type: 'record', table: 'redemptions', create: {
        id: 'e1', accountId: 'a1', residentId: 'r1', shopId: null, lines: [{ goodsId: 'g1', quantity: 2, pointPrice: 30, name: '抽纸' }], total: 60,
        at: '1970-01-01T00:00:00.000Z', reversedBy: null,
      } },
    ]);
  });

  it('is applied anyway past a zero balance and stock, and the fold reports both', () => {
    const state = overlay(rowsView({ accounts: [account('a1', 20)], goods: [goods('g1', 0)] }), 'c', [ev('e1', body('a1', 'g1', 1, 30))]);
    expect(balanceOf(state, 'a1')).toBe(-10);
    expect(stockOf(state, 'g1')).toBe(-1);
    expect(state.touched('exceptions').map((t) => [t.row.kind, t.row.subjectId, t.row.amount])).toEqual([['overdraft', 'a1', -10], ['oversold', 'g1', -1]]);
  });

  it('two kiosks spending the same last points: both apply, the second is an overdraft', () => {
    const state = overlay(rowsView({ accounts: [account('a1', 30)], goods: [goods('g1', 10)] }), 'c', [ev('e1', body('a1', 'g1', 1, 30)), ev('e2', body('a1', 'g1', 1, 30))]);
    expect(balanceOf(state, 'a1')).toBe(-30);
    expect(state.touched('exceptions').map((t) => t.row.id)).toEqual(['e2:x0']);
  });
});

// ---- properties ----------------------------------------------------------------------------

/**
 * A basket the account and the shelf can cover: the catalogue's stock is at least what is taken
 * and the balance at least the total, with some room to spare or none. Every case asserts.
 */
const feasible = fc.record({
  lines: fc.array(fc.record({ price: fc.integer({ min: 0, max: 300 }), quantity: fc.integer({ min: 1, max: 12 }), spareStock: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 6 }),
  spare: fc.integer({ min: 0, max: 500 }),
});

describe('properties', () => {
  it('a basket the account and shelf can cover is accepted, and applying it leaves nothing below zero', () => {
    fc.assert(fc.property(feasible, ({ lines, spare }) => {
      const catalogue = lines.map((l, i) => ({ id: `g${i}`, name: `g${i}`, pointPrice: l.price, stock: l.quantity + l.spareStock }));
      const picks: RedemptionPick[] = lines.map((l, i) => ({ goods: catalogue[i]!, quantity: l.quantity }));
      const total = lines.reduce((s, l) => s + l.price * l.quantity, 0);
      const d = decideRedemption(total + spare, picks);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(redemptionTotal(d.value)).toBe(total);
      const state = new RowState(rowsView({ accounts: [account('a', total + spare)], goods: catalogue.map((g) => ({ ...goods(g.id, g.stock), pointPrice: g.pointPrice })) }), 'c');
      const applied = goodsRedeemed.apply(state, { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a', residentId: 'r', lines: d.value } }, { eventId: 'e', at: 0, staffId: null });
      expect(foldEffects(state, { eventId: 'e', kind: 'goodsRedeemed', at, changeSeq: 2 }, applied.effects)).toEqual([]);
      expect(balanceOf(state, 'a')).toBe(spare);
      for (const [i, l] of lines.entries()) expect(stockOf(state, `g${i}`)).toBe(l.spareStock);
    }));
  });

  it('a basket one point or one unit short is refused, with the reason', () => {
    fc.assert(fc.property(feasible, fc.boolean(), ({ lines }, shortOfPoints) => {
      const catalogue = lines.map((l, i) => ({ id: `g${i}`, name: `g${i}`, pointPrice: l.price, stock: shortOfPoints ? l.quantity : l.quantity - 1 }));
      const total = lines.reduce((s, l) => s + l.price * l.quantity, 0);
      fc.pre(!shortOfPoints || total > 0);
      const d = decideRedemption(shortOfPoints ? total - 1 : total, lines.map((l, i) => ({ goods: catalogue[i]!, quantity: l.quantity })));
      expect(d.ok ? null : d.error.key).toBe(shortOfPoints ? 'insufficientPoints' : 'insufficientStock');
    }));
  });
});
