import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import type { MealOrder } from './rows.js';

/**
 * A ticket finished: the meal served (已取餐), or a no-show (未取餐: called and not collected, or a
 * booking never collected). The place stays used: the meal was made.
 */
export const TicketFinishedV1 = z.object({
  kind: z.literal('ticketFinished'),
  version: z.literal(1),
  payload: z.object({ orderId: Id, outcome: z.enum(['served', 'noShow']) }),
});
export type TicketOutcome = z.infer<typeof TicketFinishedV1>['payload']['outcome'];

export const ticketFinished = defineKind({
  versions: [TicketFinishedV1],
  refs: ({ payload: p }) => [{ table: 'mealOrders', id: p.orderId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  apply: (view, { payload: p }, ctx) => {
    const state = view.row('mealOrders', p.orderId)?.state;
    // Served is final; a cancelled booking or a delivered meal is not the window's to finish.
    if (state === undefined || state === 'served' || state === 'cancelled' || state === 'delivered') return { effects: [] };
    return { effects: [{ type: 'record', table: 'mealOrders', id: p.orderId, patch: { state: p.outcome, finishedAt: new Date(ctx.at).toISOString() } }] };
  },
});

/** Decides finishing a ticket: served once a number was handed out; a no-show for one called or a booking. */
export function decideFinish(order: MealOrder | undefined, outcome: TicketOutcome): Decision<{ orderId: string; outcome: TicketOutcome }> {
  if (!order || order.state === 'cancelled' || order.state === 'delivered') return refuse('orderUnknown', {});
  if (order.state === 'served') return refuse('ticketAlreadyServed', { number: order.number ?? '' });
  if (outcome === 'served' && order.number === null) return refuse('orderUnknown', {});
  return accept({ orderId: order.id, outcome });
}
