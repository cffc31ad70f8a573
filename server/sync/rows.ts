import { TABLE_NAMES, tableSpec, type TableName, type TableRow } from '../../core/index.js';
import type { Queryable } from '../db/db.js';
import { insertRows, type Columns, type Row } from '../db/insert.js';

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
    .map(([field, c]) => `${'select' in c ? c.select : c.type === 'uuid' ? `${c.sql}::text` : c.sql} AS "${field}"`)
    .join(', ');
}

/** Rows of `table` in a centre whose `field` (a column of the table) is one of `values`. */
export async function loadRows<T extends TableName>(tx: Queryable, centreId: string, table: T, field: string, values: readonly string[]): Promise<TableRow<T>[]> {
  if (values.length === 0) return [];
  const spec = tableSpec(table);
  const column = (spec.columns as Record<string, { sql?: string }>)[field]?.sql;
  if (!column) throw new Error(`${table}.${field} is not a column`);
  return tx.query<TableRow<T>>(`SELECT ${selectList(table)} FROM ${spec.sql} WHERE centre_id = $1 AND ${column} = ANY($2::text[])`, [centreId, [...values]]);
}

/** The columns events may write, as [field, sql, type]. */
function writable(table: TableName): [field: string, sql: string, type: string][] {
  return Object.entries(tableSpec(table).columns).flatMap(([field, c]) => ('sql' in c ? [[field, c.sql, c.type] as [string, string, string]] : []));
}

/** Inserts new rows of a table (fields as they travel), in one statement. */
export async function insertTableRows(tx: Queryable, table: TableName, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = writable(table);
  const columns: Columns = cols.map(([, sql, type]) => [sql, type]);
  await insertRows(tx, tableSpec(table).sql, columns, rows.map((r) => Object.fromEntries(cols.map(([field, sql]) => [sql, r[field]])) as Row));
}

/** Writes every field of rows that exist already (by centre and id), in one statement. */
export async function updateTableRows(tx: Queryable, table: TableName, centreId: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = writable(table).filter(([field]) => field !== 'id' && field !== 'centreId');
  const params = [centreId, rows.map((r) => r.id), ...cols.map(([field, , type]) => rows.map((r) => (type === 'jsonb' ? JSON.stringify(r[field]) : r[field] ?? null)))];
  const unnest = [`$2::text[]`, ...cols.map(([, , type], i) => `$${i + 3}::${type}[]`)].join(', ');
  await tx.query(
    `UPDATE ${tableSpec(table).sql} t SET ${cols.map(([, sql]) => `${sql} = x.${sql}`).join(', ')}
     FROM unnest(${unnest}) AS x(id, ${cols.map(([, sql]) => sql).join(', ')})
     WHERE t.centre_id = $1 AND t.id = x.id`,
    params,
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
