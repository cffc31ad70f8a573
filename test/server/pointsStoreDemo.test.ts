import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDb } from '../support/db.js';
import { ledgerBreaches, smallCentreDb } from '../support/centre.js';

/**
 * The demo centre shows every part of the points store when `npm start` opens it: not only the
 * year of plain awards and redemptions, but awards by rule, a reversal, certified hours with a
 * correction, a donation, a partner shop that earns, is paid and redeems, and a stock count, all
 * applied (none refused) and with balances equal to their ledgers.
 */
describe('the demo centre\'s points store', () => {
  let db: ScratchDb;
  beforeAll(async () => {
    db = await smallCentreDb('pglite');
  });
  afterAll(() => db.drop());

  it('holds every kind of the points store, each applied', async () => {
    const kinds = await db.query<{ kind: string; version: number; outcome: string; n: number }>(
      `SELECT kind, version, outcome, count(*)::int AS n FROM event WHERE centre_id = 'wzgl' GROUP BY kind, version, outcome ORDER BY kind, version`);
    expect(kinds.filter((k) => k.outcome !== 'applied')).toEqual([]);
    const seen = new Set(kinds.map((k) => `${k.kind}/${k.version}`));
    for (const k of ['pointsAwarded/2', 'entryReversed/1', 'serviceCertified/1', 'serviceCorrected/1', 'donationReceived/2', 'donationValueSet/1', 'shopRedemption/1', 'goodsRedeemed/2', 'stockCounted/1', 'stockCounted/2']) {
      expect(seen, k).toContain(k);
    }
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    // Nothing the demo did breaks a rule: no overdraft, no cap passed, nothing for staff to resolve.
    expect(await db.query(`SELECT kind, subject_id FROM rule_exception WHERE centre_id = 'wzgl'`)).toEqual([]);
  });

  it('shows a roster of service hours, a reversed award, a donation and a shop with points', async () => {
    const hours = await db.query<{ activity: string; minutes: number; points: number }>(`SELECT activity, minutes, points FROM service_hours WHERE centre_id = 'wzgl' ORDER BY id`);
    expect(hours).toHaveLength(5);
    expect(hours.every((h) => h.activity === '红色星期二 义务理发' && h.points === Math.floor(h.minutes / 6))).toBe(true);
    expect(hours.some((h) => h.minutes === 120 && h.points === 20)).toBe(true);
    const reversed = await db.query<{ memo: string }>(`SELECT memo FROM ledger_entry WHERE centre_id = 'wzgl' AND reversed_by IS NOT NULL`);
    expect(reversed).toEqual([{ memo: '文明劝导' }]);
    const [donation] = await db.query<{ points: number }>(`SELECT points FROM donation WHERE centre_id = 'wzgl'`);
    expect(donation?.points).toBe(3 * 5 + 4);
    const [shop] = await db.query<{ balance: string }>(`SELECT balance::text FROM account WHERE id = 'wzgl-shopacct1'`);
    expect(Number(shop?.balance)).toBeGreaterThan(0);
  });
});
