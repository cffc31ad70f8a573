import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventBody } from '../events/registry.js';
import { balanceOf, foldEffects, levelOutOfRange, placesLeft, RowState, rowsView, stockOf, type Effect } from './effects.js';
import { overlay } from './overlay.js';

const at = '2026-11-25T02:00:00.000Z';
const ctx = (eventId: string, changeSeq = 7) => ({ eventId, kind: 'test', at, changeSeq });
const account = (id: string, balance: number) => ({ id, centreId: 'c', holderKind: 'resident' as const, holderId: `r-${id}`, balance, changeSeq: 1 });
const goods = (id: string, stock: number) => ({ id, centreId: 'c', name: id, barcode: '69000000', pointPrice: 30, stock, category: '', lowStock: 5, changeSeq: 1 });
const sitting = (id: string, capacity: number, used: number) => ({ id, centreId: 'c', capacity, used, changeSeq: 1 });

describe('the fold', () => {
  it('writes a ledger entry per ledger effect and moves the balance, with the change sequence of the event', () => {
    const state = new RowState(rowsView({ accounts: [account('a1', 50)] }), 'c');
    expect(foldEffects(state, ctx('e1'), [{ type: 'ledger', accountId: 'a1', delta: 20, memo: '清理楼道', category: null }])).toEqual([]);
    expect(state.row('accounts', 'a1')).toMatchObject({ balance: 70, changeSeq: 7 });
    expect(state.touched('ledger').map((t) => t.row)).toEqual([{ id: 'e1:0', centreId: 'c', accountId: 'a1', eventId: 'e1', delta: 20, kind: 'test', memo: '清理楼道', category: null, at, reversedBy: null, ruleId: null, changeSeq: 7 }]);
  });

  it('raises overbooked when places used pass the capacity, and only for a use that takes places', () => {
    const state = new RowState(rowsView({ resources: [sitting('lunch', 30, 29)] }), 'c');
    expect(foldEffects(state, ctx('e1'), [{ type: 'use', resourceId: 'lunch', amount: 1 }])).toEqual([]);
    expect(placesLeft(state, 'lunch')).toBe(0);
    expect(foldEffects(state, ctx('e2'), [{ type: 'use', resourceId: 'lunch', amount: 2 }])).toEqual([{ kind: 'overbooked', subjectId: 'lunch', amount: -2 }]);
    // A cancellation gives a place back: it does not raise the overbooking again.
    expect(foldEffects(state, ctx('e3'), [{ type: 'use', resourceId: 'lunch', amount: -1 }])).toEqual([]);
    expect(state.touched('exceptions').map((t) => t.row.id)).toEqual(['e2:x0']);
  });

  it('an award that leaves an earlier deficit standing does not raise it again', () => {
    const state = new RowState(rowsView({ accounts: [account('a1', -40)] }), 'c');
    expect(foldEffects(state, ctx('e1'), [{ type: 'ledger', accountId: 'a1', delta: 10, memo: '', category: null }])).toEqual([]);
  });

  it('creates records and patches them, keeping a created row created', () => {
    const state = new RowState(rowsView({}), 'c');
    foldEffects(state, ctx('e1', 3), [{ type: 'record', table: 'accounts', create: { id: 'a9', holderKind: 'resident', holderId: 'r9', balance: 0 } }]);
    foldEffects(state, ctx('e2', 4), [{ type: 'ledger', accountId: 'a9', delta: 5, memo: '', category: null }]);
    expect(state.touched('accounts')).toEqual([{ row: { id: 'a9', centreId: 'c', holderKind: 'resident', holderId: 'r9', balance: 5, changeSeq: 4 }, touch: 'created' }]);
  });

  it('finds a level an event would take out of range, without changing anything', () => {
    const view = rowsView({ accounts: [account('a1', -999_999_990)] });
    const effects: Effect[] = [{ type: 'ledger', accountId: 'a1', delta: -6, memo: '', category: null }, { type: 'ledger', accountId: 'a1', delta: -6, memo: '', category: null }];
    expect(levelOutOfRange(view, effects)).toEqual({ table: 'accounts', id: 'a1', level: -1_000_000_002 });
    expect(levelOutOfRange(view, effects.slice(0, 1))).toBeNull();
    expect(balanceOf(view, 'a1')).toBe(-999_999_990);
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
  it('any history keeps each balance equal to its ledger and each stock equal to its movements; every exception is a real deficit', () => {
    fc.assert(fc.property(fc.array(eventArb, { maxLength: 60 }), (bodies) => {
      const base = rowsView({ accounts: accounts.map((a) => account(a, 0)), goods: goodsIds.map((g) => goods(g, 0)) });
      const state = overlay(base, 'c', bodies.map((b, i) => ({ ...b, id: `e${i}`, at, clockOffset: 0, staffId: 's' })));
      const ledger = state.touched('ledger').map((t) => t.row);
      for (const a of accounts) expect(balanceOf(state, a)).toBe(ledger.filter((l) => l.accountId === a).reduce((s, l) => s + l.delta, 0));
      for (const g of goodsIds) expect(stockOf(state, g)).toBe(state.movements.filter((m) => m.goodsId === g).reduce((s, m) => s + m.delta, 0));
      for (const { row: x } of state.touched('exceptions')) expect(x.amount).toBeLessThan(0);
    }));
  });

  it('places used always equal the uses folded, and an overbooking is raised exactly when a use passes the capacity', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }), fc.array(fc.integer({ min: -2, max: 3 }).filter((n) => n !== 0), { maxLength: 40 }), (capacity, uses) => {
      const state = new RowState(rowsView({ resources: [sitting('s', capacity, 0)] }), 'c');
      let used = 0;
      uses.forEach((amount, i) => {
        used += amount;
        const raised = foldEffects(state, ctx(`e${i}`), [{ type: 'use', resourceId: 's', amount }]);
        expect(raised.length).toBe(amount > 0 && used > capacity ? 1 : 0);
      });
      expect(state.row('resources', 's')?.used).toBe(used);
    }));
  });
});
