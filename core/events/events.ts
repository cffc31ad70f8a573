import { z } from 'zod';
import { Id } from '../entities.js';

/**
 * The event union: everything a device does is one of these kinds, at one version. The union is
 * closed (no `| string`); the server accepts every version it ever shipped, so a version once
 * released is never changed, only joined by the next.
 */

/** Why points were awarded: the categories of the scoring rules (评分细则). */
export const EarningCategory = z.enum(['governance', 'civility', 'reuse', 'volunteering', 'other']);
export type EarningCategory = z.infer<typeof EarningCategory>;

const Quantity = z.number().int().min(1).max(9_999);

/** Points awarded to an account (积分奖励), by a rule category. */
export const PointsAwardedV1 = z.object({
  kind: z.literal('pointsAwarded'),
  version: z.literal(1),
  payload: z.object({
    accountId: Id,
    points: z.number().int().min(1).max(100_000),
    category: EarningCategory,
    note: z.string().max(200),
  }),
});

/** One line of a redemption, with the point price the kiosk decided on. */
export const RedemptionLine = z.object({
  goodsId: Id,
  quantity: Quantity,
  pointPrice: z.number().int().min(0).max(1_000_000),
});
export type RedemptionLine = z.infer<typeof RedemptionLine>;

/** Goods redeemed for points at the counter (兑换). */
export const GoodsRedeemedV1 = z.object({
  kind: z.literal('goodsRedeemed'),
  version: z.literal(1),
  payload: z.object({
    accountId: Id,
    residentId: Id,
    lines: z.array(RedemptionLine).min(1).max(50),
  }),
});

/** Where received stock came from. */
export const StockSource = z.enum(['purchase', 'donation']);

/** Stock received into the store (入库): bought, or donated goods that were checked in. */
export const StockReceivedV1 = z.object({
  kind: z.literal('stockReceived'),
  version: z.literal(1),
  payload: z.object({
    goodsId: Id,
    quantity: Quantity,
    source: StockSource,
    note: z.string().max(200),
  }),
});

/** How staff settle an exception: recover it later, write it off, or adjust after a count. */
export const Resolution = z.enum(['recover', 'writeOff', 'adjust', 'acknowledge']);
export type Resolution = z.infer<typeof Resolution>;

/**
 * An exception settled by staff (异常处理): a compensating ledger entry or stock movement (either
 * may be absent), never a delete. The server marks the exception resolved by this event.
 */
export const ExceptionResolvedV1 = z.object({
  kind: z.literal('exceptionResolved'),
  version: z.literal(1),
  payload: z.object({
    exceptionId: z.string().min(1).max(80).regex(/^[A-Za-z0-9_:-]+$/),
    resolution: Resolution,
    accountId: Id.nullable(),
    pointsDelta: z.number().int().min(-1_000_000).max(1_000_000),
    goodsId: Id.nullable(),
    stockDelta: z.number().int().min(-1_000_000).max(1_000_000),
    note: z.string().max(200),
  }),
});

/** Kind and payload of every event, discriminated by kind (each kind a union of its versions). */
export const EventBody = z.discriminatedUnion('kind', [PointsAwardedV1, GoodsRedeemedV1, StockReceivedV1, ExceptionResolvedV1]);
export type EventBody = z.infer<typeof EventBody>;
export type EventKind = EventBody['kind'];

/** The kinds a device may write, in the order they were introduced. */
export const EVENT_KINDS: readonly EventKind[] = ['pointsAwarded', 'goodsRedeemed', 'stockReceived', 'exceptionResolved'];

const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/**
 * The envelope every event travels in. `seq` is the device's own gap-free counter from 1;
 * `at` is the device clock and `clockOffset` (ms) how far it ran ahead of the server's at the
 * last sync; `basis` is the pull cursor the device had when it decided.
 */
export const EventEnvelope = z.object({
  id: Uuid,
  deviceId: Id,
  seq: z.number().int().min(1).max(2 ** 31 - 1),
  staffId: Id.nullable(),
  at: z.string().datetime({ offset: true }),
  clockOffset: z.number().int().min(-10 * 365 * 86_400_000).max(10 * 365 * 86_400_000),
  basis: z.number().int().nonnegative(),
});

/** A whole event: envelope and body. */
export const LinliEvent = z.intersection(EventEnvelope, EventBody);
export type LinliEvent = z.infer<typeof EventEnvelope> & EventBody;
export type EventEnvelope = z.infer<typeof EventEnvelope>;
