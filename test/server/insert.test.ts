import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertRows, type Columns } from '../../server/db/insert.js';
import { insertTableRows, updateTableRows } from '../../server/sync/rows.js';
import { DB_KINDS, scratchDb, type ScratchDb } from '../support/db.js';
import { seedSmallCentre, smallCentreDb } from '../support/centre.js';

const COLUMNS: Columns = [['id', 'uuid'], ['label', 'text'], ['n', 'int'], ['big', 'bigint'], ['yes', 'boolean'], ['doc', 'jsonb']];
const READ = 'SELECT id::text AS id, label, n, big, yes, doc, doc IS NULL AS sql_null FROM bulk ORDER BY n';

/** The server's bulk writes (a push's events and rows, a seed, an import): one statement, every column in its type. */
describe.each(DB_KINDS)('bulk writes on %s', (kind) => {
  let db: ScratchDb;
  beforeEach(async () => {
    db = await scratchDb(kind);
    await db.exec('CREATE TABLE bulk (id uuid PRIMARY KEY, label text, n int NOT NULL, big bigint, yes boolean, doc jsonb)');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('inserts every column in its SQL type; a JSON null stays a jsonb null, an absent value is NULL', async () => {
    await insertRows(db, 'bulk', COLUMNS, [
      { id: '01a21000-0000-7000-8000-000000000001', label: '纸巾 "x" \\ y', n: 1, big: 9_007_199_254_740_991, yes: true, doc: { lines: [{ goodsId: 'g1', quantity: 2 }], note: '好' } },
      { id: '01a21000-0000-7000-8000-000000000002', label: null, n: 2, big: null, yes: false, doc: null },
      { id: '01a21000-0000-7000-8000-000000000003', n: 3 },
    ]);
    expect(await db.query(READ)).toEqual([
      { id: '01a21000-0000-7000-8000-000000000001', label: '纸巾 "x" \\ y', n: 1, big: 9_007_199_254_740_991, yes: true, doc: { lines: [{ goodsId: 'g1', quantity: 2 }], note: '好' }, sql_null: false },
      { id: '01a21000-0000-7000-8000-000000000002', label: null, n: 2, big: null, yes: false, doc: null, sql_null: false },
      { id: '01a21000-0000-7000-8000-000000000003', label: null, n: 3, big: null, yes: null, doc: null, sql_null: true },
    ]);
  });
});

describe.each(DB_KINDS)('rows written by events on %s', (kind) => {
  let db: ScratchDb;
  beforeEach(async () => {
    db = await smallCentreDb(kind);
    await seedSmallCentre(db, 'other', '别的社区');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('updates a row by its centre and id, every field written, and leaves the same id in another centre alone', async () => {
    const [before] = await db.query<{ id: string; holder_kind: string; holder_id: string; change_seq: number }>(
      "SELECT id, holder_kind, holder_id, change_seq FROM account WHERE centre_id = 'wzgl' ORDER BY id LIMIT 1");
    // Ids are a centre's own: the other centre may hold the same id for another account.
    await insertTableRows(db, 'accounts', [{ id: before!.id, centreId: 'other', holderKind: 'resident', holderId: 'other-r1', balance: 5, changeSeq: 1 }]);
    await updateTableRows(db, 'accounts', 'wzgl', [{ id: before!.id, centreId: 'wzgl', holderKind: 'partnerShop', holderId: 'wzgl-shop1', balance: 4321, changeSeq: 777 }]);
    const rows = await db.query<{ centre_id: string; holder_kind: string; holder_id: string; balance: number; change_seq: number }>(
      'SELECT centre_id, holder_kind, holder_id, balance, change_seq FROM account WHERE id = $1 ORDER BY centre_id', [before!.id]);
    expect(rows).toEqual([
      { centre_id: 'other', holder_kind: 'resident', holder_id: 'other-r1', balance: 5, change_seq: 1 },
      { centre_id: 'wzgl', holder_kind: 'partnerShop', holder_id: 'wzgl-shop1', balance: 4321, change_seq: 777 },
    ]);
  });

  it('leaves the seeded tables analysed: the planner knows how many events and accounts there are', async () => {
    // PGlite runs no autovacuum: without an ANALYZE after a bulk load its plans assume empty tables.
    const stats = await db.query<{ relname: string; reltuples: number }>(
      "SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname IN ('event', 'account', 'ledger_entry') AND relnamespace = current_schema()::regnamespace ORDER BY relname");
    const counts = await db.query<{ event: number; account: number; ledger: number }>(
      'SELECT (SELECT count(*)::int FROM event) AS event, (SELECT count(*)::int FROM account) AS account, (SELECT count(*)::int FROM ledger_entry) AS ledger');
    expect(stats.map((s) => [s.relname, Math.round(s.reltuples)])).toEqual([
      ['account', counts[0]!.account], ['event', counts[0]!.event], ['ledger_entry', counts[0]!.ledger],
    ]);
  });
});
