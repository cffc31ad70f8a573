import { describe, expect, it } from 'vitest';
import type { LookupView } from '../index.js';
import { cardReplaced, decideCardReplacement, needsNewSerial } from './cardReplaced.js';
import { makeCardCode } from './resident.js';

const ninth = makeCardCode(123, 9);
const fresh = makeCardCode(10_700_005, 1);
const holding = (cardCode: string) => ({ row: () => ({ cardCode }), rowWhere: () => undefined }) as unknown as LookupView;
const event = (oldCardCode: string, newCardCode: string) => ({ kind: 'cardReplaced', version: 1, payload: { residentId: 'r1', oldCardCode, newCardCode } }) as const;
const check = (body: ReturnType<typeof event>, view: LookupView) => cardReplaced.check!(body, view);

describe('a card replaced', () => {
  it('takes the next generation of its serial, and after the ninth a new serial\'s first card', () => {
    expect(decideCardReplacement({ id: 'r1', cardCode: makeCardCode(123, 1) })).toEqual({ ok: true, value: { residentId: 'r1', oldCardCode: makeCardCode(123, 1), newCardCode: makeCardCode(123, 2) } });
    expect(needsNewSerial(makeCardCode(123, 8))).toBe(false);
    expect(needsNewSerial(ninth)).toBe(true);
    expect(decideCardReplacement({ id: 'r1', cardCode: ninth })).toMatchObject({ ok: false, error: { key: 'cardGenerationsUsed' } });
    expect(decideCardReplacement({ id: 'r1', cardCode: ninth }, fresh)).toEqual({ ok: true, value: { residentId: 'r1', oldCardCode: ninth, newCardCode: fresh } });
  });

  it('is applied by the server only as decided: the next generation, or after the ninth a new serial at generation 1', () => {
    expect(check(event(makeCardCode(123, 1), makeCardCode(123, 2)), holding(makeCardCode(123, 1)))).toBeNull();
    expect(check(event(ninth, fresh), holding(ninth))).toBeNull();
    // Not the current card, a skipped generation, a new serial before the ninth, a new serial at generation 2, the same serial again.
    expect(check(event(makeCardCode(123, 1), makeCardCode(123, 2)), holding(makeCardCode(123, 2)))).not.toBeNull();
    expect(check(event(makeCardCode(123, 1), makeCardCode(123, 3)), holding(makeCardCode(123, 1)))).not.toBeNull();
    expect(check(event(makeCardCode(123, 1), fresh), holding(makeCardCode(123, 1)))).not.toBeNull();
    expect(check(event(ninth, makeCardCode(10_700_005, 2)), holding(ninth))).not.toBeNull();
    expect(check(event(ninth, makeCardCode(123, 1)), holding(ninth))).not.toBeNull();
  });

  it('names a new serial\'s later generations as codes no one may hold, so the server refuses a serial already out', () => {
    const held = (body: ReturnType<typeof event>) => cardReplaced.refs(body).flatMap((r) => ('field' in r && r.is === 'new' ? [r.value] : []));
    expect(held(event(ninth, fresh))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((g) => makeCardCode(10_700_005, g)));
    // The next generation of the same serial: only the new code itself.
    expect(held(event(makeCardCode(123, 1), makeCardCode(123, 2)))).toEqual([makeCardCode(123, 2)]);
  });
});
