import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind, type Ref } from '../events/kind.js';
import { mealFits } from './mealBooked.js';
import { blankOrder, isoAt, payEffects, PriceFields, pricesAddUp } from './orders.js';
import { priceMeal, type PriceNote } from './pricing.js';
import { Day, mealAccountId, Payment, SittingId, yuanText, type MealOrder, type MealSitting, type MenuMeal, type StandingBooking, type SubsidyRule } from './rows.js';

/**
 * A meal delivered home and confirmed (送达确认), by a scan of the resident's card or a tick on the
 * day's list, with the time. Priced at the confirmation like a sale (list price plus the delivery
 * fee, less the subsidies). Its id is the standing booking's and the sitting's, so the same
 * delivery confirmed on two devices is recorded once (the second is refused as already there).
 */
export const MealDeliveredV1 = z.object({
  kind: z.literal('mealDelivered'),
  version: z.literal(1),
  payload: PriceFields.extend({
    orderId: Id,
    sittingId: SittingId,
    day: Day,
    mealId: Id,
    residentId: Id,
    volunteerId: Id.nullable(),
    payment: Payment.exclude(['none']),
    confirmedBy: z.enum(['scan', 'tick']),
  }).refine(pricesAddUp, 'paid is list price plus fee less the subsidies, a subsidy within what it pays for'),
});
export type MealDelivery = z.infer<typeof MealDeliveredV1>['payload'];

export const mealDelivered = defineKind({
  versions: [MealDeliveredV1],
  refs: ({ payload: p }) => [
    { table: 'mealOrders', id: p.orderId, is: 'new' },
    { table: 'sittings', id: p.sittingId, is: 'existing' },
    { table: 'meals', id: p.mealId, is: 'existing' },
    { table: 'residents', id: p.residentId, is: 'existing' },
    ...(p.volunteerId !== null ? [{ table: 'residents', id: p.volunteerId, is: 'existing' } as const] : []),
    ...(p.payment === 'balance' ? [{ table: 'accounts', id: mealAccountId(p.residentId), is: 'existing' } as const] : []),
  ] satisfies Ref[],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  check: ({ payload: p }, view) => mealFits(view.row('meals', p.mealId)!, view.row('sittings', p.sittingId)!, p.day),
  apply: (view, { payload: p }, ctx) => {
    const { orderId, volunteerId, confirmedBy, payment, sittingId, day, mealId, residentId, ...price } = p;
    return {
      effects: [
        {
          type: 'record', table: 'mealOrders', create: {
            ...blankOrder({ orderId, sittingId, day, mealId, residentId }), ...price, payment, state: 'delivered', delivery: true, volunteerId, confirmedBy,
            soldAt: isoAt(ctx.at), finishedAt: isoAt(ctx.at),
          },
        },
        ...payEffects(payment, residentId, p.paidFen, `送餐 ${view.row('meals', mealId)?.name ?? ''}`),
      ],
    };
  },
});

/** The id of the delivery of a standing booking in a sitting: the same on every device. */
export function deliveryOrderId(standingId: string, sittingId: string): string {
  return `dl-${sittingId}-${standingId}`.slice(0, 64);
}

/** What the kiosk knows when a delivery is confirmed. */
export type DeliveryContext = {
  standing: StandingBooking;
  sitting: MealSitting;
  /** The sitting's set meal, the one delivered. */
  meal: MenuMeal | undefined;
  held: readonly SubsidyRule[];
  residentOrders: readonly Pick<MealOrder, 'id' | 'sittingId' | 'subsidyFen' | 'state'>[];
  mealBalance: number | null;
  confirmedBy: 'scan' | 'tick';
};

/**
 * Decides a delivery's confirmation: not confirmed before, a meal on the sitting's menu, priced
 * with the delivery fee; paid from the meal balance when it covers the bill, else in cash to the
 * volunteer.
 */
export function decideDelivery(c: DeliveryContext): Decision<{ delivery: MealDelivery; note: PriceNote }> {
  const orderId = deliveryOrderId(c.standing.id, c.sitting.id);
  if (c.residentOrders.some((o) => o.id === orderId)) return refuse('alreadyDelivered', {});
  // The meal the sitting gives (`usualMeal`): none when every meal of it is off sale.
  if (!c.meal) return refuse('nothingOnSale', {});
  if (c.meal.sittingId !== c.sitting.id) return refuse('mealNotOnMenu', { meal: c.meal.name });
  if (!c.meal.offered) return refuse('mealWithdrawn', { meal: c.meal.name });
  const today = c.residentOrders.filter((o) => o.state !== 'booked' && o.state !== 'cancelled').map((o) => ({ sittingId: o.sittingId, subsidyFen: o.subsidyFen }));
  const priced = priceMeal({ listPriceFen: c.meal.priceFen, deliveryFeeFen: c.sitting.deliveryFeeFen, sittingId: c.sitting.id, person: { held: c.held, today }, chosen: null });
  if (!priced.ok) return priced;
  const { note, ...price } = priced.value;
  const payment = c.mealBalance !== null && c.mealBalance >= price.paidFen ? 'balance' : 'cash';
  return accept({
    note,
    delivery: {
      ...price, orderId, sittingId: c.sitting.id, day: c.sitting.day, mealId: c.meal.id, residentId: c.standing.residentId, volunteerId: c.standing.volunteerId,
      payment, confirmedBy: c.confirmedBy,
    },
  });
}

/** The bill of a delivery as the list shows it: ￥7.00. */
export const deliveryBill = (p: Pick<MealDelivery, 'paidFen'>) => `￥${yuanText(p.paidFen)}`;
