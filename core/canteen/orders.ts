import { z } from 'zod';
import { Id } from '../entities.js';
import type { Effect, RecordFields, StateView } from '../effects/effects.js';
import { mealAccountId, yuanText, Fen, type MealOrder, type Payment } from './rows.js';

/**
 * What the canteen's kinds share: a new order's blank fields, taking a sitting's place (with a
 * staff override), and paying from the prepaid meal balance.
 */

/** The figures a till decided for one meal, as every selling kind carries them. */
export const PriceFields = z.object({
  category: z.string().regex(/^[a-z0-9_-]{1,20}$/).nullable(),
  listPriceFen: Fen,
  deliveryFeeFen: Fen,
  subsidyFen: Fen,
  deliverySubsidyFen: Fen,
  paidFen: Fen,
});
export type PriceFields = z.infer<typeof PriceFields>;

/** Paid is what is left of the list price and fee once the subsidies are taken off; a subsidy never passes what it pays for. */
export function pricesAddUp(p: PriceFields): boolean {
  return p.subsidyFen <= p.listPriceFen && p.deliverySubsidyFen <= p.deliveryFeeFen
    && p.paidFen === p.listPriceFen + p.deliveryFeeFen - p.subsidyFen - p.deliverySubsidyFen
    && (p.category !== null || p.subsidyFen + p.deliverySubsidyFen === 0);
}

/** An order's fields before anything is decided: a caller spreads its own over them. */
export function blankOrder(o: { orderId: string; sittingId: string; day: string; mealId: string; residentId: string | null }): RecordFields<'mealOrders'> {
  return {
    id: o.orderId, sittingId: o.sittingId, day: o.day, mealId: o.mealId, residentId: o.residentId, category: null, listPriceFen: 0, deliveryFeeFen: 0, subsidyFen: 0, deliverySubsidyFen: 0, paidFen: 0, payment: 'none', state: 'booked',
    number: null, ticketKey: null, deviceCode: null, soldAt: null, calledAt: null, calls: 0, finishedAt: null, delivery: false, volunteerId: null,
    confirmedBy: null, override: false,
  };
}

/**
 * Takes one place of a sitting. With a staff override the sitting's places are raised first to
 * hold it (the decision is the staff's, not an exception); without, a place taken past capacity
 * is `overbooked` by the fold (two offline devices filled the sitting), applied, never dropped.
 */
export function takePlace(view: StateView, sittingId: string, override: boolean): Effect[] {
  const r = view.row('resources', sittingId);
  const raise: Effect[] = override && r && r.used + 1 > r.capacity ? [{ type: 'record', table: 'resources', id: sittingId, patch: { capacity: r.used + 1 } }] : [];
  return [...raise, { type: 'use', resourceId: sittingId, amount: 1 }];
}

/** What paying `paidFen` by `payment` does: only the prepaid balance moves a ledger (the meal account, in fen). */
export function payEffects(payment: Payment, residentId: string | null, paidFen: number, memo: string): Effect[] {
  if (payment !== 'balance' || residentId === null || paidFen === 0) return [];
  return [{ type: 'ledger', accountId: mealAccountId(residentId), delta: -paidFen, memo: `${memo} ￥${yuanText(paidFen)}`.slice(0, 60), category: 'meal' }];
}

/** The business time of an event as an order stores it. */
export const isoAt = (at: number) => new Date(at).toISOString();

/** The order fields a sale writes. */
export function soldFields(p: PriceFields & { payment: Payment; number: string; ticketKey: string; deviceCode: string; override: boolean }, at: number): Partial<MealOrder> {
  return {
    category: p.category, listPriceFen: p.listPriceFen, deliveryFeeFen: p.deliveryFeeFen, subsidyFen: p.subsidyFen, deliverySubsidyFen: p.deliverySubsidyFen,
    paidFen: p.paidFen, payment: p.payment, state: 'waiting', number: p.number, ticketKey: p.ticketKey, deviceCode: p.deviceCode, soldAt: isoAt(at), override: p.override,
  };
}

/** An order's id as kinds name it. */
export const OrderId = Id;

/** The figures of a priced meal that an event carries (without the screen's note). */
export function priceFieldsOf(p: PriceFields): PriceFields {
  return { category: p.category, listPriceFen: p.listPriceFen, deliveryFeeFen: p.deliveryFeeFen, subsidyFen: p.subsidyFen, deliverySubsidyFen: p.deliverySubsidyFen, paidFen: p.paidFen };
}
