import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { push } from '../../server/sync/push.js';
import {
  approveEligibility, bookMeal, callTicket, cancelBooking, claimMainTill, confirmDelivery, finishTicket, sellMeal, setSittingPlaces, setStandingBooking, topUpMealBalance, type Clock,
} from '../../renderer/src/store/actions.js';
import { categoriesOf, mealBalanceOf, ordersOfSitting, sittingsOn } from '../../renderer/src/store/view.js';
import { addDays, ageOn, callingBoard, deliveryOrderId, mealAccountId, parseTicketCode, readTicketNumber, sittingIdFor, type LinliEvent } from '../../core/index.js';
import { type ScratchDb } from '../support/db.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { syncedStore } from '../support/store.js';
import { ledgerBreaches, NOW, smallCentreRows, canteenCentreDb } from '../support/centre.js';

/**
 * A lunch sitting as two canteen tills run it, through the real kiosk store and sync client
 * (Dexie on an in-memory IndexedDB) and the real server on PGlite: the main till claimed, sales by
 * card and to walk-ins, a booking collected, both tills offline selling past the places, back
 * online with no number twice and the sitting flagged overbooked; calls reaching the other till.
 */
const STAFF = 'wzgl-s4';
const TODAY = '2026-11-25'; // NOW is 10:00 in Shanghai
const LUNCH = sittingIdFor(TODAY, 'lunch');
const rows = smallCentreRows();
const elderly = rows.residents.filter((r) => r.birthDate !== null && ageOn(r.birthDate, TODAY) >= 60);

describe('a lunch sitting at two canteen tills', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let network: Network = 'up';
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + 90 * 60_000 + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) }; // 11:30
  const fetchFn: typeof fetch = (input, init) => injectFetch(app, () => network)(input, init);
  const till = (name: string) => syncedStore(name, db, fetchFn, 'canteen');
  const ok = <T>(d: { ok: true; value: T } | { ok: false; error: { key: string } }): T => {
    if (!d.ok) throw new Error(`refused: ${d.error.key}`);
    return d.value;
  };
  const walkIn = { sittingId: LUNCH, mealId: `${LUNCH}-m1`, residentId: null, chosenCategory: null, payment: 'cash' as const, override: false };

  beforeAll(async () => {
    db = await canteenCentreDb('pglite');
    // The server's clock is the real one: the kiosk measures its offset with Date.now(), so business time is the clock's.
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('sells, numbers, books and calls; offline past the places; back online with no number twice and the overbooking flagged', async () => {
    const a = await till('till-a');
    const b = await till('till-b');
    expect((await a.db.device())!.deviceCode).toBe('C01');
    expect((await b.db.device())!.deviceCode).toBe('C02');
    const [lunch] = (await sittingsOn(a.db, TODAY)).filter((s) => s.sitting.id === LUNCH);
    expect(lunch).toMatchObject({ places: { capacity: 30 }, sitting: { mainTill: null, opensAt: '11:30' } });
    expect(lunch!.meals[0]).toMatchObject({ name: '爱心套餐', priceFen: 500, costFen: 900 });

    // Both claim the plain numbers; the server names the first one it hears, once.
    expect(await claimMainTill(a.db, clock, LUNCH, STAFF)).toBe(true);
    await a.client.sync();
    expect(await claimMainTill(b.db, clock, LUNCH, STAFF)).toBe(true);
    await b.client.sync();
    await a.client.sync();
    expect((await b.db.sittings.get(LUNCH))?.mainTill).toBe('C01');

    // A resident by card: the category follows from the birth date; a walk-in pays the list price.
    const booked = elderly[0]!; // booked yesterday for today's lunch (the demo)
    const card = elderly[7]!;
    const first = ok(await sellMeal(a.db, clock, { ...walkIn, residentId: card.id }, STAFF));
    expect(first.ticket.number).toBe('1');
    expect(first.event).toMatchObject({ kind: 'mealSold', payload: { category: expect.stringMatching(/^age/), listPriceFen: 500 } });
    const second = ok(await sellMeal(a.db, clock, { ...walkIn, residentId: card.id }, STAFF));
    expect(second.note).toBe('secondInSitting');
    expect(second.event.payload).toMatchObject({ subsidyFen: 0, paidFen: 500 });
    expect((await sellMeal(a.db, clock, { ...walkIn, residentId: card.id, chosenCategory: (first.event.payload as { category: string }).category }, STAFF)))
      .toEqual({ ok: false, error: { key: 'secondSubsidisedMeal', params: {} } });
    const collected = ok(await sellMeal(b.db, clock, { ...walkIn, residentId: booked.id }, STAFF));
    expect(collected).toMatchObject({ fromBooking: true, ticket: { number: 'B01' } });
    // The QR names this centre, today and the sitting; a ticket of another day is refused at the window.
    expect(parseTicketCode(collected.ticket.code, { centreId: 'wzgl', day: TODAY, sittingId: LUNCH })).toMatchObject({ ok: true, value: { number: 'B01' } });
    expect(parseTicketCode(collected.ticket.code, { centreId: 'wzgl', day: addDays(TODAY, 1) })).toMatchObject({ ok: false, error: { key: 'ticketOtherDay' } });
    await a.client.sync();
    await b.client.sync();
    await a.client.sync();

    // Two places left; then both tills go offline and sell three each.
    const shown = (await sittingsOn(a.db, TODAY)).find((s) => s.sitting.id === LUNCH)!;
    ok(await setSittingPlaces(a.db, clock, LUNCH, shown.places.used + 2, STAFF));
    await a.client.sync();
    await b.client.sync();
    network = 'down';
    const offA = [];
    const offB = [];
    for (let i = 0; i < 3; i++) {
      const sa = await sellMeal(a.db, clock, walkIn, STAFF);
      const sb = await sellMeal(b.db, clock, walkIn, STAFF);
      if (i < 2) {
        offA.push(ok(sa).ticket.number);
        offB.push(ok(sb).ticket.number);
      } else {
        // Full as each till sees it: refused without an override, sold with one.
        expect(sa).toMatchObject({ ok: false, error: { key: 'sittingFull' } });
        offA.push(ok(await sellMeal(a.db, clock, { ...walkIn, override: true }, STAFF)).ticket.number);
        offB.push(ok(await sellMeal(b.db, clock, { ...walkIn, override: true }, STAFF)).ticket.number);
      }
    }
    expect(offA).toEqual(['3', '4', '5']);
    expect(offB).toEqual(['B02', 'B03', 'B04']);

    network = 'up';
    await a.client.sync();
    await b.client.sync();
    await a.client.sync();
    const numbers = (await db.query<{ number: string; device_code: string }>(`SELECT number, device_code FROM meal_order WHERE sitting_id = $1 AND number IS NOT NULL ORDER BY sold_at`, [LUNCH]));
    expect(numbers.map((n) => n.number).sort()).toEqual(['1', '2', '3', '4', '5', 'B01', 'B02', 'B03', 'B04']);
    for (const d of ['C01', 'C02']) {
      // From 1 with no hole on each till (the rise in the order of sale is the numbering's property
      // test in core/canteen: here the kiosks' clocks stand still while the offsets they measure move).
      const mine = numbers.filter((n) => n.device_code === d).map((n) => readTicketNumber(n.number)!.count).sort((x, y) => x - y);
      expect(mine).toEqual(mine.map((_, i) => i + 1));
    }
    // B's two sales landed past the places A had taken: flagged, applied, never dropped.
    const [overbooked] = await db.query<{ amount: number }>(`SELECT amount FROM rule_exception WHERE kind = 'overbooked' AND subject_id = $1`, [LUNCH]);
    expect(overbooked!.amount).toBeLessThan(0);
    const [places] = await db.query<{ used: number; held: number }>(
      `SELECT r.used, (SELECT count(*)::int FROM meal_order o WHERE o.sitting_id = r.id AND o.state <> 'cancelled' AND NOT o.delivery) AS held FROM resource r WHERE r.id = $1`, [LUNCH]);
    expect(places!.used).toBe(places!.held);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    // Both tills show the same sitting.
    const seenA = (await ordersOfSitting(a.db, LUNCH)).filter((o) => o.number).map((o) => o.number).sort();
    const seenB = (await ordersOfSitting(b.db, LUNCH)).filter((o) => o.number).map((o) => o.number).sort();
    expect(seenA).toEqual(seenB);

    // Calling: A calls next (the first sold), B's calling board shows it after its pull.
    const called = ok(await callTicket(a.db, clock, LUNCH, { kind: 'next' }, STAFF));
    expect(called.number).toBe('1');
    await a.client.sync();
    await b.client.sync();
    const board = callingBoard(await ordersOfSitting(b.db, LUNCH));
    expect(board.now).toMatchObject({ number: '1', calls: 1 });
    // Next is the earliest sale still waiting: A's second or B's first. They were sold a few ms apart,
    // each in the business time its till measured against the server, so either may come first (CI saw B01).
    expect(['2', 'B01']).toContain(board.next[0]?.number);
    expect(board.next.map((t) => t.number)).not.toContain('1');
    ok(await callTicket(b.db, clock, LUNCH, { kind: 'again', orderId: board.now!.id }, STAFF));
    ok(await finishTicket(b.db, clock, board.now!.id, 'served', STAFF));
    expect(await callTicket(b.db, clock, LUNCH, { kind: 'number', number: '1' }, STAFF)).toEqual({ ok: false, error: { key: 'ticketAlreadyServed', params: { number: '1' } } });
    await b.client.sync();
    expect((await db.query<{ state: string; calls: number }>('SELECT state, calls FROM meal_order WHERE number = $1 AND sitting_id = $2', ['1', LUNCH]))[0]).toEqual({ state: 'served', calls: 2 });
  });

  it('bookings: the places left shown, refused after the cut-off, cancelled before it', async () => {
    const a = await till('till-c');
    const tomorrow = sittingIdFor(addDays(TODAY, 1), 'lunch');
    const before = (await sittingsOn(a.db, addDays(TODAY, 1))).find((s) => s.sitting.id === tomorrow)!.places;
    const who = elderly[1]!;
    const booking = ok(await bookMeal(a.db, clock, { sittingId: tomorrow, day: addDays(TODAY, 1), mealId: `${tomorrow}-m1`, residentId: who.id, override: false }, STAFF));
    expect((await sittingsOn(a.db, addDays(TODAY, 1))).find((s) => s.sitting.id === tomorrow)!.places.used).toBe(before.used + 1);
    expect(await bookMeal(a.db, clock, { sittingId: tomorrow, day: addDays(TODAY, 1), mealId: `${tomorrow}-m1`, residentId: who.id, override: false }, STAFF)).toEqual({ ok: false, error: { key: 'alreadyBooked', params: {} } });
    // Today's lunch closed for bookings at 10:00.
    expect(await bookMeal(a.db, clock, { sittingId: LUNCH, day: TODAY, mealId: `${LUNCH}-m1`, residentId: who.id, override: false }, STAFF)).toEqual({ ok: false, error: { key: 'bookingClosed', params: { cutoff: `${TODAY} 10:00` } } });
    ok(await cancelBooking(a.db, clock, (booking as LinliEvent & { payload: { orderId: string } }).payload.orderId, STAFF));
    await a.client.sync();
    expect((await sittingsOn(a.db, addDays(TODAY, 1))).find((s) => s.sitting.id === tomorrow)!.places.used).toBe(before.used);
    expect(await a.db.rejections.count()).toBe(0);
  });

  it('refuses a duplicate ticket number on the server: nothing changes', async () => {
    const a = await till('till-d');
    await a.client.sync();
    const device = (await a.db.device())!;
    const [{ last_seq } = { last_seq: 0 }] = await db.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1', [device.deviceId]);
    const [taken] = await db.query<{ id: string; change_seq: number }>(`SELECT id, change_seq FROM meal_order WHERE sitting_id = $1 AND number = '1'`, [LUNCH]);
    const forged: LinliEvent = {
      id: '019abcde-0000-7000-8000-00000000abcd', deviceId: device.deviceId, seq: last_seq + 1, staffId: STAFF, at: new Date(clock.now()).toISOString(), clockOffset: 0, basis: 0,
      kind: 'mealSold', version: 1, payload: {
        orderId: 'forged-1', fromBooking: false, sittingId: LUNCH, day: TODAY, mealId: `${LUNCH}-m1`, residentId: null, category: null, listPriceFen: 500, deliveryFeeFen: 0,
        subsidyFen: 0, deliverySubsidyFen: 0, paidFen: 500, payment: 'cash', number: '1', deviceCode: device.deviceCode, override: false,
      },
    };
    const res = await push(db, { id: device.deviceId, centreId: 'wzgl', code: device.deviceCode, profile: 'canteen' }, [forged]);
    expect(res.outcomes).toMatchObject([{ status: 'rejected', reason: { key: 'refusedIdTaken', params: { table: 'mealOrders', id: `${LUNCH}/1` } } }]);
    expect((await db.query('SELECT id FROM meal_order WHERE id = $1', ['forged-1']))).toEqual([]);
    expect((await db.query<{ change_seq: number }>('SELECT change_seq FROM meal_order WHERE id = $1', [taken!.id]))[0]!.change_seq).toBe(taken!.change_seq);
  });

  it('home delivery: today\'s standing bookings confirmed once (a tick here, the same delivery on another device refused), priced with the fee', async () => {
    const a = await till('till-e');
    const b = await till('till-f');
    const flagged = rows.residents.find((r) => r.flags.includes('homeDelivery'))!;
    const standingId = `${flagged.id}-sb-lunch`;
    expect(await a.db.standingBookings.get(standingId)).toMatchObject({ weekdays: [1, 2, 3, 4, 5], active: true }); // 25 November is a Wednesday
    ok(await confirmDelivery(a.db, clock, { standingId, sittingId: LUNCH, confirmedBy: 'tick' }, STAFF));
    expect(await confirmDelivery(a.db, clock, { standingId, sittingId: LUNCH, confirmedBy: 'tick' }, STAFF)).toEqual({ ok: false, error: { key: 'alreadyDelivered', params: {} } });
    ok(await confirmDelivery(b.db, clock, { standingId, sittingId: LUNCH, confirmedBy: 'scan' }, STAFF)); // b has not heard yet
    await a.client.sync();
    await b.client.sync();
    const [delivered] = await db.query<{ delivery_fee_fen: number; paid_fen: number; list_price_fen: number; subsidy_fen: number; delivery_subsidy_fen: number; confirmed_by: string }>(
      'SELECT delivery_fee_fen, paid_fen, list_price_fen, subsidy_fen, delivery_subsidy_fen, confirmed_by FROM meal_order WHERE id = $1', [deliveryOrderId(standingId, LUNCH)]);
    expect(delivered).toMatchObject({ delivery_fee_fen: 300, list_price_fen: 500, confirmed_by: 'tick' });
    expect(delivered!.paid_fen).toBe(800 - delivered!.subsidy_fen - delivered!.delivery_subsidy_fen);
    expect((await b.db.rejections.toArray()).map((r) => (r.reason as { key: string }).key)).toEqual(['refusedIdTaken']);

    // A resident not flagged for delivery gets no standing booking.
    const plain = rows.residents.find((r) => !r.flags.includes('homeDelivery'))!;
    expect(await setStandingBooking(a.db, clock, { residentId: plain.id, meal: 'lunch', weekdays: [1], volunteerId: null, active: true }, STAFF)).toEqual({ ok: false, error: { key: 'notFlaggedForDelivery', params: {} } });
  });

  it('a status approved by staff with its dates makes the category held; a meal balance opened and topped up pays', async () => {
    const a = await till('till-g');
    const who = elderly.find((r) => !r.flags.includes('lowIncome') && !r.flags.includes('extremeHardship'))!;
    expect((await categoriesOf(a.db, who, TODAY)).held.map((c) => c.id)).not.toContain('hardship');
    ok(await approveEligibility(a.db, clock, { residentId: who.id, category: 'hardship', validFrom: TODAY, validUntil: addDays(TODAY, 30), note: '街道审批' }, STAFF));
    expect((await categoriesOf(a.db, who, TODAY)).held.map((c) => c.id)).toContain('hardship');
    expect(await approveEligibility(a.db, clock, { residentId: who.id, category: 'age80', validFrom: TODAY, validUntil: '', note: '' }, STAFF)).toEqual({ ok: false, error: { key: 'eligibilityInvalid', params: { detail: 'category' } } });
    expect(await mealBalanceOf(a.db, who.id)).toBe((await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [mealAccountId(who.id)]))[0]?.balance ?? null);
    ok(await topUpMealBalance(a.db, clock, { residentId: who.id, amountFen: 5_000, payment: 'cash' }, STAFF));
    const before = (await mealBalanceOf(a.db, who.id))!;
    const sale = ok(await sellMeal(a.db, clock, { sittingId: sittingIdFor(TODAY, 'dinner'), mealId: `${sittingIdFor(TODAY, 'dinner')}-m1`, residentId: who.id, chosenCategory: 'hardship', payment: 'balance', override: false }, STAFF));
    expect(await mealBalanceOf(a.db, who.id)).toBe(before - (sale.event.payload as { paidFen: number }).paidFen);
    await a.client.sync();
    expect(await a.db.rejections.count()).toBe(0);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  });
});
