import { createHash } from 'node:crypto';
import {
  addDays, ageOn, deliveryOrderId, formatShanghai, priceFieldsOf, heldCategories, makeStaffCardCode, mealAccountId, priceMeal, sittingIdFor, uuidv7, weekdayOf,
  type Eligibility, type EventBody, type LinliEvent, type MealKind, type Resident, type SubsidyRule,
} from '../../core/index.js';
import type { Db } from '../db/db.js';
import { pushAdminEvents } from '../admin/changes.js';
import { insertRows } from '../db/insert.js';
import { hashPin } from '../staff/pin.js';
import { push, type AuthedDevice } from '../sync/push.js';
import { takeChangeSeqs } from './centre.js';
import { generateDemoCentre, type DemoOptions } from './generate.js';

/**
 * The demo canteen (爱心食堂) of a demo centre, as the articles describe one: a 5-yuan set lunch
 * (一荤两素, staples without limit, soup; about 9 yuan of cost) opening at 11:30 with 30 places,
 * breakfast and dinner; the subsidy categories of an elderly-meal programme (60–69, 70–79, 80+,
 * 低保/特困, 失能) with caps per person per day; status approvals for residents flagged so; meal
 * balances for some; standing delivery bookings for residents flagged for delivery, each building
 * with a volunteer; two weeks of history (sales, no-shows, deliveries) and bookings for the coming
 * days; sittings published a week ahead. Written as events of the centre's import device, through
 * the same push as any device's, so every row is one the kinds make. Deterministic for a centre
 * and a day.
 */

/** The demo canteen staff member's PIN (printed in the README). */
export const DEMO_CANTEEN_PIN = '357913';
/** The demo canteen staff member's card: the centre's fourth staff card, LS00042. */
export const DEMO_CANTEEN_CARD = makeStaffCardCode(4);

/** Whether a demo centre's seeding includes the canteen (`npm start` does; the other tests' small centres do not). */
export type CanteenDemo = { canteen?: boolean };

/**
 * The demo centre's payment code: shaped like a WeChat Pay collection code, so the till shows a QR
 * code as it would for a real one, but no payment app knows it (nothing can be paid to it).
 */
export const DEMO_PAYMENT_CODE = { code: 'wxp://f2f0LINLI-DEMO-NOT-A-REAL-PAYEE', payee: '五洲观澜社区爱心食堂（演示）' } as const;

/** The categories, as a city's elderly-meal notice might set them (every centre sets its own). */
export const DEMO_RULES: readonly Omit<SubsidyRule, 'centreId' | 'changeSeq'>[] = [
  { id: 'age60', name: '60-69岁', basis: 'age', minAge: 60, maxAge: 69, flags: [], subsidyFen: 100, capPerDayFen: 200, minBillFen: null, deliverySubsidyFen: 0, active: true },
  { id: 'age70', name: '70-79岁', basis: 'age', minAge: 70, maxAge: 79, flags: [], subsidyFen: 200, capPerDayFen: 400, minBillFen: null, deliverySubsidyFen: 100, active: true },
  { id: 'age80', name: '80岁以上', basis: 'age', minAge: 80, maxAge: null, flags: [], subsidyFen: 300, capPerDayFen: 500, minBillFen: null, deliverySubsidyFen: 200, active: true },
  { id: 'hardship', name: '低保/特困', basis: 'status', minAge: null, maxAge: null, flags: ['lowIncome', 'extremeHardship'], subsidyFen: 400, capPerDayFen: 800, minBillFen: 500, deliverySubsidyFen: 300, active: true },
  { id: 'disabled', name: '失能', basis: 'status', minAge: null, maxAge: null, flags: ['disabled'], subsidyFen: 350, capPerDayFen: 700, minBillFen: null, deliverySubsidyFen: 300, active: true },
];

/** A week of set lunches (一荤两素), Monday first. */
const LUNCHES = ['红烧肉、炒青菜、凉拌黄瓜', '宫保鸡丁、番茄炒蛋、拍黄瓜', '土豆烧牛肉、炒豆芽、凉拌海带', '糖醋里脊、炒白菜、凉拌木耳', '红烧鱼块、蒜蓉菠菜、凉拌豆腐丝', '回锅肉、清炒油麦菜、皮蛋豆腐', '香菇炖鸡、炒西兰花、凉拌土豆丝'];
const SITTINGS: Record<MealKind, { opensAt: string; closesAt: string; cutoff: string; places: number; meals: (weekday: number) => { name: string; dishes: string; setMeal: boolean; priceFen: number; costFen: number }[] }> = {
  breakfast: {
    opensAt: '07:00', closesAt: '08:30', cutoff: '06:30', places: 30,
    meals: () => [{ name: '早餐套餐', dishes: '小米粥、肉包、鸡蛋、咸菜', setMeal: true, priceFen: 200, costFen: 350 }, { name: '豆浆油条', dishes: '豆浆一杯、油条一根', setMeal: false, priceFen: 250, costFen: 200 }],
  },
  lunch: {
    opensAt: '11:30', closesAt: '13:00', cutoff: '10:00', places: 30,
    meals: (w) => [
      { name: '爱心套餐', dishes: `${LUNCHES[w - 1]}；主食不限；例汤`, setMeal: true, priceFen: 500, costFen: 900 },
      { name: '素食套餐', dishes: '三素一汤；主食不限', setMeal: true, priceFen: 400, costFen: 600 },
      { name: '清蒸鱼块', dishes: '当日鱼一份', setMeal: false, priceFen: 600, costFen: 650 },
      { name: '加一份荤菜', dishes: '当日荤菜一份', setMeal: false, priceFen: 400, costFen: 450 },
    ],
  },
  dinner: { opensAt: '17:30', closesAt: '18:45', cutoff: '16:00', places: 20, meals: () => [{ name: '晚餐套餐', dishes: '两素一汤、米饭或面条', setMeal: true, priceFen: 400, costFen: 650 }] },
};
const MEALS: readonly MealKind[] = ['breakfast', 'lunch', 'dinner'];
/** Days of history before today, and days published ahead. */
const HISTORY_DAYS = 14;
const AHEAD_DAYS = 7;
/** The till the history was sold at: a canteen device of the past, not enrolled now. */
const HISTORY_TILL = 'C99';

/** mulberry32, seeded by the centre and the day, so the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The instant of a Shanghai day and time (UTC+8 all year). */
const instantOf = (day: string, time: string) => Date.parse(`${day}T${time}:00+08:00`);

/**
 * Seeds the canteen of a demo centre whose residents and staff are there: its staff member, then
 * its events. Does nothing when the centre has a canteen already (any sitting), so a demo
 * database made before the canteen gets one on its next start.
 */
export async function seedDemoCanteen(db: Db, o: { centreId: string; until: Date }, residents: readonly Omit<Resident, 'changeSeq'>[]): Promise<{ events: number }> {
  const [has] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM meal_sitting WHERE centre_id = $1', [o.centreId]);
  if ((has?.n ?? 0) > 0) return { events: 0 };
  const staffId = `${o.centreId}-s4`;
  const [exists] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff WHERE centre_id = $1 AND id = $2', [o.centreId, staffId]);
  if ((exists?.n ?? 0) === 0) {
    const pin = await hashPin(DEMO_CANTEEN_PIN, createHash('sha256').update(`linli-demo-salt:${staffId}`).digest().subarray(0, 16));
    await db.transaction(async (tx) => {
      const changeSeq = await takeChangeSeqs(tx, o.centreId, 1);
      await insertRows(tx, 'staff', [['id', 'text'], ['centre_id', 'text'], ['name', 'text'], ['role', 'text'], ['card_code', 'text'], ['pin', 'jsonb'], ['change_seq', 'bigint']], [{
        id: staffId, centre_id: o.centreId, name: '赵桂兰', role: 'canteen', card_code: DEMO_CANTEEN_CARD, pin, change_seq: changeSeq,
      }]);
    });
  }
  const importDeviceId = `${o.centreId}-import`;
  const [device] = await db.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1', [importDeviceId]);
  const events = demoCanteenEvents({ ...o, staffId, adminId: `${o.centreId}-s1`, importDeviceId, firstSeq: (device?.last_seq ?? 0) + 1 }, residents);
  const importer: AuthedDevice = { id: importDeviceId, centreId: o.centreId, code: 'IMPORT', profile: 'server' };
  for (let i = 0; i < events.length; i += 500) await push(db, importer, events.slice(i, i + 500), o.until);
  return { events: events.length };
}

type Options = { centreId: string; until: Date; staffId: string; adminId: string; importDeviceId: string; firstSeq: number };

/** The demo canteen's events, in order. */
export function demoCanteenEvents(o: Options, residents: readonly Omit<Resident, 'changeSeq'>[]): LinliEvent[] {
  const today = formatShanghai(o.until.getTime()).slice(0, 10);
  const rnd = prng(Array.from(`${o.centreId}:${today}`).reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
  const bytes = () => Uint8Array.from({ length: 16 }, () => Math.floor(rnd() * 256));
  const events: LinliEvent[] = [];
  const add = (at: number, body: EventBody, staffId = o.staffId) => {
    // Never after now: the demo's clock is the server's.
    const when = Math.min(at, o.until.getTime() - 60_000);
    events.push({ id: uuidv7(when, bytes()), deviceId: o.importDeviceId, seq: o.firstSeq + events.length, staffId, at: new Date(when).toISOString(), clockOffset: 0, basis: 0, ...body } as LinliEvent);
  };
  const start = addDays(today, -HISTORY_DAYS);
  const setUpAt = instantOf(addDays(start, -1), '15:00');

  // The rules, the approvals of statuses the residents' records carry, meal balances.
  const rules: SubsidyRule[] = DEMO_RULES.map((r) => ({ ...r, centreId: o.centreId, changeSeq: 0 }));
  for (const rule of DEMO_RULES) add(setUpAt, { kind: 'subsidyRuleSet', version: 1, payload: { isNew: true, rule } }, o.adminId);
  add(setUpAt, { kind: 'paymentCodeSet', version: 1, payload: { isNew: true, ...DEMO_PAYMENT_CODE } }, o.adminId);
  const approvals: Eligibility[] = [];
  for (const r of residents) {
    for (const rule of rules.filter((x) => x.basis === 'status' && x.flags.some((f) => r.flags.includes(f)))) {
      const approval = { eligibilityId: `${r.id}-el-${rule.id}`, residentId: r.id, category: rule.id, approvedOn: addDays(start, -30), validFrom: addDays(start, -30), validUntil: null, note: '演示：社区评估通过' };
      approvals.push({ ...approval, id: approval.eligibilityId, centreId: o.centreId, approvedBy: o.staffId, changeSeq: 0 });
      add(setUpAt, { kind: 'eligibilityApproved', version: 1, payload: approval });
    }
  }
  const elderly = residents.filter((r) => r.birthDate !== null && ageOn(r.birthDate, today) >= 60);
  const balances = new Map<string, number>();
  for (const r of elderly.filter((_, i) => i % 5 === 0)) {
    balances.set(r.id, 10_000);
    add(setUpAt, { kind: 'mealAccountOpened', version: 1, payload: { accountId: mealAccountId(r.id), residentId: r.id } });
    add(setUpAt, { kind: 'mealBalanceToppedUp', version: 1, payload: { accountId: mealAccountId(r.id), residentId: r.id, amountFen: 10_000, payment: 'cash' } });
  }

  // Standing deliveries: residents flagged for delivery, weekday lunches, a volunteer per building.
  const volunteers = residents.filter((r) => r.isVolunteer);
  const volunteerOf = (building: string | null) => volunteers.find((v) => v.building === building) ?? volunteers[Math.abs(hashOf(building ?? '')) % Math.max(1, volunteers.length)] ?? null;
  const standing = residents.filter((r) => r.flags.includes('homeDelivery')).map((r) => ({ id: `${r.id}-sb-lunch`, resident: r, weekdays: [1, 2, 3, 4, 5], volunteerId: volunteerOf(r.building)?.id ?? null }));
  for (const s of standing) {
    add(setUpAt, { kind: 'standingBookingSet', version: 1, payload: { standingId: s.id, isNew: true, residentId: s.resident.id, meal: 'lunch', weekdays: s.weekdays, volunteerId: s.volunteerId, active: true } });
  }

  // Sittings published a week ahead, then each past day's sales, no-shows and deliveries.
  for (let d = 0; d <= HISTORY_DAYS + AHEAD_DAYS; d++) {
    const day = addDays(start, d);
    const weekday = weekdayOf(day);
    const publishedAt = Math.min(setUpAt, instantOf(addDays(day, -7), '15:00'));
    const menus = new Map<MealKind, { id: string; priceFen: number }[]>();
    for (const meal of MEALS) {
      const s = SITTINGS[meal];
      const sittingId = sittingIdFor(day, meal);
      const meals = s.meals(weekday).map((m, i) => ({ ...m, id: `${sittingId}-m${i + 1}` }));
      menus.set(meal, meals);
      add(publishedAt, {
        kind: 'sittingPublished', version: 1,
        payload: { sittingId, day, meal, opensAt: s.opensAt, closesAt: s.closesAt, bookingCutoff: s.cutoff, deliveryFeeFen: 300, capacity: s.places, meals },
      });
    }
    if (day > today) continue;
    // Bookings for today's and tomorrow's lunch, made the day before (collected or not today).
    if (day === today) {
      const lunchId = sittingIdFor(day, 'lunch');
      elderly.slice(0, 6).forEach((r, i) => add(instantOf(addDays(day, -1), '16:00') + i * 60_000, {
        kind: 'mealBooked', version: 1, payload: { orderId: `${lunchId}-bk-${r.id}`, sittingId: lunchId, day, mealId: menus.get('lunch')![0]!.id, residentId: r.id, override: false },
      }));
      continue;
    }
    const had = new Map<string, { sittingId: string; subsidyFen: number }[]>();
    for (const meal of MEALS) {
      const s = SITTINGS[meal];
      const sittingId = sittingIdFor(day, meal);
      const menu = menus.get(meal)!;
      add(instantOf(day, s.opensAt) - 3_600_000, { kind: 'mainTillClaimed', version: 1, payload: { sittingId, deviceCode: HISTORY_TILL } });
      // The lunch fills most days (about 25 of 30); breakfast and dinner less.
      const sold = Math.floor(s.places * (meal === 'lunch' ? 0.7 + rnd() * 0.3 : 0.3 + rnd() * 0.3));
      let at = instantOf(day, s.opensAt) - 20 * 60_000;
      for (let n = 1; n <= sold; n++) {
        at += Math.floor(30_000 + rnd() * 150_000);
        const walkIn = rnd() < 0.25 || elderly.length === 0;
        const r = walkIn ? null : elderly[Math.floor(rnd() * elderly.length)]!;
        const mealRow = rnd() < 0.85 ? menu[0]! : menu[menu.length - 1]!;
        const today2 = r ? (had.get(r.id) ?? []) : [];
        const held = r ? heldCategories(r, rules, approvals, day) : [];
        const priced = priceMeal({ listPriceFen: mealRow.priceFen, deliveryFeeFen: 0, sittingId, person: r ? { held, today: today2 } : null, chosen: null });
        if (!priced.ok) continue;
        const price = priceFieldsOf(priced.value);
        const balance = r ? balances.get(r.id) : undefined;
        const payment = balance !== undefined && balance >= price.paidFen ? 'balance' : rnd() < 0.5 ? 'qr' : 'cash';
        if (payment === 'balance' && r) balances.set(r.id, balance! - price.paidFen);
        if (r) had.set(r.id, [...today2, { sittingId, subsidyFen: price.subsidyFen }]);
        const orderId = `${sittingId}-o${n}`;
        add(at, {
          kind: 'mealSold', version: 1,
          payload: { ...price, orderId, fromBooking: false, sittingId, day, mealId: mealRow.id, residentId: r?.id ?? null, payment, number: String(n), deviceCode: HISTORY_TILL, override: false },
        });
        add(at + 8 * 60_000, { kind: 'ticketFinished', version: 1, payload: { orderId, outcome: rnd() < 0.04 ? 'noShow' : 'served' } });
      }
      if (meal !== 'lunch') continue;
      for (const sb of standing.filter((x) => x.weekdays.includes(weekday))) {
        const r = sb.resident;
        const today2 = had.get(r.id) ?? [];
        const priced = priceMeal({ listPriceFen: menu[0]!.priceFen, deliveryFeeFen: 300, sittingId, person: { held: heldCategories(r, rules, approvals, day), today: today2 }, chosen: null });
        if (!priced.ok) continue;
        const price = priceFieldsOf(priced.value);
        const balance = balances.get(r.id);
        const payment = balance !== undefined && balance >= price.paidFen ? 'balance' : 'cash';
        if (payment === 'balance') balances.set(r.id, balance! - price.paidFen);
        had.set(r.id, [...today2, { sittingId, subsidyFen: price.subsidyFen }]);
        add(instantOf(day, '12:10') + Math.floor(rnd() * 40 * 60_000), {
          kind: 'mealDelivered', version: 1,
          payload: { ...price, orderId: deliveryOrderId(sb.id, sittingId), sittingId, day, mealId: menu[0]!.id, residentId: r.id, volunteerId: sb.volunteerId, payment, confirmedBy: rnd() < 0.5 ? 'scan' : 'tick' },
        });
      }
    }
  }
  // Bookings for the coming days, made today before now.
  for (let d = 1; d <= 3; d++) {
    const day = addDays(today, d);
    const lunchId = sittingIdFor(day, 'lunch');
    elderly.slice(6 + d * 3, 6 + d * 3 + 3).forEach((r, i) => add(instantOf(today, '08:00') + i * 60_000, {
      kind: 'mealBooked', version: 1, payload: { orderId: `${lunchId}-bk-${r.id}`, sittingId: lunchId, day, mealId: `${lunchId}-m1`, residentId: r.id, override: false },
    }));
  }
  // In the order of the server's clock, with the seqs following it.
  events.sort((a, b) => a.at.localeCompare(b.at));
  return events.map((e, i) => ({ ...e, seq: o.firstSeq + i }));
}

function hashOf(text: string): number {
  return Array.from(text).reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);
}

/**
 * Gives a demo centre seeded before the canteen existed its canteen on the next start. Cheap when
 * it has one: the demo's residents are generated only when the canteen is missing.
 */
export async function ensureDemoCanteen(db: Db, options: Omit<DemoOptions, 'importDeviceId'>): Promise<number> {
  const [has] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM meal_sitting WHERE centre_id = $1', [options.centreId]);
  if ((has?.n ?? 0) > 0) return ensureDemoPaymentCode(db, options);
  const { residents } = generateDemoCentre({ ...options, importDeviceId: `${options.centreId}-import` });
  return (await seedDemoCanteen(db, options, residents)).events;
}

/** A demo canteen made before the payment code gets the demo's code (the till then offers QR payment): 1 event, or 0. */
async function ensureDemoPaymentCode(db: Db, o: { centreId: string; until: Date }): Promise<number> {
  const [row] = await db.query<{ id: string }>('SELECT id FROM payment_code WHERE centre_id = $1', [o.centreId]);
  if (row) return 0;
  await pushAdminEvents(db, { centreId: o.centreId, staffId: `${o.centreId}-s1` }, [{ kind: 'paymentCodeSet', version: 1, payload: { isNew: true, ...DEMO_PAYMENT_CODE } }], new Date(o.until.getTime() - 60_000));
  return 1;
}
