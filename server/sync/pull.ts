import { receives, REPLICATED, TABLE_NAMES, tableSpec, type DeviceProfile, type PullResponse, type PullRows, type SelfServiceKeys, type TableName } from '../../core/index.js';
import type { Queryable } from '../db/db.js';
import { SyncRefusal } from './refusal.js';
import { selectList } from './rows.js';
import { selfServiceCondition, selfServiceKeys } from './selfService.js';

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
export async function pull(db: Queryable, centreId: string, epoch: string, since: number, limit: number, profile: DeviceProfile | 'server' = 'counter', deviceCode = '', deviceId = ''): Promise<PullResponse> {
  const tables = TABLE_NAMES.filter((t) => receives(profile, t));
  // A self-service device holds only what its screens show (core/sync/tables.ts: selfServiceWhere, forSelfService).
  const keys = profile === 'selfService' ? await selfServiceKeys(db, deviceId) : null;
  const [page] = await db.query<{ head: number | null; up_to: number | null } & Record<string, unknown[]>>(
    pageSql(tables, keys !== null, profile !== 'server'), [centreId, since, limit], { prepared: true });
  if (!page || page.head === null) throw new SyncRefusal('unauthorised', 401, 'centre not found');
  const rows = Object.fromEntries(TABLE_NAMES.map((name) => [name, tables.includes(name) ? forProfile(name, profile, deviceCode, keys, page[name] ?? []) : []])) as PullRows;
  return { epoch, upTo: page.up_to ?? Math.max(page.head, since), head: page.head, rows };
}

/** The answer when nothing changed after `since`: what `pull` answers then, made without the database. */
export function emptyPull(epoch: string, since: number, head: number): PullResponse {
  return { epoch, upTo: Math.max(head, since), head, rows: Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as PullRows };
}

const pageSqls = new Map<string, string>();

/**
 * The page's one statement for a set of tables ($1 centre, $2 since, $3 the rows aimed at): the
 * head, the page's edge (the change sequence its `limit`-th row has), and a column per table;
 * `selfService` keeps to a self-service device's rows, `forDevice` leaves out server-only columns.
 */
function pageSql(tables: readonly TableName[], selfService: boolean, forDevice: boolean): string {
  const key = `${tables.join(',')}|${selfService}|${forDevice}`;
  let sql = pageSqls.get(key);
  if (sql) return sql;
  const only = (t: TableName) => (selfService ? selfServiceCondition(t) : '');
  const changed = (t: TableName, upTo: string) => `FROM ${tableSpec(t).sql} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= ${upTo}${only(t)}`;
  const union = tables.map((t) => `SELECT change_seq ${changed(t, '(SELECT seq FROM head)')}`).join(' UNION ALL ');
  sql = `WITH head AS (SELECT seq FROM centre_clock WHERE centre_id = $1),
    edge AS (SELECT (SELECT seq FROM head) AS head,
      (SELECT max(change_seq) FROM (SELECT change_seq FROM (${union}) u ORDER BY change_seq LIMIT $3) p) AS up_to)
    SELECT head, up_to${tables.map((t) => `,
      (SELECT coalesce(json_agg(r ORDER BY r."changeSeq"), '[]'::json) FROM (SELECT ${selectList(t, forDevice)} ${changed(t, '(SELECT up_to FROM edge)')}) r) AS "${t}"`).join('')}
    FROM edge`;
  pageSqls.set(key, sql);
  return sql;
}

/**
 * Rows as a profile, and the one device, may see them: a self-service device's (`keys`) masked and
 * keyed; a PIN hash only where its member works.
 */
function forProfile(table: TableName, profile: DeviceProfile | 'server', deviceCode: string, keys: SelfServiceKeys | null, rows: unknown[]): unknown[] {
  const spec = REPLICATED[table] as { forSelfService?: (row: never, keys: SelfServiceKeys) => unknown; forDevice?: (row: never, device: { code: string; profile: DeviceProfile }) => unknown };
  let out = keys && spec.forSelfService ? rows.map((r) => spec.forSelfService!(r as never, keys)) : rows;
  if (profile !== 'server' && spec.forDevice) out = out.map((r) => spec.forDevice!(r as never, { code: deviceCode, profile }));
  return out;
}
