import type { Queryable } from '../db/db.js';
import type { ReportTable } from './export.js';
import { BUSINESS_TIME } from './stock.js';
import type { Period } from './period.js';

/**
 * A street office's or a city's view: every centre it oversees side by side for a month or a
 * year, in counts and sums only. Nothing of a centre's residents is in it beyond how many there
 * are and how many took part: no name, card, phone or account.
 */
export type CentreFigures = {
  centreId: string; name: string; residents: number; activeAccounts: number; issued: number; spent: number; redemptions: number; goodsOut: number;
  volunteers: number; volunteerMinutes: number; exceptions: number; exceptionsOpen: number;
};

export async function cityFigures(db: Queryable, centreIds: readonly string[] | null, period: Period): Promise<CentreFigures[]> {
  const centres = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM centre WHERE $1::text[] IS NULL OR id = ANY($1::text[]) ORDER BY id`, [centreIds]);
  const ids = centres.map((c) => c.id);
  const by = async <T extends { centre_id: string }>(sql: string, params: unknown[]) => new Map((await db.query<T>(sql, [ids, ...params])).map((r) => [r.centre_id, r]));
  const residents = await by<{ centre_id: string; n: number }>(`SELECT centre_id, count(*)::int AS n FROM resident WHERE centre_id = ANY($1) AND NOT coalesce(removed, false) GROUP BY 1`, []);
  const ledger = await by<{ centre_id: string; issued: number; spent: number; accounts: number }>(
    `SELECT l.centre_id, coalesce(sum(l.delta) FILTER (WHERE l.delta > 0), 0) AS issued, coalesce(-sum(l.delta) FILTER (WHERE l.delta < 0), 0) AS spent,
       count(DISTINCT l.account_id) FILTER (WHERE a.holder_kind = 'resident')::int AS accounts
     FROM ledger_entry l JOIN account a ON a.centre_id = l.centre_id AND a.id = l.account_id
     WHERE l.centre_id = ANY($1) AND l.at >= $2 AND l.at < $3 GROUP BY 1`, [period.from, period.to]);
  const redemptions = await by<{ centre_id: string; n: number }>(
    `SELECT centre_id, count(*)::int AS n FROM redemption WHERE centre_id = ANY($1) AND at >= $2 AND at < $3 AND reversed_by IS NULL GROUP BY 1`, [period.from, period.to]);
  const goodsOut = await by<{ centre_id: string; n: number }>(
    `SELECT m.centre_id, coalesce(-sum(m.delta), 0)::int AS n FROM stock_movement m JOIN event e ON e.centre_id = m.centre_id AND e.id = m.event_id
     WHERE m.centre_id = ANY($1) AND e.kind = 'goodsRedeemed' AND ${BUSINESS_TIME} >= $2::timestamp AND ${BUSINESS_TIME} < $3::timestamp GROUP BY 1`, [period.from, period.to]);
  const hours = await by<{ centre_id: string; volunteers: number; minutes: number }>(
    `SELECT centre_id, count(DISTINCT resident_id)::int AS volunteers, coalesce(sum(minutes), 0)::int AS minutes FROM service_hours
     WHERE centre_id = ANY($1) AND day >= $2 AND day < $3 GROUP BY 1`, [period.fromDay, period.toDay]);
  const exceptions = await by<{ centre_id: string; n: number; open: number }>(
    `SELECT centre_id, count(*)::int AS n, count(*) FILTER (WHERE resolved_by IS NULL)::int AS open FROM rule_exception
     WHERE centre_id = ANY($1) AND at >= $2 AND at < $3 GROUP BY 1`, [period.from, period.to]);
  return centres.map((c) => ({
    centreId: c.id, name: c.name, residents: residents.get(c.id)?.n ?? 0, activeAccounts: ledger.get(c.id)?.accounts ?? 0,
    issued: ledger.get(c.id)?.issued ?? 0, spent: ledger.get(c.id)?.spent ?? 0, redemptions: redemptions.get(c.id)?.n ?? 0, goodsOut: goodsOut.get(c.id)?.n ?? 0,
    volunteers: hours.get(c.id)?.volunteers ?? 0, volunteerMinutes: hours.get(c.id)?.minutes ?? 0,
    exceptions: exceptions.get(c.id)?.n ?? 0, exceptionsOpen: exceptions.get(c.id)?.open ?? 0,
  }));
}

export function cityTables(period: string, rows: readonly CentreFigures[]): ReportTable[] {
  return [{
    name: `各中心 Centres ${period}`,
    columns: ['服务中心 Centre', '居民 Residents', '参与居民 Taking part', '发放积分 Issued', '使用积分 Spent', '兑换次数 Redemptions', '兑出商品 Goods out', '志愿者 Volunteers', '服务时长(小时) Hours', '异常 Exceptions', '待处理 Open'],
    rows: rows.map((r) => [r.name, r.residents, r.activeAccounts, r.issued, r.spent, r.redemptions, r.goodsOut, r.volunteers, Math.round(r.volunteerMinutes / 6) / 10, r.exceptions, r.exceptionsOpen]),
  }];
}
