import type { Lang } from '../i18n/messages.js';
import { readTicketNumber } from './numbering.js';
import type { MealOrder } from './rows.js';

/**
 * Calling numbers (叫号): the order in which tickets wait, what the calling screen shows, and what
 * it says. "10号，请取餐" is said twice; a missed number (过号) can be called again.
 */

/** A ticket as calling needs it. */
export type CallableTicket = Pick<MealOrder, 'id' | 'number' | 'state' | 'soldAt' | 'calledAt' | 'calls'>;

const byTime = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/** Tickets not yet called, in the order they were sold (business time; the id breaks a tie). */
export function waitingTickets<T extends CallableTicket>(tickets: readonly T[]): T[] {
  return tickets.filter((t) => t.state === 'waiting' && t.number !== null).sort((a, b) => byTime(a.soldAt, b.soldAt) || a.id.localeCompare(b.id));
}

/** Tickets called and not yet served nor marked no-show, the latest call first. */
export function calledTickets<T extends CallableTicket>(tickets: readonly T[]): T[] {
  return tickets.filter((t) => t.state === 'called').sort((a, b) => byTime(b.calledAt, a.calledAt) || b.id.localeCompare(a.id));
}

/**
 * What the calling screen shows: the number called last (large), the numbers called before it that
 * are still open, and the next ones waiting.
 */
export function callingBoard<T extends CallableTicket>(tickets: readonly T[], nextCount = 6): { now: T | null; recent: T[]; next: T[] } {
  const called = calledTickets(tickets);
  return { now: called[0] ?? null, recent: called.slice(1, 5), next: waitingTickets(tickets).slice(0, nextCount) };
}

/** A call heard once: the ticket, and which call of it (a call again is a new announcement). */
export function callId(t: Pick<CallableTicket, 'id' | 'calls'>): string {
  return `${t.id}#${t.calls}`;
}

/**
 * What the calling screen says for a number, once (it is said twice). A prefixed number is read
 * letter then count, so B07 sounds "B 7号" rather than "B零七".
 */
export function announcement(number: string, lang: Lang): string {
  const r = readTicketNumber(number);
  const spoken = r ? `${r.series ? `${r.series} ` : ''}${r.count}` : number;
  return lang === 'zh' ? `${spoken}号，请取餐` : `Number ${spoken}, please collect your meal`;
}
