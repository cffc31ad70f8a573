import { maskName, profileIsStaffed, type DeviceProfile, type PullResponse, type PullRows } from '../../core/index.js';
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
  staff: {
    table: 'staff',
    columns: `id, centre_id AS "centreId", name, role, card_code AS "cardCode", active, change_seq AS "changeSeq",
      CASE WHEN pin_hash IS NULL THEN NULL ELSE json_build_object('salt', pin_salt, 'hash', pin_hash, 'iterations', pin_iterations) END AS pin`,
  },
  exceptions: {
    table: 'rule_exception',
    columns: `id, centre_id AS "centreId", event_id::text AS "eventId", kind, subject_id AS "subjectId", amount, at,
      resolved_by::text AS "resolvedBy", resolution, change_seq AS "changeSeq"`,
  },
} as const satisfies Record<keyof PullRows, { table: string; columns: string }>;

/** Tables a self-service device does not receive: staff (PIN hashes) and the exception queue. */
const STAFFED_ONLY: ReadonlySet<keyof PullRows> = new Set(['staff', 'exceptions']);

/**
 * One page of the rows of a centre changed after `since`.
 *
 * The head is read first: every change sequence up to it is committed (the centre clock row
 * serialises writers), so rows up to the head can be read without skipping one that commits
 * late. The page ends at a whole change sequence (`upTo`); the next page starts after it.
 */
export async function pull(db: Queryable, centreId: string, epoch: string, since: number, limit: number, profile: DeviceProfile | 'server' = 'counter'): Promise<PullResponse> {
  const staffed = profile === 'server' || profileIsStaffed(profile);
  const sent = (name: string) => staffed || !STAFFED_ONLY.has(name as keyof PullRows);
  const tables = Object.entries(TABLES).filter(([name]) => sent(name));
  const [clock] = await db.query<{ seq: number }>('SELECT seq FROM centre_clock WHERE centre_id = $1', [centreId]);
  if (!clock) throw new SyncRefusal('unauthorised', 401, 'centre not found');
  const head = clock.seq;
  const union = tables
    .map(([, t]) => `SELECT change_seq FROM ${t.table} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= $3`)
    .join(' UNION ALL ');
  const [edge] = await db.query<{ up_to: number | null }>(
    `SELECT max(change_seq) AS up_to FROM (SELECT change_seq FROM (${union}) u ORDER BY change_seq LIMIT $4) page`,
    [centreId, since, head, limit],
  );
  const upTo = edge?.up_to ?? Math.max(head, since);
  const rows = Object.fromEntries(await Promise.all(Object.entries(TABLES).map(async ([name, t]) => [
    name,
    sent(name) ? await db.query(`SELECT ${t.columns} FROM ${t.table} WHERE centre_id = $1 AND change_seq > $2 AND change_seq <= $3 ORDER BY change_seq`, [centreId, since, upTo]) : [],
  ]))) as PullRows;
  // A self-service screen shows residents masked (张*明); it never holds the full name.
  if (!staffed) rows.residents = rows.residents.map((r) => ({ ...r, name: maskName(r.name) }));
  return { epoch, upTo, head, rows };
}
