import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { makeStaffCardCode, type StaffMember } from '../../core/index.js';
import { addStaff, setPassword } from '../../server/admin/admin.js';
import { setCityAdmin } from '../../server/admin/city.js';
import { buildApp } from '../../server/app.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { seedDemoCentre } from '../../server/demo/seed.js';
import { XLSX_CONTENT_TYPE } from '../../server/imports/sheet.js';
import { parsePeriod } from '../../server/reports/period.js';
import { pointsReport } from '../../server/reports/points.js';
import { stockReport } from '../../server/reports/stock.js';
import { volunteeringReport } from '../../server/reports/volunteering.js';
import type { ScratchDb } from '../support/db.js';
import { enrolDevice, NOW, SMALL, smallCentreDb } from '../support/centre.js';
import { idNumber, residentsXlsx } from '../support/sheets.js';

/**
 * Administration through the admin API, on PGlite: the admin password and its sessions, where an
 * admin's PIN hash goes, the resident import's steps, reports checked against the ledger, the
 * city view. (The admin app's screens over the same API: test/e2e/admin.spec.ts.)
 */
describe('administration', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  const idKey = randomBytes(32);
  beforeEach(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW, idKey, trustProxy: true });
  }, 120_000);
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const signIn = async (cardCode = makeStaffCardCode(1), password = DEMO_ADMIN_PASSWORD, centreId = 'wzgl', proto?: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId, cardCode, password }, headers: proto ? { 'x-forwarded-proto': proto } : {} });
    return { res, cookie: /linli_admin=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0] ?? '' };
  };
  const me = (cookie: string) => app.inject({ method: 'GET', url: '/api/admin/me', headers: { cookie } });

  it('signs in with the admin password only; a new password or a disabled card ends the sessions; the cookie is Secure over TLS', async () => {
    expect((await signIn(makeStaffCardCode(1), '135790')).res.statusCode).toBe(401); // the counter PIN
    const plain = await signIn();
    expect(String(plain.res.headers['set-cookie'])).not.toContain('Secure');
    const tls = await signIn(undefined, undefined, undefined, 'https');
    expect(String(tls.res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\/api\/admin; Max-Age=\d+; Secure/);

    const zhao = await addStaff(db, 'wzgl', '赵敏', 'admin', null);
    await setPassword(db, 'wzgl', zhao.id, 'zhao-min-password', null);
    const hers = (await signIn(zhao.cardCode, 'zhao-min-password')).cookie;
    expect((await me(hers)).statusCode).toBe(200);
    const changed = await app.inject({ method: 'POST', url: `/api/admin/staff/${zhao.cardCode}`, headers: { cookie: plain.cookie }, payload: { password: 'a-new-password-2026' } });
    expect(changed.json()).toEqual({ updated: zhao.cardCode, changed: true });
    expect((await me(hers)).statusCode).toBe(401);
    expect((await me(plain.cookie)).statusCode).toBe(200);
    expect((await signIn(zhao.cardCode, 'zhao-min-password')).res.statusCode).toBe(401);
    const again = (await signIn(zhao.cardCode, 'a-new-password-2026')).cookie;
    await app.inject({ method: 'POST', url: `/api/admin/staff/${zhao.cardCode}`, headers: { cookie: plain.cookie }, payload: { active: false } });
    expect((await me(again)).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: `/api/admin/staff/${zhao.cardCode}`, headers: { cookie: plain.cookie }, payload: { password: 'short' } })).json().message).toContain('至少 10 个字符');

    // Sign-out ends the session on the server.
    await app.inject({ method: 'DELETE', url: '/api/admin/session', headers: { cookie: plain.cookie } });
    expect((await me(plain.cookie)).statusCode).toBe(401);
  });

  it("sends an admin's PIN hash only to the devices where the admin works, a clerk's to every staffed device", async () => {
    const counter = await enrolDevice(db, 'wzgl', 'counter');
    const other = await enrolDevice(db, 'wzgl', 'counter');
    const canteen = await enrolDevice(db, 'wzgl', 'canteen');
    const { cookie } = await signIn();
    const set = await app.inject({ method: 'POST', url: `/api/admin/staff/${makeStaffCardCode(1)}`, headers: { cookie }, payload: { worksAt: [counter.device.code] } });
    expect(set.statusCode).toBe(200);
    const staffSeen = async (token: string) => (await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${token}` } })).json<{ rows: { staff: StaffMember[] } }>().rows.staff;
    const pinOf = (rows: StaffMember[], id: string) => rows.find((s) => s.id === id)?.pin ?? null;
    expect(pinOf(await staffSeen(counter.token), 'wzgl-s1')).not.toBeNull();
    expect(pinOf(await staffSeen(other.token), 'wzgl-s1')).toBeNull();
    expect(pinOf(await staffSeen(canteen.token), 'wzgl-s1')).toBeNull();
    expect(pinOf(await staffSeen(other.token), 'wzgl-s2')).not.toBeNull();
    // The change is an event of the server device, with who made it.
    const [event] = await db.query<{ staff_id: string; kind: string }>(`SELECT staff_id, kind FROM event WHERE centre_id = 'wzgl' AND kind = 'staffSet' ORDER BY received_at DESC LIMIT 1`);
    expect(event).toEqual({ staff_id: 'wzgl-s1', kind: 'staffSet' });
  });

  it('imports a sheet only when confirmed, refuses a 50 MB file and an admin of another centre, and undoes the import as a whole', async () => {
    await seedDemoCentre(db, { ...SMALL, centreId: 'hxjd', centreName: '和谐社区党群服务中心' });
    const { cookie } = await signIn();
    const count = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resident WHERE centre_id = 'wzgl' AND NOT coalesce(removed, false)`))[0]!.n;
    const before = await count();

    const big = await app.inject({ method: 'POST', url: '/api/admin/residents/imports', headers: { cookie, 'content-type': XLSX_CONTENT_TYPE }, payload: Buffer.alloc(50 * 1_048_576) });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toContain('文件有 50.0 MB，超过 10 MB 的上限');
    const notXlsx = await app.inject({ method: 'POST', url: '/api/admin/residents/imports', headers: { cookie, 'content-type': XLSX_CONTENT_TYPE }, payload: Buffer.from('姓名,手机号\n张三,13800138000\n') });
    expect(notXlsx.json().message).toContain('这不是 Excel 工作簿');

    const preview = await app.inject({ method: 'POST', url: '/api/admin/residents/imports?name=r.xlsx', headers: { cookie, 'content-type': XLSX_CONTENT_TYPE }, payload: await residentsXlsx(30) });
    expect(preview.statusCode).toBe(200);
    const p = preview.json<{ importId: string; counts: { rows: number; ready: number } }>();
    expect(p.counts).toMatchObject({ rows: 30, ready: 30 });
    expect(await count()).toBe(before);

    // Another centre's admin sees no such import, and cannot confirm it.
    const theirs = (await signIn(makeStaffCardCode(1), DEMO_ADMIN_PASSWORD, 'hxjd')).cookie;
    expect((await app.inject({ method: 'POST', url: `/api/admin/residents/imports/${p.importId}/commit`, headers: { cookie: theirs } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/admin/residents/imports/${p.importId}`, headers: { cookie: theirs } })).statusCode).toBe(404);

    const committed = await app.inject({ method: 'POST', url: `/api/admin/residents/imports/${p.importId}/commit`, headers: { cookie } });
    expect(committed.json()).toMatchObject({ imported: 30 });
    expect(await count()).toBe(before + 30);
    expect((await app.inject({ method: 'POST', url: `/api/admin/residents/imports/${p.importId}/commit`, headers: { cookie } })).statusCode).toBe(409);

    const undone = await app.inject({ method: 'POST', url: `/api/admin/residents/imports/${p.importId}/undo`, headers: { cookie }, payload: { reason: '表格有误' } });
    expect(undone.json()).toEqual({ removed: 30 });
    expect(await count()).toBe(before);
    const audit = (await app.inject({ method: 'GET', url: '/api/admin/audit/trail', headers: { cookie } })).json<{ action: string; staffName: string }[]>();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['residentsImported', 'residentsRemoved', 'residentsPreviewed', 'importUndone']));
    const mine = ['residentsImported', 'residentsRemoved', 'residentsPreviewed', 'importUndone'];
    expect(audit.filter((a) => mine.includes(a.action)).every((a) => a.staffName === '王秀英')).toBe(true);
  });

  it("changes a resident's details and adds an ID number once: another resident's number is refused, nothing changes", async () => {
    const { cookie } = await signIn();
    const [r1, r2] = await db.query<{ id: string; name: string }>(`SELECT id, name FROM resident WHERE centre_id = 'wzgl' AND id_hash IS NULL ORDER BY card_code LIMIT 2`);
    const form = (room: string, idNumber?: string) => ({ name: r1!.name, building: '3栋', room, birthDate: '1950-05-01', ageBand: '', flags: ['livesAlone'], ...(idNumber ? { idNumber } : {}) });
    const post = (id: string, payload: unknown) => app.inject({ method: 'POST', url: `/api/admin/residents/${id}`, headers: { cookie }, payload: payload as Record<string, unknown> });
    const number = idNumber('1950-05-01', 31);
    expect((await post(r1!.id, form('1808', number))).statusCode).toBe(200);
    const taken = await post(r2!.id, { ...form('909', number), name: r2!.name });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().message).toContain(`这个身份证号已经登记过了（${r1!.name}）`);
    const rows = await db.query<{ id: string; room: string | null; id_masked: string | null }>(`SELECT id, room, id_masked FROM resident WHERE id IN ($1, $2) ORDER BY id = $1 DESC`, [r1!.id, r2!.id]);
    expect(rows).toEqual([{ id: r1!.id, room: '1808', id_masked: `${number.slice(0, 3)}***********${number.slice(-4)}` }, expect.objectContaining({ id: r2!.id, id_masked: null })]);
    expect(rows[1]!.room).not.toBe('909');
  });

  it("reports a month's points, stock and hours as the ledger has them, as CSV and Excel; the city view shows centres side by side without residents", async () => {
    const period = parsePeriod('2026-11');
    const points = await pointsReport(db, 'wzgl', period);
    const [ledger] = await db.query<{ issued: number; spent: number; entries: number }>(
      `SELECT coalesce(sum(delta) FILTER (WHERE delta > 0), 0)::int AS issued, coalesce(-sum(delta) FILTER (WHERE delta < 0), 0)::int AS spent, count(*)::int AS entries
       FROM ledger_entry WHERE centre_id = 'wzgl' AND at >= '2026-10-31T16:00:00.000Z' AND at < '2026-11-30T16:00:00.000Z'`);
    expect(points.totals.issued).toBeGreaterThan(0);
    expect(points.totals).toMatchObject(ledger!);
    expect(points.issued.reduce((s, l) => s + l.points, 0)).toBe(ledger!.issued);
    expect(points.series.reduce((s, l) => s + l.issued - l.spent, 0)).toBe(ledger!.issued - ledger!.spent);

    // The year's closing stock is what the shelves hold.
    const stock = await stockReport(db, 'wzgl', parsePeriod('2026'));
    const [shelves] = await db.query<{ n: number }>(`SELECT coalesce(sum(stock), 0)::int AS n FROM goods WHERE centre_id = 'wzgl'`);
    expect(stock.totals.closing).toBe(shelves!.n);
    for (const g of stock.goods) expect(g.closing, g.name).toBe(g.current);

    const hours = await volunteeringReport(db, 'wzgl', period);
    const [certified] = await db.query<{ minutes: number }>(`SELECT coalesce(sum(minutes), 0)::int AS minutes FROM service_hours WHERE centre_id = 'wzgl' AND day >= '2026-11-01' AND day < '2026-12-01'`);
    expect(hours.totals.minutes).toBe(certified!.minutes);

    const { cookie } = await signIn();
    const csv = await app.inject({ method: 'GET', url: '/api/admin/reports/month/file.csv?period=2026-11', headers: { cookie } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`合计 Total`);
    const xlsx = await app.inject({ method: 'GET', url: '/api/admin/reports/month/file.xlsx?period=2026-11', headers: { cookie } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^积分/), expect.stringMatching(/^库存/), expect.stringMatching(/^助餐/)]));
    expect((await app.inject({ method: 'GET', url: '/api/admin/reports/month?period=2026-13', headers: { cookie } })).statusCode).toBe(400);

    await setCityAdmin(db, { login: 'jd-admin', name: '和谐街道', password: 'street-office-2026', centres: null });
    const city = await app.inject({ method: 'POST', url: '/api/admin/city/session', payload: { login: 'jd-admin', password: 'street-office-2026' } });
    const cityCookie = /linli_city=[^;]+/.exec(String(city.headers['set-cookie']))![0];
    const figures = await app.inject({ method: 'GET', url: '/api/admin/city/figures?period=2026-11', headers: { cookie: cityCookie } });
    const [wzgl] = figures.json<{ centres: { centreId: string; issued: number }[] }>().centres;
    expect(wzgl).toMatchObject({ centreId: 'wzgl', issued: ledger!.issued });
    const names = (await db.query<{ name: string }>(`SELECT name FROM resident WHERE centre_id = 'wzgl'`)).map((r) => r.name);
    for (const name of names) expect(figures.body).not.toContain(name);
    // A city admin is no centre admin.
    expect((await app.inject({ method: 'GET', url: '/api/admin/residents', headers: { cookie: cityCookie } })).statusCode).toBe(401);
  });
});
