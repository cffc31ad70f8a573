import { describe, expect, it } from 'vitest';
import { BurstClassifier, DEFAULT_WEDGE } from './burst.js';

const feed = (c: BurstClassifier, text: string, start: number, gap: number) => {
  let released = '';
  [...text].forEach((ch, i) => {
    released += c.key(ch, start + i * gap);
  });
  return { released, end: start + (text.length - 1) * gap };
};

describe('telling a scanner from a person', () => {
  it('calls a fast burst ending in Enter a scan, and releases nothing', () => {
    const c = new BurstClassifier(DEFAULT_WEDGE);
    const { released, end } = feed(c, 'LL0000000117', 0, 5);
    expect(released).toBe('');
    expect(c.terminate(end + 4)).toEqual({ kind: 'scan', code: 'LL0000000117' });
  });

  it('releases keys typed at a person\'s pace as typing', () => {
    const c = new BurstClassifier(DEFAULT_WEDGE);
    const { released, end } = feed(c, 'LL0000000117', 0, 150);
    expect(released).toBe('LL000000011');
    expect(c.terminate(end + 150)).toEqual({ kind: 'typing', held: '7' });
  });

  it('does not take a short fast burst for a scan', () => {
    const c = new BurstClassifier(DEFAULT_WEDGE);
    const { end } = feed(c, '12', 0, 5);
    expect(c.terminate(end + 5)).toEqual({ kind: 'typing', held: '12' });
  });

  it('wants the terminator right after the burst', () => {
    const c = new BurstClassifier(DEFAULT_WEDGE);
    const { end } = feed(c, 'LL0000000117', 0, 5);
    expect(c.terminate(end + 500)).toEqual({ kind: 'typing', held: 'LL0000000117' });
  });

  it('strips a configured AIM prefix', () => {
    const c = new BurstClassifier(DEFAULT_WEDGE);
    const { end } = feed(c, ']E06901234567892', 0, 3);
    expect(c.terminate(end + 3)).toEqual({ kind: 'scan', code: '6901234567892' });
  });

  it('strips any AIM symbology identifier, in either case, and a configured prefix', () => {
    const ticket = 'LLT1.wzgl.20261125.lunch.10.K4';
    for (const [sent, code] of [
      [`]Q2${ticket}`, ticket], [`]Q1${ticket}`, ticket], [`]d2${ticket}`, ticket], [`]e0${ticket}`, ticket], [`]q2${ticket.toLowerCase()}`, ticket.toLowerCase()],
      [']C0LL0000000117', 'LL0000000117'], [']c1LL0000000117', 'LL0000000117'], [']E46959000', '6959000'],
    ] as const) {
      const c = new BurstClassifier(DEFAULT_WEDGE);
      const { end } = feed(c, sent, 0, 3);
      expect(c.terminate(end + 3), sent).toEqual({ kind: 'scan', code });
    }
    const prefixed = new BurstClassifier({ ...DEFAULT_WEDGE, prefixes: ['#'] });
    const { end } = feed(prefixed, ']Q2#LL0000000117', 0, 3);
    expect(prefixed.terminate(end + 3)).toEqual({ kind: 'scan', code: 'LL0000000117' });
  });

  it('takes a second terminator right after a scan (the LF of CR LF) as the scan\'s, and a later Enter as a person\'s', () => {
    const c = new BurstClassifier(DEFAULT_WEDGE);
    const { end } = feed(c, 'LL0000000117', 0, 4);
    expect(c.terminate(end + 4).kind).toBe('scan');
    expect(c.trailsScan(end + 8)).toBe(true);
    expect(c.trailsScan(end + 400)).toBe(false);
    const typed = new BurstClassifier(DEFAULT_WEDGE);
    const t = feed(typed, 'LL0000000117', 0, 150);
    expect(typed.terminate(t.end + 150).kind).toBe('typing');
    expect(typed.trailsScan(t.end + 154)).toBe(false);
  });

  it('follows the device\'s own timing: a slow wireless scanner at 60 ms a key', () => {
    const slow = new BurstClassifier({ ...DEFAULT_WEDGE, maxGapMs: 80 });
    const { end } = feed(slow, 'LL0000000117', 0, 60);
    expect(slow.terminate(end + 60)).toEqual({ kind: 'scan', code: 'LL0000000117' });
  });
});
