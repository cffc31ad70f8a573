import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaffCardCode } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { migrate } from '../../server/db/migrate.js';
import { DEMO_CANTEEN_CARD } from '../../server/demo/canteen.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { seedDemoCentre } from '../../server/demo/seed.js';
import { claimCsv } from '../../server/reports/claim.js';
import { settleMonth } from '../../server/reports/settlement.js';
import { DB_KINDS, scratchDb, type ScratchDb } from '../support/db.js';
import { enrolDevice, eventMaker, ledgerBreaches, NOW, SMALL } from '../support/centre.js';
import { push } from '../../server/sync/push.js';

/**
 * The canteen on the server: its migration, the demo canteen pushed through the kind registry,
 * who may push canteen kinds, and the month's settlement and subsidy claim, whose totals equal the
 * sums the canteen's events carry.
 */
describe.each(DB_KINDS)('the canteen on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await scratchDb(kind);
    await migrate(db);
    await seedDemoCentre(db, { ...SMALL, canteen: true });
    await seedDemoCentre(db, { ...SMALL, centreId: 'other', centreName: '别的社区' });
    app = await buildApp({ db, now: () => NOW });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('seeds the demo canteen through push: every event applied, the ledger whole, a canteen staff card', async () => {
    expect(await db.query(`SELECT kind, reason FROM event WHERE centre_id = 'wzgl' AND outcome = 'rejected'`)).toEqual([]);
    const [counts] = await db.query<{ sittings: number; rules: number; sold: number; delivered: number }>(
      `SELECT (SELECT count(*)::int FROM meal_sitting WHERE centre_id = 'wzgl') AS sittings, (SELECT count(*)::int FROM subsidy_rule WHERE centre_id = 'wzgl') AS rules,
              (SELECT count(*)::int FROM meal_order WHERE centre_id = 'wzgl' AND state IN ('served', 'noShow')) AS sold,
              (SELECT count(*)::int FROM meal_order WHERE centre_id = 'wzgl' AND state = 'delivered') AS delivered`);
    expect(counts).toMatchObject({ sittings: 3 * 22, rules: 5 });
    expect(counts!.sold).toBeGreaterThan(14 * 20);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    const [staff] = await db.query<{ role: string; card_code: string }>(`SELECT role, card_code FROM staff WHERE id = 'wzgl-s4'`);
    expect(staff).toEqual({ role: 'canteen', card_code: DEMO_CANTEEN_CARD });
    expect((await db.query(`SELECT id FROM meal_sitting WHERE centre_id = 'other'`))).toEqual([]);
  });

  it('canteen kinds come from canteen devices and canteen staff (or an admin) only', async () => {
    const counter = await enrolDevice(db, 'wzgl', 'counter');
    const till = await enrolDevice(db, 'wzgl', 'canteen');
    const call = () => ({ kind: 'ticketCalled' as const, version: 1 as const, payload: { orderId: '20261124-l-o1', calls: 1 } });
    const fromCounter = await push(db, counter.device, [eventMaker(counter.deviceId, 'wzgl-s4')(call())]);
    expect(fromCounter.outcomes).toMatchObject([{ status: 'rejected', reason: { key: 'refusedKind', params: { kind: 'ticketCalled', profile: 'counter' } } }]);
    const next = eventMaker(till.deviceId, 'wzgl-s2');
    const byClerk = await push(db, till.device, [next(call()), next(call(), { staffId: 'wzgl-s4' })]);
    expect(byClerk.outcomes).toMatchObject([{ status: 'rejected', reason: { key: 'refusedRole', params: { role: 'clerk', kind: 'ticketCalled' } } }, { status: 'applied' }]);
    // A call names an order of this centre: another centre's order id is unknown here.
    const foreign = await push(db, till.device, [next({ kind: 'ticketCalled', version: 1, payload: { orderId: 'nope', calls: 1 } }, { staffId: 'wzgl-s4' })]);
    expect(foreign.outcomes).toMatchObject([{ status: 'rejected', reason: { key: 'refusedUnknownRow', params: { table: 'mealOrders' } } }]);
  });

  it('a canteen device\'s admin sets a subsidy category, its cook may not; the cook changes a menu, not to another sitting\'s meal', async () => {
    const till = await enrolDevice(db, 'wzgl', 'canteen');
    const next = eventMaker(till.deviceId, 'wzgl-s4');
    const rule = { id: 'age90', name: '90岁以上', basis: 'age' as const, minAge: 90, maxAge: null, flags: [], subsidyFen: 400, capPerDayFen: 800, minBillFen: null, deliverySubsidyFen: 300, active: true };
    const set = { kind: 'subsidyRuleSet' as const, version: 1 as const, payload: { isNew: true, rule } };
    const [sitting] = await db.query<{ id: string }>(`SELECT sitting_id AS id FROM menu_meal WHERE centre_id = 'wzgl' ORDER BY sitting_id DESC LIMIT 1`);
    const [other] = await db.query<{ id: string }>(`SELECT id FROM menu_meal WHERE centre_id = 'wzgl' AND sitting_id <> $1 LIMIT 1`, [sitting!.id]);
    const dish = { id: '01990000-0000-7000-8000-0000000000d1', name: '炸酱面', dishes: '', setMeal: false, priceFen: 600, costFen: 400 };
    const r = await push(db, till.device, [
      next(set),
      next(set, { staffId: 'wzgl-s1' }),
      next({ kind: 'menuChanged', version: 1, payload: { sittingId: sitting!.id, added: [dish], changed: [] } }),
      next({ kind: 'menuChanged', version: 1, payload: { sittingId: sitting!.id, added: [], changed: [{ ...dish, id: other!.id }] } }),
    ]);
    expect(r.outcomes).toMatchObject([
      { status: 'rejected', reason: { key: 'refusedRole', params: { role: 'canteen', kind: 'subsidyRuleSet' } } },
      { status: 'applied' }, { status: 'applied' },
      { status: 'rejected', reason: { key: 'refusedCanteenMismatch' } },
    ]);
    expect(await db.query(`SELECT subsidy_fen FROM subsidy_rule WHERE centre_id = 'wzgl' AND id = 'age90'`)).toEqual([{ subsidy_fen: 400 }]);
    expect(await db.query(`SELECT name, price_fen FROM menu_meal WHERE centre_id = 'wzgl' AND sitting_id = $1 AND id = $2`, [sitting!.id, dish.id])).toEqual([{ name: '炸酱面', price_fen: 600 }]);
  });

  it('settles the month: the claim lists every meal, and its totals equal the canteen events\' figures', async () => {
    const s = await settleMonth(db, 'wzgl', '2026-11', '2026-11-25');
    const [ledger] = await db.query<{ meals: number; subsidy: number; delivery_subsidy: number; paid: number; list: number; fee: number }>(
      `WITH last AS (
         SELECT DISTINCT ON (payload->>'orderId') payload FROM event
          WHERE centre_id = 'wzgl' AND outcome = 'applied' AND kind IN ('mealSold', 'mealDelivered') AND payload->>'day' >= '2026-11-01' AND payload->>'day' < '2026-12-01'
          ORDER BY payload->>'orderId', server_seq DESC)
       SELECT count(*)::int AS meals, sum((payload->>'subsidyFen')::int)::int AS subsidy, sum((payload->>'deliverySubsidyFen')::int)::int AS delivery_subsidy,
              sum((payload->>'paidFen')::int)::int AS paid, sum((payload->>'listPriceFen')::int)::int AS list, sum((payload->>'deliveryFeeFen')::int)::int AS fee FROM last`);
    expect(s.totals).toMatchObject({
      meals: ledger!.meals, subsidyFen: ledger!.subsidy, deliverySubsidyFen: ledger!.delivery_subsidy, paidFen: ledger!.paid, listPriceFen: ledger!.list, deliveryFeeFen: ledger!.fee,
    });
    expect(s.lines).toHaveLength(ledger!.meals);
    // The meal balance's ledger: what was paid from it is what its entries took.
    const [fromBalance] = await db.query<{ paid: number }>(`SELECT -coalesce(sum(delta), 0)::int AS paid FROM ledger_entry WHERE centre_id = 'wzgl' AND kind IN ('mealSold', 'mealDelivered')`);
    expect(s.lines.filter((l) => l.payment === '饭卡余额').reduce((n, l) => n + l.paidFen, 0)).toBe(fromBalance!.paid);
    // Per category and per day, the same money.
    expect(s.categories.reduce((n, c) => n + c.subsidyFen, 0)).toBe(s.totals.subsidyFen);
    expect(s.days.reduce((n, d) => n + d.paidFen, 0)).toBe(s.totals.paidFen);
    expect(s.totals.incomeFen).toBe(s.totals.paidFen + s.totals.subsidyFen + s.totals.deliverySubsidyFen);
    expect(s.totals.costFen).toBeGreaterThan(s.totals.listPriceFen); // a 5-yuan lunch costs about 9
    expect(s.totals.deliveries).toBeGreaterThan(0);
    expect(s.totals.noShows).toBeGreaterThan(0);
    // Resident names are masked, never in full.
    const [someone] = await db.query<{ name: string }>(`SELECT r.name FROM meal_order o JOIN resident r ON r.id = o.resident_id AND r.centre_id = o.centre_id WHERE o.centre_id = 'wzgl' AND o.state = 'served' LIMIT 1`);
    const csv = claimCsv(s);
    expect(csv).not.toContain(someone!.name);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(s.lines.length + 2);
    expect(csv.startsWith('\ufeff日期 Date,餐次 Sitting,居民 Resident,补贴类别 Category')).toBe(true);
  });

  it('serves the settlement and the claim to the centre\'s admin only, as CSV and as Excel', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/admin/canteen/claim.csv?month=2026-11' })).statusCode).toBe(401);
    const session = async (centreId: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId, cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD } });
      return /linli_admin=[^;]+/.exec(String(res.headers['set-cookie']))![0];
    };
    const cookie = await session('wzgl');
    const csv = await app.inject({ method: 'GET', url: '/api/admin/canteen/claim.csv?month=2026-11', headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('canteen-claim-wzgl-2026-11.csv');
    const summary = await app.inject({ method: 'GET', url: '/api/admin/canteen/settlement?month=2026-11', headers: { cookie } });
    expect(summary.json<{ totals: { meals: number }; lineCount: number }>().lineCount).toBe(summary.json<{ totals: { meals: number } }>().totals.meals);
    expect((await app.inject({ method: 'GET', url: '/api/admin/canteen/settlement?month=2026-13', headers: { cookie } })).statusCode).toBe(400);
    const xlsx = await app.inject({ method: 'GET', url: '/api/admin/canteen/claim.xlsx?month=2026-11', headers: { cookie } });
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(String(sheet.getRow(sheet.rowCount).getCell(1).value)).toBe('合计 2026-11');
    const other = await app.inject({ method: 'GET', url: '/api/admin/canteen/settlement?month=2026-11', headers: { cookie: await session('other') } });
    expect(other.json<{ totals: { meals: number } }>().totals.meals).toBe(0);
  });
});

describe('migration 010 (the canteen)', () => {
  it('adds the canteen\'s tables to a centre of the schema before, keeping its rows; a ticket number is unique in a sitting', async () => {
    const db = await scratchDb('pglite');
    try {
      // Up to the migration before 010 (005 on this branch; 006–009 come from another change).
      await migrate(db, 9);
      await db.query(`INSERT INTO centre (id, name, epoch) VALUES ('wzgl', '五洲观澜', 'e1')`);
      await db.query(`INSERT INTO resource (id, centre_id, capacity, used, change_seq) VALUES ('20261125-l', 'wzgl', 30, 4, 7)`);
      expect(await migrate(db, 10)).toBe(10);
      expect(await db.query('SELECT capacity, used FROM resource')).toEqual([{ capacity: 30, used: 4 }]);
      for (const t of ['meal_sitting', 'menu_meal', 'subsidy_rule', 'eligibility', 'meal_order', 'standing_booking']) {
        expect(await db.query(`SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 0 }]);
      }
      const order = (id: string) => db.query(
        `INSERT INTO meal_order (id, centre_id, sitting_id, day, meal_id, list_price_fen, delivery_fee_fen, subsidy_fen, delivery_subsidy_fen, paid_fen, payment, state, number, ticket_key, change_seq)
         VALUES ($1, 'wzgl', '20261125-l', '2026-11-25', 'm1', 500, 0, 0, 0, 500, 'cash', 'waiting', '7', '20261125-l/7', 8)`, [id]);
      await order('o1');
      await expect(order('o2')).rejects.toThrow();
    } finally {
      await db.drop();
    }
  });
});
