import { describe, expect, it } from 'vitest';
import { eanCheckDigit, makeEan, parseEan } from './barcode.js';

describe('EAN codes', () => {
  it('computes the check digits of known codes', () => {
    expect(eanCheckDigit('400638133393')).toBe(1);
    expect(eanCheckDigit('9638507')).toBe(4);
    expect(makeEan('690123456789')).toBe('6901234567892');
  });

  it('accepts good codes and refuses a wrong check digit or length', () => {
    expect(parseEan('4006381333931')).toEqual({ ok: true, value: '4006381333931' });
    expect(parseEan('96385074').ok).toBe(true);
    for (const bad of ['4006381333932', '400638133393', 'abcdefghijklm', '']) {
      const r = parseEan(bad);
      expect(r.ok ? null : r.error.key).toBe('malformedGoodsCode');
    }
  });
});
