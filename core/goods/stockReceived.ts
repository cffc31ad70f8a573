import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { MAX_QUANTITY } from '../points/goodsRedeemed.js';
import { Text } from '../text/text.js';

/** Where received stock came from. */
export const StockSource = z.enum(['purchase', 'donation']);

/** Stock received into the store (入库): bought, or donated goods that were checked in. */
export const StockReceivedV1 = z.object({
  kind: z.literal('stockReceived'),
  version: z.literal(1),
  payload: z.object({
    goodsId: Id,
    quantity: z.number().int().min(1).max(MAX_QUANTITY),
    source: StockSource,
    note: Text(200),
  }),
});

/** Stock received (入库) from a purchase, a donation, or a partner shop (爱心商铺) that gives goods. */
export const StockReceivedV2 = z.object({
  kind: z.literal('stockReceived'),
  version: z.literal(2),
  payload: z.object({
    goodsId: Id,
    quantity: z.number().int().min(1).max(MAX_QUANTITY),
    source: z.enum(['purchase', 'donation', 'partnerShop']),
    shopId: Id.nullable(),
    note: Text(200),
  }),
});

export const stockReceived = defineKind({
  versions: [StockReceivedV1, StockReceivedV2],
  refs: (b) => [
    { table: 'goods', id: b.payload.goodsId, is: 'existing' },
    ...(b.version === 2 && b.payload.shopId ? [{ table: 'partnerShops', id: b.payload.shopId, is: 'existing' } as const] : []),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'stock', goodsId: p.goodsId, delta: p.quantity }] }),
});

/**
 * A stock count (盘点): what is on the shelf, with the reason for any difference. It sets the stock
 * to the count wherever it is applied (the difference is booked as a movement), so a count that
 * meets sales made meanwhile on another kiosk still leaves what was counted.
 */
export const StockCountedV1 = z.object({
  kind: z.literal('stockCounted'),
  version: z.literal(1),
  payload: z.object({ goodsId: Id, counted: z.number().int().min(0).max(1_000_000), expected: z.number().int().min(-LIMITS.stock).max(LIMITS.stock), reason: Text(200) }),
});

export const stockCounted = defineKind({
  versions: [StockCountedV1],
  refs: ({ payload: p }) => [{ table: 'goods', id: p.goodsId, is: 'existing' }],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (view, { payload: p }) => {
    const delta = p.counted - (view.row('goods', p.goodsId)?.stock ?? 0);
    return { effects: delta === 0 ? [] : [{ type: 'stock', goodsId: p.goodsId, delta }] };
  },
});

/** Decides a count: a whole number, zero or more, and a reason when it differs from the records. */
export function decideStockCount(goodsId: string, expected: number, counted: number, reason: string): Decision<z.infer<typeof StockCountedV1>['payload']> {
  if (!Number.isInteger(counted) || counted < 0 || counted > 1_000_000) return refuse('countInvalid', { counted });
  const why = reason.trim();
  if (counted !== expected && why.length === 0) return refuse('countReasonMissing', { expected, counted });
  return accept({ goodsId, counted, expected, reason: why.slice(0, 200) });
}

/** Decides a stock-in: a whole quantity above zero. */
export function decideStockIn(quantity: number): Decision<number> {
  if (!Number.isInteger(quantity) || quantity <= 0 || quantity > MAX_QUANTITY) return refuse('invalidQuantity', { quantity });
  return accept(quantity);
}
