import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { beforeCutoff } from './mealBooked.js';
import { SittingId, type MealOrder, type MealSitting } from './rows.js';

/**
 * A booking cancelled before the cut-off (取消预订): its place given back. A booking collected or
 * cancelled already (by another device) is left as it is: the event changes nothing then.
 */
export const MealBookingCancelledV1 = z.object({
  kind: z.literal('mealBookingCancelled'),
  version: z.literal(1),
  payload: z.object({ orderId: Id, sittingId: SittingId }),
});

export const mealBookingCancelled = defineKind({
  versions: [MealBookingCancelledV1],
  refs: ({ payload: p }) => [{ table: 'mealOrders', id: p.orderId, is: 'existing' }, { table: 'resources', id: p.sittingId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  check: ({ payload: p }, view) => (view.row('mealOrders', p.orderId)!.sittingId === p.sittingId ? null : { key: 'refusedCanteenMismatch', params: { detail: 'booking of another sitting' } }),
  apply: (view, { payload: p }, ctx) => (view.row('mealOrders', p.orderId)?.state !== 'booked' ? { effects: [] } : {
    effects: [
      { type: 'record', table: 'mealOrders', id: p.orderId, patch: { state: 'cancelled', finishedAt: new Date(ctx.at).toISOString() } },
      { type: 'use', resourceId: p.sittingId, amount: -1 },
    ],
  }),
});

/** Decides a cancellation: a booking still open, before its sitting's cut-off. */
export function decideCancellation(order: MealOrder | undefined, sitting: MealSitting | undefined, today: string, time: string): Decision<{ orderId: string; sittingId: string }> {
  if (!order || !sitting || order.state !== 'booked') return refuse('orderUnknown', {});
  if (!beforeCutoff(sitting, today, time)) return refuse('cancelClosed', { cutoff: `${sitting.day} ${sitting.bookingCutoff}` });
  return accept({ orderId: order.id, sittingId: sitting.id });
}
