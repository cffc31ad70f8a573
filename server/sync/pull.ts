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
 * residents masked).
 *
 * The head is read first: every change sequence up to it is committed (the centre clock row
 * serialises writers), so rows up to the head can be read without skipping one that commits
 * late. The page ends at a whole change sequence (`upTo`); the next page starts after it.
 */
export async function pull(db: Queryable, centreId: string, epoch: string, since: number, limit: number, profile: DeviceProfile | 'server' = 'counter', deviceCode = '', deviceId = ''): Promise<PullResponse> {
  const tables = TABLE_NAMES.filter((t) => receives(profile, t));
  // A self-service device holds only what its screens show (core/sync/tables.ts: selfServiceWhere, forSelfService).
  const keys = profile === 'selfService' ? await selfServiceKeys(db, deviceId) : null;
  const only = (t: TableName) => (keys ? selfServiceCondition(t) : '');
  const [clock] = await db.query<{ seq: number }>('SELECT seq FROM centre_clock WHERE centre_id = $1', [centreId]);
  if (!clock) throw new SyncRefusal('unauthorised', 401, 'centre not found');
  const head = clock.seq;
  const union = tables
    .map((t) => `SELECT change_seq FROM ${tableSpec(t).sql} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= $3${only(t)}`)
    .join(' UNION ALL ');
  const [edge] = await db.query<{ up_to: number | null }>(
    `SELECT max(change_seq) AS up_to FROM (SELECT change_seq FROM (${union}) u ORDER BY change_seq LIMIT $4) page`,
    [centreId, since, head, limit],
  );
  const upTo = edge?.up_to ?? Math.max(head, since);
  const rows = Object.fromEntries(await Promise.all(TABLE_NAMES.map(async (name) => [
    name,
    tables.includes(name) ? forProfile(name, profile, deviceCode, keys, await db.query(
      `SELECT ${selectList(name, profile !== 'server')} FROM ${tableSpec(name).sql} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= $3${only(name)} ORDER BY change_seq`, [centreId, since, upTo])) : [],
  ]))) as PullRows;
  return { epoch, upTo, head, rows };
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
