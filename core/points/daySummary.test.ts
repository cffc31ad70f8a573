import { describe, expect, it } from 'vitest';
import type { LinliEvent } from '../events/events.js';
import type { EventBody } from '../events/registry.js';
import { counterDay, reversibilityOf } from './daySummary.js';

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

  it('lets an award or a redemption be reversed once, and never a reversal', () => {
    expect(reversibilityOf({ kind: 'pointsAwarded', category: 'volunteering', reversedBy: null }, null)).toBe('yes');
    expect(reversibilityOf({ kind: 'pointsAwarded', category: 'volunteering', reversedBy: 'x' }, null)).toBe('reversed');
    expect(reversibilityOf({ kind: 'goodsRedeemed', category: 'redemption', reversedBy: null }, { reversedBy: null })).toBe('yes');
    expect(reversibilityOf({ kind: 'goodsRedeemed', category: 'redemption', reversedBy: null }, { reversedBy: 'x' })).toBe('reversed');
    expect(reversibilityOf({ kind: 'entryReversed', category: 'redemption', reversedBy: null }, { reversedBy: null })).toBe('no');
  });
});
