import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../ids.js';
import { LinliEvent } from './events.js';

const envelope = { id: uuidv7(1_764_000_000_000, new Uint8Array(16).fill(7)), deviceId: 'dev1', seq: 1, staffId: 's1', at: '2026-11-25T02:00:00.000Z', clockOffset: 0, basis: 0 };

describe('the event union', () => {
  it('accepts a known kind at a known version', () => {
    const e = { ...envelope, kind: 'stockReceived', version: 1, payload: { goodsId: 'g1', quantity: 3, source: 'donation', note: '' } };
    expect(LinliEvent.safeParse(e).success).toBe(true);
  });

  it('refuses an unknown kind, an unknown version and a negative quantity', () => {
    expect(LinliEvent.safeParse({ ...envelope, kind: 'pointsStolen', version: 1, payload: {} }).success).toBe(false);
    expect(LinliEvent.safeParse({ ...envelope, kind: 'stockReceived', version: 9, payload: { goodsId: 'g1', quantity: 3, source: 'donation', note: '' } }).success).toBe(false);
    expect(LinliEvent.safeParse({ ...envelope, kind: 'stockReceived', version: 1, payload: { goodsId: 'g1', quantity: -3, source: 'donation', note: '' } }).success).toBe(false);
  });

  it('makes UUIDv7 ids that sort by time', () => {
    const a = uuidv7(1000, new Uint8Array(16).fill(255));
    const b = uuidv7(2000, new Uint8Array(16).fill(0));
    expect(a < b).toBe(true);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
