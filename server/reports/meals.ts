import type { Queryable } from '../db/db.js';
import { CLAIM_COLUMNS } from './claim.js';
import type { ReportTable } from './export.js';
import type { Period } from './period.js';
import { settleMonth, type ClaimLine, type Settlement } from './settlement.js';

/**
 * Meals by subsidy category for a month or a year: the canteen's settlement (settlement.ts, the
 * same figures as the monthly claim) added up over the period's months, with the settlement list
 * (every meal, masked residents) for a month. A year lists no meals, only the sums by month.
 */
export type MealsReport = {
  period: string;
  categories: Settlement['categories'];
  totals: Settlement['totals'];
  byMonth: { month: string; meals: number; subsidyFen: number; deliverySubsidyFen: number }[];
  toCheck: number;
  /** The settlement list of a month (empty for a year). */
  lines: ClaimLine[];
};

export async function mealsReport(db: Queryable, centreId: string, period: Period, today: string): Promise<MealsReport> {
  const months = period.kind === 'month' ? [period.label] : period.buckets;
  const settled: Settlement[] = [];
  for (const m of months) settled.push(await settleMonth(db, centreId, m, today));
  const categories = new Map<string, Settlement['categories'][number]>();
  const totals = { ...settled[0]!.totals };
  for (const k of Object.keys(totals) as (keyof Settlement['totals'])[]) totals[k] = settled.reduce((s, x) => s + x.totals[k], 0);
  for (const s of settled) {
    for (const c of s.categories) {
      const had = categories.get(c.category) ?? { ...c, meals: 0, subsidyFen: 0, deliverySubsidyFen: 0 };
      had.meals += c.meals;
      had.subsidyFen += c.subsidyFen;
      had.deliverySubsidyFen += c.deliverySubsidyFen;
      categories.set(c.category, had);
    }
  }
  return {
    period: period.label, categories: [...categories.values()].sort((a, b) => b.subsidyFen - a.subsidyFen), totals,
    byMonth: settled.map((s) => ({ month: s.month, meals: s.totals.meals, subsidyFen: s.totals.subsidyFen, deliverySubsidyFen: s.totals.deliverySubsidyFen })),
    toCheck: settled.reduce((n, s) => n + s.toCheck.length, 0),
    lines: period.kind === 'month' ? settled[0]!.lines : [],
  };
}

const yuan = (fen: number) => Math.round(fen) / 100;

export function mealsTables(r: MealsReport): ReportTable[] {
  const tables: ReportTable[] = [{
    name: `助餐 Meals ${r.period}`, columns: ['补贴类别 Category', '份数 Meals', '助餐补贴(元) Subsidy', '送餐补贴(元) Delivery subsidy'],
    rows: [...r.categories.map((c) => [c.name, c.meals, yuan(c.subsidyFen), yuan(c.deliverySubsidyFen)]), ['合计 Total', r.totals.meals, yuan(r.totals.subsidyFen), yuan(r.totals.deliverySubsidyFen)]],
  }];
  if (r.lines.length > 0) tables.push({ name: `结算清单 Settlement ${r.period}`, columns: CLAIM_COLUMNS.map(([h]) => h), rows: r.lines.map((l) => CLAIM_COLUMNS.map(([, f]) => f(l))) });
  return tables;
}
