import { accept, refuse, type Decision } from '../errors.js';
import type { Eligibility, SubsidyRule } from './rows.js';

/**
 * The meal subsidy (助餐补贴), decided at the till by one pure function of the resident's
 * categories, the sitting and what that person already had that day. The event carries what it
 * decides (list price, subsidy, paid), so a later change of rule never reprices a sold meal.
 *
 * The rules, as elderly-meal programmes write them:
 * - A walk-in without a card pays the list price.
 * - One card is one person, with one subsidised meal per sitting: a second meal in the same
 *   sitting is sold at list price, and the screen says so.
 * - The subsidy is capped per person per day, over every sitting of the day: what was already
 *   given that day is taken off the cap, so the cap holds in any order of sales.
 * - Where a rule has a minimum bill, a meal under it earns no subsidy.
 * - A subsidy never exceeds the list price: nobody is paid to eat.
 * - Delivery adds the sitting's fee; a category with a delivery subsidy takes it off (outside
 *   the daily cap: it pays for the trip, not the meal).
 * - Of the categories a person holds, the one that gives most for this meal is used, unless staff
 *   name one; a category the person does not hold is refused.
 *
 * Worked example (the tests have more): the set lunch lists at ￥5.00 (500). 李奶奶 is 82 (category
 * age80: ￥3.00 a meal, cap ￥5.00 a day). Breakfast at ￥2.00 earned her ￥2.00, so her lunch gets
 * min(300, 500 − 200) = ￥3.00 and she pays ￥2.00; her dinner gets the ￥0.00 left of the cap
 * (`capReached`) and she pays the list price.
 */

/** A meal the person already had that day, as the till's view shows it. */
export type HadToday = { sittingId: string; subsidyFen: number };

/** Why the subsidy came out as it did: what the till's screen tells staff. */
export type PriceNote = 'walkIn' | 'noCategory' | 'subsidised' | 'capPartial' | 'capReached' | 'secondInSitting' | 'belowMinimum';

/** What the till asks: the meal, the person's categories, their day so far. */
export type PriceQuestion = {
  listPriceFen: number;
  /** The sitting's delivery fee when the meal is delivered, else 0. */
  deliveryFeeFen: number;
  sittingId: string;
  /** Null for a walk-in without a card. */
  person: { held: readonly SubsidyRule[]; today: readonly HadToday[] } | null;
  /** A category staff named, or null to take the best one held. */
  chosen: string | null;
};

/** What the till decided, carried by the event as it is. */
export type Priced = {
  category: string | null;
  listPriceFen: number;
  deliveryFeeFen: number;
  subsidyFen: number;
  deliverySubsidyFen: number;
  paidFen: number;
  note: PriceNote;
};

/** Prices one meal. Refuses only a category the person does not hold. */
export function priceMeal(q: PriceQuestion): Decision<Priced> {
  const base = { listPriceFen: q.listPriceFen, deliveryFeeFen: q.deliveryFeeFen };
  const full = (note: PriceNote, category: string | null = null): Priced =>
    ({ ...base, category, subsidyFen: 0, deliverySubsidyFen: 0, paidFen: q.listPriceFen + q.deliveryFeeFen, note });
  if (!q.person) return accept(full('walkIn'));
  const { held, today } = q.person;
  if (q.chosen !== null && !held.some((r) => r.id === q.chosen)) return refuse('categoryNotHeld', { category: q.chosen });
  const candidates = q.chosen !== null ? held.filter((r) => r.id === q.chosen) : held;
  if (candidates.length === 0) return accept(full('noCategory'));
  const subsidisedHere = today.some((t) => t.sittingId === q.sittingId && t.subsidyFen > 0);
  const givenToday = today.reduce((s, t) => s + t.subsidyFen, 0);

  const offers = candidates.map((rule) => offer(rule, q, subsidisedHere, givenToday));
  // The most for this meal (meal and delivery subsidy together); on a tie, the first in the list.
  const best = offers.reduce((a, b) => (b.subsidyFen + b.deliverySubsidyFen > a.subsidyFen + a.deliverySubsidyFen ? b : a));
  return accept(best);
}

function offer(rule: SubsidyRule, q: PriceQuestion, subsidisedHere: boolean, givenToday: number): Priced {
  const deliverySubsidyFen = Math.min(rule.deliverySubsidyFen, q.deliveryFeeFen);
  const priced = (subsidyFen: number, note: PriceNote): Priced => ({
    category: rule.id, listPriceFen: q.listPriceFen, deliveryFeeFen: q.deliveryFeeFen, subsidyFen, deliverySubsidyFen,
    paidFen: q.listPriceFen + q.deliveryFeeFen - subsidyFen - deliverySubsidyFen, note,
  });
  if (subsidisedHere) return priced(0, 'secondInSitting');
  if (rule.minBillFen !== null && q.listPriceFen < rule.minBillFen) return priced(0, 'belowMinimum');
  const left = Math.max(0, rule.capPerDayFen - givenToday);
  const wanted = Math.min(rule.subsidyFen, q.listPriceFen);
  if (left === 0 && wanted > 0) return priced(0, 'capReached');
  const subsidy = Math.min(wanted, left);
  return priced(subsidy, subsidy < wanted ? 'capPartial' : 'subsidised');
}

/** A person's age in whole years on a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The categories a resident holds on a day: the active age bands their birth date puts them in,
 * and the active status categories staff approved for them, valid that day. A resident flag
 * (低保, 失能) alone holds nothing: staff approve it, with a date.
 */
export function heldCategories(
  resident: { id: string; birthDate: string | null },
  rules: readonly SubsidyRule[],
  approvals: readonly Eligibility[],
  day: string,
): SubsidyRule[] {
  const age = resident.birthDate ? ageOn(resident.birthDate, day) : null;
  return rules.filter((r) => {
    if (!r.active) return false;
    if (r.basis === 'age') return age !== null && r.minAge !== null && age >= r.minAge && (r.maxAge === null || age <= r.maxAge);
    return approvals.some((a) => a.residentId === resident.id && a.category === r.id && a.validFrom <= day && (a.validUntil === null || day <= a.validUntil));
  }).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
