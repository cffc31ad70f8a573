import { z } from 'zod';
import { Id, LIMITS } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { RequiredText, Text } from '../text/text.js';
import { isRealDay } from '../residents/residentsImported.js';
import { addDays, ClockTime, Day, Fen, MealKind, SittingId, sittingIdFor, type MealKind as Meal } from './rows.js';

/** One meal on the menu as published (or added to it later: `menuChanged`). */
export const PublishedMeal = z.object({ id: Id, name: RequiredText(40), dishes: Text(200), setMeal: z.boolean(), priceFen: Fen, costFen: Fen });

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
      ...p.meals.map((m) => ({ type: 'record', table: 'meals', create: { ...m, sittingId: p.sittingId, offered: true } }) as const),
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
 * How far ahead a sitting may be published: this week, the next and the one after (a canteen
 * device publishes up to a week from any of the next two weeks' days). A day typed wrong, a year
 * too far, is refused rather than published where no list shows it.
 */
export const PUBLISH_DAYS_AHEAD = 21;

/**
 * Decides a sitting's publication: a real day from today to `PUBLISH_DAYS_AHEAD` days ahead,
 * times in order (bookings close no later than the sitting opens), whole fen, places within
 * bounds, at least one meal. `mealIds` are made by the kiosk, one per meal; `exists` says whether
 * the day's sitting is there already. A refusal names the field at fault (`invalidSitting`).
 */
export function decideSitting(form: SittingForm, mealIds: readonly string[], today: string, exists: boolean): Decision<SittingPublication> {
  if (!isRealDay(form.day)) return refuse('invalidSitting', { detail: 'day' });
  const sittingId = sittingIdFor(form.day, form.meal);
  if (exists) return refuse('sittingExists', { day: form.day });
  if (form.day < today) return refuse('invalidSitting', { detail: 'past' });
  if (form.day >= addDays(today, PUBLISH_DAYS_AHEAD)) return refuse('invalidSitting', { detail: 'ahead' });
  if (!(form.bookingCutoff <= form.opensAt && form.opensAt < form.closesAt)) return refuse('invalidSitting', { detail: 'times' });
  const parsed = SittingPublishedV1.shape.payload.safeParse({
    sittingId, day: form.day, meal: form.meal, opensAt: form.opensAt, closesAt: form.closesAt, bookingCutoff: form.bookingCutoff,
    deliveryFeeFen: form.deliveryFeeFen, capacity: form.capacity, meals: form.meals.map((m, i) => ({ ...m, id: mealIds[i] })),
  });
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path ?? [];
    // A meal's own fault names the meal, so staff see which line to mend.
    if (path[0] === 'meals' && typeof path[1] === 'number') return refuse('menuLineInvalid', { meal: form.meals[path[1]]?.name ?? '' });
    return refuse('invalidSitting', { detail: String(path[0] ?? '') });
  }
  return accept(parsed.data);
}

/**
 * Decides the same sitting on each of `days` days from the form's day (the week's menu in one
 * go). The first day says why it cannot be published (a sitting there already, a day gone by…);
 * a later day that has the sitting already is left as it is and answered in `skipped`.
 * `exists` says whether a day has the sitting; `mealIds` makes the ids of one publication's meals.
 */
export function decideSittings(form: SittingForm, days: number, today: string, exists: (day: string) => boolean, mealIds: () => readonly string[]): Decision<{ publications: SittingPublication[]; skipped: string[] }> {
  // Before any day is counted from it: 2026-11-31 would count as 2026-12-01.
  if (!isRealDay(form.day)) return refuse('invalidSitting', { detail: 'day' });
  const publications: SittingPublication[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < Math.max(1, days); i++) {
    const day = addDays(form.day, i);
    if (i > 0 && exists(day)) {
      skipped.push(day);
      continue;
    }
    const decided = decideSitting({ ...form, day }, mealIds(), today, exists(day));
    if (!decided.ok) return decided;
    publications.push(decided.value);
  }
  return accept({ publications, skipped });
}
