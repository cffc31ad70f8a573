import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind, type Ref } from '../events/kind.js';
import { mealFits } from './mealBooked.js';
import { nextTicketNumber, ticketKey, tillSeries } from './numbering.js';
import { blankOrder, payEffects, PriceFields, pricesAddUp, soldFields, takePlace } from './orders.js';
import { priceMeal, type PriceNote } from './pricing.js';
import { Day, DeviceCode, mealAccountId, Payment, SittingId, yuanText, type MealOrder, type MealSitting, type MenuMeal, type SubsidyRule } from './rows.js';

/**
 * A meal sold at the till (售餐) with a numbered ticket: to a resident by card (the category and
 * subsidy follow) or to a walk-in at list price; paid by cash, the centre's payment QR code or the
 * prepaid meal balance. It carries the price and subsidy decided and the ticket number issued, so
 * neither is ever derived again. Collecting a booked meal is a sale `fromBooking`: the booking's
 * place was taken when it was booked.
 */
export const MealSoldV1 = z.object({
  kind: z.literal('mealSold'),
  version: z.literal(1),
  payload: PriceFields.extend({
    orderId: Id,
    fromBooking: z.boolean(),
    sittingId: SittingId,
    day: Day,
    mealId: Id,
    residentId: Id.nullable(),
    payment: Payment.exclude(['none']),
    number: z.string().regex(/^[A-Z]{0,2}\d{1,4}$/),
    deviceCode: DeviceCode,
    /** Sold past the sitting's places by staff's explicit decision. */
    override: z.boolean(),
  }).refine(pricesAddUp, 'paid is list price plus fee less the subsidies, a subsidy within what it pays for')
    .refine((p) => p.residentId !== null || (p.payment !== 'balance' && !p.fromBooking && p.category === null), 'a walk-in pays cash or by QR at list price'),
});
export type MealSale = z.infer<typeof MealSoldV1>['payload'];

export const mealSold = defineKind({
  versions: [MealSoldV1],
  refs: ({ payload: p }) => [
    { table: 'mealOrders', id: p.orderId, is: p.fromBooking ? 'existing' : 'new' },
    // No number twice in a sitting: the server refuses a ticket whose number is taken.
    { table: 'mealOrders', field: 'ticketKey', value: ticketKey(p.sittingId, p.number), is: 'new' },
    { table: 'sittings', id: p.sittingId, is: 'existing' },
    { table: 'resources', id: p.sittingId, is: 'existing' },
    { table: 'meals', id: p.mealId, is: 'existing' },
    ...(p.residentId !== null ? [{ table: 'residents', id: p.residentId, is: 'existing' } as const] : []),
    ...(p.payment === 'balance' && p.residentId !== null ? [{ table: 'accounts', id: mealAccountId(p.residentId), is: 'existing' } as const] : []),
  ] satisfies Ref[],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  check: ({ payload: p }, view) => {
    const booking = p.fromBooking ? view.row('mealOrders', p.orderId)! : null;
    if (booking && (booking.residentId !== p.residentId || booking.sittingId !== p.sittingId)) return { key: 'refusedCanteenMismatch', params: { detail: 'not this booking' } };
    return mealFits(view.row('meals', p.mealId)!, view.row('sittings', p.sittingId)!, p.day);
  },
  apply: (view, { payload: p }, ctx) => {
    const sold = soldFields({ ...p, ticketKey: ticketKey(p.sittingId, p.number) }, ctx.at);
    const booking = p.fromBooking ? view.row('mealOrders', p.orderId) : undefined;
    const memo = view.row('meals', p.mealId)?.name ?? '';
    return {
      effects: [
        // A booking cancelled meanwhile on another device gave its place back: take one again.
        ...(!p.fromBooking || booking?.state === 'cancelled' ? takePlace(view, p.sittingId, p.override) : []),
        p.fromBooking
          ? { type: 'record', table: 'mealOrders', id: p.orderId, patch: sold }
          : { type: 'record', table: 'mealOrders', create: { ...blankOrder(p), ...sold } },
        ...payEffects(p.payment, p.residentId, p.paidFen, memo),
      ],
    };
  },
});

/** What the till knows when it sells: the sitting as it shows it and as the server last said, the person, the day so far. */
export type SaleContext = {
  sitting: MealSitting;
  /** The sitting's main till as the replica holds it (the server's word, not a pending claim). */
  syncedMainTill: string | null;
  deviceCode: string;
  meal: MenuMeal | undefined;
  places: { capacity: number; used: number };
  /** Business day now (YYYY-MM-DD). */
  today: string;
  /** Null for a walk-in. */
  resident: { id: string } | null;
  /** The categories the resident holds today (see `heldCategories`). */
  held: readonly SubsidyRule[];
  /** The resident's orders of the day, every sitting (as the till's view shows them). */
  residentOrders: readonly Pick<MealOrder, 'id' | 'sittingId' | 'subsidyFen' | 'state'>[];
  /** Every number handed out in the sitting so far, as the till's view shows them. */
  numbers: readonly string[];
  /** The resident's prepaid meal balance in fen, or null when they have none. */
  mealBalance: number | null;
  chosenCategory: string | null;
  payment: Exclude<Payment, 'none'>;
  override: boolean;
};

/** A sale decided, and what the screen says of its price. */
export type DecidedSale = { sale: MealSale; note: PriceNote };

/**
 * Decides a sale at the till: today's sitting, a meal of its menu, a place left (or the resident's
 * own booking, or staff's override), the price by `priceMeal` (a second subsidised meal in the
 * sitting refused when staff name a category for it, else sold at list price), enough meal
 * balance when paid from it, and the next number of this till's series.
 */
export function decideSale(c: SaleContext, orderId: string): Decision<DecidedSale> {
  if (c.sitting.day !== c.today) return refuse('sittingNotToday', { day: c.sitting.day });
  if (!c.meal || c.meal.sittingId !== c.sitting.id) return refuse('mealNotOnMenu', { meal: c.meal?.name ?? '' });
  if (!c.meal.offered) return refuse('mealWithdrawn', { meal: c.meal.name });
  if (!c.resident && c.payment === 'balance') return refuse('walkInNoBalance', {});
  const booking = c.resident ? c.residentOrders.find((o) => o.sittingId === c.sitting.id && o.state === 'booked') : undefined;
  if (!booking && c.places.used >= c.places.capacity && !c.override) return refuse('sittingFull', { capacity: c.places.capacity });
  const today = c.residentOrders.filter((o) => o.state !== 'booked' && o.state !== 'cancelled').map((o) => ({ sittingId: o.sittingId, subsidyFen: o.subsidyFen }));
  const priced = priceMeal({ listPriceFen: c.meal.priceFen, deliveryFeeFen: 0, sittingId: c.sitting.id, person: c.resident ? { held: c.held, today } : null, chosen: c.chosenCategory });
  if (!priced.ok) return priced;
  if (c.chosenCategory !== null && priced.value.note === 'secondInSitting') return refuse('secondSubsidisedMeal', {});
  if (c.payment === 'balance') {
    if (c.mealBalance === null) return refuse('noMealAccount', {});
    if (c.mealBalance < priced.value.paidFen) return refuse('insufficientMealBalance', { needed: yuanText(priced.value.paidFen), balance: yuanText(Math.max(0, c.mealBalance)) });
  }
  const series = tillSeries(c.deviceCode, c.syncedMainTill);
  const number = series === null ? null : nextTicketNumber(series, c.numbers);
  if (number === null) return refuse('tillCannotNumber', { device: c.deviceCode });
  if (c.numbers.includes(number)) return refuse('duplicateTicketNumber', { number });
  const { note, ...price } = priced.value;
  return accept({
    note,
    sale: {
      ...price, orderId: booking?.id ?? orderId, fromBooking: booking !== undefined, sittingId: c.sitting.id, day: c.sitting.day, mealId: c.meal.id,
      residentId: c.resident?.id ?? null, payment: c.payment, number, deviceCode: c.deviceCode, override: c.override && !booking,
    },
  });
}
