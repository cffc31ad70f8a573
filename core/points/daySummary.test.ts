import { describe, expect, it } from 'vitest';
import type { LinliEvent } from '../events/events.js';
import type { EventBody } from '../events/registry.js';
import { counterDay, figuresByCategory, reversibilityOf } from './daySummary.js';

let seq = 0;
const ev = (id: string, body: EventBody): LinliEvent => ({ ...body, id, deviceId: 'd', seq: ++seq, staffId: 's', at: '2026-11-25T02:00:00.000Z', clockOffset: 0, basis: 0 }) as LinliEvent;

describe('a counter\'s day', () => {
  it('counts what the counter did and leaves out what it reversed the same day', () => {
    const day = counterDay([
      ev('r1', { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'p1', lines: [{ goodsId: 'g1', pointPrice: 30, quantity: 2 }] } }),
      ev('r2', { kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'p1', lines: [{ goodsId: 'g2', pointPrice: 500, quantity: 1 }] } }),
      ev('x1', { kind: 'entryReversed', version: 1, payload: { target: { kind: 'redemption', redemptionId: 'r2' }, reason: '拿错了' } }),
      ev('w1', { kind: 'pointsAwarded', version: 1, payload: { accountId: 'a1', points: 20, category: 'volunteering', note: '' } }),
      ev('w2', { kind: 'pointsAwarded', version: 1, payload: { accountId: 'a1', points: 90, category: 'volunteering', note: '' } }),
      ev('x2', { kind: 'entryReversed', version: 1, payload: { target: { kind: 'ledgerEntry', entryId: 'w2:0' }, reason: '记错人' } }),
      ev('s1', { kind: 'stockReceived', version: 1, payload: { goodsId: 'g1', quantity: 12, source: 'purchase', note: '' } }),
    ]);
    expect(day).toMatchObject({ redemptions: 1, pointsSpent: 60, pointsAwarded: 20, stockReceived: 12 });
    expect([...day.goodsOut]).toEqual([['g1', 2]]);
  });

  it('leaves out a donation\'s points reversed that day, and keeps its items received', () => {
    const donation: EventBody = { kind: 'donationReceived', version: 1, payload: {
      donationId: 'd1', donorResidentId: 'r1', donorAccountId: 'a1', points: 18, proposedPoints: 18, reason: '',
      items: [{ category: 'books', condition: 'good', quantity: 3, goodsId: 'g9', newGoods: { name: '绘本', category: '捐赠物品', pointPrice: 20, lowStock: 0, barcode: '2101000000017' } }],
    } } as unknown as EventBody;
    const day = counterDay([
      ev('dn', donation),
      ev('x3', { kind: 'entryReversed', version: 1, payload: { target: { kind: 'ledgerEntry', entryId: 'dn:1' }, reason: '记错人' } }),
    ]);
    expect(day).toMatchObject({ pointsAwarded: 0, stockReceived: 3 });
    expect(reversibilityOf({ kind: 'donationReceived', category: 'reuse', reversedBy: null }, null)).toBe('yes');
    expect(reversibilityOf({ kind: 'donationReceived', category: 'reuse', reversedBy: 'x3' }, null)).toBe('reversed');
  });

  it('lets an award or a redemption be reversed once, and never a reversal', () => {
    expect(reversibilityOf({ kind: 'pointsAwarded', category: 'volunteering', reversedBy: null }, null)).toBe('yes');
    expect(reversibilityOf({ kind: 'pointsAwarded', category: 'volunteering', reversedBy: 'x' }, null)).toBe('reversed');
    expect(reversibilityOf({ kind: 'goodsRedeemed', category: 'redemption', reversedBy: null }, { reversedBy: null })).toBe('yes');
    expect(reversibilityOf({ kind: 'goodsRedeemed', category: 'redemption', reversedBy: null }, { reversedBy: 'x' })).toBe('reversed');
    expect(reversibilityOf({ kind: 'entryReversed', category: 'redemption', reversedBy: null }, { reversedBy: null })).toBe('no');
  });

  it('counts ledger entries by category: given, taken back, a shop\'s gain from a resident left out, an unknown category as other', () => {
    const rows = figuresByCategory([
      { category: 'volunteering', delta: 40 }, { category: 'volunteering', delta: 20 }, { category: 'redemption', delta: -30 },
      { category: 'shop', delta: -15 }, { category: 'shop', delta: 15 }, { category: 'correction', delta: -20 }, { category: 'meal', delta: 5 }, { category: null, delta: 1 },
    ]);
    const of = (c: string) => rows.find((r) => r.category === c);
    expect(of('volunteering')).toEqual({ category: 'volunteering', issued: 60, redeemed: 0, entries: 2 });
    expect(of('redemption')).toEqual({ category: 'redemption', issued: 0, redeemed: 30, entries: 1 });
    expect(of('shop')).toEqual({ category: 'shop', issued: 0, redeemed: 15, entries: 1 });
    expect(of('correction')).toEqual({ category: 'correction', issued: 0, redeemed: 20, entries: 1 });
    expect(of('other')).toEqual({ category: 'other', issued: 6, redeemed: 0, entries: 2 });
    expect(rows.map((r) => r.category)).toEqual(['governance', 'civility', 'reuse', 'volunteering', 'other', 'redemption', 'shop', 'correction']);
  });
});
