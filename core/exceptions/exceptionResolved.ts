import { z } from 'zod';
import { Id, LIMITS, type RuleExceptionRow } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { Text, cutText } from '../text/text.js';
import { compensationBounds, EXCEPTION_KINDS, resolutionsFor } from './exceptionKinds.js';

/** How staff settle an exception: recover it later, write it off, adjust after a count, or acknowledge. */
export const Resolution = z.enum(['recover', 'writeOff', 'adjust', 'acknowledge']);
export type Resolution = z.infer<typeof Resolution>;

/**
 * An exception settled by staff (异常处理): a compensating ledger entry or stock movement (either
 * may be absent), never a delete. The exception is marked resolved by this event.
 */
export const ExceptionResolvedV1 = z.object({
  kind: z.literal('exceptionResolved'),
  version: z.literal(1),
  payload: z.object({
    exceptionId: z.string().min(1).max(80).regex(/^[A-Za-z0-9_:-]+$/),
    resolution: Resolution,
    accountId: Id.nullable(),
    pointsDelta: z.number().int().min(-LIMITS.pointsPerEvent).max(LIMITS.pointsPerEvent),
    goodsId: Id.nullable(),
    stockDelta: z.number().int().min(-1_000_000).max(1_000_000),
    note: Text(200),
  }),
});
type ResolvedBody = z.infer<typeof ExceptionResolvedV1>;

export const exceptionResolved = defineKind({
  versions: [ExceptionResolvedV1],
  refs: ({ payload: p }) => [
    { table: 'exceptions', id: p.exceptionId, is: 'existing' },
    ...(p.accountId ? [{ table: 'accounts', id: p.accountId, is: 'existing' } as const] : []),
    ...(p.goodsId ? [{ table: 'goods', id: p.goodsId, is: 'existing' } as const] : []),
  ],
  roles: ['clerk'],
  profiles: ['counter'],
  selfService: false,
  check: ({ payload: p }, view) => {
    const x = view.row('exceptions', p.exceptionId)!;
    // Two kiosks resolving the same exception offline: the second would compensate twice.
    if (x.resolvedBy !== null) return { key: 'refusedAlreadyResolved', params: { id: p.exceptionId } };
    const subject = EXCEPTION_KINDS[x.kind].subject;
    const movesAccount = p.accountId !== null || p.pointsDelta !== 0;
    const movesGoods = p.goodsId !== null || p.stockDelta !== 0;
    const namesSubject = (subject === 'accounts' ? p.accountId === x.subjectId : p.accountId === null) && (subject === 'goods' ? p.goodsId === x.subjectId : p.goodsId === null);
    if (!namesSubject || (subject !== 'accounts' && movesAccount) || (subject !== 'goods' && movesGoods)) {
      return { key: 'refusedExceptionMismatch', params: { id: p.exceptionId } };
    }
    const bounds = compensationBounds(x.kind, p.resolution, x.amount);
    if (!bounds) return { key: 'refusedExceptionMismatch', params: { id: p.exceptionId } };
    const delta = subject === 'accounts' ? p.pointsDelta : p.stockDelta;
    if (delta < bounds.min || delta > bounds.max) return { key: 'refusedCompensation', params: { id: p.exceptionId, min: bounds.min, max: bounds.max } };
    return null;
  },
  apply: (_view, { payload: p }, ctx) => ({
    effects: [
      ...(p.accountId && p.pointsDelta !== 0 ? [{ type: 'ledger', accountId: p.accountId, delta: p.pointsDelta, memo: cutText(p.note, 60), category: 'correction' } as const] : []),
      ...(p.goodsId && p.stockDelta !== 0 ? [{ type: 'stock', goodsId: p.goodsId, delta: p.stockDelta } as const] : []),
      { type: 'record', table: 'exceptions', id: p.exceptionId, patch: { resolvedBy: ctx.eventId, resolution: p.resolution } },
    ],
  }),
});

/**
 * Decides how staff settle an exception, against the level the kiosk shows now (the account's
 * balance for an overdraft, the goods' stock for an oversold):
 * - `recover`: the shortfall stays and is made good later (the resident's next earnings, the
 *   next delivery); nothing moves now.
 * - `writeOff`: the centre books the shortfall as a loss: the level goes back to zero, by no more
 *   than the exception recorded.
 * - `adjust`: staff checked (counted the shelf, agreed with the resident) and enter the level it
 *   should be; the difference is booked, within what the exception allows.
 * - `acknowledge`: for a clock, staff or booking exception, staff saw it; nothing moves.
 * The answer is a compensating event; nothing is ever deleted.
 */
export function decideResolution(
  exception: Pick<RuleExceptionRow, 'id' | 'kind' | 'subjectId' | 'resolvedBy' | 'amount'>,
  level: number,
  resolution: Resolution,
  note: string,
  adjustTo?: number,
): Decision<ResolvedBody> {
  if (exception.resolvedBy !== null) return refuse('exceptionAlreadyResolved', {});
  const bounds = compensationBounds(exception.kind, resolution, exception.amount);
  if (!bounds || !resolutionsFor(exception.kind).includes(resolution)) return refuse('resolutionNotAllowed', { resolution });
  let delta = 0;
  if (resolution === 'writeOff') delta = Math.min(bounds.max, Math.max(0, -level));
  if (resolution === 'adjust') {
    if (adjustTo === undefined || !Number.isInteger(adjustTo) || Math.abs(adjustTo) > LIMITS.pointsPerEvent) return refuse('invalidAdjustment', { value: adjustTo ?? NaN });
    delta = adjustTo - level;
    if (delta < bounds.min || delta > bounds.max) return refuse('adjustmentOutOfBounds', { low: level + bounds.min, high: level + bounds.max });
  }
  const subject = EXCEPTION_KINDS[exception.kind].subject;
  const onAccount = subject === 'accounts';
  const onGoods = subject === 'goods';
  return accept({
    kind: 'exceptionResolved',
    version: 1,
    payload: {
      exceptionId: exception.id,
      resolution,
      accountId: onAccount ? exception.subjectId : null,
      pointsDelta: onAccount ? delta : 0,
      goodsId: onGoods ? exception.subjectId : null,
      stockDelta: onGoods ? delta : 0,
      note: cutText(note.trim(), 200),
    },
  });
}
