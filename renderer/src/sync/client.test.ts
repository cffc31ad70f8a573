import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './client.js';

describe('reconnecting to the poke stream', () => {
  it('spreads kiosks whose streams dropped together over the backoff, never past 10 s', () => {
    // 3,000 kiosks of a city lose their streams when the server restarts.
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const first = Array.from({ length: 3_000 }, () => reconnectDelay(0, random()));
    const perTenth = new Array<number>(10).fill(0);
    for (const ms of first) perTenth[Math.floor(ms / 100)]! += 1;
    // Within the first second, about 300 in each tenth of it: none of them all at once.
    expect(Math.max(...first)).toBeLessThan(1_000);
    expect(Math.max(...perTenth)).toBeLessThan(400);
    expect(Math.min(...perTenth)).toBeGreaterThan(200);
    // The backoff doubles per failed try and stops at 10 s.
    expect(reconnectDelay(3, 0.999)).toBe(7_992);
    expect(reconnectDelay(20, 0.999)).toBe(9_990);
    expect(reconnectDelay(0, 0)).toBe(0);
  });
});
