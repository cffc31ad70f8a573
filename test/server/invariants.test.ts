import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDb } from '../support/db.js';
import { smallCentreDb, ledgerBreaches, smallCentreRows } from '../support/centre.js';

// The invariant check stands in for foreign keys on the append-only tables: it must see breaches.
describe('the ledger invariant check', () => {
  let db: ScratchDb;
  const rows = smallCentreRows();
  beforeAll(async () => {
    db = await smallCentreDb('pglite');
  });
  afterAll(() => db.drop());

  it('holds on a seeded centre', async () => {
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  });

  it('sees a balance that is not its ledger, and a ledger row of no account or event', async () => {
    const [event] = await db.query<{ id: string }>(`SELECT id::text AS id FROM event WHERE outcome = 'applied' LIMIT 1`);
    await db.query(`INSERT INTO ledger_entry (id, centre_id, account_id, event_id, delta, kind, at, change_seq) VALUES
      ('orphan-account', 'wzgl', 'nobody', $1, 0, 'pointsAwarded', '', 0),
      ('orphan-event', 'wzgl', $2, '00000000-0000-7000-8000-000000000000', 0, 'pointsAwarded', '', 0)`, [event!.id, rows.accounts[0]!.id]);
    await db.query('UPDATE account SET balance = balance + 1 WHERE id = $1', [rows.accounts[1]!.id]);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual(expect.arrayContaining([
      { what: 'balance', id: rows.accounts[1]!.id },
      { what: 'ledgerOrphan', id: 'orphan-account' },
      { what: 'ledgerOrphan', id: 'orphan-event' },
    ]));
  });
});
