import { describe, expect, it } from 'vitest';
import { decideResolution } from './exceptions.js';

const overdraft = { id: 'e1:x0', kind: 'overdraft' as const, subjectId: 'a1', resolvedBy: null };
const oversold = { id: 'e2:x0', kind: 'oversold' as const, subjectId: 'g1', resolvedBy: null };
const clock = { id: 'e3:clock', kind: 'clockSkew' as const, subjectId: 'K01', resolvedBy: null };

describe('resolving an exception', () => {
  it('writes an overdraft off by crediting the account back to zero, and only what is still short', () => {
    expect(decideResolution(overdraft, -30, 'writeOff', ' 中心承担 ')).toEqual({ ok: true, value: {
      kind: 'exceptionResolved', version: 1,
      payload: { exceptionId: 'e1:x0', resolution: 'writeOff', accountId: 'a1', pointsDelta: 30, goodsId: null, stockDelta: 0, note: '中心承担' },
    } });
    // The resident earned 50 since: nothing is short any more.
    const later = decideResolution(overdraft, 20, 'writeOff', '');
    expect(later.ok && later.value.payload.pointsDelta).toBe(0);
  });

  it('adjusts an oversold to the counted stock, and recovers without moving anything', () => {
    const counted = decideResolution(oversold, -2, 'adjust', '清点', 3);
    expect(counted.ok && counted.value.payload).toMatchObject({ goodsId: 'g1', stockDelta: 5, accountId: null, pointsDelta: 0 });
    const recover = decideResolution(oversold, -2, 'recover', '下批补货');
    expect(recover.ok && recover.value.payload).toMatchObject({ stockDelta: 0, pointsDelta: 0, resolution: 'recover' });
  });

  it('refuses what does not fit: an adjustment without a figure, a clock exception written off, a resolved one', () => {
    expect(decideResolution(oversold, -2, 'adjust', '')).toMatchObject({ ok: false, error: { key: 'invalidAdjustment' } });
    expect(decideResolution(oversold, -2, 'adjust', '', -1)).toMatchObject({ ok: false, error: { key: 'invalidAdjustment' } });
    expect(decideResolution(clock, 0, 'writeOff', '')).toMatchObject({ ok: false, error: { key: 'resolutionNotAllowed' } });
    expect(decideResolution(clock, 0, 'acknowledge', '').ok).toBe(true);
    expect(decideResolution({ ...overdraft, resolvedBy: 'e9' }, -30, 'writeOff', '')).toMatchObject({ ok: false, error: { key: 'exceptionAlreadyResolved' } });
  });
});
