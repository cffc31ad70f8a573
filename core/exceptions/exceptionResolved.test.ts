import { describe, expect, it } from 'vitest';
import { RowState, rowsView } from '../effects/effects.js';
import { decideResolution, exceptionResolved } from './exceptionResolved.js';

const overdraft = { id: 'e1:x0', kind: 'overdraft' as const, subjectId: 'a1', resolvedBy: null, amount: -30 };
const oversold = { id: 'e2:x0', kind: 'oversold' as const, subjectId: 'g1', resolvedBy: null, amount: -2 };
const clock = { id: 'e3:clock', kind: 'clockSkew' as const, subjectId: 'K01', resolvedBy: null, amount: 12 };

describe('resolving an exception', () => {
  it('writes an overdraft off by crediting the account back to zero, and only what is still short', () => {
    expect(decideResolution(overdraft, -30, 'writeOff', ' 中心承担 ')).toEqual({ ok: true, value: {
      kind: 'exceptionResolved', version: 1,
      payload: { exceptionId: 'e1:x0', resolution: 'writeOff', accountId: 'a1', pointsDelta: 30, goodsId: null, stockDelta: 0, note: '中心承担' },
    } });
    // The resident earned 50 since: nothing is short any more.
    const later = decideResolution(overdraft, 20, 'writeOff', '');
    expect(later.ok && later.value.payload.pointsDelta).toBe(0);
    // A later overdraft of its own does not make this one's write-off larger than what it recorded.
    const deeper = decideResolution(overdraft, -90, 'writeOff', '');
    expect(deeper.ok && deeper.value.payload.pointsDelta).toBe(30);
  });

  it('adjusts an oversold to the counted stock, and recovers without moving anything', () => {
    const counted = decideResolution(oversold, -2, 'adjust', '清点', 3);
    expect(counted.ok && counted.value.payload).toMatchObject({ goodsId: 'g1', stockDelta: 5, accountId: null, pointsDelta: 0 });
    const recover = decideResolution(oversold, -2, 'recover', '下批补货');
    expect(recover.ok && recover.value.payload).toMatchObject({ stockDelta: 0, pointsDelta: 0, resolution: 'recover' });
  });

  it('refuses what does not fit: an adjustment without a figure or beyond the exception, a clock exception written off, a resolved one', () => {
    expect(decideResolution(oversold, -2, 'adjust', '')).toMatchObject({ ok: false, error: { key: 'invalidAdjustment' } });
    expect(decideResolution(oversold, -2, 'adjust', '', -1)).toMatchObject({ ok: false, error: { key: 'adjustmentOutOfBounds', params: { low: 0, high: 9_999 } } });
    expect(decideResolution(overdraft, -30, 'adjust', '', 500)).toMatchObject({ ok: false, error: { key: 'adjustmentOutOfBounds', params: { low: -30, high: 0 } } });
    expect(decideResolution(clock, 0, 'writeOff', '')).toMatchObject({ ok: false, error: { key: 'resolutionNotAllowed' } });
    expect(decideResolution(clock, 0, 'acknowledge', '').ok).toBe(true);
    expect(decideResolution({ ...overdraft, resolvedBy: 'e9' }, -30, 'writeOff', '')).toMatchObject({ ok: false, error: { key: 'exceptionAlreadyResolved' } });
  });
});

describe('the server\'s check of a resolution', () => {
  const row = { ...overdraft, centreId: 'c', eventId: 'e1', at: '', resolution: null, changeSeq: 1 };
  const view = new RowState(rowsView({ exceptions: [row] }), 'c');
  const resolution = (pointsDelta: number, resolution: 'writeOff' | 'recover' = 'writeOff', accountId = 'a1') => ({
    kind: 'exceptionResolved' as const, version: 1 as const, payload: { exceptionId: 'e1:x0', resolution, accountId, pointsDelta, goodsId: null, stockDelta: 0, note: '' },
  });

  it('lets a compensation move at most what the exception recorded', () => {
    expect(exceptionResolved.check!(resolution(30), view)).toBeNull();
    expect(exceptionResolved.check!(resolution(1_000_000), view)).toEqual({ key: 'refusedCompensation', params: { id: 'e1:x0', min: 0, max: 30 } });
    expect(exceptionResolved.check!(resolution(-5), view)).toMatchObject({ key: 'refusedCompensation' });
    expect(exceptionResolved.check!(resolution(10, 'recover'), view)).toMatchObject({ key: 'refusedCompensation', params: { max: 0 } });
  });

  it('refuses a resolution naming another subject, or one already resolved', () => {
    expect(exceptionResolved.check!(resolution(30, 'writeOff', 'a2'), view)).toMatchObject({ key: 'refusedExceptionMismatch' });
    const resolved = new RowState(rowsView({ exceptions: [{ ...row, resolvedBy: 'e5' }] }), 'c');
    expect(exceptionResolved.check!(resolution(30), resolved)).toMatchObject({ key: 'refusedAlreadyResolved' });
  });
});
