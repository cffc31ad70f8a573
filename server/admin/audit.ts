import type { Queryable } from '../db/db.js';
import type { ReportTable } from '../reports/export.js';

/**
 * The audit trail of a centre's administration: who changed what, and when. Two sources, merged
 * by time: the events of the centre's server device (every change to a replicated table an admin
 * made: staff, residents, goods, rules, shops, services; audited by construction, since the event
 * log is append-only) and `admin_audit` (what is not a replicated row: pairing codes, revoked
 * devices, passwords set, imports previewed, backups, restores). An event's payload is told
 * briefly: lists by their length, hashes and PIN hashes never.
 */
/** `at`: when the server took it, in Beijing time (YYYY-MM-DD HH:mm:ss). */
export type AuditEntry = { at: string; staffId: string | null; staffName: string | null; source: 'event' | 'admin'; action: string; detail: Record<string, unknown> };

/** Payload fields never shown: keyed hashes and PIN hashes. */
const HIDDEN = new Set(['pin', 'idHash', 'phoneHash', 'hash', 'salt']);

/** A payload told briefly: scalars as they are, lists as their length, objects one level down. */
export function brief(value: unknown, depth = 0): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    if (HIDDEN.has(k)) return [k, v === null ? null : '(set)'];
    if (Array.isArray(v)) return [k, v.every((x) => typeof x !== 'object' || x === null) && v.length <= 10 ? v : `[${v.length}]`];
    if (v && typeof v === 'object') return [k, depth < 1 ? brief(v, depth + 1) : '{…}'];
    return [k, v];
  }));
}

export async function auditTrail(db: Queryable, centreId: string, o: { limit?: number; from?: string; to?: string } = {}): Promise<AuditEntry[]> {
  const limit = Math.min(o.limit ?? 500, 20_000);
  const rows = await db.query<{ at: string; staff_id: string | null; staff_name: string | null; source: 'event' | 'admin'; action: string; detail: unknown; outcome: string | null }>(
    `SELECT * FROM (
       SELECT e.received_at AS sort_at, to_char((e.received_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD HH24:MI:SS') AS at, e.staff_id, s.name AS staff_name, 'event' AS source, e.kind AS action,
         e.payload AS detail, e.outcome
       FROM event e JOIN device d ON d.id = e.device_id AND d.profile = 'server' LEFT JOIN staff s ON s.centre_id = e.centre_id AND s.id = e.staff_id
       WHERE e.centre_id = $1 AND ($3::timestamptz IS NULL OR e.received_at >= $3) AND ($4::timestamptz IS NULL OR e.received_at < $4)
       UNION ALL
       SELECT a.at, to_char((a.at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD HH24:MI:SS'), a.staff_id, s.name, 'admin', a.action, a.detail, NULL
       FROM admin_audit a LEFT JOIN staff s ON s.centre_id = a.centre_id AND s.id = a.staff_id
       WHERE a.centre_id = $1 AND ($3::timestamptz IS NULL OR a.at >= $3) AND ($4::timestamptz IS NULL OR a.at < $4)
     ) x ORDER BY sort_at DESC LIMIT $2`, [centreId, limit, o.from ?? null, o.to ?? null]);
  return rows.map((r) => ({
    at: r.at, staffId: r.staff_id, staffName: r.staff_name, source: r.source, action: r.action,
    detail: { ...(r.source === 'event' ? brief(r.detail) : (r.detail as Record<string, unknown>)), ...(r.outcome === 'rejected' ? { outcome: 'rejected' } : {}) },
  }));
}

export function auditTable(rows: readonly AuditEntry[]): ReportTable {
  return {
    name: '审计 Audit', columns: ['北京时间 At (Beijing)', '工作人员 Staff', '来源 Source', '操作 Action', '内容 Detail'],
    rows: rows.map((r) => [r.at, r.staffName ?? r.staffId ?? '', r.source === 'event' ? '事件 event' : '管理 admin', r.action, JSON.stringify(r.detail)]),
  };
}
