import { z } from 'zod';
import { Id, LIMITS, type Goods } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { cutText } from '../text/text.js';

/** Most of one goods a line may take. */
export const MAX_QUANTITY = 9_999;
const Quantity = z.number().int().min(1).max(MAX_QUANTITY);

/** One line of a redemption, with the point price the kiosk decided on. */
export const RedemptionLine = z.object({
  goodsId: Id,
  quantity: Quantity,
  pointPrice: z.number().int().min(0).max(LIMITS.pointsPerEvent),
});
export type RedemptionLine = z.infer<typeof RedemptionLine>;

/** The points a redemption costs: the sum of quantity × point price. */
export function redemptionTotal(lines: readonly RedemptionLine[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.pointPrice, 0);
}

/**
 * Goods redeemed for points at the counter (兑换). Its total may not pass `LIMITS.pointsPerEvent`:
 * fifty lines of 9,999 at a million points each were once valid, and the balance they left could
 * not be pulled.
 */
export const GoodsRedeemedV1 = z.object({
  kind: z.literal('goodsRedeemed'),
  version: z.literal(1),
  payload: z.object({
    accountId: Id,
    residentId: Id,
    lines: z.array(RedemptionLine).min(1).max(50).refine((lines) => redemptionTotal(lines) <= LIMITS.pointsPerEvent, 'the total passes the points one event may move'),
  }),
});

export const goodsRedeemed = defineKind({
  versions: [GoodsRedeemedV1],
  refs: ({ payload: p }) => [
    { table: 'accounts', id: p.accountId, is: 'existing' },
    { table: 'residents', id: p.residentId, is: 'existing' },
    ...p.lines.map((l) => ({ table: 'goods', id: l.goodsId, is: 'existing' }) as const),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) =>
    view.row('residents', p.residentId)!.accountId === p.accountId ? null : { key: 'refusedAccountMismatch', params: { accountId: p.accountId, residentId: p.residentId } },
  apply: (view, { payload: p }) => ({
    effects: [
      { type: 'ledger', accountId: p.accountId, delta: -redemptionTotal(p.lines), memo: redemptionMemo(p.lines, (id) => view.row('goods', id)?.name) },
      ...p.lines.map((l) => ({ type: 'stock', goodsId: l.goodsId, delta: -l.quantity }) as const),
    ],
  }),
});

/** What a redemption's ledger entry says it was for: 抽纸×1、香皂×2 (cut to fit the memo). */
export function redemptionMemo(lines: readonly RedemptionLine[], nameOf: (goodsId: string) => string | undefined): string {
  return cutText(lines.map((l) => `${nameOf(l.goodsId) ?? '?'}×${l.quantity}`).join('、'), 60);
}

/** Goods as the kiosk shows them when a clerk picks them. */
export type PickedGoods = Pick<Goods, 'id' | 'name' | 'pointPrice' | 'stock'>;

/** What a clerk picked: goods and how many. */
export type RedemptionPick = { goods: PickedGoods; quantity: number };

/**
 * Decides a redemption on the kiosk: every quantity a whole number above zero, enough stock
 * of each goods (picks of the same goods added up), enough points for the total, and a total one
 * event may carry. Answers the lines to put in the event, with today's point prices.
 */
export function decideRedemption(balance: number, picks: readonly RedemptionPick[]): Decision<RedemptionLine[]> {
  if (picks.length === 0) return refuse('emptyRedemption', {});
  const merged = new Map<string, RedemptionPick>();
  for (const p of picks) {
    if (!Number.isInteger(p.quantity) || p.quantity <= 0 || p.quantity > MAX_QUANTITY) {
      return refuse('invalidQuantity', { quantity: p.quantity });
    }
    const prev = merged.get(p.goods.id);
    merged.set(p.goods.id, { goods: p.goods, quantity: (prev?.quantity ?? 0) + p.quantity });
  }
  if (merged.size > 50) return refuse('tooManyLines', { max: 50 });
  const lines: RedemptionLine[] = [];
  for (const { goods, quantity } of merged.values()) {
    if (quantity > MAX_QUANTITY) return refuse('invalidQuantity', { quantity });
    if (goods.stock < quantity) {
      return refuse('insufficientStock', { goodsName: goods.name, wanted: quantity, stock: Math.max(0, goods.stock) });
    }
    lines.push({ goodsId: goods.id, quantity, pointPrice: goods.pointPrice });
  }
  const needed = redemptionTotal(lines);
  if (needed > LIMITS.pointsPerEvent) return refuse('amountTooLarge', { amount: needed, max: LIMITS.pointsPerEvent });
  if (needed > balance) return refuse('insufficientPoints', { needed, balance: Math.max(0, balance) });
  return accept(lines);
}
