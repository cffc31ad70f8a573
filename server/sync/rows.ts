import { TABLE_NAMES, tableSpec, type ColumnSpec, type TableName, type TableRow } from '../../core/index.js';
import type { Queryable } from '../db/db.js';
import { arrayLiteral, insertRows, type Columns } from '../db/insert.js';

/**
 * Reads and writes rows of the replicated tables by their declaration in `core/sync/tables.ts`:
 * the pull's columns, the push's lookups and its writes all come from the one list.
 */

/**
 * The SELECT list that reads a table's rows as they travel (camelCase fields). `forDevice` leaves
 * out the fields kept on the server (`serverOnly`): what a pull sends.
 */
export function selectList(table: TableName, forDevice = false): string {
  const hidden = new Set<string>(forDevice ? (tableSpec(table).serverOnly ?? []) : []);
  return Object.entries(tableSpec(table).columns)
    .filter(([field]) => !hidden.has(field))
    .map(([field, c]) => `${columnValue(c)} AS "${field}"`)
    .join(', ');
}

/** What a column is read as: a uuid as its text, as it travels. */
const columnValue = (c: ColumnSpec): string => ('select' in c ? c.select : c.type === 'uuid' ? `${c.sql}::text` : c.sql);

/** Rows of `table` in a centre whose `field` (a column of the table) is one of `values`. */
export async function loadRows<T extends TableName>(tx: Queryable, centreId: string, table: T, field: string, values: readonly string[]): Promise<TableRow<T>[]> {
  if (values.length === 0) return [];
  const spec = tableSpec(table);
  const column = (spec.columns as Record<string, { sql?: string }>)[field]?.sql;
  if (!column) throw new Error(`${table}.${field} is not a column`);
  if (tx.kind === 'pglite') {
    // PGlite copies and decodes every field of a result on its own (a resident has eighteen): one
    // JSON text per row costs a fifth less there. PostgreSQL's driver reads fields cheaply, and
    // building the JSON doubles the database's own time: plain rows there.
    const fields = Object.entries(spec.columns).map(([f, c]) => `'${f}', ${columnValue(c)}`);
    const rows = await tx.query<{ r: string }>(`SELECT json_build_object(${fields.join(', ')})::text AS r FROM ${spec.sql} WHERE centre_id = $1 AND ${column} = ANY($2::text[])`, [centreId, [...values]]);
    return rows.map((x) => JSON.parse(x.r) as TableRow<T>);
  }
  return tx.query<TableRow<T>>(`SELECT ${selectList(table)} FROM ${spec.sql} WHERE centre_id = $1 AND ${column} = ANY($2::text[])`, [centreId, [...values]], { prepared: true });
}

/** The columns events may write, as [field, sql, type]. */
function writable(table: TableName): [field: string, sql: string, type: string][] {
  return Object.entries(tableSpec(table).columns).flatMap(([field, c]) => ('sql' in c ? [[field, c.sql, c.type] as [string, string, string]] : []));
}

/** Inserts new rows of a table (fields as they travel), in one statement. */
export async function insertTableRows(tx: Queryable, table: TableName, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns: Columns = writable(table).map(([field, sql, type]) => [sql, type, field]);
  await insertRows(tx, tableSpec(table).sql, columns, rows);
}

/** Writes every field of rows that exist already (by centre and id), in one statement. */
export async function updateTableRows(tx: Queryable, table: TableName, centreId: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = writable(table).filter(([field]) => field !== 'id' && field !== 'centreId');
  const params = [centreId, arrayLiteral(rows.map((r) => r.id)), ...cols.map(([field, , type]) => arrayLiteral(rows.map((r) => (type === 'jsonb' ? JSON.stringify(r[field]) : r[field] ?? null))))];
  const unnest = [`$2::text[]`, ...cols.map(([, , type], i) => `$${i + 3}::${type}[]`)].join(', ');
  await tx.query(
    `UPDATE ${tableSpec(table).sql} t SET ${cols.map(([, sql]) => `${sql} = x.${sql}`).join(', ')}
     FROM unnest(${unnest}) AS x(id, ${cols.map(([, sql]) => sql).join(', ')})
     WHERE t.centre_id = $1 AND t.id = x.id`,
    params,
  );
}

/**
 * Writes the level (a balance, a stock, places used) and change sequence of rows whose level alone
 * the fold moved: what most events change, without sending every other field back unchanged.
 */
export async function updateLevelRows(tx: Queryable, table: TableName, field: string, centreId: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = tableSpec(table).columns as Record<string, { sql?: string; type?: string }>;
  const level = columns[field];
  if (!level?.sql || !level.type) throw new Error(`${table}.${field} is not a column`);
  await tx.query(
    `UPDATE ${tableSpec(table).sql} t SET ${level.sql} = x.level, change_seq = x.change_seq
     FROM unnest($2::text[], $3::${level.type}[], $4::bigint[]) AS x(id, level, change_seq)
     WHERE t.centre_id = $1 AND t.id = x.id`,
    [centreId, arrayLiteral(rows.map((r) => r.id)), arrayLiteral(rows.map((r) => r[field])), arrayLiteral(rows.map((r) => r.changeSeq))],
  );
}

/**
 * Refreshes the planner's statistics of the tables events write, after a bulk load (the demo
 * centre, an import of residents): the push's lookups by centre and id are planned on them, and
 * PGlite, the embedded default, runs no autovacuum to do it later. Only this database's (and
 * search path's) tables: ANALYZE with no table names would visit every schema the role can reach.
 */
export async function analyzeTables(db: Queryable): Promise<void> {
  const tables = [...new Set([...TABLE_NAMES.map((t) => tableSpec(t).sql), 'event', 'stock_movement'])];
  await db.query(`ANALYZE ${tables.join(', ')}`);
}
