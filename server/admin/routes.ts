import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AGE_BANDS, decideCardReplacement, decideGoods, decideGoodsChange, decideResidentForm, decideRule, decideService, EarningCategory, makeEan, ownCodeSerial,
  parseIdNumber, PartnerShopSetV1, ResidentFlag, tableSpec, uuidv7, type EventBody, type Lang, type TableName,
} from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { keyedHash } from '../imports/idKey.js';
import { commitImport, discardImport, getImport, listImports, previewImport, reportLines, undoImport, type Progress } from '../imports/residents.js';
import { MAX_SHEET_BYTES, tooLargeMessage, XLSX_CONTENT_TYPE } from '../imports/sheet.js';
import { cityFigures, cityTables } from '../reports/city.js';
import { exceptionsReport, exceptionsTables } from '../reports/exceptions.js';
import { mealsReport, mealsTables } from '../reports/meals.js';
import { toCsv, toXlsx, type ReportTable } from '../reports/export.js';
import { parsePeriod, type Period } from '../reports/period.js';
import { pointsReport, pointsTables } from '../reports/points.js';
import { stockReport, stockTables } from '../reports/stock.js';
import { volunteeringReport, volunteeringTables } from '../reports/volunteering.js';
import { SyncRefusal } from '../sync/refusal.js';
import { loadRows, selectList } from '../sync/rows.js';
import { listStaff, SESSION_TTL_MS, audit, type AdminSession } from './admin.js';
import { auditTable, auditTrail } from './audit.js';
import { pushAdminEvents, refusalOf } from './changes.js';
import { citySession, signInCity, signOutCity, type CitySession } from './city.js';

/**
 * The admin app's routes (everything under /api/admin/ but the sign-in, devices, staff changes,
 * imports of outbox files, backups and the audit list, which app.ts has had since before), and
 * the app itself at /admin. Every route takes the centre from the session; every change to a
 * replicated table is an event of the centre's server device (changes.ts). Handlers parse,
 * check the session and call the domain: the rules are `core/`'s `decide…` functions.
 */
export type AdminRouteOptions = {
  db: Db;
  admin(req: FastifyRequest): Promise<AdminSession>;
  now(): Date;
  parse<T>(schema: z.ZodType<T>, value: unknown): T;
  /** The key of residents' keyed hashes; without it, imports and ID lookups are refused. */
  idKey?: Buffer | undefined;
  kioskDir?: string | undefined;
  csp: string;
};

const CITY_COOKIE = 'linli_city';

/**
 * A session cookie: HttpOnly, SameSite=Strict, for the admin API only, and `Secure` when the
 * request came over TLS (directly, or through a proxy the server is told to trust), so a browser
 * never sends it over plain HTTP once it was set over HTTPS.
 */
export function sessionCookie(name: string, token: string, maxAgeS: number, req: FastifyRequest): string {
  return `${name}=${token}; HttpOnly; SameSite=Strict; Path=/api/admin; Max-Age=${maxAgeS}${req.protocol === 'https' ? '; Secure' : ''}`;
}

/** Text an admin typed: at most `max` characters, never a NUL (PostgreSQL's text cannot hold one). */
export const text = (max: number, min = 0) => z.string().min(min).max(max).refine((v) => !v.includes('\0'), 'must not contain a NUL character');
const IdParam = z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_:-]+$/) });
/** The calendar day in Asia/Shanghai of an instant. */
export const shanghaiDay = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Whether the client asked for progress lines (the admin app does; a script gets one JSON answer). */
const wantsStream = (req: FastifyRequest) => (req.headers.accept ?? '').includes('application/x-ndjson');

/**
 * Runs long work (an import of 10,000 rows) and answers either one JSON value, or, when the client
 * asks for `application/x-ndjson`, a line per step `{"progress":{phase,done,total}}` and a last
 * line `{"result":…}` or `{"error":…,"message":…}`: the admin app draws its progress bar from them.
 */
async function streamed<T>(req: FastifyRequest, reply: FastifyReply, work: (progress: Progress) => Promise<T>): Promise<unknown> {
  if (!wantsStream(req)) return work(() => {});
  const body = new PassThrough();
  let last = 0;
  const progress: Progress = (phase, done, total) => {
    const t = Date.now();
    if (done < total && t - last < 100) return;
    last = t;
    body.write(`${JSON.stringify({ progress: { phase, done, total } })}\n`);
  };
  work(progress).then((result) => body.end(`${JSON.stringify({ result })}\n`), (err: unknown) => {
    if (err instanceof SyncRefusal) body.end(`${JSON.stringify({ error: err.code, message: err.message, status: err.status })}\n`);
    else {
      req.log.error({ err }, 'admin work failed');
      body.end(`${JSON.stringify({ error: 'retry', message: '服务器没有完成，请再试一次 / the server could not finish; try again' })}\n`);
    }
  });
  return reply.header('content-type', 'application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(body);
}

/** Sends report tables as CSV (sections one after another) or as an Excel workbook. */
async function sendTables(reply: FastifyReply, tables: readonly ReportTable[], format: 'csv' | 'xlsx', fileName: string): Promise<FastifyReply> {
  const safe = fileName.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (format === 'xlsx') {
    return reply.header('content-type', XLSX_CONTENT_TYPE).header('content-disposition', `attachment; filename="${safe}.xlsx"`).send(await toXlsx(tables));
  }
  const csv = tables.map((t, i) => (tables.length > 1 ? `${i > 0 ? '\r\n' : ''}${t.name}\r\n` : '') + toCsv(t).replace(/^\ufeff/, '')).join('');
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${safe}.csv"`).send(`\ufeff${csv}`);
}

/** Every row of a small replicated table of the centre (goods, rules, shops, services), as it travels. */
export async function allRows(db: Queryable, centreId: string, table: TableName): Promise<unknown[]> {
  return db.query(`SELECT ${selectList(table)} FROM ${tableSpec(table).sql} WHERE centre_id = $1 ORDER BY id`, [centreId]);
}

/** The reports an admin can ask for, each as figures (JSON) and as tables (CSV, Excel). */
const REPORTS = {
  points: { make: (db: Queryable, c: string, p: Period) => pointsReport(db, c, p), tables: pointsTables },
  stock: { make: (db: Queryable, c: string, p: Period) => stockReport(db, c, p), tables: stockTables },
  meals: { make: (db: Queryable, c: string, p: Period, now: Date) => mealsReport(db, c, p, shanghaiDay(now)), tables: mealsTables },
  volunteering: { make: (db: Queryable, c: string, p: Period) => volunteeringReport(db, c, p), tables: volunteeringTables },
  exceptions: { make: (db: Queryable, c: string, p: Period) => exceptionsReport(db, c, p), tables: exceptionsTables },
} as const;
type ReportName = keyof typeof REPORTS;
const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];

/** Every report of a centre for a period at once (the monthly report): figures, and the tables of its file. */
export async function monthReport(db: Queryable, centreId: string, period: Period, now: Date) {
  const [points, stock, meals, volunteering, exceptions] = await Promise.all([
    pointsReport(db, centreId, period), stockReport(db, centreId, period), mealsReport(db, centreId, period, shanghaiDay(now)),
    volunteeringReport(db, centreId, period), exceptionsReport(db, centreId, period),
  ]);
  const figures = { points, stock, meals, volunteering, exceptions };
  const tables = [...pointsTables(points), ...stockTables(stock), ...mealsTables(meals), ...volunteeringTables(volunteering), ...exceptionsTables(exceptions)];
  return { figures, tables };
}

export async function adminRoutes(app: FastifyInstance, o: AdminRouteOptions): Promise<void> {
  const { db, admin, now, parse } = o;
  const key = (): Buffer => {
    if (!o.idKey) throw new SyncRefusal('malformed', 503, '服务器没有设置身份证号的加密密钥（LINLI_ID_KEY 或 id-hash.key）/ the server has no key for ID numbers (LINLI_ID_KEY or id-hash.key)');
    return o.idKey;
  };
  const who = (a: AdminSession) => ({ centreId: a.centreId, staffId: a.staffId });

  // The admin app: a page of the built renderer (admin.html), under the same CSP as the kiosk.
  if (o.kioskDir && existsSync(path.join(o.kioskDir, 'admin.html'))) {
    app.get('/admin', async (_req, reply) => reply.redirect('/admin.html'));
  }

  /** On a server that holds one centre, its id for the sign-in form (nothing else is told). */
  app.get('/api/admin/centre-hint', async () => {
    const rows = await db.query<{ id: string; name: string }>('SELECT id, name FROM centre ORDER BY id LIMIT 2');
    return rows.length === 1 ? { centreId: rows[0]!.id, name: rows[0]!.name } : { centreId: null, name: null };
  });

  app.get('/api/admin/me', async (req) => {
    const a = await admin(req);
    const [me] = await db.query<{ name: string; card_code: string; centre_name: string }>(
      'SELECT s.name, s.card_code, c.name AS centre_name FROM staff s JOIN centre c ON c.id = s.centre_id WHERE s.centre_id = $1 AND s.id = $2', [a.centreId, a.staffId]);
    return { staffId: a.staffId, centreId: a.centreId, name: me?.name ?? '', cardCode: me?.card_code ?? '', centreName: me?.centre_name ?? '' };
  });

  // Residents.
  app.get('/api/admin/residents', async (req) => {
    const a = await admin(req);
    const q = parse(z.object({ q: text(50).default(''), removed: z.enum(['0', '1']).default('0'), offset: z.coerce.number().int().min(0).max(1_000_000).default(0), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(), req.query);
    const term = q.q.trim();
    const params: unknown[] = [a.centreId, q.removed === '1', q.limit, q.offset];
    let where = '';
    if (/^LL\d{10}$/i.test(term)) where = `AND r.card_code = $${params.push(term.toUpperCase())}`;
    else if (/^\d{17}[\dXx]$/.test(term)) where = `AND r.id_hash = $${params.push(keyedHash(key(), 'id', term.toUpperCase()))}`;
    else if (/^1[3-9]\d{9}$/.test(term)) where = `AND r.phone_hash = $${params.push(keyedHash(key(), 'phone', term))}`;
    else if (/^\d{4}$/.test(term)) where = `AND r.phone_tail = $${params.push(term)}`;
    else if (term !== '') where = `AND (r.name LIKE $${params.push(`%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)} OR r.building = $${params.push(term)})`;
    const rows = await db.query(
      `SELECT r.id, r.name, r.card_code AS "cardCode", r.phone_tail AS "phoneTail", r.building, r.room, r.birth_date AS "birthDate", r.age_band AS "ageBand", r.flags,
         r.id_masked AS "idMasked", r.import_id AS "importId", coalesce(r.removed, false) AS removed, a.balance, count(*) OVER ()::int AS total
       FROM resident r JOIN account a ON a.centre_id = r.centre_id AND a.id = r.account_id
       WHERE r.centre_id = $1 AND coalesce(r.removed, false) = $2 ${where} ORDER BY r.card_code LIMIT $3 OFFSET $4`, params);
    return { total: (rows[0] as { total?: number } | undefined)?.total ?? 0, residents: rows.map((r) => ({ ...(r as Record<string, unknown>), total: undefined })) };
  });

  const residentOf = async (a: AdminSession, id: string) => {
    const [r] = await loadRows(db, a.centreId, 'residents', 'id', [id]);
    if (!r) throw new SyncRefusal('malformed', 404, `没有这位居民 / no resident ${id}`);
    return r;
  };

  app.post('/api/admin/residents/:id', async (req) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    const b = parse(z.object({
      name: text(50), phone: text(20).optional(), building: text(20), room: text(20), birthDate: text(10), ageBand: z.union([z.enum(AGE_BANDS), z.literal('')]),
      flags: z.array(ResidentFlag).max(10), idNumber: text(20).optional(),
    }).strict(), req.body);
    const r = await residentOf(a, id);
    const day = shanghaiDay(now());
    const d = decideResidentForm({ ...b, phone: b.phone ?? '' }, day);
    if (!d.ok) throw refusalOf(d.error);
    let idMasked = r.idMasked ?? null;
    let idHash = r.idHash ?? null;
    if (b.idNumber !== undefined) {
      if (b.idNumber.trim() === '') [idMasked, idHash] = [null, null];
      else {
        const parsed = parseIdNumber(b.idNumber, day);
        if (!parsed.ok) throw refusalOf(parsed.error);
        [idMasked, idHash] = [parsed.value.masked, keyedHash(key(), 'id', parsed.value.number)];
        // Another resident of the centre holds it: the same person registered twice, or a typing slip.
        const [other] = await db.query<{ name: string }>('SELECT name FROM resident WHERE centre_id = $1 AND id_hash = $2 AND id <> $3 AND NOT coalesce(removed, false) LIMIT 1', [a.centreId, idHash, id]);
        if (other) throw refusalOf({ key: 'idNumberTaken', params: { name: other.name } });
      }
    }
    const phone = b.phone === undefined ? undefined : d.value.phone;
    const body: EventBody = {
      kind: 'residentUpdated', version: 1, payload: {
        residentId: id, name: d.value.name, building: d.value.building, room: d.value.room, birthDate: d.value.birthDate, ageBand: d.value.ageBand, flags: d.value.flags,
        phoneTail: phone === undefined ? (r.phoneTail ?? null) : phone ? phone.slice(-4) : null,
        phoneHash: phone === undefined ? (r.phoneHash ?? null) : phone ? keyedHash(key(), 'phone', phone) : null,
        idMasked, idHash,
      },
    };
    await pushAdminEvents(db, who(a), [body], now());
    return { updated: id };
  });

  app.post('/api/admin/residents/:id/card', async (req) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    const r = await residentOf(a, id);
    if (r.removed) throw new SyncRefusal('malformed', 409, '这位居民已移除 / this resident was removed');
    const d = decideCardReplacement(r);
    if (!d.ok) throw refusalOf(d.error);
    await pushAdminEvents(db, who(a), [{ kind: 'cardReplaced', version: 1, payload: d.value }], now());
    return { residentId: id, oldCardCode: d.value.oldCardCode, cardCode: d.value.newCardCode };
  });

  app.post('/api/admin/residents/:id/remove', async (req) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    const { reason } = parse(z.object({ reason: text(100, 1) }).strict(), req.body);
    await residentOf(a, id);
    await pushAdminEvents(db, who(a), [{ kind: 'residentsRemoved', version: 1, payload: { importId: null, residentIds: [id], reason } }], now());
    return { removed: id };
  });

  // Residents from Excel. The upload is taken by this scope alone, only from an admin known
  // before a byte of it is read, and a file announced over the limit is refused at once.
  await app.register(async (uploads) => {
    const sessions = new WeakMap<FastifyRequest, AdminSession>();
    uploads.addHook('onRequest', async (req) => {
      sessions.set(req, await admin(req));
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > MAX_SHEET_BYTES) throw new SyncRefusal('tooLarge', 413, tooLargeMessage(length));
    });
    const adminOf = (req: FastifyRequest): AdminSession => sessions.get(req)!;
    uploads.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: MAX_SHEET_BYTES }, (_req, body, done) => done(null, body));
    uploads.post('/api/admin/residents/imports', { bodyLimit: MAX_SHEET_BYTES }, async (req, reply) => {
      const a = adminOf(req);
      const { name } = parse(z.object({ name: text(200).default('residents.xlsx') }).strict(), req.query);
      if (!Buffer.isBuffer(req.body)) throw new SyncRefusal('malformed', 415, `post the file as ${XLSX_CONTENT_TYPE} / 请上传 .xlsx 文件`);
      const bytes = req.body;
      return streamed(req, reply, async (progress) => {
        const preview = await previewImport(db, key(), who(a), name, bytes, now(), progress);
        await audit(db, a, 'residentsPreviewed', { importId: preview.importId, file: preview.fileName, ...preview.counts });
        return preview;
      });
    });
  });
  app.get('/api/admin/residents/imports', async (req) => listImports(db, (await admin(req)).centreId));
  app.get('/api/admin/residents/imports/:id', async (req) => {
    const a = await admin(req);
    return getImport(db, a.centreId, parse(IdParam, req.params).id);
  });
  app.get('/api/admin/residents/imports/:id/report.:format', async (req, reply) => {
    const a = await admin(req);
    const p = parse(IdParam.extend({ format: z.enum(['csv', 'xlsx']) }), req.params);
    const { lang } = parse(z.object({ lang: z.enum(['zh', 'en']).default('zh') }).strict(), req.query);
    const preview = await getImport(db, a.centreId, p.id);
    const table: ReportTable = { name: '导入检查 Import check', columns: ['行 Row', '姓名 Name', '级别 Level', '说明 Finding'], rows: reportLines(preview, lang as Lang) };
    return sendTables(reply, [table], p.format, `import-report-${p.id}`);
  });
  app.post('/api/admin/residents/imports/:id/commit', async (req, reply) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    return streamed(req, reply, async (progress) => {
      const r = await commitImport(db, key(), who(a), id, now(), progress);
      await audit(db, a, 'residentsImported', { importId: id, ...r });
      return r;
    });
  });
  app.post('/api/admin/residents/imports/:id/discard', async (req) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    await discardImport(db, a.centreId, id);
    await audit(db, a, 'importDiscarded', { importId: id });
    return { discarded: id };
  });
  app.post('/api/admin/residents/imports/:id/undo', async (req, reply) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    const { reason } = parse(z.object({ reason: text(100, 1) }).strict(), req.body);
    return streamed(req, reply, async (progress) => {
      const r = await undoImport(db, who(a), id, reason, now(), progress);
      await audit(db, a, 'importUndone', { importId: id, reason, ...r });
      return r;
    });
  });

  // Staff (changes are in app.ts: POST /api/admin/staff, /api/admin/staff/:card).
  app.get('/api/admin/staff', async (req) => listStaff(db, (await admin(req)).centreId));

  // Goods and prices.
  app.get('/api/admin/goods', async (req) => allRows(db, (await admin(req)).centreId, 'goods'));
  const GoodsFields = z.object({ name: text(100), category: text(20), pointPrice: z.number().int(), lowStock: z.number().int() });
  app.post('/api/admin/goods', async (req) => {
    const a = await admin(req);
    const b = parse(GoodsFields.extend({ barcode: text(13).default('') }).strict(), req.body);
    let goodsId = '';
    let barcode = '';
    await pushAdminEvents(db, who(a), async (tx) => {
      // The store's own codes of the server device: `2`, block 900, the next number.
      const [max] = await tx.query<{ n: number | null }>(`SELECT max(substring(barcode from 2 for 11)::bigint) AS n FROM goods WHERE centre_id = $1 AND barcode ~ '^29[0-9]{11}$'`, [a.centreId]);
      const n = max?.n ? max.n - ownCodeSerial('IMPORT', 0) + 1 : 1;
      const wanted = b.barcode.trim();
      const taken = new Set((await tx.query<{ barcode: string }>('SELECT barcode FROM goods WHERE centre_id = $1 AND barcode = $2', [a.centreId, wanted || makeEan(`2${String(ownCodeSerial('IMPORT', n)).padStart(11, '0')}`)])).map((g) => g.barcode));
      const d = decideGoods(b, { goodsId: uuidv7(now().getTime(), randomBytes(16)), ownCodeSerial: ownCodeSerial('IMPORT', n) }, (code) => taken.has(code));
      if (!d.ok) throw refusalOf(d.error);
      goodsId = d.value.goodsId;
      barcode = d.value.barcode;
      return [{ kind: 'goodsAdded', version: 1, payload: d.value }];
    }, now());
    return { goodsId, barcode };
  });
  app.post('/api/admin/goods/:id', async (req) => {
    const a = await admin(req);
    const { id } = parse(IdParam, req.params);
    const b = parse(GoodsFields.strict(), req.body);
    const d = decideGoodsChange({ id }, b);
    if (!d.ok) throw refusalOf(d.error);
    await pushAdminEvents(db, who(a), [{ kind: 'goodsChanged', version: 1, payload: d.value }], now());
    return { goodsId: id };
  });

  // Earning rules.
  app.get('/api/admin/rules', async (req) => allRows(db, (await admin(req)).centreId, 'rules'));
  app.post('/api/admin/rules', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({
      ruleId: IdParam.shape.id.optional(), name: text(30), category: EarningCategory, unit: z.enum(['act', 'hour']), points: z.number().int(),
      capPerDay: z.number().int().nullable(), capPerMonth: z.number().int().nullable(), active: z.boolean(),
    }).strict(), req.body);
    const { ruleId, ...form } = b;
    const d = decideRule(ruleId ?? uuidv7(now().getTime(), randomBytes(16)), form);
    if (!d.ok) throw refusalOf(d.error);
    await pushAdminEvents(db, who(a), [{ kind: 'earningRuleSet', version: 1, payload: d.value }], now());
    return { ruleId: d.value.ruleId };
  });

  // Partner shops.
  app.get('/api/admin/shops', async (req) => allRows(db, (await admin(req)).centreId, 'partnerShops'));
  app.post('/api/admin/shops', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({ shopId: IdParam.shape.id.optional(), name: text(50), offers: z.array(text(60)).max(20), active: z.boolean() }).strict(), req.body);
    const existing = b.shopId ? (await loadRows(db, a.centreId, 'partnerShops', 'id', [b.shopId]))[0] : undefined;
    if (b.shopId && !existing) throw new SyncRefusal('malformed', 404, `没有这家商铺 / no shop ${b.shopId}`);
    const payload = PartnerShopSetV1.shape.payload.safeParse({
      shopId: b.shopId ?? uuidv7(now().getTime(), randomBytes(16)), accountId: existing?.accountId ?? uuidv7(now().getTime(), randomBytes(16)),
      name: b.name, offers: b.offers.map((x) => x.trim()).filter(Boolean), active: b.active,
    });
    if (!payload.success) throw new SyncRefusal('malformed', 400, '请填写商铺名称（50 字以内），每项服务 60 字以内 / enter the shop\'s name (up to 50 characters), each offer up to 60');
    await pushAdminEvents(db, who(a), [{ kind: 'partnerShopSet', version: 1, payload: payload.data }], now());
    return { shopId: payload.data.shopId };
  });

  // The week's services.
  app.get('/api/admin/services', async (req) => allRows(db, (await admin(req)).centreId, 'services'));
  app.post('/api/admin/services', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({
      serviceId: IdParam.shape.id.optional(), name: text(30), team: text(30), weekday: z.number().int(), nthWeek: z.number().int().nullable(),
      startTime: text(5), endTime: text(5), place: text(30), note: text(100), active: z.boolean(),
    }).strict(), req.body);
    const { serviceId, ...form } = b;
    const d = decideService(serviceId ?? uuidv7(now().getTime(), randomBytes(16)), form);
    if (!d.ok) throw refusalOf(d.error);
    await pushAdminEvents(db, who(a), [{ kind: 'serviceScheduled', version: 1, payload: d.value }], now());
    return { serviceId: d.value.serviceId };
  });

  // Reports: JSON for the app's tables and charts, CSV and Excel to take away.
  const PeriodQuery = z.object({ period: z.string().max(7) }).strict();
  app.get('/api/admin/reports/:name', async (req) => {
    const a = await admin(req);
    const { name } = parse(z.object({ name: z.enum([...REPORT_NAMES, 'month']) }), req.params);
    const period = parsePeriod(parse(PeriodQuery, req.query).period);
    return name === 'month' ? (await monthReport(db, a.centreId, period, now())).figures : REPORTS[name].make(db, a.centreId, period, now());
  });
  app.get('/api/admin/reports/:name/file.:format', async (req, reply) => {
    const a = await admin(req);
    const p = parse(z.object({ name: z.enum([...REPORT_NAMES, 'month']), format: z.enum(['csv', 'xlsx']) }), req.params);
    const period = parsePeriod(parse(PeriodQuery, req.query).period);
    const tables: ReportTable[] = p.name === 'month' ? (await monthReport(db, a.centreId, period, now())).tables
      : (REPORTS[p.name].tables as (r: unknown) => ReportTable[])(await REPORTS[p.name].make(db, a.centreId, period, now()));
    await audit(db, a, 'reportExported', { report: p.name, period: period.label, format: p.format });
    return sendTables(reply, tables, p.format, `linli-${p.name}-${a.centreId}-${period.label}`);
  });

  // The audit trail: events of the server device and the admin log, merged; and as a file.
  const AuditQuery = z.object({ from: z.string().max(10).optional(), to: z.string().max(10).optional(), limit: z.coerce.number().int().min(1).max(20_000).optional() }).strict();
  const auditRange = (q: z.infer<typeof AuditQuery>) => ({
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.from ? { from: `${q.from}T00:00:00+08:00` } : {}), ...(q.to ? { to: `${q.to}T00:00:00+08:00` } : {}),
  });
  app.get('/api/admin/audit/trail', async (req) => {
    const a = await admin(req);
    return auditTrail(db, a.centreId, auditRange(parse(AuditQuery, req.query)));
  });
  app.get('/api/admin/audit/file.:format', async (req, reply) => {
    const a = await admin(req);
    const { format } = parse(z.object({ format: z.enum(['csv', 'xlsx']) }), req.params);
    const rows = await auditTrail(db, a.centreId, { limit: 20_000, ...auditRange(parse(AuditQuery, req.query)) });
    return sendTables(reply, [auditTable(rows)], format, `linli-audit-${a.centreId}`);
  });

  // The city view: its own sign-in and session, figures only.
  const city = async (req: FastifyRequest): Promise<CitySession> => {
    const token = /(?:^|;\s*)linli_city=([A-Za-z0-9_-]{20,100})/.exec(req.headers.cookie ?? '')?.[1];
    const s = token ? await citySession(db, token, now()) : null;
    if (!s) throw new SyncRefusal('unauthorised', 401, '请先以街道或市级管理员登录 / sign in as a city admin first');
    return s;
  };
  app.post('/api/admin/city/session', async (req, reply) => {
    const b = parse(z.object({ login: text(32), password: text(200) }).strict(), req.body);
    const s = await signInCity(db, b.login, b.password, req.ip, now());
    void reply.header('set-cookie', sessionCookie(CITY_COOKIE, s.token, SESSION_TTL_MS / 1000, req));
    return { expiresAt: s.expiresAt.toISOString() };
  });
  app.delete('/api/admin/city/session', async (req, reply) => {
    await signOutCity(db, await city(req));
    void reply.header('set-cookie', sessionCookie(CITY_COOKIE, '', 0, req));
    return { signedOut: true };
  });
  app.get('/api/admin/city/me', async (req) => {
    const s = await city(req);
    return { name: s.name, centres: s.centres };
  });
  app.get('/api/admin/city/figures', async (req) => {
    const s = await city(req);
    const period = parsePeriod(parse(PeriodQuery, req.query).period);
    return { period: period.label, centres: await cityFigures(db, s.centres, period) };
  });
  app.get('/api/admin/city/figures.:format', async (req, reply) => {
    const s = await city(req);
    const { format } = parse(z.object({ format: z.enum(['csv', 'xlsx']) }), req.params);
    const period = parsePeriod(parse(PeriodQuery, req.query).period);
    return sendTables(reply, cityTables(period.label, await cityFigures(db, s.centres, period)), format, `linli-centres-${period.label}`);
  });
}
