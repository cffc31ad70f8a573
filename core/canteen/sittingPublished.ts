import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText, Text } from '../text/text.js';
import { ClockTime, Day, Fen, MealKind, SittingId, sittingIdFor, type MealKind as Meal } from './rows.js';

/** One meal on the menu as published. */
const PublishedMeal = z.object({ id: Id, name: RequiredText(40), dishes: Text(200), setMeal: z.boolean(), priceFen: Fen, costFen: Fen });

/**
 * A sitting published with its menu (发布菜单), ahead of the day: its times, when bookings close,
 * its places (30 by default) and the meals on it with their list prices and costs, in fen. The
 * places are the `resources` row of the sitting's id.
 */
export const SittingPublishedV1 = z.object({
  kind: z.literal('sittingPublished'),
  version: z.literal(1),
  payload: z.object({
    sittingId: SittingId,
    day: Day,
    meal: MealKind,
    opensAt: ClockTime,
    closesAt: ClockTime,
    bookingCutoff: ClockTime,
    deliveryFeeFen: Fen,
    capacity: z.number().int().min(0).max(LIMITS.places),
    meals: z.array(PublishedMeal).min(1).max(30),
  }),
});
export type SittingPublication = z.infer<typeof SittingPublishedV1>['payload'];

export const sittingPublished = defineKind({
  versions: [SittingPublishedV1],
  refs: ({ payload: p }) => [
    { table: 'sittings', id: p.sittingId, is: 'new' },
    { table: 'resources', id: p.sittingId, is: 'new' },
    ...p.meals.map((m) => ({ table: 'meals', id: m.id, is: 'new' }) as const),
  ],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  check: ({ payload: p }) => (new Set(p.meals.map((m) => m.id)).size === p.meals.length ? null : { key: 'refusedCanteenMismatch', params: { detail: 'meal ids repeat' } }),
  apply: (_view, { payload: p }) => ({
    effects: [
      {
        type: 'record', table: 'sittings', create: {
          id: p.sittingId, day: p.day, meal: p.meal, opensAt: p.opensAt, closesAt: p.closesAt, bookingCutoff: p.bookingCutoff, deliveryFeeFen: p.deliveryFeeFen, mainTill: null,
        },
      },
      { type: 'record', table: 'resources', create: { id: p.sittingId, capacity: p.capacity, used: 0 } },
      ...p.meals.map((m) => ({ type: 'record', table: 'meals', create: { ...m, sittingId: p.sittingId } }) as const),
    ],
  }),
});

/** The places a sitting has unless staff say otherwise: about 30 portions a day (the articles). */
export const DEFAULT_PLACES = 30;

/** What staff typed to publish one sitting. */
export type SittingForm = {
  day: string; meal: Meal; opensAt: string; closesAt: string; bookingCutoff: string; deliveryFeeFen: number; capacity: number;
  meals: readonly { name: string; dishes: string; setMeal: boolean; priceFen: number; costFen: number }[];
};

/**
 * Decides a sitting's publication: a real day not before today, times in order (bookings close
 * no later than the sitting opens), whole fen, places within bounds, at least one meal. `mealIds`
 * are made by the kiosk, one per meal; `exists` says whether the day's sitting is there already.
 */
export function decideSitting(form: SittingForm, mealIds: readonly string[], today: string, exists: boolean): Decision<SittingPublication> {
  const sittingId = sittingIdFor(form.day, form.meal);
  if (exists) return refuse('sittingExists', { day: form.day });
  if (form.day < today) return refuse('invalidSitting', { detail: `${form.day} < ${today}` });
  if (!(form.bookingCutoff <= form.opensAt && form.opensAt < form.closesAt)) return refuse('invalidSitting', { detail: `${form.bookingCutoff} ≤ ${form.opensAt} < ${form.closesAt}` });
  const parsed = SittingPublishedV1.shape.payload.safeParse({
    sittingId, day: form.day, meal: form.meal, opensAt: form.opensAt, closesAt: form.closesAt, bookingCutoff: form.bookingCutoff,
    deliveryFeeFen: form.deliveryFeeFen, capacity: form.capacity, meals: form.meals.map((m, i) => ({ ...m, id: mealIds[i] })),
  });
  if (!parsed.success) return refuse('invalidSitting', { detail: parsed.error.issues[0]?.path.join('.') ?? '' });
  return accept(parsed.data);
}
