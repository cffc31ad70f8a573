import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../i18n/messages.js';
import { idNumberCheck, parseIdNumber } from './idNumber.js';

const TODAY = '2026-11-25';

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the standard\'s example and masks it', () => {
    expect(idNumberCheck('11010519491231002')).toBe('X');
    expect(parseIdNumber('11010519491231002x', TODAY)).toEqual({ ok: true, value: { number: '11010519491231002X', birthDate: '1949-12-31', masked: '110***********002X' } });
  });

  it.each([
    ['a wrong check character', '110105194912310021'],
    ['17 characters', '11010519491231002'],
    ['a letter inside', '1101051949123A002X'],
    ['the 30th of February', '110105194902300021'],
    ['a birth date after today', '110105202712310021'],
  ])('refuses %s, without repeating the number', (_what, raw) => {
    const first17 = raw.slice(0, 17);
    const withRightCheck = /^\d{17}$/.test(first17) && raw.length === 18 && raw !== '110105194912310021' ? first17 + idNumberCheck(first17) : raw;
    const r = parseIdNumber(withRightCheck, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.key).toBe('malformedIdNumber');
      expect(formatMessage(r.error, 'zh')).not.toContain(raw.slice(6, 14));
    }
  });

  it('catches every single wrong digit', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, bump) => {
      const good = '11010519491231002X';
      const changed = good.slice(0, pos) + String((Number(good[pos]) + bump) % 10) + good.slice(pos + 1);
      expect(parseIdNumber(changed, TODAY).ok).toBe(false);
    }));
  });
});
