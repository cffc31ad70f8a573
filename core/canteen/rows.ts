import { z } from 'zod';
import { Id, ResidentFlag } from '../entities.js';

/**
 * The canteen's rows (爱心食堂 / 老年幸福食堂), as they travel between server and kiosk. A sitting
 * (餐次) is one meal of one day; its places are the `resources` row of the same id, so a sale or a
 * booking is a `use` of it and overbooking is raised by the one fold. Money is integer fen.
 */

/** Which meal of the day a sitting serves. */
export const MealKind = z.enum(['breakfast', 'lunch', 'dinner']);
export type MealKind = z.infer<typeof MealKind>;

/** A calendar day, YYYY-MM-DD (Asia/Shanghai). */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A time of day, HH:mm (Asia/Shanghai). */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** Most fen one figure may hold: 10,000 yuan (a meal, a top-up). */
export const MAX_FEN = 1_000_000;
/** An amount of money in fen (1 yuan = 100 fen), never a float. */
export const Fen = z.number().int().min(0).max(MAX_FEN);
/** A device code as enrolment makes them: K01, C03, S12. */
export const DeviceCode = z.string().regex(/^[A-Z]\d{2,4}$/);
/**
 * A sitting's id. It is printed in the ticket's QR code, which reads ids in any case, so it is
 * lower case by design (see `ticket.ts`); `sittingIdFor` makes the usual one.
 */
export const SittingId = z.string().regex(/^[a-z0-9_-]{1,16}$/);
/** A subsidy category's key (age60, hardship…). */
export const CategoryId = z.string().regex(/^[a-z0-9_-]{1,20}$/);

/** The usual id of a day's sitting: `20261125-l` (b breakfast, l lunch, d dinner). */
export function sittingIdFor(day: string, meal: MealKind): string {
  return `${day.replaceAll('-', '')}-${meal[0]}`;
}

/**
 * A meal sitting (餐次) on a day: its times, when bookings close, the delivery fee, and the till
 * that issues its plain ticket numbers (1, 2, 3…; see `numbering.ts`), set once. Its places
 * (capacity and used) are the `resources` row of the same id.
 */
export const MealSitting = z.object({
  id: SittingId,
  centreId: Id,
  day: Day,
  meal: MealKind,
  opensAt: ClockTime,
  closesAt: ClockTime,
  /** Bookings and cancellations close at this time of the sitting's day. */
  bookingCutoff: ClockTime,
  /** What delivering a meal home adds to its price. */
  deliveryFeeFen: Fen,
  /** The till whose numbers carry no letter; null until a till claims it. Set once. */
  mainTill: DeviceCode.nullable(),
  changeSeq: z.number().int().nonnegative(),
});
export type MealSitting = z.infer<typeof MealSitting>;

/** A meal on a sitting's menu (菜单): a set meal (套餐) or a dish, with its list price and cost. */
export const MenuMeal = z.object({
  id: Id,
  centreId: Id,
  sittingId: SittingId,
  name: z.string().min(1).max(40),
  /** What it is made of, as the menu says it (一荤两素、主食不限、汤). */
  dishes: z.string().max(200),
  setMeal: z.boolean(),
  priceFen: Fen,
  costFen: Fen,
  /** On sale (true), or taken off sale for now (停售: see `mealOffered`); it stays on the menu either way. */
  offered: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type MenuMeal = z.infer<typeof MenuMeal>;

/**
 * A subsidy category (补贴类别) and its rule: who holds it (an age band from the birth date, or a
 * status approved by staff: see `Eligibility`), the subsidy per meal, the cap per person per day,
 * the least bill that earns it (where the rule has one), and the subsidy on the delivery fee.
 */
export const SubsidyRule = z.object({
  id: CategoryId,
  centreId: Id,
  name: z.string().min(1).max(30),
  basis: z.enum(['age', 'status']),
  /** For an age band: the youngest and oldest age (inclusive; null: no upper bound). */
  minAge: z.number().int().min(0).max(150).nullable(),
  maxAge: z.number().int().min(0).max(150).nullable(),
  /** For a status: the resident flags it stands for (staff approve it; the flag alone is a hint). */
  flags: z.array(ResidentFlag).max(5),
  subsidyFen: Fen,
  capPerDayFen: Fen,
  minBillFen: Fen.nullable(),
  deliverySubsidyFen: Fen,
  active: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type SubsidyRule = z.infer<typeof SubsidyRule>;

/**
 * A status category approved by staff for a resident (资格审批): who approved it, on which day,
 * and the days it holds. An age category needs none: it follows from the birth date.
 */
export const Eligibility = z.object({
  id: Id,
  centreId: Id,
  residentId: Id,
  category: CategoryId,
  approvedBy: Id,
  approvedOn: Day,
  validFrom: Day,
  validUntil: Day.nullable(),
  note: z.string().max(100),
  changeSeq: z.number().int().nonnegative(),
});
export type Eligibility = z.infer<typeof Eligibility>;

/**
 * The centre's collection code (收款码): what its own WeChat Pay or Alipay QR code says, as the
 * payment provider printed it for the centre. The till shows it, with the sum in large figures,
 * for a meal paid by QR, and the buyer's phone pays the centre directly: Linli takes no money
 * itself. One row per centre (`PAYMENT_CODE_ID`); `code` null when the centre takes no QR payment.
 */
export const PaymentCode = z.object({
  id: Id,
  centreId: Id,
  /** The code's text: `wxp://…` (WeChat Pay) or an https address (Alipay, UnionPay, an aggregated code). */
  code: z.string().max(512).nullable(),
  /** Whom the buyer's phone will say it pays (the name on the centre's code). */
  payee: z.string().max(30),
  changeSeq: z.number().int().nonnegative(),
});
export type PaymentCode = z.infer<typeof PaymentCode>;

/** The one payment code row's id in each centre. */
export const PAYMENT_CODE_ID = 'centre';

/** How a meal was paid: cash, the centre's payment QR code, the resident's prepaid meal balance, or not yet (a booking). */
export const Payment = z.enum(['cash', 'qr', 'balance', 'none']);
export type Payment = z.infer<typeof Payment>;

/**
 * Where a meal order stands: `booked` (a place held, not yet collected), `waiting` (sold, its number
 * not yet called), `called`, `served`, `noShow` (called and not collected, or a booking never
 * collected), `cancelled` (a booking given back before the cut-off), `delivered` (taken home).
 */
export const OrderState = z.enum(['booked', 'waiting', 'called', 'served', 'noShow', 'cancelled', 'delivered']);
export type OrderState = z.infer<typeof OrderState>;

/**
 * One meal ordered (订餐 / 售餐 / 送餐): booked, sold with a numbered ticket, or delivered. It carries
 * the price and subsidy decided at the till, so a later change of rule never reprices it.
 * `ticketKey` (`sitting/number`) is unique in the centre: no number is handed out twice.
 */
export const MealOrder = z.object({
  id: Id,
  centreId: Id,
  sittingId: SittingId,
  day: Day,
  mealId: Id,
  /** The resident (one card, one person), or null for a walk-in at list price. */
  residentId: Id.nullable(),
  category: CategoryId.nullable(),
  listPriceFen: Fen,
  deliveryFeeFen: Fen,
  subsidyFen: Fen,
  deliverySubsidyFen: Fen,
  paidFen: Fen,
  payment: Payment,
  state: OrderState,
  /** The ticket number people read (7, B07), null until the meal is sold. */
  number: z.string().regex(/^[A-Z]{0,2}\d{1,4}$/).nullable(),
  ticketKey: z.string().max(40).nullable(),
  /** The till that sold it. */
  deviceCode: z.string().max(16).nullable(),
  /** Business time (ISO) of the sale, the last call and the end (served, no-show, delivered). */
  soldAt: z.string().nullable(),
  calledAt: z.string().nullable(),
  calls: z.number().int().min(0).max(1_000),
  finishedAt: z.string().nullable(),
  delivery: z.boolean(),
  /** Who took it home (a volunteer resident), and how the handover was confirmed. */
  volunteerId: Id.nullable(),
  confirmedBy: z.enum(['scan', 'tick']).nullable(),
  /** Sold or booked past the sitting's places by a staff member's explicit decision. */
  override: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type MealOrder = z.infer<typeof MealOrder>;

/** A weekday, 1 Monday … 7 Sunday. */
export const Weekday = z.number().int().min(1).max(7);

/**
 * A standing booking for home delivery (送餐上门): a resident flagged for delivery gets this meal on
 * these weekdays, taken by this volunteer (a resident who volunteers), until it is stopped.
 */
export const StandingBooking = z.object({
  id: Id,
  centreId: Id,
  residentId: Id,
  meal: MealKind,
  weekdays: z.array(Weekday).min(1).max(7),
  volunteerId: Id.nullable(),
  active: z.boolean(),
  changeSeq: z.number().int().nonnegative(),
});
export type StandingBooking = z.infer<typeof StandingBooking>;

/** A resident's prepaid meal balance is an account of its own, in fen, beside the points account. */
export function mealAccountId(residentId: string): string {
  return `meal-${residentId}`;
}

/** The weekday (1 Monday … 7 Sunday) of a day. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** A day `n` days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Money as people read it: 5.00 (yuan, two decimals), from fen. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Yuan typed by staff (5, 5.5, 5.00) as fen; NaN when it is not an amount. */
export function fenOf(yuan: string): number {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(yuan);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : Number.NaN;
}

/** What a sitting is called, for screens and tickets. */
export const MEAL_NAMES: Readonly<Record<MealKind, Readonly<Record<'zh' | 'en', string>>>> = {
  breakfast: { zh: '早餐', en: 'Breakfast' },
  lunch: { zh: '午餐', en: 'Lunch' },
  dinner: { zh: '晚餐', en: 'Dinner' },
};
