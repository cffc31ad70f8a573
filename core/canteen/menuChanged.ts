import { z } from 'zod';
import { accept, refuse, type Decision } from '../errors.js';
import { defineKind, type Ref } from '../events/kind.js';
import { PublishedMeal } from './sittingPublished.js';
import { SittingId, type MealSitting, type MenuMeal } from './rows.js';

/**
 * A published sitting's menu changed by staff (改菜单): dishes or set meals added, and meals on it
 * renamed or repriced. A meal sold before keeps the price its event carries; only later sales take
 * the new one. A meal is never taken off a menu: it is taken off sale (`mealOffered`), so every
 * sold meal still names a meal of its sitting.
 */
export const MenuChangedV1 = z.object({
  kind: z.literal('menuChanged'),
  version: z.literal(1),
  payload: z.object({
    sittingId: SittingId,
    added: z.array(PublishedMeal).max(30),
    changed: z.array(PublishedMeal).max(30),
  }).refine((p) => p.added.length + p.changed.length > 0, 'nothing changes')
    .refine((p) => new Set([...p.added, ...p.changed].map((m) => m.id)).size === p.added.length + p.changed.length, 'a meal twice'),
});
export type MenuChange = z.infer<typeof MenuChangedV1>['payload'];

export const menuChanged = defineKind({
  versions: [MenuChangedV1],
  refs: ({ payload: p }) => [
    { table: 'sittings', id: p.sittingId, is: 'existing' },
    ...p.added.map((m): Ref => ({ table: 'meals', id: m.id, is: 'new' })),
    ...p.changed.map((m): Ref => ({ table: 'meals', id: m.id, is: 'existing' })),
  ],
  roles: ['canteen'],
  profiles: ['canteen'],
  selfService: false,
  // A meal changed is one of this sitting's: a change cannot move a meal to another sitting.
  check: ({ payload: p }, view) => {
    const other = p.changed.find((m) => view.row('meals', m.id)!.sittingId !== p.sittingId);
    return other ? { key: 'refusedCanteenMismatch', params: { detail: `meal ${other.id} is not on ${p.sittingId}` } } : null;
  },
  apply: (_view, { payload: p }) => ({
    effects: [
      ...p.added.map((m) => ({ type: 'record', table: 'meals', create: { ...m, sittingId: p.sittingId, offered: true } }) as const),
      ...p.changed.map(({ id, ...m }) => ({ type: 'record', table: 'meals', id, patch: m }) as const),
    ],
  }),
});

/** One line of the menu form: a meal already on the menu (with its id) or a new one (id null). */
export type MenuLine = { id: string | null; name: string; dishes: string; setMeal: boolean; priceFen: number; costFen: number };

/**
 * Decides a change of a sitting's menu from the form's lines: new lines are added (ids from
 * `newIds`, in order), lines of meals on the menu that differ are changed, the rest left alone.
 * Refused: a sitting of a day gone by, a line that is not valid (no name, a price out of bounds),
 * two meals of one name (a line and a meal on the menu the form leaves out too), or nothing to change.
 */
export function decideMenuChange(sitting: MealSitting, current: readonly MenuMeal[], lines: readonly MenuLine[], newIds: readonly string[], today: string): Decision<MenuChange> {
  if (sitting.day < today) return refuse('invalidSitting', { detail: 'past' });
  // Names of the lines, and of the meals on the menu the form leaves out (they stay as they are).
  const kept = current.filter((m) => !lines.some((l) => l.id === m.id)).map((m) => m.name);
  const names = [...lines.map((l) => l.name.trim()), ...kept];
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) return refuse('menuMealTwice', { meal: twice });
  const added: unknown[] = [];
  const changed: unknown[] = [];
  let fresh = 0;
  for (const l of lines) {
    const meal = { name: l.name.trim(), dishes: l.dishes.trim(), setMeal: l.setMeal, priceFen: l.priceFen, costFen: l.costFen };
    if (l.id === null) {
      added.push({ id: newIds[fresh++], ...meal });
      continue;
    }
    const was = current.find((m) => m.id === l.id);
    if (!was) return refuse('mealNotOnMenu', { meal: l.name });
    if (was.name !== meal.name || was.dishes !== meal.dishes || was.setMeal !== meal.setMeal || was.priceFen !== meal.priceFen || was.costFen !== meal.costFen) changed.push({ id: l.id, ...meal });
  }
  if (added.length + changed.length === 0) return refuse('menuUnchanged', {});
  const parsed = MenuChangedV1.shape.payload.safeParse({ sittingId: sitting.id, added, changed });
  if (!parsed.success) {
    const [list, i] = parsed.error.issues[0]?.path ?? [];
    const bad = (list === 'added' ? added : changed)[typeof i === 'number' ? i : 0] as { name?: string } | undefined;
    return refuse('menuLineInvalid', { meal: bad?.name ?? '' });
  }
  return accept(parsed.data);
}
