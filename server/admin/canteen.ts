import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  addDays, ClockTime, Day, decideCapacity, decideMealOffered, decideMenuChange, decidePaymentCode, decideSittings, decideSubsidyRule, MealKind, PUBLISH_DAYS_AHEAD, ResidentFlag, sittingIdFor, SittingId,
  uuidv7, type EventBody, type MealSitting, type MenuMeal,
} from '../../core/index.js';
import type { Queryable } from '../db/db.js';
import { loadRows, selectList } from '../sync/rows.js';
import type { AdminSession } from './admin.js';
import { pushAdminEvents, refusalOf } from './changes.js';
import { allRows, shanghaiDay, text, type AdminRouteOptions } from './routes.js';

/**
 * The canteen as a centre's admin keeps it from the admin app: the sittings ahead with their
 * menus and places (publish a sitting for a day or a week of days, change a published menu, set a
 * sitting's places, a meal taken off sale or put back), the subsidy categories and the centre's payment code (收款码). Each change is decided by the same `core/`
 * functions the canteen device uses and pushed as an event of the centre's server device, so the
 * canteen's tills pull it like any other.
 */
export type CanteenRouteOptions = Pick<AdminRouteOptions, 'db' | 'admin' | 'now' | 'parse'>;

const newId = (now: Date) => uuidv7(now.getTime(), randomBytes(16));
const SittingParam = z.object({ id: SittingId });
/**
 * A whole number the admin typed (money in fen, places, ages); null when what was typed is not a
 * number (JSON has no NaN): it becomes −1, which `core/`'s decide refuses with the field named.
 */
const typed = z.number().int().nullable().transform((v) => v ?? -1);
/** A meal as the admin typed it (money already in fen; the form turns yuan into fen). */
const MealLine = z.object({ id: z.string().max(64).nullable(), name: text(100), dishes: text(400), setMeal: z.boolean(), priceFen: typed, costFen: typed }).strict();

/** A sitting with its places and meals, as the admin app lists it. */
export type AdminSitting = MealSitting & { capacity: number; used: number; meals: MenuMeal[] };

/** A centre's sittings of `days` days from `from`, each with its places and its meals. */
export async function sittingsAhead(db: Queryable, centreId: string, from: string, days = PUBLISH_DAYS_AHEAD): Promise<AdminSitting[]> {
  const sittings = await db.query<MealSitting>(`SELECT ${selectList('sittings')} FROM meal_sitting WHERE centre_id = $1 AND day >= $2 AND day < $3 ORDER BY day, opens_at`, [centreId, from, addDays(from, days)]);
  const ids = sittings.map((s) => s.id);
  const [places, meals] = await Promise.all([loadRows(db, centreId, 'resources', 'id', ids), loadRows(db, centreId, 'meals', 'sittingId', ids)]);
  return sittings.map((s) => {
    const r = places.find((p) => p.id === s.id);
    return { ...s, capacity: r?.capacity ?? 0, used: r?.used ?? 0, meals: meals.filter((m) => m.sittingId === s.id).sort((a, b) => a.changeSeq - b.changeSeq || a.id.localeCompare(b.id)) };
  });
}

export async function canteenRoutes(app: FastifyInstance, o: CanteenRouteOptions): Promise<void> {
  const { db, admin, now, parse } = o;
  const who = (a: AdminSession) => ({ centreId: a.centreId, staffId: a.staffId });
  const sittingOf = async (tx: Queryable, a: AdminSession, id: string): Promise<AdminSitting> => {
    const [s] = await loadRows(tx, a.centreId, 'sittings', 'id', [id]);
    if (!s) throw refusalOf({ key: 'sittingUnknown', params: { sitting: id } }, 404);
    return (await sittingsAhead(tx, a.centreId, s.day, 1)).find((x) => x.id === id)!;
  };

  app.get('/api/admin/canteen/sittings', async (req) => {
    const a = await admin(req);
    const { from } = parse(z.object({ from: Day.optional() }).strict(), req.query);
    const today = shanghaiDay(now());
    return { today, sittings: await sittingsAhead(db, a.centreId, from ?? today) };
  });

  // Publish a sitting with its menu, for one day or the same sitting on each of `days` days
  // (core's decideSittings: days that have it already are skipped and said so).
  app.post('/api/admin/canteen/sittings', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({
      day: Day, meal: MealKind, opensAt: ClockTime, closesAt: ClockTime, bookingCutoff: ClockTime, deliveryFeeFen: typed, capacity: typed,
      meals: z.array(MealLine).min(1).max(30), days: z.number().int().min(1).max(7).default(1),
    }).strict(), req.body);
    const at = now();
    let answer = { published: [] as string[], skipped: [] as string[] };
    await pushAdminEvents(db, who(a), async (tx) => {
      const days = Array.from({ length: b.days }, (_, i) => addDays(b.day, i));
      const had = new Set((await loadRows(tx, a.centreId, 'sittings', 'id', days.map((d) => sittingIdFor(d, b.meal)))).map((s) => s.day));
      const d = decideSittings(b, b.days, shanghaiDay(at), (day) => had.has(day), () => b.meals.map(() => newId(at)));
      if (!d.ok) throw refusalOf(d.error);
      answer = { published: d.value.publications.map((p) => p.day), skipped: d.value.skipped };
      return d.value.publications.map((payload): EventBody => ({ kind: 'sittingPublished', version: 1, payload }));
    }, at);
    return answer;
  });

  // A published menu changed: meals added, meals on it renamed or repriced.
  app.post('/api/admin/canteen/sittings/:id/menu', async (req) => {
    const a = await admin(req);
    const { id } = parse(SittingParam, req.params);
    const { meals } = parse(z.object({ meals: z.array(MealLine).min(1).max(60) }).strict(), req.body);
    const at = now();
    let answer = { sittingId: id, added: 0, changed: 0 };
    await pushAdminEvents(db, who(a), async (tx) => {
      const s = await sittingOf(tx, a, id);
      const d = decideMenuChange(s, s.meals, meals, meals.map(() => newId(at)), shanghaiDay(at));
      if (!d.ok) throw refusalOf(d.error);
      answer = { sittingId: id, added: d.value.added.length, changed: d.value.changed.length };
      return [{ kind: 'menuChanged', version: 1, payload: d.value }];
    }, at);
    return answer;
  });

  // A sitting's places: never fewer than are taken.
  app.post('/api/admin/canteen/sittings/:id/places', async (req) => {
    const a = await admin(req);
    const { id } = parse(SittingParam, req.params);
    const { capacity } = parse(z.object({ capacity: typed }).strict(), req.body);
    // Decided inside the change's transaction holding the centre's clock (after the server
    // device's row: the order every push takes), so no sale is applied between the places taken
    // read here and the change: it cannot leave fewer places than are taken.
    let set = 0;
    await pushAdminEvents(db, who(a), async (tx) => {
      await tx.query('SELECT seq FROM centre_clock WHERE centre_id = $1 FOR UPDATE', [a.centreId]);
      const d = decideCapacity(capacity, (await sittingOf(tx, a, id)).used);
      if (!d.ok) throw refusalOf(d.error);
      set = d.value;
      return [{ kind: 'sittingCapacitySet', version: 1, payload: { sittingId: id, capacity: d.value } }];
    }, now());
    return { sittingId: id, capacity: set };
  });

  // A meal of a published menu taken off sale (停售) or put back (恢复供应), as the canteen's
  // 菜单与名额 does it: never the sitting's last meal on sale. Decided holding the centre's clock,
  // so a till's change of the same menu cannot land between the read and the change.
  app.post('/api/admin/canteen/sittings/:id/meals/:mealId/offered', async (req) => {
    const a = await admin(req);
    const { id, mealId } = parse(z.object({ id: SittingId, mealId: z.string().min(1).max(64) }).strict(), req.params);
    const { offered } = parse(z.object({ offered: z.boolean() }).strict(), req.body);
    const at = now();
    await pushAdminEvents(db, who(a), async (tx) => {
      await tx.query('SELECT seq FROM centre_clock WHERE centre_id = $1 FOR UPDATE', [a.centreId]);
      const s = await sittingOf(tx, a, id);
      const d = decideMealOffered(s, s.meals, mealId, offered, shanghaiDay(at));
      if (!d.ok) throw refusalOf(d.error);
      return [{ kind: 'mealOffered', version: 1, payload: d.value }];
    }, at);
    return { sittingId: id, mealId, offered };
  });

  // Subsidy categories (补贴类别): a new one, or a change of one the centre has.
  app.get('/api/admin/canteen/subsidy-rules', async (req) => {
    const a = await admin(req);
    return allRows(db, a.centreId, 'subsidyRules');
  });
  app.post('/api/admin/canteen/subsidy-rules', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({
      isNew: z.boolean(), id: text(40), name: text(60), basis: z.enum(['age', 'status']), minAge: z.number().int().nullable(), maxAge: z.number().int().nullable(),
      flags: z.array(ResidentFlag).max(5), subsidyFen: typed, capPerDayFen: typed, minBillFen: z.number().int().nullable(), deliverySubsidyFen: typed, active: z.boolean(),
    }).strict(), req.body);
    const { isNew, ...form } = b;
    let id = '';
    await pushAdminEvents(db, who(a), async (tx) => {
      const existing = (await tx.query<{ id: string }>('SELECT id FROM subsidy_rule WHERE centre_id = $1', [a.centreId])).map((r) => r.id);
      const d = decideSubsidyRule(form, isNew, existing);
      if (!d.ok) throw refusalOf(d.error);
      id = d.value.rule.id;
      return [{ kind: 'subsidyRuleSet', version: 1, payload: d.value }];
    }, now());
    return { id };
  });
  // The centre's payment code (收款码): null until an admin sets one.
  app.get('/api/admin/canteen/payment-code', async (req) => {
    const a = await admin(req);
    const [row] = await allRows(db, a.centreId, 'paymentCodes');
    return { paymentCode: row ?? null };
  });
  app.post('/api/admin/canteen/payment-code', async (req) => {
    const a = await admin(req);
    const form = parse(z.object({ code: z.string().max(2_000).nullable(), payee: text(60) }).strict(), req.body);
    await pushAdminEvents(db, who(a), async (tx) => {
      const [row] = await tx.query<{ id: string }>('SELECT id FROM payment_code WHERE centre_id = $1', [a.centreId]);
      const d = decidePaymentCode(form, row !== undefined);
      if (!d.ok) throw refusalOf(d.error);
      return [{ kind: 'paymentCodeSet', version: 1, payload: d.value }];
    }, now());
    return { ok: true };
  });
}
