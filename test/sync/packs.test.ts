import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES, type LedgerEntry, type PointsAccount, type PullRows } from '../../core/index.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { PACK_ROWS, unpack } from '../../renderer/src/store/packs.js';
import { historyWithBalance } from '../../renderer/src/store/screensSupport.js';
import { historyOf, viewOf } from '../../renderer/src/store/view.js';
import { mergePulled, type KioskRows } from '../../renderer/src/sync/client.js';

/**
 * A big pull lands packed (issue 10's first download): the accounts and the ledger of a centre go
 * into the kiosk a few thousand rows a record, in the merge's one transaction, and are unpacked
 * into their tables after. Meanwhile every screen shows them, a later pull's change wins over the
 * packed copy, and unpacking loses nothing.
 */
const ACCOUNTS = 3_000;
const account = (i: number, balance: number, changeSeq: number): PointsAccount => ({ id: `a${i}`, centreId: 'c', holderKind: 'resident', holderId: `r${i}`, balance, changeSeq });
const entry = (i: number, n: number, delta: number, changeSeq: number, reversedBy: string | null = null): LedgerEntry => ({
  id: `e${i}-${n}:0`, centreId: 'c', accountId: `a${i}`, eventId: `e${i}-${n}`, delta, kind: 'pointsAwarded', memo: '清理楼道', category: 'governance',
  at: `2026-11-${String(10 + n).padStart(2, '0')}T02:00:00.000Z`, reversedBy, ruleId: null, changeSeq,
});
const page = (rows: Partial<PullRows>): KioskRows => ({ ...Object.fromEntries(TABLE_NAMES.map((t) => [t, []])), ...rows } as unknown as KioskRows);

async function counterStore(name: string): Promise<LinliDb> {
  const db = new LinliDb(name);
  await db.meta.put({ key: 'device', deviceId: 'd', deviceCode: 'K01', token: 't', centreId: 'c', centreName: '中心', serverUrl: 'http://x', profile: 'counter' });
  return db;
}

describe('a big pull lands packed', () => {
  it('shows every row while packed, keeps a later change over the packed copy, and unpacks all of it', async () => {
    const db = await counterStore('packs-1');
    // Each account has two awards of 10: its balance 20.
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => account(i, 20, 10));
    const ledger = accounts.flatMap((_, i) => [entry(i, 1, 10, 5), entry(i, 2, 10, 6)]);
    await mergePulled(db, [page({ accounts, ledger })], { epoch: 'e', seq: 100 });

    expect(await db.accounts.count()).toBe(0);
    expect(await db.ledger.count()).toBe(0);
    expect(await db.packs.count()).toBe(Math.ceil(ACCOUNTS / PACK_ROWS) + Math.ceil((2 * ACCOUNTS) / PACK_ROWS));
    // The counter shows the packed rows: a balance, a history with its running balance.
    expect((await viewOf(db, { accounts: ['a7'] })).row('accounts', 'a7')?.balance).toBe(20);
    expect((await historyOf(db, 'a7')).map((e) => e.id)).toEqual(['e7-2:0', 'e7-1:0']);
    const { lines } = await historyWithBalance(db, 'a7', 10);
    expect(lines.map((l) => l.balanceAfter)).toEqual([20, 10]);

    // A later pull, small, while the packs wait: the second award of a7 reversed, its balance 10.
    await mergePulled(db, [page({ accounts: [account(7, 10, 101)], ledger: [entry(7, 2, 10, 101, '019abcde-0000-7000-8000-000000000001'), entry(7, 3, -10, 101)] })], { epoch: 'e', seq: 101 });
    expect((await viewOf(db, { accounts: ['a7'] })).row('accounts', 'a7')?.balance).toBe(10);
    expect((await historyOf(db, 'a7')).map((e) => [e.id, e.reversedBy !== null])).toEqual([['e7-3:0', false], ['e7-2:0', true], ['e7-1:0', false]]);

    expect(await unpack(db)).toBe(3 * ACCOUNTS + 3);
    expect(await db.packs.count()).toBe(0);
    expect(await db.accounts.count()).toBe(ACCOUNTS);
    expect(await db.ledger.count()).toBe(2 * ACCOUNTS + 1);
    expect(await db.accounts.get('a7')).toMatchObject({ balance: 10, changeSeq: 101 });
    expect((await db.ledger.get('e7-2:0'))?.reversedBy).not.toBeNull();
    expect((await historyWithBalance(db, 'a7', 10)).lines.map((l) => l.balanceAfter)).toEqual([10, 20, 10]);
    db.close();
  });

  it('a small pull goes into the tables, and a fresh snapshot drops packs that were waiting', async () => {
    const db = await counterStore('packs-2');
    await mergePulled(db, [page({ accounts: [account(1, 5, 3)] })], { epoch: 'e', seq: 3 });
    expect(await db.accounts.get('a1')).toMatchObject({ balance: 5 });
    expect(await db.packs.count()).toBe(0);

    await mergePulled(db, [page({ accounts: Array.from({ length: PACK_ROWS + 1 }, (_, i) => account(i, 7, 9)) })], { epoch: 'e', seq: 9 });
    expect(await db.packs.count()).toBe(2);
    // The server was restored: its snapshot replaces the kiosk's copy, packs and all.
    await mergePulled(db, [page({ accounts: [account(2, 1, 4)] })], { epoch: 'e2', seq: 4 }, { fresh: true });
    expect(await db.packs.count()).toBe(0);
    expect(await db.accounts.toArray()).toEqual([account(2, 1, 4)]);
    db.close();
  });

  it('a history keeps entries in the order they happened, though a reversal moves its entry\'s change sequence', async () => {
    const db = await counterStore('packs-3');
    const award = entry(9, 1, 500, 10);
    const redemption = { ...entry(9, 2, -15, 11), kind: 'goodsRedeemed', category: 'redemption', memo: '抽纸（一提）×1' };
    const reversal = { ...entry(9, 3, -500, 12), kind: 'entryReversed', category: 'correction', memo: '冲正：录错了' };
    // As the server sends them after the reversal: the award marked, its change sequence the reversal's.
    await mergePulled(db, [page({ accounts: [account(9, 85, 12)], ledger: [{ ...award, reversedBy: reversal.eventId, changeSeq: 12 }, redemption, reversal] })], { epoch: 'e', seq: 12 });
    const { lines } = await historyWithBalance(db, 'a9', 10);
    expect(lines.map((l) => [l.id, l.balanceAfter])).toEqual([['e9-3:0', 85], ['e9-2:0', 585], ['e9-1:0', 600]]);
    db.close();
  });
});
