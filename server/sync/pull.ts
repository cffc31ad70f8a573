import { receives, REPLICATED, TABLE_NAMES, tableSpec, type DeviceProfile, type PullResponse, type PullRows, type TableName } from '../../core/index.js';
import type { Queryable } from '../db/db.js';
import { SyncRefusal } from './refusal.js';
import { selectList } from './rows.js';

/** Rows one pull page aims at; a page holds whole change sequences, so it may run a little over. */
export const DEFAULT_PULL_LIMIT = 5_000;
export const MAX_PULL_LIMIT = 20_000;

/**
 * One page of the rows of a centre changed after `since`, of the tables the device's profile
 * receives (`core/sync/tables.ts`), as that profile may see them (a self-service device gets
 * residents masked), in one statement.
 *
 * The statement reads the head first: every change sequence up to it is committed (the centre
 * clock row serialises writers), so rows up to the head can be read without skipping one that
 * commits late. The page ends at a whole change sequence (`upTo`); the next page starts after it.
 * One statement sees one snapshot, and each table's rows come back as one JSON array.
 */
export async function pull(db: Queryable, centreId: string, epoch: string, since: number, limit: number, profile: DeviceProfile | 'server' = 'counter'): Promise<PullResponse> {
  const tables = TABLE_NAMES.filter((t) => receives(profile, t));
  const [page] = await db.query<{ head: number | null; up_to: number | null } & Record<string, unknown[]>>(pageSql(tables), [centreId, since, limit]);
  if (!page || page.head === null) throw new SyncRefusal('unauthorised', 401, 'centre not found');
  const rows = Object.fromEntries(TABLE_NAMES.map((name) => [name, tables.includes(name) ? forProfile(name, profile, page[name] ?? []) : []])) as PullRows;
  return { epoch, upTo: page.up_to ?? Math.max(page.head, since), head: page.head, rows };
}

/** The answer when nothing changed after `since`: what `pull` answers then, made without the database. */
export function emptyPull(epoch: string, since: number, head: number): PullResponse {
  return { epoch, upTo: Math.max(head, since), head, rows: Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as PullRows };
}

const pageSqls = new Map<string, string>();

/**
 * The page's one statement for a set of tables ($1 centre, $2 since, $3 the rows aimed at): the
 * head, the page's edge (the change sequence its `limit`-th row has), and a column per table.
 */
function pageSql(tables: readonly TableName[]): string {
  const key = tables.join(',');
  let sql = pageSqls.get(key);
  if (sql) return sql;
  const changed = (t: TableName, upTo: string) => `FROM ${tableSpec(t).sql} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= ${upTo}`;
  const union = tables.map((t) => `SELECT change_seq ${changed(t, '(SELECT seq FROM head)')}`).join(' UNION ALL ');
  sql = `WITH head AS (SELECT seq FROM centre_clock WHERE centre_id = $1),
    edge AS (SELECT (SELECT seq FROM head) AS head,
      (SELECT max(change_seq) FROM (SELECT change_seq FROM (${union}) u ORDER BY change_seq LIMIT $3) p) AS up_to)
    SELECT head, up_to${tables.map((t) => `,
      (SELECT coalesce(json_agg(r ORDER BY r."changeSeq"), '[]'::json) FROM (SELECT ${selectList(t)} ${changed(t, '(SELECT up_to FROM edge)')}) r) AS "${t}"`).join('')}
    FROM edge`;
  pageSqls.set(key, sql);
  return sql;
}

/** Rows as a profile may see them. */
function forProfile(table: TableName, profile: DeviceProfile | 'server', rows: unknown[]): unknown[] {
  const mask = (REPLICATED[table] as { forSelfService?: (row: never) => unknown }).forSelfService;
  return profile === 'selfService' && mask ? rows.map((r) => mask(r as never)) : rows;
}
