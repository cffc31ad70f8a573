import type { PullResponse, PullRows } from '../../core/index.js';
import type { Queryable } from '../db/db.js';
import { SyncRefusal } from './refusal.js';

/** Rows one pull page aims at; a page holds whole change sequences, so it may run a little over. */
export const DEFAULT_PULL_LIMIT = 5_000;
export const MAX_PULL_LIMIT = 20_000;

const TABLES = {
  accounts: { table: 'account', columns: 'id, centre_id AS "centreId", holder_kind AS "holderKind", holder_id AS "holderId", balance, change_seq AS "changeSeq"' },
  residents: { table: 'resident', columns: 'id, centre_id AS "centreId", name, card_code AS "cardCode", account_id AS "accountId", is_volunteer AS "isVolunteer", change_seq AS "changeSeq"' },
  goods: { table: 'goods', columns: 'id, centre_id AS "centreId", name, barcode, point_price AS "pointPrice", stock, change_seq AS "changeSeq"' },
  ledger: { table: 'ledger_entry', columns: 'id, centre_id AS "centreId", account_id AS "accountId", event_id::text AS "eventId", delta, kind, at, change_seq AS "changeSeq"' },
} as const satisfies Record<keyof PullRows, { table: string; columns: string }>;

/**
 * One page of the rows of a centre changed after `since`.
 *
 * The head is read first: every change sequence up to it is committed (the centre clock row
 * serialises writers), so rows up to the head can be read without skipping one that commits
 * late. The page ends at a whole change sequence (`upTo`); the next page starts after it.
 */
export async function pull(db: Queryable, centreId: string, epoch: string, since: number, limit: number): Promise<PullResponse> {
  const [clock] = await db.query<{ seq: number }>('SELECT seq FROM centre_clock WHERE centre_id = $1', [centreId]);
  if (!clock) throw new SyncRefusal('unauthorised', 401, 'centre not found');
  const head = clock.seq;
  const union = Object.values(TABLES)
    .map((t) => `SELECT change_seq FROM ${t.table} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= $3`)
    .join(' UNION ALL ');
  const [edge] = await db.query<{ up_to: number | null }>(
    `SELECT max(change_seq) AS up_to FROM (SELECT change_seq FROM (${union}) u ORDER BY change_seq LIMIT $4) page`,
    [centreId, since, head, limit],
  );
  const upTo = edge?.up_to ?? Math.max(head, since);
  const rows = Object.fromEntries(await Promise.all(Object.entries(TABLES).map(async ([name, t]) => [
    name,
    await db.query(`SELECT ${t.columns} FROM ${t.table} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= $3 ORDER BY change_seq`, [centreId, since, upTo]),
  ]))) as PullRows;
  return { epoch, upTo, head, rows };
}
