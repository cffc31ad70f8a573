import type { RuleExceptionRow } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import type { EventBody, Resolution } from '../events/events.js';

type ResolvedBody = Extract<EventBody, { kind: 'exceptionResolved' }>;

/** Which resolutions fit which exception. A clock or a revoked-staff exception has no amount to move. */
export function resolutionsFor(kind: RuleExceptionRow['kind']): readonly Resolution[] {
  return kind === 'clockSkew' || kind === 'staffRevoked' ? ['acknowledge'] : ['recover', 'writeOff', 'adjust'];
}

/**
 * Decides how staff settle an exception, against the level the kiosk shows now (the account's
 * balance for an overdraft, the goods' stock for an oversold):
 * - `recover`: the shortfall stays and is made good later (the resident's next earnings, the
 *   next delivery); nothing moves now.
 * - `writeOff`: the centre books the shortfall as a loss: the level goes back to zero.
 * - `adjust`: staff checked (counted the shelf, agreed with the resident) and enter the level it
 *   should be; the difference is booked.
 * - `acknowledge`: for a clock exception, staff saw it; nothing moves.
 * The answer is a compensating event; nothing is ever deleted.
 */
export function decideResolution(
  exception: Pick<RuleExceptionRow, 'id' | 'kind' | 'subjectId' | 'resolvedBy'>,
  level: number,
  resolution: Resolution,
  note: string,
  adjustTo?: number,
): Decision<ResolvedBody> {
  if (exception.resolvedBy !== null) return refuse('exceptionAlreadyResolved', {});
  if (!resolutionsFor(exception.kind).includes(resolution)) return refuse('resolutionNotAllowed', { resolution });
  let delta = 0;
  if (resolution === 'writeOff') delta = Math.max(0, -level);
  if (resolution === 'adjust') {
    if (adjustTo === undefined || !Number.isInteger(adjustTo) || adjustTo < 0 || adjustTo > 1_000_000) return refuse('invalidAdjustment', { value: adjustTo ?? NaN });
    delta = adjustTo - level;
  }
  const onAccount = exception.kind === 'overdraft';
  const onGoods = exception.kind === 'oversold';
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
      note: note.trim().slice(0, 200),
    },
  });
}
