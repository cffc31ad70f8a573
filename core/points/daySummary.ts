import type { LinliEvent } from '../events/events.js';
import type { LedgerEntry } from '../entities.js';
import { EarningCategory } from './earningRules.js';
import { redemptionTotal } from './goodsRedeemed.js';
import type { Redemption } from './goodsRedeemed.js';
import { REVERSIBLE_ENTRY_KINDS } from './reversal.js';

/**
 * The figures of a counter's business day, as its day summary (日结单) prints them, from the events
 * the counter wrote that day (refused ones left out by the caller): redemptions not reversed that
 * day, their points and the goods that left the shelf (by goods id); points given (awards,
 * certified hours, donations), awards reversed that day left out; items taken into stock
 * (stock-ins and donations); and the names of goods the counter added that day, for goods the
 * replica does not hold yet.
 */
export type CounterDay = {
  redemptions: number; pointsSpent: number; pointsAwarded: number; stockReceived: number;
  goodsOut: Map<string, number>; addedGoods: Map<string, string>;
};

/** A counter's day from its own events of that day (see `CounterDay`). */
export function counterDay(events: readonly LinliEvent[]): CounterDay {
  // What the day's own reversals took back: redemptions (by their event) and awards (by their entry).
  const reversed = new Set(events.flatMap((e) => (e.kind === 'entryReversed' ? [e.payload.target.kind === 'redemption' ? e.payload.target.redemptionId : e.payload.target.entryId] : [])));
  const day: CounterDay = { redemptions: 0, pointsSpent: 0, pointsAwarded: 0, stockReceived: 0, goodsOut: new Map(), addedGoods: new Map() };
  for (const e of events) {
    switch (e.kind) {
      case 'goodsRedeemed':
        if (reversed.has(e.id)) break;
        day.redemptions += 1;
        day.pointsSpent += redemptionTotal(e.payload.lines);
        for (const l of e.payload.lines) day.goodsOut.set(l.goodsId, (day.goodsOut.get(l.goodsId) ?? 0) + l.quantity);
        break;
      case 'pointsAwarded':
        if (!reversed.has(`${e.id}:0`)) day.pointsAwarded += e.payload.points;
        break;
      case 'serviceCertified':
        day.pointsAwarded += e.payload.entries.reduce((n, x) => n + x.points, 0);
        break;
      case 'donationReceived':
        // Its points reversed that day (its entry, whichever effect made it) are left out; the items stay in stock.
        if (![...reversed].some((id) => id.startsWith(`${e.id}:`))) day.pointsAwarded += e.payload.points;
        day.stockReceived += e.payload.items.reduce((n, i) => n + i.quantity, 0);
        for (const i of e.payload.items) if (i.newGoods) day.addedGoods.set(i.goodsId, i.newGoods.name);
        break;
      case 'stockReceived':
        day.stockReceived += e.payload.quantity;
        break;
      case 'goodsAdded':
        day.addedGoods.set(e.payload.goodsId, e.payload.name);
        break;
      default:
        break;
    }
  }
  return day;
}

/** Whether a ledger entry can still be reversed at the counter: `reversed` once it was. */
export type Reversibility = 'yes' | 'no' | 'reversed';

/**
 * Whether a ledger entry may be reversed: a redemption (through its record), an award, a
 * donation's points (the items stay in stock: a count corrects the shelf) or a resident's
 * redemption at a shop (both its entries), once; a reversal itself never, nor any other entry
 * (hours are corrected instead).
 */
export function reversibilityOf(entry: Pick<LedgerEntry, 'kind' | 'category' | 'reversedBy'>, redemption: Pick<Redemption, 'reversedBy'> | null): Reversibility {
  if (entry.kind === 'entryReversed') return 'no';
  if (entry.category === 'redemption') return redemption ? (redemption.reversedBy ? 'reversed' : 'yes') : 'no';
  if (REVERSIBLE_ENTRY_KINDS.has(entry.kind)) return entry.reversedBy ? 'reversed' : 'yes';
  return 'no';
}

/** What moved points, as the day's and the month's figures group it: an earning category, or a way points were spent or corrected. */
export type FigureCategory = EarningCategory | 'redemption' | 'shop' | 'correction';
export const FIGURE_CATEGORIES: readonly FigureCategory[] = [...EarningCategory.options, 'redemption', 'shop', 'correction'];

/** Points given and taken in one category, with how many entries. */
export type CategoryFigures = { category: FigureCategory; issued: number; redeemed: number; entries: number };

/**
 * Points issued and redeemed per category over ledger entries (every category, in the order of
 * `FIGURE_CATEGORIES`): a positive entry issues, a negative one redeems or takes back; a category
 * not known counts as `other`. Entries of partner shops' accounts count too (a shop's points are
 * the centre's points), but a shop's gain from a resident's redemption there is the same points
 * moving, not new ones.
 */
export function figuresByCategory(entries: Iterable<Pick<LedgerEntry, 'category' | 'delta'>>): CategoryFigures[] {
  const known = new Set<string>(FIGURE_CATEGORIES);
  const cells = new Map<FigureCategory, CategoryFigures>(FIGURE_CATEGORIES.map((category) => [category, { category, issued: 0, redeemed: 0, entries: 0 }]));
  for (const e of entries) {
    const category = (e.category !== null && known.has(e.category) ? e.category : 'other') as FigureCategory;
    if (category === 'shop' && e.delta > 0) continue;
    const cell = cells.get(category)!;
    if (e.delta > 0) cell.issued += e.delta;
    else cell.redeemed -= e.delta;
    cell.entries += 1;
  }
  return [...cells.values()];
}
