import { z } from 'zod';
import { Id } from '../entities.js';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind } from '../events/kind.js';
import { SittingId, type MealSitting, type MenuMeal } from './rows.js';

/**
 * A meal of a published menu taken off sale (停售: the kitchen ran out, a dish fell through) or put
 * back on sale (恢复供应). It stays on the menu, so every meal sold or booked before still names a
 * meal of its sitting; from then on the till, the bookings and the touchscreen do not offer it.
 * Bookings made before stay as they are: the meal is collected at the till as another meal.
 */
export const MealOfferedV1 = z.object({
  kind: z.literal('mealOffered'),
  version: z.literal(1),
  payload: z.object({ sittingId: SittingId, mealId: Id, offered: z.boolean() }),
});
export type MealOffer = z.infer<typeof MealOfferedV1>['payload'];

export const mealOffered = defineKind({
  versions: [MealOfferedV1],
  refs: ({ payload: p }) => [{ table: 'sittings', id: p.sittingId, is: 'existing' }, { table: 'meals', id: p.mealId, is: 'existing' }],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  // The meal is one of this sitting's.
  check: ({ payload: p }, view) => (view.row('meals', p.mealId)!.sittingId === p.sittingId ? null : { key: 'refusedCanteenMismatch', params: { detail: `meal ${p.mealId} is not on ${p.sittingId}` } }),
  apply: (_view, { payload: p }) => ({ effects: [{ type: 'record', table: 'meals', id: p.mealId, patch: { offered: p.offered } }] }),
});

/** The meals of a menu that are on sale: what the till, the bookings and the touchscreen offer. */
export function mealsOnSale<M extends Pick<MenuMeal, 'offered'>>(meals: readonly M[]): M[] {
  return meals.filter((m) => m.offered);
}

/**
 * The meal a sitting gives when nobody picks one (a home delivery, the touchscreen's booking): its
 * set meal on sale, else its first meal on sale; undefined when nothing is on sale.
 */
export function usualMeal<M extends Pick<MenuMeal, 'offered' | 'setMeal'>>(meals: readonly M[]): M | undefined {
  const onSale = mealsOnSale(meals);
  return onSale.find((m) => m.setMeal) ?? onSale[0];
}

/**
 * Decides taking a meal off sale or putting it back: a meal of the sitting's menu, a sitting of
 * today or later, a change from how it is, and at least one meal left on sale in the sitting
 * (a sitting with nothing to sell is closed by setting its places, not by emptying its menu).
 */
export function decideMealOffered(sitting: MealSitting, meals: readonly MenuMeal[], mealId: string, offered: boolean, today: string): Decision<MealOffer> {
  if (sitting.day < today) return refuse('invalidSitting', { detail: 'past' });
  const meal = meals.find((m) => m.id === mealId && m.sittingId === sitting.id);
  if (!meal) return refuse('mealNotOnMenu', { meal: mealId });
  if (meal.offered === offered) return refuse('menuUnchanged', {});
  if (!offered && mealsOnSale(meals.filter((m) => m.sittingId === sitting.id)).length <= 1) return refuse('lastMealOnSale', { meal: meal.name });
  return accept({ sittingId: sitting.id, mealId, offered });
}
