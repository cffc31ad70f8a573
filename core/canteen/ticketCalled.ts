import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { waitingTickets, type CallableTicket } from './calling.js';
import { readTicketNumber } from './numbering.js';

/**
 * A ticket number called (叫号): the next one waiting, a number staff type, or the same number
 * again (过号 called again). `calls` counts the calls of the ticket, so the calling screen
 * announces each call once, on every screen of the centre.
 */
export const TicketCalledV1 = z.object({
  kind: z.literal('ticketCalled'),
  version: z.literal(1),
  payload: z.object({ orderId: Id, calls: z.number().int().min(1).max(1_000) }),
});

export const ticketCalled = defineKind({
  versions: [TicketCalledV1],
  refs: ({ payload: p }) => [{ table: 'mealOrders', id: p.orderId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  check: ({ payload: p }, view) => (view.row('mealOrders', p.orderId)!.number !== null ? null : { key: 'refusedCanteenMismatch', params: { detail: 'a booking not collected has no number' } }),
  // A served ticket stays served: a late call from another till changes nothing.
  apply: (view, { payload: p }, ctx) => (view.row('mealOrders', p.orderId)?.state === 'served' ? { effects: [] } : {
    effects: [{ type: 'record', table: 'mealOrders', id: p.orderId, patch: { state: 'called', calledAt: new Date(ctx.at).toISOString(), calls: p.calls, finishedAt: null } }],
  }),
});

/** What staff ask the caller for: the next ticket, a given number, or the last one again. */
export type CallCommand = { kind: 'next' } | { kind: 'number'; number: string } | { kind: 'again'; orderId: string };

/** Decides a call among a sitting's tickets: which ticket, and its call count. */
export function decideCall<T extends CallableTicket>(tickets: readonly T[], command: CallCommand): Decision<{ orderId: string; calls: number; number: string }> {
  let ticket: T | undefined;
  if (command.kind === 'next') {
    ticket = waitingTickets(tickets)[0];
    if (!ticket) return refuse('noTicketToCall', {});
  } else if (command.kind === 'number') {
    const typed = command.number.trim().toUpperCase();
    const r = readTicketNumber(typed);
    // 7 and 07 are one number; B7 and B07 too.
    ticket = r ? tickets.find((t) => t.number !== null && readTicketNumber(t.number)?.series === r.series && readTicketNumber(t.number)?.count === r.count) : undefined;
    if (!ticket) return refuse('ticketNumberUnknown', { number: typed.slice(0, 8) });
  } else {
    ticket = tickets.find((t) => t.id === command.orderId);
    if (!ticket) return refuse('orderUnknown', {});
  }
  if (ticket.state === 'served') return refuse('ticketAlreadyServed', { number: ticket.number ?? '' });
  if (ticket.number === null) return refuse('orderUnknown', {});
  return accept({ orderId: ticket.id, calls: ticket.calls + 1, number: ticket.number });
}
