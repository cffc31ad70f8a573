import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ageOn, sittingIdFor } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { bookMeal, type Clock } from '../../renderer/src/store/actions.js';
import { publishSittings } from '../../renderer/src/store/canteenMenu.js';
import { sittingsOn, sittingsOnDays } from '../../renderer/src/store/view.js';
import { bookableSittings } from '../../renderer/src/selfService/replica.js';
import { type ScratchDb } from '../support/db.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { syncedStore } from '../support/store.js';
import { NOW, smallCentreRows, canteenCentreDb } from '../support/centre.js';

/**
 * Several days' sittings read at once (`sittingsOnDays`, three round trips whatever the number of
 * days) show what the days read one by one show — and, offline, a sitting published on this till and
 * a booking made here, before either reaches the server: the new sitting with its meals and places,
 * the booked place taken, and the resident's booking marked on the sittings a touchscreen offers.
 */
const STAFF = 'wzgl-s4';
const TODAY = '2026-11-25'; // the clock below is 11:30 in Shanghai
const TOMORROW = addDays(TODAY, 1);

describe('sittings of several days at once', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let network: Network = 'up';
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + 90 * 60_000 + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const fetchFn: typeof fetch = (input, init) => injectFetch(app, () => network)(input, init);

  beforeAll(async () => {
    db = await canteenCentreDb('pglite');
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('shows what the days one by one show, and offline the till\'s own sitting and booking', async () => {
    const { db: till } = await syncedStore('sittings-days', db, fetchFn, 'canteen');
    const days = [TODAY, TOMORROW, addDays(TODAY, 2)];
    const oneByOne = async () => (await Promise.all(days.map((d) => sittingsOn(till, d)))).flat();
    expect((await sittingsOnDays(till, days)).length).toBeGreaterThanOrEqual(6);
    expect(await sittingsOnDays(till, days)).toEqual(await oneByOne());

    network = 'down';
    // A sitting published here, on a day the replica has none.
    const later = addDays(TODAY, 20);
    expect(await sittingsOnDays(till, [later])).toEqual([]);
    const published = await publishSittings(till, clock, {
      day: later, meal: 'lunch', opensAt: '11:30', closesAt: '13:00', bookingCutoff: '10:00', deliveryFeeFen: 300, capacity: 25,
      meals: [{ name: '爱心套餐', dishes: '一荤两素', setMeal: true, priceFen: 500, costFen: 900 }, { name: '加一份荤菜', dishes: '', setMeal: false, priceFen: 400, costFen: 500 }],
    }, 1, STAFF);
    expect(published.ok).toBe(true);
    const mine = (await sittingsOnDays(till, [TOMORROW, later])).filter((s) => s.sitting.day === later);
    expect(mine.map((s) => ({ id: s.sitting.id, places: s.places, meals: s.meals.map((m) => [m.name, m.priceFen, m.setMeal]) }))).toEqual([
      { id: sittingIdFor(later, 'lunch'), places: { capacity: 25, used: 0 }, meals: [['爱心套餐', 500, true], ['加一份荤菜', 400, false]] },
    ]);

    // A booking made here takes its place at once, and the touchscreen's offer marks it.
    const lunch = sittingIdFor(TOMORROW, 'lunch');
    const before = (await sittingsOnDays(till, [TOMORROW])).find((s) => s.sitting.id === lunch)!;
    const who = smallCentreRows().residents.find((r) => r.birthDate !== null && ageOn(r.birthDate, TODAY) >= 60)!;
    expect((await bookableSittings(till, clock.now(), who.id)).find((o) => o.sitting.id === lunch)).toMatchObject({ booked: false });
    const booked = await bookMeal(till, clock, { sittingId: lunch, day: TOMORROW, mealId: before.meals[0]!.id, residentId: who.id, override: false }, STAFF);
    expect(booked.ok).toBe(true);
    const after = (await sittingsOnDays(till, [TODAY, TOMORROW])).find((s) => s.sitting.id === lunch)!;
    expect(after.places).toEqual({ capacity: before.places.capacity, used: before.places.used + 1 });
    const offered = await bookableSittings(till, clock.now(), who.id);
    expect(offered.find((o) => o.sitting.id === lunch)).toMatchObject({ booked: true, placesLeft: before.places.capacity - before.places.used - 1 });
    expect(await sittingsOnDays(till, days)).toEqual(await oneByOne());
    till.close();
  });
});
