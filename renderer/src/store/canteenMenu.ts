import {
  addDays, decideMealOffered, decideMenuChange, decideSittings, decideSubsidyRule, sittingIdFor, uuidv7,
  type Decision, type LinliEvent, type MenuLine, type SittingForm, type SubsidyRuleForm,
} from '../../../core/index.js';
import { enrolledDevice, kioskTables, writeEvent, type Clock } from './actions.js';
import type { LinliDb } from './db.js';
import { businessNow, shownRows, sittingsOn } from './view.js';

/**
 * The canteen's menus, places and subsidy categories as staff keep them on a canteen device:
 * the week's sittings published with several meals, a published menu changed, a subsidy category
 * set by an admin. Each decides with `core/` and writes its event in one transaction.
 */

/**
 * Publishes one sitting, or the same sitting on each of `days` days from the form's day (the
 * week's menu in one go). Days that have the sitting already are left as they are and answered
 * in `skipped`; nothing is written when no day is left, or when the form is refused.
 */
export async function publishSittings(db: LinliDb, clock: Clock, form: SittingForm, days: number, staffId: string): Promise<Decision<{ published: string[]; skipped: string[] }>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const had = new Set<string>();
    for (let i = 0; i < Math.max(1, days); i++) {
      const day = addDays(form.day, i);
      if ((await sittingsOn(db, day)).some((s) => s.sitting.id === sittingIdFor(day, form.meal))) had.add(day);
    }
    const decided = decideSittings(form, days, now.day, (day) => had.has(day), () => form.meals.map(() => uuidv7(clock.now(), clock.random(16))));
    if (!decided.ok) return decided;
    for (const payload of decided.value.publications) {
      const written = await writeEvent(db, device, clock, { kind: 'sittingPublished', version: 1, payload }, staffId);
      if (!written.ok) return written;
    }
    return { ok: true, value: { published: decided.value.publications.map((p) => p.day), skipped: decided.value.skipped } } as const;
  });
}

/** Changes a published sitting's menu: meals added, meals on it renamed or repriced. */
export async function changeMenu(db: LinliDb, clock: Clock, sittingId: string, day: string, lines: readonly MenuLine[], staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const shown = (await sittingsOn(db, day)).find((s) => s.sitting.id === sittingId);
    if (!shown) return { ok: false, error: { key: 'sittingUnknown', params: { sitting: sittingId } } } as const;
    const decided = decideMenuChange(shown.sitting, shown.meals, lines, lines.map(() => uuidv7(clock.now(), clock.random(16))), now.day);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'menuChanged', version: 1, payload: decided.value }, staffId);
  });
}

/** Takes a meal of a published menu off sale (停售), or puts it back on sale (恢复供应). */
export async function setMealOffered(db: LinliDb, clock: Clock, sittingId: string, day: string, mealId: string, offered: boolean, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const shown = (await sittingsOn(db, day)).find((s) => s.sitting.id === sittingId);
    if (!shown) return { ok: false, error: { key: 'sittingUnknown', params: { sitting: sittingId } } } as const;
    const decided = decideMealOffered(shown.sitting, shown.meals, mealId, offered, now.day);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'mealOffered', version: 1, payload: decided.value }, staffId);
  });
}

/** Sets a subsidy category (an admin, on a canteen device): a new one, or a change of one the centre has. */
export async function setSubsidyRule(db: LinliDb, clock: Clock, form: SubsidyRuleForm, isNew: boolean, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const rules = await shownRows(db, 'subsidyRules', await db.subsidyRules.toArray(), () => true);
    const decided = decideSubsidyRule(form, isNew, rules.map((r) => r.id));
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'subsidyRuleSet', version: 1, payload: decided.value }, staffId);
  });
}
