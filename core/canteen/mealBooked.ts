import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { blankOrder, takePlace } from './orders.js';
import { Day, SittingId, type MealOrder, type MealSitting, type MenuMeal } from './rows.js';

/**
 * A meal booked for a resident (订餐), today or later in the week: a place of the sitting held,
 * paid and numbered when it is collected (`mealSold` from the booking). Offline devices may book
 * the last place twice: both are applied and the fold flags the sitting `overbooked`.
 */
export const MealBookedV1 = z.object({
  kind: z.literal('mealBooked'),
  version: z.literal(1),
  payload: z.object({
    orderId: Id,
    sittingId: SittingId,
    day: Day,
    mealId: Id,
    residentId: Id,
    /** Booked past the sitting's places by staff's explicit decision. */
    override: z.boolean(),
  }),
});
export type MealBooking = z.infer<typeof MealBookedV1>['payload'];

export const mealBooked = defineKind({
  versions: [MealBookedV1],
  refs: ({ payload: p }) => [
    { table: 'mealOrders', id: p.orderId, is: 'new' },
    { table: 'sittings', id: p.sittingId, is: 'existing' },
    { table: 'resources', id: p.sittingId, is: 'existing' },
    { table: 'meals', id: p.mealId, is: 'existing' },
    { table: 'residents', id: p.residentId, is: 'existing' },
  ],
  roles: ['canteen'],
  // A resident books alone at the self-service touchscreen too (no staff, never an override).
  profiles: ['canteen', 'selfService'],
  selfService: true,
  check: ({ payload: p }, view) => mealFits(view.row('meals', p.mealId)!, view.row('sittings', p.sittingId)!, p.day),
  apply: (view, { payload: p }) => ({
    effects: [
      ...takePlace(view, p.sittingId, p.override),
      { type: 'record', table: 'mealOrders', create: { ...blankOrder(p), override: p.override } },
    ],
  }),
});

/** Why a meal and a day do not fit a sitting (another sitting's meal, another day), or null. */
export function mealFits(meal: Pick<MenuMeal, 'sittingId'>, sitting: Pick<MealSitting, 'id' | 'day'>, day: string) {
  if (meal.sittingId !== sitting.id) return { key: 'refusedCanteenMismatch', params: { detail: `meal of ${meal.sittingId}, not ${sitting.id}` } } as const;
  if (day !== sitting.day) return { key: 'refusedCanteenMismatch', params: { detail: `day ${day}, sitting of ${sitting.day}` } } as const;
  return null;
}

/** What the kiosk knows when it books: the sitting, its places left, the resident's orders in it, and the time. */
export type BookingContext = {
  sitting: MealSitting;
  meal: MenuMeal | undefined;
  places: { capacity: number; used: number };
  residentOrders: readonly Pick<MealOrder, 'state' | 'residentId'>[];
  /** Now, business time, as YYYY-MM-DD and HH:mm in Shanghai. */
  today: string;
  time: string;
  override: boolean;
};

/** Whether a sitting still takes bookings and cancellations at a business day and time. */
export function beforeCutoff(sitting: Pick<MealSitting, 'day' | 'bookingCutoff'>, today: string, time: string): boolean {
  return today < sitting.day || (today === sitting.day && time < sitting.bookingCutoff);
}

/**
 * Decides a booking: before the sitting's cut-off, a meal of its menu, one booking per resident
 * and sitting, and a place left unless staff override.
 */
export function decideBooking(c: BookingContext, ids: { orderId: string; residentId: string }): Decision<MealBooking> {
  if (!beforeCutoff(c.sitting, c.today, c.time)) return refuse('bookingClosed', { cutoff: `${c.sitting.day} ${c.sitting.bookingCutoff}` });
  if (!c.meal || c.meal.sittingId !== c.sitting.id) return refuse('mealNotOnMenu', { meal: c.meal?.name ?? '' });
  if (!c.meal.offered) return refuse('mealWithdrawn', { meal: c.meal.name });
  if (c.residentOrders.some((o) => o.residentId === ids.residentId && o.state === 'booked')) return refuse('alreadyBooked', {});
  if (c.places.used >= c.places.capacity && !c.override) return refuse('sittingFull', { capacity: c.places.capacity });
  return accept({ orderId: ids.orderId, sittingId: c.sitting.id, day: c.sitting.day, mealId: c.meal.id, residentId: ids.residentId, override: c.override });
}
