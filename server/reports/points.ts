import type { Queryable } from '../db/db.js';
import type { ReportTable } from './export.js';
import { bucketSql, type Period } from './period.js';

/**
 * Points for a month or a year, from the ledger (积分流水) alone: issued (entries that add) and
 * spent (entries that take) by category, a series by day or month, and redemptions by goods from
 * the redemption records. Issued minus spent is the net change of every balance in the period
 * (the tests check that against the ledger). Categories are the earning rules' (小区治理,
 * 文明帮创, 废旧利用, 志愿服务, 其他) and what else moves points: redemptions, partner shops (a
 * resident's points going to a shop count as spent by the resident and issued to the shop), and
 * corrections (reversals, exceptions resolved).
 */
export type CategoryLine = { category: string; points: number; entries: number };
export type PointsReport = {
  period: string;
  issued: CategoryLine[];
  spent: CategoryLine[];
  totals: { issued: number; spent: number; entries: number; accounts: number };
  series: { bucket: string; issued: number; spent: number }[];
  byGoods: { goodsId: string; name: string; category: string; quantity: number; points: number; redemptions: number }[];
  redemptions: { count: number; points: number; reversedCount: number; reversedPoints: number };
};

/** What each category is called. */
export const CATEGORY_WORDS: Record<string, { zh: string; en: string }> = {
  governance: { zh: '小区治理', en: 'Neighbourhood governance' },
  civility: { zh: '文明帮创', en: 'Civility campaigns' },
  reuse: { zh: '废旧利用', en: 'Reuse of old things' },
  volunteering: { zh: '志愿服务', en: 'Volunteering' },
  other: { zh: '其他', en: 'Other' },
  redemption: { zh: '兑换商品', en: 'Goods redeemed' },
  shop: { zh: '爱心商铺', en: 'Partner shops' },
  correction: { zh: '更正与冲正', en: 'Corrections and reversals' },
  none: { zh: '未分类', en: 'No category' },
};
export const categoryWord = (c: string) => CATEGORY_WORDS[c] ?? { zh: c, en: c };

export async function pointsReport(db: Queryable, centreId: string, period: Period): Promise<PointsReport> {
  const range = [centreId, period.from, period.to];
  const [byCategory, series, totals, goods, redemptions] = [
    await db.query<{ category: string; issued: number; spent: number; issued_n: number; spent_n: number }>(
      `SELECT coalesce(category, 'none') AS category, coalesce(sum(delta) FILTER (WHERE delta > 0), 0) AS issued, coalesce(-sum(delta) FILTER (WHERE delta < 0), 0) AS spent,
         count(*) FILTER (WHERE delta > 0)::int AS issued_n, count(*) FILTER (WHERE delta < 0)::int AS spent_n
       FROM ledger_entry WHERE centre_id = $1 AND at >= $2 AND at < $3 GROUP BY 1 ORDER BY 1`, range),
    await db.query<{ bucket: string; issued: number; spent: number }>(
      `SELECT ${bucketSql(period, 'at')} AS bucket, coalesce(sum(delta) FILTER (WHERE delta > 0), 0) AS issued, coalesce(-sum(delta) FILTER (WHERE delta < 0), 0) AS spent
       FROM ledger_entry WHERE centre_id = $1 AND at >= $2 AND at < $3 GROUP BY 1`, range),
    await db.query<{ entries: number; accounts: number }>(
      `SELECT count(*)::int AS entries, count(DISTINCT account_id)::int AS accounts FROM ledger_entry WHERE centre_id = $1 AND at >= $2 AND at < $3`, range),
    await db.query<{ goods_id: string; name: string; category: string; quantity: number; points: number; redemptions: number }>(
      `SELECT l."goodsId" AS goods_id, coalesce(g.name, max(l.name)) AS name, coalesce(g.category, '') AS category, sum(l.quantity)::int AS quantity,
         sum(l.quantity * l."pointPrice")::bigint AS points, count(DISTINCT r.id)::int AS redemptions
       FROM redemption r CROSS JOIN LATERAL jsonb_to_recordset(r.lines) AS l("goodsId" text, quantity int, "pointPrice" int, name text)
       LEFT JOIN goods g ON g.centre_id = r.centre_id AND g.id = l."goodsId"
       WHERE r.centre_id = $1 AND r.at >= $2 AND r.at < $3 AND r.reversed_by IS NULL
       GROUP BY l."goodsId", g.name, g.category ORDER BY points DESC, name`, range),
    await db.query<{ count: number; points: number; reversed_count: number; reversed_points: number }>(
      `SELECT count(*) FILTER (WHERE reversed_by IS NULL)::int AS count, coalesce(sum(total) FILTER (WHERE reversed_by IS NULL), 0) AS points,
         count(*) FILTER (WHERE reversed_by IS NOT NULL)::int AS reversed_count, coalesce(sum(total) FILTER (WHERE reversed_by IS NOT NULL), 0) AS reversed_points
       FROM redemption WHERE centre_id = $1 AND at >= $2 AND at < $3`, range),
  ];
  const seriesBy = new Map(series.map((s) => [s.bucket, s]));
  return {
    period: period.label,
    issued: byCategory.filter((c) => c.issued_n > 0).map((c) => ({ category: c.category, points: c.issued, entries: c.issued_n })).sort((a, b) => b.points - a.points),
    spent: byCategory.filter((c) => c.spent_n > 0).map((c) => ({ category: c.category, points: c.spent, entries: c.spent_n })).sort((a, b) => b.points - a.points),
    totals: { issued: byCategory.reduce((s, c) => s + c.issued, 0), spent: byCategory.reduce((s, c) => s + c.spent, 0), entries: totals[0]?.entries ?? 0, accounts: totals[0]?.accounts ?? 0 },
    series: period.buckets.map((bucket) => ({ bucket, issued: seriesBy.get(bucket)?.issued ?? 0, spent: seriesBy.get(bucket)?.spent ?? 0 })),
    byGoods: goods.map((g) => ({ goodsId: g.goods_id, name: g.name, category: g.category, quantity: g.quantity, points: g.points, redemptions: g.redemptions })),
    redemptions: { count: redemptions[0]?.count ?? 0, points: redemptions[0]?.points ?? 0, reversedCount: redemptions[0]?.reversed_count ?? 0, reversedPoints: redemptions[0]?.reversed_points ?? 0 },
  };
}

/** The report as tables for CSV and Excel. */
export function pointsTables(r: PointsReport): ReportTable[] {
  return [
    {
      name: `积分发放 Issued ${r.period}`, columns: ['类别 Category', '积分 Points', '笔数 Entries'],
      rows: [...r.issued.map((c) => [`${categoryWord(c.category).zh} ${categoryWord(c.category).en}`, c.points, c.entries]), ['合计 Total', r.totals.issued, r.issued.reduce((s, c) => s + c.entries, 0)]],
    },
    {
      name: `积分使用 Spent ${r.period}`, columns: ['类别 Category', '积分 Points', '笔数 Entries'],
      rows: [...r.spent.map((c) => [`${categoryWord(c.category).zh} ${categoryWord(c.category).en}`, c.points, c.entries]), ['合计 Total', r.totals.spent, r.spent.reduce((s, c) => s + c.entries, 0)]],
    },
    { name: `按日 By day ${r.period}`, columns: ['日期 Date', '发放 Issued', '使用 Spent'], rows: r.series.map((s) => [s.bucket, s.issued, s.spent]) },
    {
      name: `兑换商品 By goods ${r.period}`, columns: ['商品 Goods', '类别 Category', '数量 Quantity', '积分 Points', '兑换次数 Redemptions'],
      rows: [...r.byGoods.map((g) => [g.name, g.category, g.quantity, g.points, g.redemptions]), ['合计 Total', '', r.byGoods.reduce((s, g) => s + g.quantity, 0), r.redemptions.points, r.redemptions.count]],
    },
  ];
}
