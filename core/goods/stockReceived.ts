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

/** The most a count of one goods may say. */
export const MAX_COUNTED = 1_000_000;

/** One goods counted: what was counted, what the records said, and why they differ. */
const CountLine = z.object({ goodsId: Id, counted: z.number().int().min(0).max(MAX_COUNTED), expected: z.number().int().min(-LIMITS.stock).max(LIMITS.stock), reason: Text(200) });

/**
 * A stock count (盘点): what is on the shelf, with the reason for any difference. It sets the stock
 * to the count wherever it is applied (the difference is booked as a movement), so a count that
 * meets sales made meanwhile on another kiosk still leaves what was counted (and is flagged).
 */
export const StockCountedV1 = z.object({
  kind: z.literal('stockCounted'),
  version: z.literal(1),
  payload: CountLine,
});

/** The most goods one count (盘点单) takes: a centre's whole shelf. */
export const MAX_COUNT_LINES = 500;

/**
 * The shelf counted at once (盘点单): a line per goods counted, each as a count of its own (its
 * stock set to what was counted). One event, so the whole count is applied or none of it.
 */
export const StockCountedV2 = z.object({
  kind: z.literal('stockCounted'),
  version: z.literal(2),
  payload: z.object({
    lines: z.array(CountLine).min(1).max(MAX_COUNT_LINES).refine((ls) => new Set(ls.map((l) => l.goodsId)).size === ls.length, 'a goods counted twice'),
  }),
});

const countLines = (b: z.infer<typeof StockCountedV1> | z.infer<typeof StockCountedV2>) => (b.version === 1 ? [b.payload] : b.payload.lines);

export const stockCounted = defineKind({
  versions: [StockCountedV1, StockCountedV2],
  refs: (b) => countLines(b).map((l) => ({ table: 'goods', id: l.goodsId, is: 'existing' }) as const),
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  // The stock is set to the count. Where it is no longer what the clerk saw on record (sold or received
  // meanwhile elsewhere), that movement is overwritten, and flagged for staff.
  apply: (view, b) => {
    const lines = countLines(b).map((l) => ({ ...l, stock: view.row('goods', l.goodsId)?.stock ?? 0 }));
    return {
      effects: lines.flatMap((l) => (l.counted === l.stock ? [] : [{ type: 'stock' as const, goodsId: l.goodsId, delta: l.counted - l.stock }])),
      exceptions: lines.flatMap((l) => (l.stock === l.expected ? [] : [{ kind: 'countMoved' as const, subjectId: l.goodsId, amount: l.stock - l.expected }])),
    };
  },
});

/** A line of the shelf count as the clerk filled it in (`text`: the count as typed, for messages). */
export type ShelfCountLine = { goodsId: string; name: string; expected: number; counted: number; text?: string; reason: string };

/**
 * Decides a count of the shelf: at least one goods counted, each count a whole number, zero or
 * more, and a reason for each that differs from the records (the goods named in the message).
 */
export function decideShelfCount(lines: readonly ShelfCountLine[]): Decision<z.infer<typeof StockCountedV2>['payload']> {
  if (lines.length === 0) return refuse('countNothing', {});
  if (lines.length > MAX_COUNT_LINES) return refuse('countTooMany', { max: MAX_COUNT_LINES });
  const out: z.infer<typeof CountLine>[] = [];
  for (const l of lines) {
    if (!Number.isInteger(l.counted) || l.counted < 0 || l.counted > MAX_COUNTED) return refuse('countLineInvalid', { name: l.name, text: l.text ?? String(l.counted), max: MAX_COUNTED });
    const why = l.reason.trim();
    if (l.counted !== l.expected && why.length === 0) return refuse('countLineReasonMissing', { name: l.name, expected: l.expected, counted: l.counted });
    if (out.some((o) => o.goodsId === l.goodsId)) return refuse('countLineTwice', { name: l.name });
    out.push({ goodsId: l.goodsId, counted: l.counted, expected: l.expected, reason: why.slice(0, 200) });
  }
  return accept({ lines: out });
}

/** Decides a count: a whole number, zero or more, and a reason when it differs from the records. */
export function decideStockCount(goodsId: string, expected: number, counted: number, reason: string): Decision<z.infer<typeof StockCountedV1>['payload']> {
  if (!Number.isInteger(counted) || counted < 0 || counted > MAX_COUNTED) return refuse('countInvalid', { counted });
  const why = reason.trim();
  if (counted !== expected && why.length === 0) return refuse('countReasonMissing', { expected, counted });
  return accept({ goodsId, counted, expected, reason: why.slice(0, 200) });
}

/** Decides a stock-in: a whole quantity above zero. */
export function decideStockIn(quantity: number): Decision<number> {
  if (!Number.isInteger(quantity) || quantity <= 0 || quantity > MAX_QUANTITY) return refuse('invalidQuantity', { quantity });
  return accept(quantity);
}
