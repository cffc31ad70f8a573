import type { EventBody, RedemptionLine } from '../events/events.js';
import type { Goods, RuleExceptionKind } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { missingCase } from '../missingCase.js';

/**
 * The points and stock rules, once, for both sides.
 *
 * `decide…` runs on the kiosk only, against what the kiosk shows (replica + pending events):
 * it refuses a command that breaks a rule, so nothing is written.
 * `apply` runs on the kiosk and on the server: it never fails. What breaks a rule on the
 * server's newer state (two kiosks offline spent the same last points) is applied anyway — the
 * goods have left the shelf — and reported as an exception for staff.
 */

/** One change an event makes. */
export type Effect =
  | { type: 'ledger'; accountId: string; delta: number }
  | { type: 'stock'; goodsId: string; delta: number };

/** A rule broken on the state the event was applied to. */
export type RuleException =
  | { kind: Extract<RuleExceptionKind, 'overdraft'>; accountId: string; balanceAfter: number }
  | { kind: Extract<RuleExceptionKind, 'oversold'>; goodsId: string; stockAfter: number };

/** What `apply` needs to know: current balances and stocks (an unknown id reads as 0). */
export type LedgerView = {
  balance(accountId: string): number;
  stock(goodsId: string): number;
};

/** What `apply` answers. */
export type Applied = { effects: Effect[]; exceptions: RuleException[] };

/** The effects of an event, and the exceptions they raise on `view`. Never fails. */
export function apply(view: LedgerView, event: EventBody): Applied {
  const effects = effectsOf(event);
  const balances = new Map<string, number>();
  const stocks = new Map<string, number>();
  for (const e of effects) {
    if (e.type === 'ledger') {
      balances.set(e.accountId, (balances.get(e.accountId) ?? view.balance(e.accountId)) + e.delta);
    } else {
      stocks.set(e.goodsId, (stocks.get(e.goodsId) ?? view.stock(e.goodsId)) + e.delta);
    }
  }
  const exceptions: RuleException[] = [];
  // Only a spending event can overdraw or oversell; an award or a stock-in that leaves an
  // earlier deficit standing does not raise it again.
  if (event.kind === 'goodsRedeemed') {
    for (const [accountId, balanceAfter] of balances) {
      if (balanceAfter < 0) exceptions.push({ kind: 'overdraft', accountId, balanceAfter });
    }
    for (const [goodsId, stockAfter] of stocks) {
      if (stockAfter < 0) exceptions.push({ kind: 'oversold', goodsId, stockAfter });
    }
  }
  return { effects, exceptions };
}

/** The ledger and stock changes an event makes, independent of any state. */
export function effectsOf(event: EventBody): Effect[] {
  switch (event.kind) {
    case 'pointsAwarded':
      return [{ type: 'ledger', accountId: event.payload.accountId, delta: event.payload.points }];
    case 'goodsRedeemed': {
      const p = event.payload;
      return [
        { type: 'ledger', accountId: p.accountId, delta: -redemptionTotal(p.lines) },
        ...p.lines.map((l): Effect => ({ type: 'stock', goodsId: l.goodsId, delta: -l.quantity })),
      ];
    }
    case 'stockReceived':
      return [{ type: 'stock', goodsId: event.payload.goodsId, delta: event.payload.quantity }];
    case 'exceptionResolved': {
      const p = event.payload;
      return [
        ...(p.accountId && p.pointsDelta !== 0 ? [{ type: 'ledger', accountId: p.accountId, delta: p.pointsDelta } as const] : []),
        ...(p.goodsId && p.stockDelta !== 0 ? [{ type: 'stock', goodsId: p.goodsId, delta: p.stockDelta } as const] : []),
      ];
    }
    default:
      return missingCase(event);
  }
}

/** The points a redemption costs: the sum of quantity × point price. */
export function redemptionTotal(lines: readonly RedemptionLine[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.pointPrice, 0);
}

/** Goods as the kiosk shows them when a clerk picks them. */
export type PickedGoods = Pick<Goods, 'id' | 'name' | 'pointPrice' | 'stock'>;

/** What a clerk picked: goods and how many. */
export type RedemptionPick = { goods: PickedGoods; quantity: number };

/**
 * Decides a redemption on the kiosk: every quantity a whole number above zero, enough stock
 * of each goods (picks of the same goods added up), enough points for the total. Answers the
 * lines to put in the event, with today's point prices.
 */
export function decideRedemption(
  balance: number,
  picks: readonly RedemptionPick[],
): Decision<RedemptionLine[]> {
  if (picks.length === 0) return refuse('emptyRedemption', {});
  const merged = new Map<string, RedemptionPick>();
  for (const p of picks) {
    if (!Number.isInteger(p.quantity) || p.quantity <= 0 || p.quantity > 9_999) {
      return refuse('invalidQuantity', { quantity: p.quantity });
    }
    const prev = merged.get(p.goods.id);
    merged.set(p.goods.id, { goods: p.goods, quantity: (prev?.quantity ?? 0) + p.quantity });
  }
  const lines: RedemptionLine[] = [];
  for (const { goods, quantity } of merged.values()) {
    if (goods.stock < quantity) {
      return refuse('insufficientStock', { goodsName: goods.name, wanted: quantity, stock: Math.max(0, goods.stock) });
    }
    lines.push({ goodsId: goods.id, quantity, pointPrice: goods.pointPrice });
  }
  const needed = redemptionTotal(lines);
  if (needed > balance) return refuse('insufficientPoints', { needed, balance: Math.max(0, balance) });
  return accept(lines);
}

/** Decides an award of points: a whole number above zero. */
export function decideAward(points: number): Decision<number> {
  if (!Number.isInteger(points) || points <= 0 || points > 100_000) return refuse('invalidPoints', { points });
  return accept(points);
}

/** Decides a stock-in: a whole quantity above zero. */
export function decideStockIn(quantity: number): Decision<number> {
  if (!Number.isInteger(quantity) || quantity <= 0 || quantity > 9_999) return refuse('invalidQuantity', { quantity });
  return accept(quantity);
}
