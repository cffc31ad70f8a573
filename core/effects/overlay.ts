import type { EventBody } from '../events/registry.js';
import { applyEvent } from '../events/registry.js';
import { businessInstant } from '../time/businessTime.js';
import type { TableName } from '../sync/tables.js';
import { foldEffects, missingLevelRows, PENDING_SEQ, RowState, type StateView } from './effects.js';

/** An event as the overlay needs it: its id, time and body. */
export type OverlaidEvent = EventBody & { id: string; at: string; clockOffset: number; staffId: string | null };

/**
 * Lays events over a base view, in order, through each kind's `apply` and the one fold: how the
 * kiosk shows its replica with the pending events of its outbox, and how the property tests run
 * whole histories. Rows the events wrote carry `PENDING_SEQ` unless `changeSeq` says otherwise.
 * `onMissing` hears of rows an event's effects move that `base` lacks (see `missingLevelRows`):
 * the caller loads them and lays the events over again.
 */
export function overlay(
  base: StateView, centreId: string, events: Iterable<OverlaidEvent>, changeSeq: (i: number) => number = () => PENDING_SEQ,
  onMissing: (rows: { table: TableName; id: string }[]) => void = () => undefined,
): RowState {
  return overlayOnto(new RowState(base, centreId), events, changeSeq, onMissing);
}

/**
 * Lays `events` over `state`, which goes on from where it stood (`overlay` starts a new one): a
 * kiosk carries its last view forward with the events written since (renderer/src/store/view.ts).
 */
export function overlayOnto(
  state: RowState, events: Iterable<OverlaidEvent>, changeSeq: (i: number) => number = () => PENDING_SEQ,
  onMissing: (rows: { table: TableName; id: string }[]) => void = () => undefined,
): RowState {
  let i = 0;
  for (const e of events) {
    const at = businessInstant(e.at, e.clockOffset);
    const applied = applyEvent(state, e, { eventId: e.id, at, staffId: e.staffId });
    const missing = missingLevelRows(state, applied.effects);
    if (missing.length > 0) onMissing(missing);
    foldEffects(state, { eventId: e.id, kind: e.kind, at: new Date(at).toISOString(), changeSeq: changeSeq(i++) }, applied.effects, applied.exceptions);
  }
  return state;
}
