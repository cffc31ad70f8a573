import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCardCode, maskName, parseCardCode } from './resident.js';

describe('resident card codes', () => {
  it('reads the worked example of the format', () => {
    expect(makeCardCode(123, 1)).toBe('LL0000012310');
    expect(parseCardCode(' ll0000012310 ')).toEqual({ ok: true, value: { code: 'LL0000012310', serial: 123, generation: 1 } });
  });

  it.each(['', 'LL123', 'LL00000123100', 'XX0000012310', '6901234567892', 'LL0000012311'])('refuses %j as malformed', (raw) => {
    const r = parseCardCode(raw);
    expect(r.ok ? null : r.error.key).toBe('malformedCardCode');
  });

  it.each(['张三明', ' zsm ', '5678', '3栋501'])('refuses %j as what a person searches by, pointing to the search', (raw) => {
    const r = parseCardCode(raw);
    expect(r.ok ? null : r.error.key).toBe('cardFieldSearched');
  });

  it('catches every single misread digit', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 2, max: 11 }), fc.integer({ min: 1, max: 9 }), (serial, gen, pos, bump) => {
      const code = makeCardCode(serial, gen);
      const misread = code.slice(0, pos) + String((Number(code[pos]) + bump) % 10) + code.slice(pos + 1);
      expect(parseCardCode(misread).ok).toBe(false);
    }));
  });
});

describe('maskName', () => {
  it.each([['张三', '张*'], ['张小明', '张*明'], ['欧阳小明', '欧**明'], ['李', '李']])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
