import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arrayLiteral, insertRows, type Columns } from '../../server/db/insert.js';
import { tableSpec, type TableName } from '../../core/index.js';
import { insertTableRows, loadRows, selectList, updateLevelRows, updateTableRows } from '../../server/sync/rows.js';
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

  it('sends an array parameter PostgreSQL reads back element for element: quotes, backslashes, braces, the word NULL, empty text', async () => {
    const texts = ['纸巾 "x" \\ y', '{a,b}', 'NULL', '', '  spaced  ', '\\"', null, 'a\nb'];
    const [row] = await db.query<{ t: (string | null)[]; n: number[]; b: boolean[]; j: unknown[] }>('SELECT $1::text[] AS t, $2::int[] AS n, $3::boolean[] AS b, $4::jsonb[] AS j',
      [arrayLiteral(texts), arrayLiteral([1, -2, 2_147_483_647]), arrayLiteral([true, false]), arrayLiteral([JSON.stringify({ note: '好 "x" \\' }), JSON.stringify(null)])]);
    expect(row).toEqual({ t: texts, n: [1, -2, 2_147_483_647], b: [true, false], j: [{ note: '好 "x" \\' }, null] });
    expect(() => arrayLiteral([{ a: 1 }])).toThrow(/object/);
  });

  it('writes a value every row shares (text, a number, a JSON document, NULL) into every row, in its type', async () => {
    const doc = { lines: [{ goodsId: 'g1', quantity: 2 }], note: '好 "x"' };
    await insertRows(db, 'bulk', COLUMNS, [1, 2, 3].map((n) => ({ id: `01a21000-0000-7000-8000-00000000000${n}`, label: '纸巾', n, big: 7, yes: null, doc })));
    expect(await db.query(READ)).toEqual([1, 2, 3].map((n) => ({ id: `01a21000-0000-7000-8000-00000000000${n}`, label: '纸巾', n, big: 7, yes: null, doc, sql_null: false })));
  });

  it('inserts as many rows as it is given when every column is the same in all of them', async () => {
    await db.exec('CREATE TABLE tally (centre_id text NOT NULL, n int)');
    await insertRows(db, 'tally', [['centre_id', 'text'], ['n', 'int']], [{ centre_id: 'wzgl', n: 1 }, { centre_id: 'wzgl', n: 1 }, { centre_id: 'wzgl', n: 1 }]);
    expect(await db.query('SELECT centre_id, n FROM tally')).toEqual([{ centre_id: 'wzgl', n: 1 }, { centre_id: 'wzgl', n: 1 }, { centre_id: 'wzgl', n: 1 }]);
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

  it('reads the rows a push names exactly as the pull reads them, every type (on PGlite as one JSON text a row)', async () => {
    await db.exec(`UPDATE resident SET flags = '["disabled"]', birth_date = NULL, phone_tail = '0042' WHERE id = 'wzgl-r1'`);
    for (const table of ['residents', 'accounts', 'staff', 'goods', 'ledger'] satisfies TableName[]) {
      const sql = tableSpec(table).sql;
      const ids = (await db.query<{ id: string }>(`SELECT id FROM ${sql} WHERE centre_id = 'wzgl' ORDER BY id LIMIT 6`)).map((r) => r.id);
      const plain = await db.query<{ id: string }>(`SELECT ${selectList(table)} FROM ${sql} WHERE centre_id = 'wzgl' AND id = ANY($1::text[])`, [ids]);
      const byId = (rows: readonly { id: string }[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(ids.length, table).toBeGreaterThan(0);
      expect(byId(await db.transaction((tx) => loadRows(tx, 'wzgl', table, 'id', ids))), table).toEqual(byId(plain));
      expect(byId(await loadRows(db, 'wzgl', table, 'id', ids)), table).toEqual(byId(plain));
    }
  });

  it('moves a level and its change sequence alone, leaving the rest of the row as it stands', async () => {
    const [before] = await db.query<{ id: string; holder_id: string }>("SELECT id, holder_id FROM account WHERE centre_id = 'wzgl' ORDER BY id LIMIT 1");
    await updateLevelRows(db, 'accounts', 'balance', 'wzgl', [{ id: before!.id, centreId: 'wzgl', holderKind: 'partnerShop', holderId: 'stale', balance: 321, changeSeq: 888 }]);
    expect(await db.query('SELECT holder_kind, holder_id, balance, change_seq FROM account WHERE centre_id = $1 AND id = $2', ['wzgl', before!.id]))
      .toEqual([{ holder_kind: 'resident', holder_id: before!.holder_id, balance: 321, change_seq: 888 }]);
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
