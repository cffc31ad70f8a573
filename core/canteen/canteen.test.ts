import { describe, expect, it } from 'vitest';
import { overlay, type OverlaidEvent } from '../effects/overlay.js';
import { placesLeft, rowsView, type StateView } from '../effects/effects.js';
import type { EventBody } from '../events/registry.js';
import { refsOf } from '../events/registry.js';
import { formatMessage } from '../i18n/messages.js';
import { plainLines } from '../printing/document.js';
import { layoutRouteList } from '../printing/documents.js';
import { announcement, callingBoard, callId } from './calling.js';
import { decideBooking } from './mealBooked.js';
import { decideMealOffered, mealsOnSale, usualMeal } from './mealOffered.js';
import { decideCancellation } from './mealBookingCancelled.js';
import { decideDelivery, deliveryOrderId } from './mealDelivered.js';
import { decideSale, type SaleContext } from './mealSold.js';
import { decideMenuChange } from './menuChanged.js';
import { decideSitting, decideSittings } from './sittingPublished.js';
import { decideSubsidyRule } from './subsidyRuleSet.js';
import { kindCheck } from '../events/registry.js';
import { decideCall } from './ticketCalled.js';
import { decideFinish } from './ticketFinished.js';
import type { MealOrder, MealSitting, MenuMeal, SubsidyRule } from './rows.js';

const sitting: MealSitting = {
  id: '20261125-l', centreId: 'c', day: '2026-11-25', meal: 'lunch', opensAt: '11:30', closesAt: '13:00', bookingCutoff: '10:00', deliveryFeeFen: 300, mainTill: 'C01', changeSeq: 1,
};
const setLunch: MenuMeal = { id: 'm1', centreId: 'c', sittingId: sitting.id, name: '爱心套餐', dishes: '一荤两素', setMeal: true, priceFen: 500, costFen: 900, offered: true, changeSeq: 1 };
const age80: SubsidyRule = {
  id: 'age80', centreId: 'c', name: '80岁以上', basis: 'age', minAge: 80, maxAge: null, flags: [], subsidyFen: 300, capPerDayFen: 500, minBillFen: null, deliverySubsidyFen: 200, active: true, changeSeq: 1,
};
const base = (capacity: number, used = 0): StateView => rowsView({
  sittings: [sitting], meals: [setLunch], resources: [{ id: sitting.id, centreId: 'c', capacity, used, changeSeq: 1 }],
  residents: [{ id: 'r1', centreId: 'c', name: '李秀英', cardCode: 'LL0000000117', accountId: 'a1', isVolunteer: false, phoneTail: null, building: '3栋', room: '101', birthDate: '1940-01-01', flags: ['homeDelivery'], changeSeq: 1 }],
  accounts: [{ id: 'meal-r1', centreId: 'c', holderKind: 'resident', holderId: 'r1', balance: 1000, changeSeq: 1 }],
});
const ctx = (o: Partial<SaleContext> = {}): SaleContext => ({
  sitting, syncedMainTill: 'C01', deviceCode: 'C01', meal: setLunch, places: { capacity: 30, used: 0 }, today: '2026-11-25', resident: { id: 'r1' }, held: [age80],
  residentOrders: [], numbers: [], mealBalance: 1000, chosenCategory: null, payment: 'cash', override: false, ...o,
});
let n = 0;
const ev = (body: EventBody, at = '2026-11-25T03:40:00.000Z'): OverlaidEvent => ({ ...body, id: `e${++n}`, at, clockOffset: 0, staffId: 's4' });
const sale = (c: SaleContext, orderId: string) => {
  const d = decideSale(c, orderId);
  if (!d.ok) throw new Error(d.error.key);
  return d.value;
};
const sold = (c: SaleContext, orderId: string) => ev({ kind: 'mealSold', version: 1, payload: sale(c, orderId).sale });

describe('selling at the till', () => {
  it('prices by the category, numbers from the till\'s series, takes a place and the meal balance', () => {
    const d = sale(ctx({ payment: 'balance' }), 'o1');
    expect(d.note).toBe('subsidised');
    expect(d.sale).toMatchObject({ category: 'age80', listPriceFen: 500, subsidyFen: 300, paidFen: 200, number: '1', fromBooking: false });
    const state = overlay(base(30), 'c', [ev({ kind: 'mealSold', version: 1, payload: d.sale })]);
    expect(placesLeft(state, sitting.id)).toBe(29);
    expect(state.row('accounts', 'meal-r1')?.balance).toBe(800);
    expect(state.row('mealOrders', 'o1')).toMatchObject({ state: 'waiting', number: '1', ticketKey: '20261125-l/1', soldAt: '2026-11-25T03:40:00.000Z', calls: 0 });
    expect(state.touched('ledger').map((t) => t.row.memo)).toEqual(['爱心套餐 ￥2.00']);
  });

  it('refuses a sale past the places without an override, and says so', () => {
    const d = decideSale(ctx({ places: { capacity: 30, used: 30 } }), 'o1');
    expect(d.ok ? null : d.error).toEqual({ key: 'sittingFull', params: { capacity: 30 } });
    expect(formatMessage({ key: 'sittingFull', params: { capacity: 30 } }, 'zh')).toContain('30 个名额已满');
  });

  it('a staff override sells past the places: the places are raised with it, no exception', () => {
    const e = sold(ctx({ places: { capacity: 1, used: 1 }, override: true }), 'o2');
    const state = overlay(base(1, 1), 'c', [e]);
    expect(state.row('resources', sitting.id)).toMatchObject({ capacity: 2, used: 2 });
    expect(state.touched('exceptions')).toEqual([]);
  });

  it('two tills offline sell the last place twice: both applied, the sitting flagged overbooked', () => {
    const a = sold(ctx({ places: { capacity: 1, used: 0 }, resident: null, held: [] }), 'oa');
    const b = sold(ctx({ places: { capacity: 1, used: 0 }, resident: null, held: [], deviceCode: 'C02' }), 'ob');
    expect([a.payload, b.payload].map((p) => (p as unknown as { number: string }).number)).toEqual(['1', 'B01']);
    const state = overlay(base(1), 'c', [a, b]);
    expect(state.row('resources', sitting.id)).toMatchObject({ capacity: 1, used: 2 });
    expect(state.touched('exceptions').map((t) => t.row)).toMatchObject([{ kind: 'overbooked', subjectId: sitting.id, amount: -1 }]);
  });

  it('a second meal in the sitting: at list price (the screen says why), refused when staff name a category for it', () => {
    const first = [{ id: 'o1', sittingId: sitting.id, subsidyFen: 300, state: 'waiting' as const }];
    expect(sale(ctx({ residentOrders: first, numbers: ['1'] }), 'o2')).toMatchObject({ note: 'secondInSitting', sale: { subsidyFen: 0, paidFen: 500, number: '2' } });
    expect(decideSale(ctx({ residentOrders: first, chosenCategory: 'age80' }), 'o2')).toEqual({ ok: false, error: { key: 'secondSubsidisedMeal', params: {} } });
  });

  it('refuses a category not held, another day\'s sitting, a walk-in on a balance, too little balance', () => {
    expect(decideSale(ctx({ chosenCategory: 'hardship' }), 'o').ok || 'refused').toBe('refused');
    expect(decideSale(ctx({ today: '2026-11-26' }), 'o')).toEqual({ ok: false, error: { key: 'sittingNotToday', params: { day: '2026-11-25' } } });
    expect(decideSale(ctx({ resident: null, payment: 'balance' }), 'o')).toEqual({ ok: false, error: { key: 'walkInNoBalance', params: {} } });
    expect(decideSale(ctx({ payment: 'balance', mealBalance: 150 }), 'o')).toEqual({ ok: false, error: { key: 'insufficientMealBalance', params: { needed: '2.00', balance: '1.50' } } });
    expect(decideSale(ctx({ deviceCode: 'IMPORT' as never, syncedMainTill: null }), 'o')).toEqual({ ok: false, error: { key: 'tillCannotNumber', params: { device: 'IMPORT' } } });
  });

  it('the server refuses a number taken in the sitting: the ticket key is a new unique field', () => {
    const e = sold(ctx(), 'o1');
    expect(refsOf(e)).toContainEqual({ table: 'mealOrders', field: 'ticketKey', value: '20261125-l/1', is: 'new' });
  });
});

describe('bookings', () => {
  const bookingCtx = { sitting, meal: setLunch, places: { capacity: 30, used: 0 }, residentOrders: [], today: '2026-11-25', time: '09:00', override: false };

  it('books before the cut-off, once per resident; collecting it is a sale that takes no second place', () => {
    const b = decideBooking(bookingCtx, { orderId: 'b1', residentId: 'r1' });
    if (!b.ok) throw new Error(b.error.key);
    expect(decideBooking({ ...bookingCtx, residentOrders: [{ residentId: 'r1', state: 'booked' }] }, { orderId: 'b2', residentId: 'r1' })).toEqual({ ok: false, error: { key: 'alreadyBooked', params: {} } });
    const booked = ev({ kind: 'mealBooked', version: 1, payload: b.value });
    const afterBooking = overlay(base(30), 'c', [booked]);
    expect(placesLeft(afterBooking, sitting.id)).toBe(29);
    const collect = sale(ctx({ residentOrders: [{ id: 'b1', sittingId: sitting.id, subsidyFen: 0, state: 'booked' }], places: { capacity: 30, used: 1 } }), 'ignored');
    expect(collect.sale).toMatchObject({ orderId: 'b1', fromBooking: true, subsidyFen: 300 });
    const state = overlay(base(30), 'c', [booked, ev({ kind: 'mealSold', version: 1, payload: collect.sale })]);
    expect(placesLeft(state, sitting.id)).toBe(29);
    expect(state.row('mealOrders', 'b1')).toMatchObject({ state: 'waiting', number: '1', subsidyFen: 300 });
  });

  it('refuses a booking after the cut-off, or with no place left; cancels before the cut-off and gives the place back', () => {
    expect(decideBooking({ ...bookingCtx, time: '10:00' }, { orderId: 'b1', residentId: 'r1' })).toEqual({ ok: false, error: { key: 'bookingClosed', params: { cutoff: '2026-11-25 10:00' } } });
    expect(decideBooking({ ...bookingCtx, places: { capacity: 30, used: 30 } }, { orderId: 'b1', residentId: 'r1' }).ok).toBe(false);
    expect(decideBooking({ ...bookingCtx, today: '2026-11-24', time: '23:00' }, { orderId: 'b1', residentId: 'r1' }).ok).toBe(true);
    const booked = ev({ kind: 'mealBooked', version: 1, payload: { orderId: 'b1', sittingId: sitting.id, day: sitting.day, mealId: 'm1', residentId: 'r1', override: false } });
    const state = overlay(base(30), 'c', [booked]);
    const order = state.row('mealOrders', 'b1') as MealOrder;
    expect(decideCancellation(order, sitting, '2026-11-25', '10:30')).toEqual({ ok: false, error: { key: 'cancelClosed', params: { cutoff: '2026-11-25 10:00' } } });
    const c = decideCancellation(order, sitting, '2026-11-25', '09:59');
    if (!c.ok) throw new Error(c.error.key);
    const cancel = ev({ kind: 'mealBookingCancelled', version: 1, payload: c.value });
    const after = overlay(base(30), 'c', [booked, cancel, cancel]);
    // Cancelled twice (two devices): the place comes back once.
    expect(placesLeft(after, sitting.id)).toBe(30);
    expect(after.row('mealOrders', 'b1')?.state).toBe('cancelled');
  });
});

describe('the main till', () => {
  it('the first claim names the main till once; a later claim changes nothing', () => {
    const open = rowsView({ sittings: [{ ...sitting, mainTill: null }] });
    const state = overlay(open, 'c', [
      ev({ kind: 'mainTillClaimed', version: 1, payload: { sittingId: sitting.id, deviceCode: 'C02' } }),
      ev({ kind: 'mainTillClaimed', version: 1, payload: { sittingId: sitting.id, deviceCode: 'C01' } }),
    ]);
    expect(state.row('sittings', sitting.id)?.mainTill).toBe('C02');
  });
});

describe('calling', () => {
  const t = (id: string, number: string, soldAt: string, state: MealOrder['state'] = 'waiting', calledAt: string | null = null, calls = 0) => ({ id, number, soldAt, state, calledAt, calls });
  const tickets = [t('a', 'B01', '03:31'), t('b', '1', '03:30'), t('c', '2', '03:32'), t('d', '3', '03:20', 'served')];

  it('calls the next in the order of sale across series, a typed number (07 is 7), and again', () => {
    expect(decideCall(tickets, { kind: 'next' })).toEqual({ ok: true, value: { orderId: 'b', calls: 1, number: '1' } });
    expect(decideCall(tickets, { kind: 'number', number: 'b1' })).toEqual({ ok: true, value: { orderId: 'a', calls: 1, number: 'B01' } });
    expect(decideCall([t('x', '10', '03:00', 'called', '03:40', 1)], { kind: 'again', orderId: 'x' })).toEqual({ ok: true, value: { orderId: 'x', calls: 2, number: '10' } });
    expect(decideCall(tickets, { kind: 'number', number: '3' })).toEqual({ ok: false, error: { key: 'ticketAlreadyServed', params: { number: '3' } } });
    expect(decideCall(tickets, { kind: 'number', number: '99' })).toEqual({ ok: false, error: { key: 'ticketNumberUnknown', params: { number: '99' } } });
    expect(decideCall([], { kind: 'next' })).toEqual({ ok: false, error: { key: 'noTicketToCall', params: {} } });
  });

  it('the board shows the last call large, the earlier open calls, and who is next', () => {
    const board = callingBoard([t('a', 'B01', '03:31', 'called', '03:41', 1), t('b', '1', '03:30', 'called', '03:42', 2), t('c', '2', '03:32')]);
    expect(board.now?.number).toBe('1');
    expect(board.recent.map((x) => x.number)).toEqual(['B01']);
    expect(board.next.map((x) => x.number)).toEqual(['2']);
    expect(callId(board.now!)).toBe('b#2');
  });

  it('says "10号，请取餐"; a prefixed number letter by count', () => {
    expect(announcement('10', 'zh')).toBe('10号，请取餐');
    expect(announcement('B07', 'zh')).toBe('B 7号，请取餐');
    expect(announcement('B07', 'en')).toBe('Number B 7, please collect your meal');
  });

  it('a call, served and a no-show are record patches; served is final', () => {
    const e = sold(ctx(), 'o1');
    const called = ev({ kind: 'ticketCalled', version: 1, payload: { orderId: 'o1', calls: 1 } }, '2026-11-25T03:45:00.000Z');
    const served = ev({ kind: 'ticketFinished', version: 1, payload: { orderId: 'o1', outcome: 'served' } });
    const late = ev({ kind: 'ticketCalled', version: 1, payload: { orderId: 'o1', calls: 2 } });
    const state = overlay(base(30), 'c', [e, called, served, late]);
    expect(state.row('mealOrders', 'o1')).toMatchObject({ state: 'served', calls: 1, calledAt: '2026-11-25T03:45:00.000Z' });
    expect(decideFinish(state.row('mealOrders', 'o1') as MealOrder, 'noShow')).toEqual({ ok: false, error: { key: 'ticketAlreadyServed', params: { number: '1' } } });
  });
});

describe('home delivery', () => {
  it('priced with the fee and its subsidy, paid from the balance when it covers it, recorded once', () => {
    const standing = { id: 'sb1', centreId: 'c', residentId: 'r1', meal: 'lunch' as const, weekdays: [1, 3, 5], volunteerId: null, active: true, changeSeq: 1 };
    const d = decideDelivery({ standing, sitting, meal: setLunch, held: [age80], residentOrders: [], mealBalance: 1000, confirmedBy: 'tick' });
    if (!d.ok) throw new Error(d.error.key);
    expect(d.value.delivery).toMatchObject({ orderId: deliveryOrderId('sb1', sitting.id), listPriceFen: 500, deliveryFeeFen: 300, subsidyFen: 300, deliverySubsidyFen: 200, paidFen: 300, payment: 'balance' });
    const state = overlay(base(30), 'c', [ev({ kind: 'mealDelivered', version: 1, payload: d.value.delivery })]);
    expect(state.row('mealOrders', d.value.delivery.orderId)).toMatchObject({ state: 'delivered', delivery: true, confirmedBy: 'tick' });
    // Deliveries do not take the dining room's places.
    expect(placesLeft(state, sitting.id)).toBe(30);
    expect(decideDelivery({ standing, sitting, meal: setLunch, held: [], residentOrders: [{ id: d.value.delivery.orderId, sittingId: sitting.id, subsidyFen: 300, state: 'delivered' }], mealBalance: 0, confirmedBy: 'scan' }))
      .toEqual({ ok: false, error: { key: 'alreadyDelivered', params: {} } });
  });
});

describe('publishing a sitting', () => {
  it('a sitting with its menu: times in order, not in the past, not twice', () => {
    const form = { day: '2026-11-26', meal: 'lunch' as const, opensAt: '11:30', closesAt: '13:00', bookingCutoff: '10:00', deliveryFeeFen: 300, capacity: 30,
      meals: [{ name: '爱心套餐', dishes: '一荤两素 主食不限 汤', setMeal: true, priceFen: 500, costFen: 900 }] };
    expect(decideSitting(form, ['m9'], '2026-11-25', false)).toMatchObject({ ok: true, value: { sittingId: '20261126-l', capacity: 30 } });
    expect(decideSitting(form, ['m9'], '2026-11-27', false).ok).toBe(false);
    expect(decideSitting({ ...form, bookingCutoff: '12:00' }, ['m9'], '2026-11-25', false).ok).toBe(false);
    expect(decideSitting(form, ['m9'], '2026-11-25', true)).toEqual({ ok: false, error: { key: 'sittingExists', params: { day: '2026-11-26' } } });
  });

  it('a run of days: days that have it are skipped after the first; a day not on the calendar or too far ahead is refused', () => {
    const form = { day: '2026-11-26', meal: 'lunch' as const, opensAt: '11:30', closesAt: '13:00', bookingCutoff: '10:00', deliveryFeeFen: 300, capacity: 30,
      meals: [{ name: '爱心套餐', dishes: '', setMeal: true, priceFen: 500, costFen: 900 }] };
    let n = 0;
    const ids = () => [`m${++n}`];
    const run = decideSittings(form, 4, '2026-11-25', (day) => day === '2026-11-28', ids);
    expect(run.ok && run.value.publications.map((p) => `${p.day} ${p.meals[0]!.id}`)).toEqual(['2026-11-26 m1', '2026-11-27 m2', '2026-11-29 m3']);
    expect(run.ok && run.value.skipped).toEqual(['2026-11-28']);
    expect(decideSittings(form, 4, '2026-11-25', (day) => day === '2026-11-26', ids)).toEqual({ ok: false, error: { key: 'sittingExists', params: { day: '2026-11-26' } } });
    expect(decideSittings({ ...form, day: '2026-11-31' }, 1, '2026-11-25', () => false, ids)).toEqual({ ok: false, error: { key: 'invalidSitting', params: { detail: 'day' } } });
    expect(decideSittings({ ...form, day: '2026-12-16' }, 1, '2026-11-25', () => false, ids)).toEqual({ ok: false, error: { key: 'invalidSitting', params: { detail: 'ahead' } } });
    expect(decideSittings({ ...form, day: '2026-12-15' }, 1, '2026-11-25', () => false, ids).ok).toBe(true);
    expect(formatMessage({ key: 'invalidSitting', params: { detail: 'ahead' } }, 'zh')).toBe('餐次信息有误：最多提前 21 天发布餐次，请核对日期。');
  });
});

describe('the week\'s menu: several meals, changed after publishing', () => {
  const menu = (lines: { id: string | null; name: string; priceFen: number; setMeal?: boolean }[]) => lines.map((l) => ({ dishes: '', setMeal: false, costFen: 600, ...l }));
  it('publishes a sitting with set meals and dishes; a meal at fault is named', () => {
    const form = { day: '2026-11-26', meal: 'lunch' as const, opensAt: '11:30', closesAt: '13:00', bookingCutoff: '10:00', deliveryFeeFen: 300, capacity: 30,
      meals: [{ name: '爱心套餐', dishes: '一荤两素', setMeal: true, priceFen: 500, costFen: 900 }, { name: '红烧肉', dishes: '', setMeal: false, priceFen: 800, costFen: 600 }] };
    const d = decideSitting(form, ['m8', 'm9'], '2026-11-25', false);
    expect(d.ok && d.value.meals.map((m) => [m.id, m.name, m.priceFen])).toEqual([['m8', '爱心套餐', 500], ['m9', '红烧肉', 800]]);
    expect(decideSitting({ ...form, meals: [form.meals[0]!, { ...form.meals[1]!, priceFen: 2_000_000 }] }, ['m8', 'm9'], '2026-11-25', false))
      .toEqual({ ok: false, error: { key: 'menuLineInvalid', params: { meal: '红烧肉' } } });
    expect(formatMessage({ key: 'menuLineInvalid', params: { meal: '红烧肉' } }, 'zh')).toContain('菜品「红烧肉」有误');
  });

  it('adds dishes and reprices a meal: a meal sold before keeps its price, the next sale takes the new one', () => {
    const change = decideMenuChange(sitting, [setLunch], menu([{ id: 'm1', name: '爱心套餐', priceFen: 600, setMeal: true }, { id: null, name: '清蒸鱼', priceFen: 1200 }]).map((l, i) => (i === 0 ? { ...l, dishes: '一荤两素', costFen: 900 } : l)), ['m2'], '2026-11-25');
    expect(change).toEqual({ ok: true, value: { sittingId: sitting.id, added: [{ id: 'm2', name: '清蒸鱼', dishes: '', setMeal: false, priceFen: 1200, costFen: 600 }], changed: [{ id: 'm1', name: '爱心套餐', dishes: '一荤两素', setMeal: true, priceFen: 600, costFen: 900 }] } });
    const before = sold(ctx({ resident: null, held: [] }), 'o1');
    const state = overlay(base(30), 'c', [before, ev({ kind: 'menuChanged', version: 1, payload: change.ok ? change.value : (undefined as never) })]);
    expect(state.row('meals', 'm1')?.priceFen).toBe(600);
    expect(state.row('meals', 'm2')).toMatchObject({ sittingId: sitting.id, name: '清蒸鱼', priceFen: 1200 });
    expect(state.row('mealOrders', 'o1')).toMatchObject({ listPriceFen: 500, paidFen: 500 });
    expect(sale(ctx({ resident: null, held: [], meal: state.row('meals', 'm1'), numbers: ['1'] }), 'o2').sale).toMatchObject({ listPriceFen: 600, paidFen: 600, number: '2' });
  });

  it('refuses a menu of a day gone by, two meals of one name, nothing changed, a meal of another sitting', () => {
    const same = menu([{ id: 'm1', name: '爱心套餐', priceFen: 500, setMeal: true }]).map((l) => ({ ...l, dishes: '一荤两素', costFen: 900 }));
    expect(decideMenuChange(sitting, [setLunch], same, [], '2026-11-25')).toEqual({ ok: false, error: { key: 'menuUnchanged', params: {} } });
    expect(decideMenuChange(sitting, [setLunch], [...same, ...menu([{ id: null, name: '爱心套餐', priceFen: 700 }])], ['m2'], '2026-11-25'))
      .toEqual({ ok: false, error: { key: 'menuMealTwice', params: { meal: '爱心套餐' } } });
    // A form that leaves a meal of the menu out (the admin API takes any lines) cannot add its name again.
    expect(decideMenuChange(sitting, [setLunch], menu([{ id: null, name: '爱心套餐', priceFen: 700 }]), ['m2'], '2026-11-25'))
      .toEqual({ ok: false, error: { key: 'menuMealTwice', params: { meal: '爱心套餐' } } });
    expect(decideMenuChange(sitting, [setLunch], menu([{ id: null, name: '粥', priceFen: 100 }]), ['m2'], '2026-11-26').ok).toBe(false);
    expect(decideMenuChange(sitting, [setLunch], menu([{ id: null, name: '', priceFen: 100 }]), ['m2'], '2026-11-25')).toEqual({ ok: false, error: { key: 'menuLineInvalid', params: { meal: '' } } });
    // The server refuses a change that names a meal of another sitting.
    const view = rowsView({ sittings: [sitting], meals: [{ ...setLunch, sittingId: '20261126-l' }] });
    expect(kindCheck({ kind: 'menuChanged', version: 1, payload: { sittingId: sitting.id, added: [], changed: [{ id: 'm1', name: 'x', dishes: '', setMeal: true, priceFen: 1, costFen: 1 }] } }, { ...view, rowWhere: () => undefined }))
      .toMatchObject({ key: 'refusedCanteenMismatch' });
  });
});

describe('a meal taken off sale and back', () => {
  const dish: MenuMeal = { ...setLunch, id: 'm2', name: '红烧肉', setMeal: false, priceFen: 800 };
  const standing = { id: 'st1', centreId: 'c', residentId: 'r1', meal: 'lunch' as const, weekdays: [3], volunteerId: null, active: true, changeSeq: 1 };

  it('goes off sale and stays on the menu: the till, bookings and deliveries refuse it by name; bookings made before are collected', () => {
    const off = decideMealOffered(sitting, [setLunch, dish], 'm2', false, '2026-11-25');
    expect(off).toEqual({ ok: true, value: { sittingId: sitting.id, mealId: 'm2', offered: false } });
    const state = overlay(rowsView({ sittings: [sitting], meals: [setLunch, dish] }), 'c', [ev({ kind: 'mealOffered', version: 1, payload: off.ok ? off.value : (undefined as never) })]);
    const offDish = state.row('meals', 'm2')!;
    expect(offDish).toMatchObject({ name: '红烧肉', offered: false });
    expect(mealsOnSale([setLunch, offDish]).map((m) => m.id)).toEqual(['m1']);
    const withdrawn = { ok: false, error: { key: 'mealWithdrawn', params: { meal: '红烧肉' } } };
    expect(decideSale(ctx({ meal: offDish }), 'o1')).toEqual(withdrawn);
    expect(decideBooking({ sitting, meal: offDish, places: { capacity: 30, used: 0 }, residentOrders: [], today: '2026-11-25', time: '09:00', override: false }, { orderId: 'b1', residentId: 'r1' })).toEqual(withdrawn);
    expect(decideDelivery({ standing, sitting, meal: offDish, held: [], residentOrders: [], mealBalance: 0, confirmedBy: 'tick' })).toEqual(withdrawn);
    expect(formatMessage(withdrawn.error as never, 'zh')).toBe('「红烧肉」已停售，请选别的餐。');
    // A resident who booked before collects with a meal on sale.
    expect(sale(ctx({ meal: setLunch, residentOrders: [{ id: 'b0', sittingId: sitting.id, subsidyFen: 0, state: 'booked' }], places: { capacity: 30, used: 1 } }), 'x').sale).toMatchObject({ orderId: 'b0', fromBooking: true });
    // Back on sale: sold again.
    const on = decideMealOffered(sitting, [setLunch, offDish], 'm2', true, '2026-11-25');
    const back = overlay(state, 'c', [ev({ kind: 'mealOffered', version: 1, payload: on.ok ? on.value : (undefined as never) })]).row('meals', 'm2')!;
    expect(sale(ctx({ meal: back }), 'o3').sale).toMatchObject({ mealId: 'm2', listPriceFen: 800 });
  });

  it('keeps one meal on sale in a sitting; refuses a day gone by, a meal of another sitting, and no change', () => {
    expect(decideMealOffered(sitting, [setLunch, { ...dish, offered: false }], 'm1', false, '2026-11-25')).toEqual({ ok: false, error: { key: 'lastMealOnSale', params: { meal: '爱心套餐' } } });
    // Another sitting's meals on sale do not count.
    expect(decideMealOffered(sitting, [setLunch, { ...dish, sittingId: '20261125-d' }], 'm1', false, '2026-11-25')).toMatchObject({ ok: false, error: { key: 'lastMealOnSale' } });
    expect(decideMealOffered(sitting, [setLunch, dish], 'm2', false, '2026-11-26')).toEqual({ ok: false, error: { key: 'invalidSitting', params: { detail: 'past' } } });
    expect(decideMealOffered(sitting, [setLunch, { ...dish, sittingId: '20261126-l' }], 'm2', false, '2026-11-25')).toEqual({ ok: false, error: { key: 'mealNotOnMenu', params: { meal: 'm2' } } });
    expect(decideMealOffered(sitting, [setLunch, dish], 'm2', true, '2026-11-25')).toEqual({ ok: false, error: { key: 'menuUnchanged', params: {} } });
  });

  it('two devices offline each take off the other meal: both apply, nothing is on sale, and a delivery says so', () => {
    // Each decided on its own copy, where the other meal was still on sale.
    const offA = decideMealOffered(sitting, [setLunch, dish], 'm1', false, '2026-11-25');
    const offB = decideMealOffered(sitting, [setLunch, dish], 'm2', false, '2026-11-25');
    const both = [offA, offB].map((d) => ev({ kind: 'mealOffered', version: 1, payload: d.ok ? d.value : (undefined as never) }));
    const state = overlay(rowsView({ sittings: [sitting], meals: [setLunch, dish] }), 'c', both);
    const meals = [state.row('meals', 'm1')!, state.row('meals', 'm2')!];
    expect(mealsOnSale(meals)).toEqual([]);
    expect(usualMeal(meals)).toBeUndefined();
    const nothing = decideDelivery({ standing, sitting, meal: usualMeal(meals), held: [], residentOrders: [], mealBalance: 0, confirmedBy: 'tick' });
    expect(nothing).toEqual({ ok: false, error: { key: 'nothingOnSale', params: {} } });
    if (!nothing.ok) expect(formatMessage(nothing.error, 'zh')).toContain('都已停售');
    // Either is put back from there.
    expect(decideMealOffered(sitting, meals, 'm2', true, '2026-11-25')).toEqual({ ok: true, value: { sittingId: sitting.id, mealId: 'm2', offered: true } });
  });

  it('gives a delivery or a touchscreen booking the set meal on sale, else the first meal on sale', () => {
    expect(usualMeal([dish, setLunch])?.id).toBe('m1');
    expect(usualMeal([dish, { ...setLunch, offered: false }])?.id).toBe('m2');
    expect(usualMeal([{ ...dish, offered: false }, { ...setLunch, offered: false }])).toBeUndefined();
  });
});

describe('subsidy categories set on the device', () => {
  const form = { id: 'age90', name: '90岁以上', basis: 'age' as const, minAge: 90, maxAge: null, flags: [], subsidyFen: 400, capPerDayFen: 800, minBillFen: null, deliverySubsidyFen: 300, active: true };
  it('a new age band, a change of one the centre has; a sold meal keeps the subsidy it was sold with', () => {
    expect(decideSubsidyRule(form, true, ['age60'])).toEqual({ ok: true, value: { isNew: true, rule: form } });
    const change = decideSubsidyRule({ ...age80, subsidyFen: 100, capPerDayFen: 100 }, false, ['age80']);
    if (!change.ok) throw new Error(change.error.key);
    const before = sold(ctx(), 'o1');
    const state = overlay(rowsView({ ...{ sittings: [sitting], meals: [setLunch], resources: [{ id: sitting.id, centreId: 'c', capacity: 30, used: 0, changeSeq: 1 }] }, subsidyRules: [age80] }), 'c',
      [before, ev({ kind: 'subsidyRuleSet', version: 1, payload: change.value })]);
    expect(state.row('subsidyRules', 'age80')).toMatchObject({ subsidyFen: 100, capPerDayFen: 100 });
    expect(state.row('mealOrders', 'o1')).toMatchObject({ category: 'age80', subsidyFen: 300, paidFen: 200 });
  });
  it('refuses a key taken, an age band without its ages, a status without flags, a cap below the subsidy, naming the field', () => {
    const field = (d: ReturnType<typeof decideSubsidyRule>) => (d.ok ? null : d.error.params);
    expect(field(decideSubsidyRule(form, true, ['age90']))).toEqual({ field: 'taken' });
    expect(field(decideSubsidyRule({ ...form, minAge: null }, true, []))).toEqual({ field: 'ages' });
    expect(field(decideSubsidyRule({ ...form, minAge: 90, maxAge: 80 }, true, []))).toEqual({ field: 'ages' });
    expect(field(decideSubsidyRule({ ...form, basis: 'status' }, true, []))).toEqual({ field: 'flags' });
    expect(field(decideSubsidyRule({ ...form, capPerDayFen: 300 }, true, []))).toEqual({ field: 'cap' });
    expect(field(decideSubsidyRule({ ...form, name: ' ' }, true, []))).toEqual({ field: 'name' });
    expect(field(decideSubsidyRule({ ...form, id: 'Age 90' }, true, []))).toEqual({ field: 'id' });
    expect(formatMessage({ key: 'subsidyRuleInvalid', params: { field: 'cap' } }, 'zh')).toBe('补贴类别有误：每日封顶不能低于每餐补贴。');
  });
});

describe('the route list', () => {
  it('prints each building with its volunteer, each stop masked with a box or the time it was delivered, and the total', () => {
    const doc = layoutRouteList({
      centreName: '五洲观澜社区党群服务中心', day: '2026-11-25', sittingName: '午餐', printedAt: Date.parse('2026-11-25T03:50:00Z'),
      buildings: [
        { building: '3栋', volunteer: '王*', stops: [{ residentName: '李*英', room: '2单元501', mealName: '爱心套餐', billFen: 300, deliveredAt: Date.parse('2026-11-25T04:12:00Z') }] },
        { building: '7栋', volunteer: null, stops: [{ residentName: '张*明', room: null, mealName: '爱心套餐', billFen: 800, deliveredAt: null }] },
      ],
    }, '58mm', 'zh');
    const lines = plainLines(doc);
    expect(lines).toContain('送餐路线单 2026-11-25 午餐');
    expect(lines.some((l) => l.startsWith('3栋') && l.endsWith('1 户'))).toBe(true);
    expect(lines.some((l) => l.startsWith('志愿者') && l.endsWith('未安排'))).toBe(true);
    expect(lines.some((l) => l.startsWith('√ 12:12 李*英 2单元501') && l.endsWith('￥3.00'))).toBe(true);
    expect(lines.some((l) => l.startsWith('□ 张*明') && l.endsWith('￥8.00'))).toBe(true);
    expect(lines.some((l) => l.startsWith('合计') && l.endsWith('2 户'))).toBe(true);
    expect(doc.lines.at(-1)).toEqual({ kind: 'cut' });
  });
});
