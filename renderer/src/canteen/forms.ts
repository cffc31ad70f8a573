import { fenOf, yuanText, type MealKind, type MenuMeal, type ResidentFlag, type SubsidyRule, type SubsidyRuleForm } from '../../../core/index.js';

/**
 * The canteen's forms as typed, shared by the canteen device's screens (MenuPlaces, SubsidyRules)
 * and the admin app's (adminApp/Canteen.tsx): money as yuan text, ages as text, and the turn of
 * each into what `core/`'s decide takes. Something typed that is not a number becomes NaN, which
 * decide refuses with the field named (JSON carries no NaN: the admin app sends −1 for it).
 */

/** The usual times and set meal of each sitting, which staff change in the form. */
export const USUAL_SITTINGS: Record<MealKind, { opensAt: string; closesAt: string; cutoff: string; name: string; price: string; cost: string }> = {
  breakfast: { opensAt: '07:00', closesAt: '08:30', cutoff: '06:30', name: '早餐套餐', price: '2', cost: '3.5' },
  lunch: { opensAt: '11:30', closesAt: '13:00', cutoff: '10:00', name: '爱心套餐', price: '5', cost: '9' },
  dinner: { opensAt: '17:30', closesAt: '18:45', cutoff: '16:00', name: '晚餐套餐', price: '4', cost: '6.5' },
};

/** One line of the menu form as typed: a meal on the menu (its id) or a new one (id null). */
export type MenuFormLine = { key: number; id: string | null; name: string; dishes: string; setMeal: boolean; price: string; cost: string };
let lineKeys = 0;
export const newLine = (o: Partial<MenuFormLine> = {}): MenuFormLine => ({ key: ++lineKeys, id: null, name: '', dishes: '', setMeal: false, price: '', cost: '', ...o });
/** The usual set meal of a sitting, as a first line. */
export const usualLine = (meal: MealKind) => newLine({ name: USUAL_SITTINGS[meal].name, dishes: '一荤两素，主食不限，例汤', setMeal: true, price: USUAL_SITTINGS[meal].price, cost: USUAL_SITTINGS[meal].cost });
/** A meal on the menu as a line of the form. */
export const lineOf = (m: MenuMeal) => newLine({ id: m.id, name: m.name, dishes: m.dishes, setMeal: m.setMeal, price: yuanText(m.priceFen), cost: yuanText(m.costFen) });
/** A line as decide takes it: money in fen. */
export const mealOf = (l: MenuFormLine) => ({ id: l.id, name: l.name, dishes: l.dishes, setMeal: l.setMeal, priceFen: fenOf(l.price), costFen: fenOf(l.cost) });
/** Places typed: a whole number; NaN when left empty or not one. */
export const placesOf = (s: string) => (/^\d{1,7}$/.test(s.trim()) ? Number(s) : Number.NaN);

/** A subsidy category as the form holds it: money as typed (yuan), ages as typed. */
export type SubsidyFormValues = {
  isNew: boolean; id: string; name: string; basis: 'age' | 'status'; minAge: string; maxAge: string; flags: ResidentFlag[];
  subsidy: string; cap: string; minBill: string; delivery: string; active: boolean;
};
export const blankSubsidyForm: SubsidyFormValues = { isNew: true, id: '', name: '', basis: 'age', minAge: '', maxAge: '', flags: [], subsidy: '', cap: '', minBill: '', delivery: '0', active: true };
export const subsidyFormOf = (r: SubsidyRule): SubsidyFormValues => ({
  isNew: false, id: r.id, name: r.name, basis: r.basis, minAge: r.minAge === null ? '' : String(r.minAge), maxAge: r.maxAge === null ? '' : String(r.maxAge), flags: [...r.flags],
  subsidy: yuanText(r.subsidyFen), cap: yuanText(r.capPerDayFen), minBill: r.minBillFen === null ? '' : yuanText(r.minBillFen), delivery: yuanText(r.deliverySubsidyFen), active: r.active,
});
/** An age typed: a whole number, or null when left empty (NaN when it is not one, which the rule refuses). */
export const ageOf = (s: string) => (s.trim() === '' ? null : /^\d{1,3}$/.test(s.trim()) ? Number(s) : Number.NaN);
/** The category as decide takes it: money in fen, ages as numbers (an empty oldest age: no limit). */
export const subsidyRuleOf = (f: SubsidyFormValues): SubsidyRuleForm => ({
  id: f.id.trim(), name: f.name, basis: f.basis, minAge: ageOf(f.minAge), maxAge: ageOf(f.maxAge), flags: f.flags,
  subsidyFen: fenOf(f.subsidy), capPerDayFen: fenOf(f.cap), minBillFen: f.minBill.trim() === '' ? null : fenOf(f.minBill), deliverySubsidyFen: fenOf(f.delivery), active: f.active,
});
