import type { LinliEvent } from '../events/events.js';
import type { LedgerEntry } from '../entities.js';
import { redemptionTotal } from './goodsRedeemed.js';
import type { Redemption } from './goodsRedeemed.js';

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
        day.pointsAwarded += e.payload.points;
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
 * Whether a ledger entry may be reversed: a redemption (through its record) or an award, once;
 * a reversal itself never, nor any other entry (hours are corrected, donations are not undone here).
 */
export function reversibilityOf(entry: Pick<LedgerEntry, 'kind' | 'category' | 'reversedBy'>, redemption: Pick<Redemption, 'reversedBy'> | null): Reversibility {
  if (entry.kind === 'entryReversed') return 'no';
  if (entry.category === 'redemption') return redemption ? (redemption.reversedBy ? 'reversed' : 'yes') : 'no';
  if (entry.kind === 'pointsAwarded') return entry.reversedBy ? 'reversed' : 'yes';
  return 'no';
}
