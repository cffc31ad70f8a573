import { describe, expect, it } from 'vitest';
import { makeCardCode, parseCardCode } from '../residents/resident.js';
import { cardLookupText, isSelfServiceCardCode, matchCard, selfServiceCardCode } from './cardLookup.js';
import { idlePhase } from './idle.js';
import { affordableGoods, entryWords, maskPhone } from './summary.js';

const card = (serial: number, generation: number) => {
  const c = parseCardCode(makeCardCode(serial, generation));
  if (!c.ok) throw new Error('bad card');
  return c.value;
};

describe('self-service card lookup', () => {
  const hash = 'AAAAAAAAAAAAAAAAAAAAAA';
  it('hashes the serial only, so every generation of a card shares it', () => {
    expect(cardLookupText(card(123, 1))).toBe('LL00000123');
    expect(cardLookupText(card(123, 2))).toBe('LL00000123');
  });
  it('holds the hash and the generation, never a code that could be typed', () => {
    const held = selfServiceCardCode(hash, 2);
    expect(held).toBe(`#${hash}2`);
    expect(isSelfServiceCardCode(held)).toBe(true);
    expect(isSelfServiceCardCode(makeCardCode(123, 1))).toBe(false);
    expect(parseCardCode(held).ok).toBe(false);
  });
  it('finds the current card, tells a replaced one, and a card not synced yet is unknown', () => {
    const rows = [{ id: 'r1', cardCode: selfServiceCardCode(hash, 2) }];
    expect(matchCard(card(123, 2), rows)).toEqual({ kind: 'found', resident: rows[0] });
    expect(matchCard(card(123, 1), rows)).toEqual({ kind: 'replaced' });
    expect(matchCard(card(123, 3), rows)).toEqual({ kind: 'unknown' });
    expect(matchCard(card(123, 1), [])).toEqual({ kind: 'unknown' });
  });
});

describe('idle reset', () => {
  it('is active for a minute, then counts down ten seconds, then resets', () => {
    expect(idlePhase(0, 59_000)).toEqual({ kind: 'active', countdownInMs: 1_000 });
    expect(idlePhase(0, 63_000)).toEqual({ kind: 'countdown', secondsLeft: 7, msToNextSecond: 1_000 });
    expect(idlePhase(0, 63_500)).toMatchObject({ kind: 'countdown', secondsLeft: 7, msToNextSecond: 500 });
    expect(idlePhase(0, 70_000)).toEqual({ kind: 'reset' });
  });
});

describe('plain words', () => {
  it('says an entry as a resident reads it', () => {
    const at = '2026-11-25T03:00:00.000Z';
    expect(entryWords({ at, delta: -30, memo: '抽纸×1', category: 'redemption' }, 'zh')).toBe('11月25日 兑换 抽纸×1 −30分');
    expect(entryWords({ at, delta: 20, memo: '清理楼道×2', category: 'governance' }, 'zh')).toBe('11月25日 小区治理 清理楼道×2 +20分');
    expect(entryWords({ at, delta: -30, memo: '抽纸×1', category: 'redemption' }, 'en')).toBe('25/11 Redeemed 抽纸×1 −30 points');
  });
  it('lists goods the balance buys now, in stock, cheapest first', () => {
    const g = [{ name: '香皂', pointPrice: 40, stock: 3 }, { name: '抽纸', pointPrice: 30, stock: 5 }, { name: '口罩', pointPrice: 10, stock: 0 }, { name: '自行车', pointPrice: 900, stock: 1 }];
    expect(affordableGoods(g, 50).map((x) => x.name)).toEqual(['抽纸', '香皂']);
  });
  it('masks phones', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('1234')).toBe('****1234');
  });
});
