import type { Queryable } from '../db/db.js';
import type { ReportTable } from './export.js';
import type { Period } from './period.js';

/**
 * Exceptions (异常) raised in a month or a year, and how they were resolved: what two offline
 * kiosks did that broke a rule (points spent twice, the last unit sold twice, a clock days off, a
 * disabled card used), counted by kind, open or resolved, by resolution; and the list, with who
 * resolved each and when. An exception counts in the period it was raised.
 */
export type ExceptionLine = { id: string; kind: string; subjectId: string; amount: number; at: string; resolution: string | null; resolvedAt: string | null; resolvedBy: string | null };
export type ExceptionsReport = {
  period: string;
  byKind: { kind: string; total: number; open: number; resolved: number }[];
  byResolution: { resolution: string; count: number }[];
  list: ExceptionLine[];
};

export const EXCEPTION_WORDS: Record<string, string> = {
  overdraft: '透支 Overdraft', oversold: '超卖 Oversold', overbooked: '超订 Overbooked', capExceeded: '超出上限 Cap exceeded', clockSkew: '时钟异常 Clock off',
  staffRevoked: '停用工作证 Disabled card', countMoved: '盘点期间有变动 Stock moved during a count', donationValueMoved: '捐赠估价不同 Donation valued otherwise', recover: '追回 Recover', writeOff: '核销 Write off', adjust: '调整 Adjust', acknowledge: '已知晓 Acknowledged',
};

export async function exceptionsReport(db: Queryable, centreId: string, period: Period): Promise<ExceptionsReport> {
  const range = [centreId, period.from, period.to];
  const byKind = await db.query<{ kind: string; total: number; open: number; resolved: number }>(
    `SELECT kind, count(*)::int AS total, count(*) FILTER (WHERE resolved_by IS NULL)::int AS open, count(*) FILTER (WHERE resolved_by IS NOT NULL)::int AS resolved
     FROM rule_exception WHERE centre_id = $1 AND at >= $2 AND at < $3 GROUP BY kind ORDER BY total DESC, kind`, range);
  const byResolution = await db.query<{ resolution: string; count: number }>(
    `SELECT coalesce(resolution, '') AS resolution, count(*)::int AS count FROM rule_exception
     WHERE centre_id = $1 AND at >= $2 AND at < $3 AND resolved_by IS NOT NULL GROUP BY 1 ORDER BY count DESC`, range);
  const list = await db.query<ExceptionLine>(
    `SELECT x.id, x.kind, x.subject_id AS "subjectId", x.amount, x.at, x.resolution, e.at AS "resolvedAt", s.name AS "resolvedBy"
     FROM rule_exception x LEFT JOIN event e ON e.centre_id = x.centre_id AND e.id = x.resolved_by AND e.outcome = 'applied'
     LEFT JOIN staff s ON s.centre_id = x.centre_id AND s.id = e.staff_id
     WHERE x.centre_id = $1 AND x.at >= $2 AND x.at < $3 ORDER BY x.at, x.id LIMIT 2000`, range);
  return { period: period.label, byKind, byResolution, list };
}

export function exceptionsTables(r: ExceptionsReport): ReportTable[] {
  return [
    { name: `异常汇总 Exceptions ${r.period}`, columns: ['类型 Kind', '总数 Total', '待处理 Open', '已处理 Resolved'], rows: r.byKind.map((k) => [EXCEPTION_WORDS[k.kind] ?? k.kind, k.total, k.open, k.resolved]) },
    {
      name: `异常明细 List ${r.period}`, columns: ['时间 At', '类型 Kind', '对象 Subject', '数量 Amount', '处理 Resolution', '处理时间 Resolved at', '处理人 By'],
      rows: r.list.map((x) => [x.at, EXCEPTION_WORDS[x.kind] ?? x.kind, x.subjectId, x.amount, x.resolution ? (EXCEPTION_WORDS[x.resolution] ?? x.resolution) : '待处理 open', x.resolvedAt, x.resolvedBy]),
    },
  ];
}
