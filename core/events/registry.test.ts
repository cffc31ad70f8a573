import { describe, expect, it } from 'vitest';
import { EventBody, EVENT_KINDS, KINDS, PROFILE_KINDS, profileMayPush, refsOf, roleMayDo } from './registry.js';

describe('the kind registry', () => {
  it('reads every version of every kind, and nothing else', () => {
    expect(EVENT_KINDS).toEqual(Object.keys(KINDS));
    expect(EventBody.safeParse({ kind: 'pointsStolen', version: 1, payload: {} }).success).toBe(false);
    expect(EventBody.safeParse({ kind: 'pointsAwarded', version: 2, payload: { accountId: 'a', points: 1, category: 'other', note: '' } }).success).toBe(false);
    expect(EventBody.safeParse({ kind: 'pointsAwarded', version: 1, payload: { accountId: 'a', points: 1, category: 'other', note: 'ok\ud800' } })).toMatchObject({
      success: true, data: { payload: { note: 'ok\ufffd' } },
    });
  });

  it('derives who may do what from the kinds themselves', () => {
    expect(PROFILE_KINDS.counter).toContain('residentRegistered');
    // A resident alone at the touchscreen may only book a meal.
    expect(PROFILE_KINDS.selfService).toEqual(['mealBooked']);
    expect(profileMayPush('canteen', 'goodsRedeemed')).toBe(false);
    expect(roleMayDo('canteen', 'goodsRedeemed')).toBe(false);
    expect(roleMayDo('clerk', 'residentRegistered')).toBe(true);
    expect(roleMayDo('admin', 'exceptionResolved')).toBe(true);
  });

  it('names the rows an event touches, so the server checks them for every kind alike', () => {
    expect(refsOf({ kind: 'goodsRedeemed', version: 1, payload: { accountId: 'a1', residentId: 'r1', lines: [{ goodsId: 'g1', quantity: 1, pointPrice: 30 }] } })).toEqual([
      { table: 'accounts', id: 'a1', is: 'existing' }, { table: 'residents', id: 'r1', is: 'existing' }, { table: 'goods', id: 'g1', is: 'existing' },
    ]);
  });
});
