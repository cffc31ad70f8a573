import { z } from 'zod';
import { Id } from '../entities.js';
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

export const stockReceived = defineKind({
  versions: [StockReceivedV1],
  refs: ({ payload: p }) => [{ table: 'goods', id: p.goodsId, is: 'existing' }],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'stock', goodsId: p.goodsId, delta: p.quantity }] }),
});

/** Decides a stock-in: a whole quantity above zero. */
export function decideStockIn(quantity: number): Decision<number> {
  if (!Number.isInteger(quantity) || quantity <= 0 || quantity > MAX_QUANTITY) return refuse('invalidQuantity', { quantity });
  return accept(quantity);
}
