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

/**
 * Goods redeemed for points by whoever holds the account: a resident or a partner shop (爱心商铺),
 * which earns points too and redeems at the store itself.
 */
export const GoodsRedeemedV2 = z.object({
  kind: z.literal('goodsRedeemed'),
  version: z.literal(2),
  payload: z.object({
    accountId: Id,
    holder: z.discriminatedUnion('kind', [z.object({ kind: z.literal('resident'), id: Id }), z.object({ kind: z.literal('partnerShop'), id: Id })]),
    lines: GoodsRedeemedV1.shape.payload.shape.lines,
  }),
});

/** A redemption as the centre keeps it: what was taken at which price, and its reversal once there is one. */
export const Redemption = z.object({
  id: Id,
  centreId: Id,
  accountId: Id,
  residentId: Id.nullable(),
  shopId: Id.nullable(),
  lines: z.array(RedemptionLine.extend({ name: z.string().max(100) })).max(50),
  total: z.number().int().min(0).max(LIMITS.pointsPerEvent),
  at: z.string(),
  reversedBy: Id.nullable(),
  changeSeq: z.number().int().nonnegative(),
});
export type Redemption = z.infer<typeof Redemption>;

const holderOf = (b: z.infer<typeof GoodsRedeemedV1> | z.infer<typeof GoodsRedeemedV2>) =>
  b.version === 1 ? { kind: 'resident' as const, id: b.payload.residentId } : b.payload.holder;

export const goodsRedeemed = defineKind({
  versions: [GoodsRedeemedV1, GoodsRedeemedV2],
  refs: (b) => {
    const holder = holderOf(b);
    return [
      { table: 'accounts', id: b.payload.accountId, is: 'existing' },
      { table: holder.kind === 'resident' ? 'residents' : 'partnerShops', id: holder.id, is: 'existing' },
      ...b.payload.lines.map((l) => ({ table: 'goods', id: l.goodsId, is: 'existing' }) as const),
    ];
  },
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: (b, view) => {
    const holder = holderOf(b);
    const holds = holder.kind === 'resident' ? view.row('residents', holder.id)?.accountId : view.row('partnerShops', holder.id)?.accountId;
    return holds === b.payload.accountId ? null : { key: 'refusedAccountMismatch', params: { accountId: b.payload.accountId, residentId: holder.id } };
  },
  apply: (view, b, ctx) => {
    const p = b.payload;
    const holder = holderOf(b);
    const total = redemptionTotal(p.lines);
    return {
      effects: [
        { type: 'ledger', accountId: p.accountId, delta: -total, memo: redemptionMemo(p.lines, (id) => view.row('goods', id)?.name), category: 'redemption' },
        ...p.lines.map((l) => ({ type: 'stock', goodsId: l.goodsId, delta: -l.quantity }) as const),
        {
          type: 'record', table: 'redemptions', create: {
            id: ctx.eventId, accountId: p.accountId, residentId: holder.kind === 'resident' ? holder.id : null, shopId: holder.kind === 'partnerShop' ? holder.id : null,
            lines: p.lines.map((l) => ({ ...l, name: view.row('goods', l.goodsId)?.name ?? l.goodsId })), total, at: new Date(ctx.at).toISOString(), reversedBy: null,
          },
        },
      ],
    };
  },
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
