import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PUSH_BYTES, MAX_PUSH_EVENTS, pushBatch, utf8Length } from './contract.js';

describe('a push in parts', () => {
  it('counts a body\'s bytes as UTF-8 does, Chinese and emoji included', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }));
    expect(utf8Length('抽纸×2 😀')).toBe(new TextEncoder().encode('抽纸×2 😀').length);
  });

  it('takes events in order while the body fits, at most 500, and always the first', () => {
    const event = (n: number, size: number) => ({ seq: n, note: '备'.repeat(size) });
    const big = Array.from({ length: 60 }, (_, i) => event(i + 1, 10_000)); // ~30 KB each
    const batch = pushBatch(big, (e) => e);
    expect(batch.map((e) => e.seq)).toEqual(big.slice(0, batch.length).map((e) => e.seq));
    expect(new TextEncoder().encode(JSON.stringify({ events: batch })).length).toBeLessThanOrEqual(MAX_PUSH_BYTES);
    expect(new TextEncoder().encode(JSON.stringify({ events: big.slice(0, batch.length + 1) })).length).toBeGreaterThan(MAX_PUSH_BYTES);
    expect(pushBatch(Array.from({ length: 700 }, (_, i) => event(i, 1)), (e) => e)).toHaveLength(MAX_PUSH_EVENTS);
    expect(pushBatch([event(1, 400_000)], (e) => e)).toHaveLength(1);
  });
});
