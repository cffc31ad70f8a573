import type { Queryable } from '../db/db.js';
import type { ReportTable } from './export.js';
import type { Period } from './period.js';

/**
 * Stock movements for a month or a year, per goods, from the stock movements (every change of a
 * stock is one, written by the event that made it): the stock at the start, what came in (stock-in
 * from shops and suppliers, donations), what went out (redemptions), counts' corrections and
 * reversals, and the stock at the end. Start + movements = end, and the end of the last period is
 * the stock the shelf shows (the tests check both). A movement's time is its event's business time.
 */
export type StockLine = {
  goodsId: string; name: string; category: string;
  opening: number; received: number; donated: number; redeemed: number; counted: number; reversed: number; other: number; closing: number; current: number;
};
export type StockReport = { period: string; goods: StockLine[]; totals: Omit<StockLine, 'goodsId' | 'name' | 'category'> };

/** The column each event kind's movements go to. */
const COLUMN: Record<string, 'received' | 'donated' | 'redeemed' | 'counted' | 'reversed'> = {
  stockReceived: 'received', donationReceived: 'donated', goodsRedeemed: 'redeemed', stockCounted: 'counted', entryReversed: 'reversed',
};

/** An event's business time as a UTC timestamp (its device time, corrected by the offset it carried). */
export const BUSINESS_TIME = `((e.at::timestamptz - e.clock_offset * interval '1 millisecond') AT TIME ZONE 'UTC')`;

export async function stockReport(db: Queryable, centreId: string, period: Period): Promise<StockReport> {
  const moves = await db.query<{ goods_id: string; kind: string; before: number; during: number }>(
    `SELECT m.goods_id, e.kind,
       coalesce(sum(m.delta) FILTER (WHERE ${BUSINESS_TIME} < $2::timestamp), 0) AS before,
       coalesce(sum(m.delta) FILTER (WHERE ${BUSINESS_TIME} >= $2::timestamp AND ${BUSINESS_TIME} < $3::timestamp), 0) AS during
     FROM stock_movement m JOIN event e ON e.centre_id = m.centre_id AND e.id = m.event_id AND e.outcome = 'applied'
     WHERE m.centre_id = $1 GROUP BY m.goods_id, e.kind`, [centreId, period.from, period.to]);
  const goods = await db.query<{ id: string; name: string; category: string; stock: number }>('SELECT id, name, category, stock FROM goods WHERE centre_id = $1 ORDER BY category, name', [centreId]);
  const lines = new Map<string, StockLine>(goods.map((g) => [g.id, {
    goodsId: g.id, name: g.name, category: g.category, opening: 0, received: 0, donated: 0, redeemed: 0, counted: 0, reversed: 0, other: 0, closing: 0, current: g.stock,
  }]));
  for (const m of moves) {
    const line = lines.get(m.goods_id);
    if (!line) continue;
    line.opening += m.before;
    line[COLUMN[m.kind] ?? 'other'] += m.during;
  }
  for (const l of lines.values()) l.closing = l.opening + l.received + l.donated + l.redeemed + l.counted + l.reversed + l.other;
  const all = [...lines.values()].filter((l) => l.opening !== 0 || l.closing !== 0 || l.received + l.donated + l.counted + l.reversed + l.other !== 0 || l.redeemed !== 0);
  const sum = (f: keyof Omit<StockLine, 'goodsId' | 'name' | 'category'>) => all.reduce((s, l) => s + l[f], 0);
  return {
    period: period.label, goods: all,
    totals: { opening: sum('opening'), received: sum('received'), donated: sum('donated'), redeemed: sum('redeemed'), counted: sum('counted'), reversed: sum('reversed'), other: sum('other'), closing: sum('closing'), current: sum('current') },
  };
}

export function stockTables(r: StockReport): ReportTable[] {
  const cols = ['商品 Goods', '类别 Category', '期初 Opening', '入库 Stock in', '捐赠 Donated', '兑换 Redeemed', '盘点调整 Counts', '冲正 Reversals', '其他 Other', '期末 Closing', '现有 Now'];
  const row = (l: Omit<StockLine, 'goodsId'>) => [l.name, l.category, l.opening, l.received, l.donated, l.redeemed, l.counted, l.reversed, l.other, l.closing, l.current];
  return [{ name: `库存 Stock ${r.period}`, columns: cols, rows: [...r.goods.map(row), row({ name: '合计 Total', category: '', ...r.totals })] }];
}
