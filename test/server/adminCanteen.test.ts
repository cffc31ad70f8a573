import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { addDays, makeStaffCardCode, sittingIdFor, type MenuMeal, type PaymentCode, type Resource, type SubsidyRule } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { DEMO_PAYMENT_CODE, ensureDemoCanteen, seedDemoCanteen } from '../../server/demo/canteen.js';
import { seedDemoCentre } from '../../server/demo/seed.js';
import { seededScratchDb, type ScratchDb } from '../support/db.js';
import { enrolDevice, NOW, SMALL, seedSmallCentre, smallCentreRows } from '../support/centre.js';

/**
 * The canteen as an admin keeps it through the admin API (the admin app's 食堂 and 补贴类别
 * screens), on PGlite: sittings published for a week of days, a published menu changed, places
 * set, subsidy categories added and changed; each refusal clear and changing nothing; every
 * change reaches a canteen till's pull; another centre's admin reaches none of it.
 */
describe('the canteen from the admin app', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  beforeEach(async () => {
    db = await seededScratchDb('pglite', async (d) => {
      await seedSmallCentre(d);
      await seedDemoCanteen(d, { centreId: 'wzgl', until: NOW }, smallCentreRows().residents);
    }, 'small-canteen');
    app = await buildApp({ db, now: () => NOW, idKey: randomBytes(32) });
  }, 120_000);
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const TODAY = '2026-11-25';
  const signIn = async (centreId = 'wzgl') => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId, cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD } });
    return /linli_admin=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0] ?? '';
  };
  const post = (cookie: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as Record<string, unknown> });
  const count = async (sql: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`))[0]!.n;
  const lunch = (day: string) => ({
    day, meal: 'lunch', opensAt: '11:30', closesAt: '13:00', bookingCutoff: '10:00', deliveryFeeFen: 300, capacity: 30,
    meals: [{ id: null, name: '爱心套餐', dishes: '一荤两素', setMeal: true, priceFen: 500, costFen: 900 }, { id: null, name: '小份米饭', dishes: '', setMeal: false, priceFen: 50, costFen: 40 }],
  });

  it('publishes a week of sittings, changes a menu and its places, and a canteen till pulls every change', async () => {
    const cookie = await signIn();
    const listed = (await app.inject({ method: 'GET', url: '/api/admin/canteen/sittings', headers: { cookie } })).json<{ today: string; sittings: { id: string; day: string; meals: unknown[] }[] }>();
    expect(listed.today).toBe(TODAY);
    expect(listed.sittings.some((s) => s.id === sittingIdFor(TODAY, 'lunch') && s.meals.length > 0)).toBe(true);

    const first = addDays(TODAY, 10);
    const sittingsBefore = await count(`meal_sitting WHERE centre_id = 'wzgl'`);
    const published = await post(cookie, '/api/admin/canteen/sittings', { ...lunch(first), days: 3 });
    expect(published.json()).toEqual({ published: [first, addDays(first, 1), addDays(first, 2)], skipped: [] });
    expect(await count(`meal_sitting WHERE centre_id = 'wzgl'`)).toBe(sittingsBefore + 3);
    // Again from the day before: that day is new, the three after it are there already and skipped.
    const again = await post(cookie, '/api/admin/canteen/sittings', { ...lunch(addDays(first, -1)), days: 4 });
    expect(again.json()).toEqual({ published: [addDays(first, -1)], skipped: [first, addDays(first, 1), addDays(first, 2)] });
    // The first day taken, a day gone by, times out of order, a meal without a price: refused, nothing written.
    // A day too far ahead (a year typed wrong) or not on the calendar, places or a fee that are not a number (null: NaN in JSON).
    const refusals = [
      [{ ...lunch(first), days: 2 }, '已经发布'],
      [lunch(addDays(TODAY, -400)), '日期已过'],
      [lunch(addDays(TODAY, 21)), '最多提前 21 天'],
      [lunch('2027-11-30'), '最多提前 21 天'],
      [lunch('2026-11-31'), '日期不对'],
      [{ ...lunch(addDays(TODAY, 13)), bookingCutoff: '12:00' }, '时间要按顺序'],
      [{ ...lunch(addDays(TODAY, 13)), capacity: null }, '名额要填 0 或以上的整数'],
      [{ ...lunch(addDays(TODAY, 13)), deliveryFeeFen: null }, '送餐费在'],
      [{ ...lunch(addDays(TODAY, 13)), meals: [{ id: null, name: '套餐', dishes: '', setMeal: true, priceFen: null, costFen: 0 }] }, '套餐'],
    ] as const;
    for (const [body, words] of refusals) {
      const res = await post(cookie, '/api/admin/canteen/sittings', body);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain(words);
    }
    expect(await count(`meal_sitting WHERE centre_id = 'wzgl'`)).toBe(sittingsBefore + 4);

    // The menu: one meal repriced, one added; a meal of no such id is refused.
    const id = sittingIdFor(first, 'lunch');
    const meals = await db.query<MenuMeal>(`SELECT id, name, dishes, set_meal AS "setMeal", price_fen AS "priceFen", cost_fen AS "costFen" FROM menu_meal WHERE centre_id = 'wzgl' AND sitting_id = $1 ORDER BY name DESC`, [id]);
    const lines = meals.map((m) => ({ id: m.id, name: m.name, dishes: m.dishes, setMeal: m.setMeal, priceFen: m.priceFen, costFen: m.costFen }));
    const changed = await post(cookie, `/api/admin/canteen/sittings/${id}/menu`, { meals: [{ ...lines[0]!, priceFen: 600 }, lines[1]!, { id: null, name: '番茄蛋汤', dishes: '', setMeal: false, priceFen: 100, costFen: 80 }] });
    expect(changed.json()).toEqual({ sittingId: id, added: 1, changed: 1 });
    expect((await post(cookie, `/api/admin/canteen/sittings/${id}/menu`, { meals: [{ ...lines[0]!, id: 'no-such-meal' }] })).statusCode).toBe(409);
    expect((await post(cookie, `/api/admin/canteen/sittings/${id}/menu`, { meals: [{ ...lines[0]!, priceFen: 600 }, lines[1]!, { id: null, name: '番茄蛋汤', dishes: '', setMeal: false, priceFen: 100, costFen: 80 }] })).json().message).toContain('菜单上已经有「番茄蛋汤」');

    // Places: never fewer than are taken; today's lunch has bookings in the demo.
    const today = (await db.query<Resource>(`SELECT capacity, used FROM resource WHERE centre_id = 'wzgl' AND id = $1`, [sittingIdFor(TODAY, 'lunch')]))[0]!;
    expect(today.used).toBeGreaterThan(0);
    const tooFew = await post(cookie, `/api/admin/canteen/sittings/${sittingIdFor(TODAY, 'lunch')}/places`, { capacity: today.used - 1 });
    expect(tooFew.statusCode).toBe(409);
    expect(tooFew.json().message).toContain(String(today.used));
    expect((await post(cookie, `/api/admin/canteen/sittings/${id}/places`, { capacity: 45 })).json()).toEqual({ sittingId: id, capacity: 45 });
    expect((await post(cookie, '/api/admin/canteen/sittings/20990101-l/places', { capacity: 45 })).statusCode).toBe(404);

    // A canteen till pulls all of it.
    const till = await enrolDevice(db, 'wzgl', 'canteen');
    const pulled = (await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${till.token}` } }))
      .json<{ rows: { sittings: { id: string }[]; meals: MenuMeal[]; resources: Resource[] } }>().rows;
    expect(pulled.sittings.map((s) => s.id)).toContain(sittingIdFor(addDays(first, 2), 'lunch'));
    expect(pulled.meals.filter((m) => m.sittingId === id).map((m) => `${m.name} ${m.priceFen}`).sort()).toEqual(['小份米饭 50', '爱心套餐 600', '番茄蛋汤 100']);
    expect(pulled.resources.find((r) => r.id === id)?.capacity).toBe(45);
    // Audited: the admin's events, by name.
    const audit = (await app.inject({ method: 'GET', url: '/api/admin/audit/trail', headers: { cookie } })).json<{ action: string; staffName: string }[]>();
    expect(audit.filter((a) => ['sittingPublished', 'menuChanged', 'sittingCapacitySet'].includes(a.action)).map((a) => a.staffName)).toEqual(Array(6).fill('王秀英'));

    // Another centre's admin: that sitting is not theirs to see or change.
    await seedDemoCentre(db, { ...SMALL, centreId: 'hxjd', centreName: '和谐社区党群服务中心' });
    const theirs = await signIn('hxjd');
    const seen = (await app.inject({ method: 'GET', url: `/api/admin/canteen/sittings?from=${first}`, headers: { cookie: theirs } })).json<{ sittings: unknown[] }>();
    expect(seen.sittings).toEqual([]);
    expect((await post(theirs, `/api/admin/canteen/sittings/${id}/places`, { capacity: 1 })).statusCode).toBe(404);
    expect((await post(theirs, `/api/admin/canteen/sittings/${id}/menu`, { meals: lines })).statusCode).toBe(404);
    expect((await db.query<Resource>(`SELECT capacity FROM resource WHERE centre_id = 'wzgl' AND id = $1`, [id]))[0]!.capacity).toBe(45);
  });

  it('takes a meal off sale and puts it back, never the last on sale; a canteen till pulls each change', async () => {
    const cookie = await signIn();
    const sittings = async () => (await app.inject({ method: 'GET', url: '/api/admin/canteen/sittings', headers: { cookie } }))
      .json<{ sittings: { id: string; day: string; meals: MenuMeal[] }[] }>().sittings;
    const day = addDays(TODAY, 10);
    expect((await post(cookie, '/api/admin/canteen/sittings', lunch(day))).statusCode).toBe(200);
    const id = sittingIdFor(day, 'lunch');
    // By name: meals published together are listed in the order of their random ids.
    const meals = async () => Object.fromEntries((await sittings()).find((s) => s.id === id)!.meals.map((m) => [m.name, m.offered]));
    const menu = (await sittings()).find((s) => s.id === id)!.meals;
    const [setMeal, rice] = [menu.find((m) => m.name === '爱心套餐'), menu.find((m) => m.name === '小份米饭')];
    const offer = (mealId: string, offered: unknown, sitting = id) => post(cookie, `/api/admin/canteen/sittings/${sitting}/meals/${encodeURIComponent(mealId)}/offered`, { offered });
    const events = () => count(`event WHERE kind = 'mealOffered'`);

    expect((await offer(rice!.id, false)).json()).toEqual({ sittingId: id, mealId: rice!.id, offered: false });
    expect(await meals()).toEqual({ 爱心套餐: true, 小份米饭: false });
    const before = await events();
    // Not again, not the last one on sale, not a meal of another menu or an unknown sitting; a body that is not a yes or no.
    const refused = [
      [await offer(rice!.id, false), 409, '没有改动'],
      [await offer(setMeal!.id, false), 409, '唯一在售'],
      [await offer('wzgl-no-such-meal', false), 409, '不在这个餐次的菜单上'],
      [await offer(rice!.id, true, sittingIdFor(addDays(TODAY, 11), 'lunch')), 404, ''],
      [await offer(rice!.id, 'yes'), 400, ''],
    ] as const;
    for (const [res, status, words] of refused) {
      expect(res.statusCode).toBe(status);
      expect(res.json().message).toContain(words);
    }
    expect(await events()).toBe(before);
    expect(await meals()).toEqual({ 爱心套餐: true, 小份米饭: false });

    // A canteen till pulls the meal as off sale; back on sale, it pulls that too.
    const device = await enrolDevice(db, 'wzgl', 'canteen');
    const pulled = async () => (await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${device.token}` } }))
      .json<{ rows: { meals: MenuMeal[] } }>().rows.meals.find((m) => m.id === rice!.id)?.offered;
    expect(await pulled()).toBe(false);
    expect((await offer(rice!.id, true)).statusCode).toBe(200);
    expect(await meals()).toEqual({ 爱心套餐: true, 小份米饭: true });
    expect(await pulled()).toBe(true);
    // Another centre's admin cannot reach this centre's sitting.
    await seedDemoCentre(db, { ...SMALL, centreId: 'hxjd', centreName: '和谐社区党群服务中心' });
    const theirs = await signIn('hxjd');
    expect((await post(theirs, `/api/admin/canteen/sittings/${id}/meals/${encodeURIComponent(rice!.id)}/offered`, { offered: false })).statusCode).toBe(404);
    expect(await meals()).toEqual({ 爱心套餐: true, 小份米饭: true });
  });

  it('adds and changes subsidy categories; a taken key, a cap below the subsidy and a status without flags are refused', async () => {
    const cookie = await signIn();
    const rules = async () => (await app.inject({ method: 'GET', url: '/api/admin/canteen/subsidy-rules', headers: { cookie } })).json<SubsidyRule[]>();
    const before = await rules();
    expect(before.map((r) => r.id)).toEqual(['age60', 'age70', 'age80', 'disabled', 'hardship']);
    const age90 = { isNew: true, id: 'age90', name: '90岁以上', basis: 'age', minAge: 90, maxAge: null, flags: [], subsidyFen: 500, capPerDayFen: 1000, minBillFen: null, deliverySubsidyFen: 300, active: true };
    expect((await post(cookie, '/api/admin/canteen/subsidy-rules', age90)).json()).toEqual({ id: 'age90' });
    const refused = [
      [age90, '已经有类别'],
      [{ ...age90, id: 'age95', capPerDayFen: 100 }, '每日封顶不能低于每餐补贴'],
      [{ ...age90, id: 'age95', subsidyFen: null }, '金额在'],
      [{ ...age90, id: 'veteran', basis: 'status', flags: [] }, '至少要对应一种身份'],
      [{ ...age90, isNew: false, id: 'nosuch' }, '编号只能用'],
      [{ ...age90, id: 'AGE 90' }, '编号只能用'],
    ] as const;
    for (const [body, words] of refused) {
      const res = await post(cookie, '/api/admin/canteen/subsidy-rules', body);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain(words);
    }
    const age60 = before.find((r) => r.id === 'age60')!;
    const form = { id: age60.id, name: age60.name, basis: age60.basis, minAge: age60.minAge, maxAge: age60.maxAge, flags: age60.flags, minBillFen: age60.minBillFen, deliverySubsidyFen: age60.deliverySubsidyFen, active: age60.active };
    expect((await post(cookie, '/api/admin/canteen/subsidy-rules', { ...form, isNew: false, subsidyFen: 150, capPerDayFen: 300 })).statusCode).toBe(200);
    const after = await rules();
    expect(after.map((r) => r.id)).toEqual(['age60', 'age70', 'age80', 'age90', 'disabled', 'hardship']);
    expect(after.find((r) => r.id === 'age60')).toMatchObject({ subsidyFen: 150, capPerDayFen: 300, name: age60.name });

    // Another centre's admin: its own categories only; this centre's age90 is not theirs to change.
    await seedDemoCentre(db, { ...SMALL, centreId: 'hxjd', centreName: '和谐社区党群服务中心' });
    const theirs = await signIn('hxjd');
    expect((await app.inject({ method: 'GET', url: '/api/admin/canteen/subsidy-rules', headers: { cookie: theirs } })).json()).toEqual([]);
    const taken = await post(theirs, '/api/admin/canteen/subsidy-rules', { ...age90, isNew: false, subsidyFen: 1 });
    expect(taken.statusCode).toBe(409);
    expect((await rules()).find((r) => r.id === 'age90')?.subsidyFen).toBe(500);
  });

  it('sets the centre\'s payment code, which the canteen\'s tills pull; what is not a collection code is refused and changes nothing', async () => {
    const cookie = await signIn();
    const now = async (c = cookie) => (await app.inject({ method: 'GET', url: '/api/admin/canteen/payment-code', headers: { cookie: c } })).json<{ paymentCode: PaymentCode | null }>().paymentCode;
    expect(await now()).toMatchObject(DEMO_PAYMENT_CODE);
    const events = () => count(`event WHERE kind = 'paymentCodeSet'`);
    const before = await events();
    const refused = [
      [{ code: 'http://qr.alipay.com/fkx01234', payee: '食堂' }, '这不是收款码'],
      [{ code: 'LL0000000117', payee: '食堂' }, '这不是收款码'],
      [{ code: 'wxp://f2f0 abc def', payee: '食堂' }, '这不是收款码'],
      [{ code: 'wxp://ab', payee: '食堂' }, '这不是收款码'],
      [{ code: '   ', payee: '食堂' }, '这不是收款码'],
      [{ code: `https://qr.alipay.com/${'x'.repeat(500)}`, payee: '食堂' }, '这不是收款码'],
      [{ code: 'https://qr.alipay.com/fkx01234', payee: '   ' }, '请填写收款方名称'],
    ] as const;
    for (const [body, words] of refused) {
      const res = await post(cookie, '/api/admin/canteen/payment-code', body);
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain(words);
    }
    // Oversized or malformed: refused before anything is decided.
    expect((await post(cookie, '/api/admin/canteen/payment-code', { code: 'x'.repeat(3_000), payee: '食堂' })).statusCode).toBe(400);
    expect((await post(cookie, '/api/admin/canteen/payment-code', { code: 'https://qr.alipay.com/fkx01234', payee: '食堂', extra: 1 })).statusCode).toBe(400);
    expect(await events()).toBe(before);
    expect(await now()).toMatchObject(DEMO_PAYMENT_CODE);

    const alipay = { code: ' https://qr.alipay.com/fkx01234abcd ', payee: '五洲观澜社区食堂' };
    expect((await post(cookie, '/api/admin/canteen/payment-code', alipay)).statusCode).toBe(200);
    expect(await now()).toMatchObject({ code: 'https://qr.alipay.com/fkx01234abcd', payee: '五洲观澜社区食堂' });
    // A canteen till pulls it; a counter, which takes no QR payment, does not.
    const pulled = async (profile: 'canteen' | 'counter') => {
      const device = await enrolDevice(db, 'wzgl', profile);
      return (await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${device.token}` } })).json<{ rows: { paymentCodes: PaymentCode[] } }>().rows.paymentCodes;
    };
    expect((await pulled('canteen')).map((r) => [r.code, r.payee])).toEqual([['https://qr.alipay.com/fkx01234abcd', '五洲观澜社区食堂']]);
    expect(await pulled('counter')).toEqual([]);

    // Another centre's admin sets their own; this centre's stays.
    await seedDemoCentre(db, { ...SMALL, centreId: 'hxjd', centreName: '和谐社区党群服务中心' });
    const theirs = await signIn('hxjd');
    expect(await now(theirs)).toBeNull();
    expect((await post(theirs, '/api/admin/canteen/payment-code', { code: 'wxp://f2f0hexie0001', payee: '和谐食堂' })).statusCode).toBe(200);
    expect(await now(theirs)).toMatchObject({ code: 'wxp://f2f0hexie0001', payee: '和谐食堂' });
    expect(await now()).toMatchObject({ code: 'https://qr.alipay.com/fkx01234abcd' });

    // Turned off: the tills pull a row without a code, and offer no QR payment.
    expect((await post(cookie, '/api/admin/canteen/payment-code', { code: null, payee: '五洲观澜社区食堂' })).statusCode).toBe(200);
    expect((await pulled('canteen')).map((r) => r.code)).toEqual([null]);
    expect(await events()).toBe(before + 3);
    const audit = (await app.inject({ method: 'GET', url: '/api/admin/audit/trail', headers: { cookie } })).json<{ action: string; staffName: string }[]>();
    expect(audit.filter((a) => a.action === 'paymentCodeSet').map((a) => a.staffName)).toEqual(['王秀英', '王秀英']);

    // A demo database whose canteen was made before the payment code gets the demo's at its next start, once.
    await db.query(`DELETE FROM payment_code WHERE centre_id = 'wzgl'`);
    expect(await ensureDemoCanteen(db, { ...SMALL, until: NOW })).toBe(1);
    expect(await now()).toMatchObject(DEMO_PAYMENT_CODE);
    expect(await ensureDemoCanteen(db, { ...SMALL, until: NOW })).toBe(0);
  });
});
