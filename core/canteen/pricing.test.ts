import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, heldCategories, priceMeal, type HadToday, type PriceQuestion } from './pricing.js';
import type { Eligibility, SubsidyRule } from './rows.js';

/** The demo's categories (the figures every centre sets for itself). */
const rule = (id: string, o: Partial<SubsidyRule>): SubsidyRule => ({
  id, centreId: 'c', name: id, basis: 'age', minAge: null, maxAge: null, flags: [], subsidyFen: 0, capPerDayFen: 0, minBillFen: null,
  deliverySubsidyFen: 0, active: true, changeSeq: 1, ...o,
});
const age60 = rule('age60', { minAge: 60, maxAge: 69, subsidyFen: 100, capPerDayFen: 200 });
const age70 = rule('age70', { minAge: 70, maxAge: 79, subsidyFen: 200, capPerDayFen: 400 });
const age80 = rule('age80', { minAge: 80, subsidyFen: 300, capPerDayFen: 500, deliverySubsidyFen: 200 });
const hardship = rule('hardship', { basis: 'status', flags: ['lowIncome', 'extremeHardship'], subsidyFen: 400, capPerDayFen: 800, minBillFen: 500 });
const disabled = rule('disabled', { basis: 'status', flags: ['disabled'], subsidyFen: 350, capPerDayFen: 700, deliverySubsidyFen: 300 });
const RULES = [age60, age70, age80, hardship, disabled];

const ask = (o: Partial<PriceQuestion> & { held?: readonly SubsidyRule[]; today?: readonly HadToday[] }): PriceQuestion => ({
  listPriceFen: 500, deliveryFeeFen: 0, sittingId: 'lunch', chosen: null, person: { held: o.held ?? [], today: o.today ?? [] }, ...o,
});
const priced = (q: PriceQuestion) => {
  const d = priceMeal(q);
  if (!d.ok) throw new Error(d.error.key);
  return d.value;
};

describe('priceMeal: worked examples', () => {
  it('a walk-in without a card pays the 5-yuan list price', () => {
    expect(priced({ ...ask({}), person: null })).toEqual({ category: null, listPriceFen: 500, deliveryFeeFen: 0, subsidyFen: 0, deliverySubsidyFen: 0, paidFen: 500, note: 'walkIn' });
  });

  it('李奶奶, 82: breakfast ￥2 fully subsidised, lunch gets ￥3 of her ￥5 cap, dinner what is left: nothing', () => {
    const breakfast = priced(ask({ listPriceFen: 200, sittingId: 'breakfast', held: [age80] }));
    expect(breakfast).toMatchObject({ category: 'age80', subsidyFen: 200, paidFen: 0, note: 'subsidised' });
    const lunch = priced(ask({ held: [age80], today: [{ sittingId: 'breakfast', subsidyFen: 200 }] }));
    expect(lunch).toMatchObject({ subsidyFen: 300, paidFen: 200, note: 'subsidised' });
    const dinner = priced(ask({ sittingId: 'dinner', held: [age80], today: [{ sittingId: 'breakfast', subsidyFen: 200 }, { sittingId: 'lunch', subsidyFen: 300 }] }));
    expect(dinner).toMatchObject({ subsidyFen: 0, paidFen: 500, note: 'capReached' });
  });

  it('the cap cuts a subsidy short: ￥4 cap, ￥3 given at breakfast, lunch gets ￥1', () => {
    expect(priced(ask({ held: [age70], today: [{ sittingId: 'breakfast', subsidyFen: 300 }] }))).toMatchObject({ subsidyFen: 100, paidFen: 400, note: 'capPartial' });
  });

  it('one subsidised meal per person per sitting: a second lunch is sold at list price, and says why', () => {
    expect(priced(ask({ held: [age80], today: [{ sittingId: 'lunch', subsidyFen: 300 }] }))).toMatchObject({ subsidyFen: 0, paidFen: 500, note: 'secondInSitting' });
  });

  it('a minimum bill: 低保 subsidises ￥4 only on a bill of ￥5 or more', () => {
    expect(priced(ask({ listPriceFen: 450, held: [hardship] }))).toMatchObject({ category: 'hardship', subsidyFen: 0, paidFen: 450, note: 'belowMinimum' });
    expect(priced(ask({ listPriceFen: 500, held: [hardship] }))).toMatchObject({ subsidyFen: 400, paidFen: 100 });
  });

  it('takes the category that gives most, unless staff name one the person holds', () => {
    expect(priced(ask({ held: [age80, hardship] }))).toMatchObject({ category: 'hardship', subsidyFen: 400 });
    expect(priced(ask({ held: [age80, hardship], chosen: 'age80' }))).toMatchObject({ category: 'age80', subsidyFen: 300 });
    expect(priceMeal(ask({ held: [age80], chosen: 'disabled' }))).toEqual({ ok: false, error: { key: 'categoryNotHeld', params: { category: 'disabled' } } });
  });

  it('a subsidy never passes the list price: a ￥1.50 porridge with ￥3 a meal costs nothing, not less', () => {
    expect(priced(ask({ listPriceFen: 150, held: [age80] }))).toMatchObject({ subsidyFen: 150, paidFen: 0 });
  });

  it('delivery adds the fee and a category\'s delivery subsidy takes it off, outside the daily cap', () => {
    const q = ask({ deliveryFeeFen: 300, held: [disabled], today: [{ sittingId: 'breakfast', subsidyFen: 700 }] });
    expect(priced(q)).toMatchObject({ category: 'disabled', listPriceFen: 500, deliveryFeeFen: 300, subsidyFen: 0, deliverySubsidyFen: 300, paidFen: 500, note: 'capReached' });
    expect(priced(ask({ deliveryFeeFen: 300, held: [] }))).toMatchObject({ paidFen: 800, note: 'noCategory' });
  });
});

describe('heldCategories', () => {
  const resident = { id: 'r1', birthDate: '1944-11-26' };
  it('an age band by the birth date on the day: 81 the day before the birthday, 82 on it', () => {
    expect(ageOn('1944-11-26', '2026-11-25')).toBe(81);
    expect(ageOn('1944-11-26', '2026-11-26')).toBe(82);
    expect(heldCategories({ id: 'r2', birthDate: '1957-03-01' }, RULES, [], '2026-11-25').map((r) => r.id)).toEqual(['age60']);
    expect(heldCategories({ id: 'r2', birthDate: null }, RULES, [], '2026-11-25')).toEqual([]);
  });

  it('a status only with staff\'s approval, valid that day; an inactive rule holds nothing', () => {
    const approval = (o: Partial<Eligibility>): Eligibility => ({
      id: 'e1', centreId: 'c', residentId: 'r1', category: 'disabled', approvedBy: 's4', approvedOn: '2026-11-01', validFrom: '2026-11-01', validUntil: '2026-11-30', note: '', changeSeq: 1, ...o,
    });
    expect(heldCategories(resident, RULES, [approval({})], '2026-11-25').map((r) => r.id)).toEqual(['age80', 'disabled']);
    expect(heldCategories(resident, RULES, [approval({})], '2026-12-01').map((r) => r.id)).toEqual(['age80']);
    expect(heldCategories(resident, RULES, [approval({ residentId: 'r9' })], '2026-11-25').map((r) => r.id)).toEqual(['age80']);
    expect(heldCategories(resident, [{ ...age80, active: false }], [], '2026-11-25')).toEqual([]);
  });
});

describe('priceMeal: properties', () => {
  const ruleArb = fc.record({
    subsidyFen: fc.integer({ min: 0, max: 800 }), capPerDayFen: fc.integer({ min: 0, max: 1200 }),
    minBillFen: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }), deliverySubsidyFen: fc.integer({ min: 0, max: 400 }),
  });
  const saleArb = fc.record({ sitting: fc.constantFrom('breakfast', 'lunch', 'dinner'), listPriceFen: fc.integer({ min: 0, max: 1500 }), deliveryFeeFen: fc.constantFrom(0, 300) });

  it('a daily cap holds in any order of sales, with one subsidised meal per sitting, and paid always adds up', () => {
    fc.assert(fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 3 }), fc.array(saleArb, { maxLength: 8 }), (specs, sales) => {
      const held = specs.map((s, i) => rule(`cat${i}`, { basis: 'status', flags: ['disabled'], ...s }));
      const today: HadToday[] = [];
      for (const s of sales) {
        const p = priced({ listPriceFen: s.listPriceFen, deliveryFeeFen: s.deliveryFeeFen, sittingId: s.sitting, chosen: null, person: { held, today } });
        const used = held.find((r) => r.id === p.category)!;
        expect(p.paidFen).toBe(p.listPriceFen + p.deliveryFeeFen - p.subsidyFen - p.deliverySubsidyFen);
        expect(p.paidFen).toBeGreaterThanOrEqual(0);
        expect(p.subsidyFen).toBeLessThanOrEqual(Math.min(used.subsidyFen, p.listPriceFen));
        if (p.subsidyFen > 0) {
          expect(today.some((t) => t.sittingId === s.sitting && t.subsidyFen > 0)).toBe(false);
          // What the day has given, this meal included, stays within the cap of the category used.
          expect(today.reduce((n, t) => n + t.subsidyFen, 0) + p.subsidyFen).toBeLessThanOrEqual(used.capPerDayFen);
        }
        today.push({ sittingId: s.sitting, subsidyFen: p.subsidyFen });
      }
      expect(today.reduce((n, t) => n + t.subsidyFen, 0)).toBeLessThanOrEqual(Math.max(...held.map((r) => r.capPerDayFen)));
    }), { numRuns: 500 });
  });

  it('the day\'s total subsidy of a one-category person never passes the cap, whatever the order of the same meals', () => {
    fc.assert(fc.property(ruleArb, fc.array(saleArb, { minLength: 1, maxLength: 6 }).chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }))), (spec, [sales, shuffled]) => {
      const held = [rule('only', { basis: 'status', flags: ['disabled'], ...spec })];
      const total = (order: typeof sales) => {
        const today: HadToday[] = [];
        for (const s of order) today.push({ sittingId: s.sitting, subsidyFen: priced({ ...s, sittingId: s.sitting, chosen: null, person: { held, today } }).subsidyFen });
        return today.reduce((n, t) => n + t.subsidyFen, 0);
      };
      expect(total(sales)).toBeLessThanOrEqual(spec.capPerDayFen);
      expect(total(shuffled)).toBeLessThanOrEqual(spec.capPerDayFen);
    }), { numRuns: 300 });
  });
});
