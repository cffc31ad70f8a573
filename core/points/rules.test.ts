import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventBody } from '../events/events.js';
import { formatMessage } from '../i18n/messages.js';
import { mapView, overlay } from './overlay.js';
import { apply, decideAward, decideRedemption, decideStockIn, effectsOf, redemptionTotal } from './rules.js';

const tissues = { id: 'g-tissue', name: '抽纸', pointPrice: 30, stock: 5 };
const soap = { id: 'g-soap', name: '香皂', pointPrice: 50, stock: 1 };

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
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error).toEqual({ key: 'insufficientStock', params: { goodsName: '香皂', wanted: 2, stock: 1 } });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses quantity %s', (quantity) => {
    const d = decideRedemption(1000, [{ goods: tissues, quantity }]);
    expect(d.ok ? null : d.error.key).toBe('invalidQuantity');
  });

  it('refuses an empty basket', () => {
    expect(decideRedemption(1000, [])).toEqual({ ok: false, error: { key: 'emptyRedemption', params: {} } });
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

describe('apply', () => {
  const redeem = (accountId: string, goodsId: string, quantity: number, pointPrice: number): EventBody => ({
    kind: 'goodsRedeemed', version: 1, payload: { accountId, residentId: 'r1', lines: [{ goodsId, quantity, pointPrice }] },
  });

  it('takes the points off the account and the goods off the shelf', () => {
    const r = apply(mapView(new Map([['a1', 100]]), new Map([['g1', 4]])), redeem('a1', 'g1', 2, 30));
    expect(r.effects).toEqual([
      { type: 'ledger', accountId: 'a1', delta: -60 },
      { type: 'stock', goodsId: 'g1', delta: -2 },
    ]);
    expect(r.exceptions).toEqual([]);
  });

  it('applies an overdraft and an oversale anyway, and reports both', () => {
    const r = apply(mapView(new Map([['a1', 20]]), new Map([['g1', 0]])), redeem('a1', 'g1', 1, 30));
    expect(r.effects).toHaveLength(2);
    expect(r.exceptions).toEqual([
      { kind: 'overdraft', accountId: 'a1', balanceAfter: -10 },
      { kind: 'oversold', goodsId: 'g1', stockAfter: -1 },
    ]);
  });

  it('two kiosks spending the same last points: both apply, the second is an overdraft', () => {
    const both = overlay(mapView(new Map([['a1', 30]]), new Map([['g1', 10]])), [redeem('a1', 'g1', 1, 30), redeem('a1', 'g1', 1, 30)]);
    expect(both.view.balance('a1')).toBe(-30);
    expect(both.exceptions).toEqual([{ kind: 'overdraft', accountId: 'a1', balanceAfter: -30 }]);
  });
});

// ---- properties ----------------------------------------------------------------------------

const accounts = ['a1', 'a2', 'a3'];
const goodsIds = ['g1', 'g2'];
const eventArb: fc.Arbitrary<EventBody> = fc.oneof(
  fc.record({
    kind: fc.constant('pointsAwarded' as const), version: fc.constant(1 as const),
    payload: fc.record({ accountId: fc.constantFrom(...accounts), points: fc.integer({ min: 1, max: 500 }), category: fc.constant('volunteering' as const), note: fc.constant('') }),
  }),
  fc.record({
    kind: fc.constant('goodsRedeemed' as const), version: fc.constant(1 as const),
    payload: fc.record({
      accountId: fc.constantFrom(...accounts), residentId: fc.constant('r'),
      lines: fc.array(fc.record({ goodsId: fc.constantFrom(...goodsIds), quantity: fc.integer({ min: 1, max: 5 }), pointPrice: fc.integer({ min: 0, max: 200 }) }), { minLength: 1, maxLength: 3 }),
    }),
  }),
  fc.record({
    kind: fc.constant('stockReceived' as const), version: fc.constant(1 as const),
    payload: fc.record({ goodsId: fc.constantFrom(...goodsIds), quantity: fc.integer({ min: 1, max: 20 }), source: fc.constant('donation' as const), note: fc.constant('') }),
  }),
);

describe('properties', () => {
  it('whatever decide accepts never takes a balance or a stock below zero', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2000 }),
      fc.array(fc.record({ price: fc.integer({ min: 0, max: 300 }), stock: fc.integer({ min: 0, max: 10 }), quantity: fc.integer({ min: -2, max: 12 }), which: fc.integer({ min: 0, max: 2 }) }), { maxLength: 6 }),
      (balance, raw) => {
        const catalogue = [0, 1, 2].map((i) => ({ id: `g${i}`, name: `g${i}`, pointPrice: raw.find((r) => r.which === i)?.price ?? 10, stock: raw.find((r) => r.which === i)?.stock ?? 3 }));
        const picks = raw.map((r) => ({ goods: catalogue[r.which]!, quantity: r.quantity }));
        const d = decideRedemption(balance, picks);
        if (!d.ok) return;
        const stocks = new Map(catalogue.map((g) => [g.id, g.stock]));
        const r = apply(mapView(new Map([['a', balance]]), stocks), { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a', residentId: 'r', lines: d.value } });
        expect(r.exceptions).toEqual([]);
        expect(balance - redemptionTotal(d.value)).toBeGreaterThanOrEqual(0);
      },
    ));
  });

  it('any sequence of events keeps each balance equal to its ledger and each stock equal to its movements', () => {
    fc.assert(fc.property(fc.array(eventArb, { maxLength: 60 }), (events) => {
      const result = overlay(mapView(new Map(), new Map()), events);
      const ledger = new Map<string, number>();
      const movements = new Map<string, number>();
      for (const e of events.flatMap(effectsOf)) {
        if (e.type === 'ledger') ledger.set(e.accountId, (ledger.get(e.accountId) ?? 0) + e.delta);
        else movements.set(e.goodsId, (movements.get(e.goodsId) ?? 0) + e.delta);
      }
      for (const a of accounts) expect(result.view.balance(a)).toBe(ledger.get(a) ?? 0);
      for (const g of goodsIds) expect(result.view.stock(g)).toBe(movements.get(g) ?? 0);
      // Every overdraft reported is a real negative balance at that moment.
      for (const x of result.exceptions) if (x.kind === 'overdraft') expect(x.balanceAfter).toBeLessThan(0);
    }));
  });
});
