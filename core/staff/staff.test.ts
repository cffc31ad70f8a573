import { describe, expect, it } from 'vitest';
import { roleMayDo } from '../events/registry.js';
import { afterWrongPin, makeStaffCardCode, parseStaffCardCode, SIGN_IN_LOCKOUT, signInAllowed } from './staff.js';

describe('staff', () => {
  it('reads staff cards with their check digit, and refuses a misread one', () => {
    expect(makeStaffCardCode(2)).toBe('LS00026');
    expect(parseStaffCardCode(' ls00026 ')).toEqual({ ok: true, value: 'LS00026' });
    expect(parseStaffCardCode('LS00027')).toMatchObject({ ok: false, error: { key: 'malformedStaffCard' } });
    expect(parseStaffCardCode('LL0000000117')).toMatchObject({ ok: false });
  });

  it('locks a card after five wrong PINs, for five minutes from the last one', () => {
    let f = undefined as ReturnType<typeof afterWrongPin> | undefined;
    for (let i = 0; i < SIGN_IN_LOCKOUT.tries; i++) {
      expect(signInAllowed(f, 1_000 + i).ok).toBe(true);
      f = afterWrongPin(f, 1_000 + i);
    }
    const last = 1_000 + SIGN_IN_LOCKOUT.tries - 1;
    expect(signInAllowed(f, last + 60_000)).toEqual({ ok: false, error: { key: 'staffLocked', params: { minutes: 4 } } });
    expect(signInAllowed(f, last + SIGN_IN_LOCKOUT.lockMs).ok).toBe(true);
    // A wrong PIN after the lockout ran out starts the count again.
    expect(afterWrongPin(f, last + SIGN_IN_LOCKOUT.lockMs)).toEqual({ count: 1, lastAt: last + SIGN_IN_LOCKOUT.lockMs });
  });

  it('lets each role do its kinds only; admins do all', () => {
    expect(roleMayDo('clerk', 'goodsRedeemed')).toBe(true);
    expect(roleMayDo('canteen', 'goodsRedeemed')).toBe(false);
    expect(roleMayDo('admin', 'exceptionResolved')).toBe(true);
  });
});
