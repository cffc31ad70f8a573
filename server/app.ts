import type { ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEVICE_PROFILES, EnrolRequest, MAX_EXPORT_BYTES, MAX_PUSH_BYTES, PushRequest, StaffRole, type HelloResponse, type SyncError } from '../core/index.js';
import {
  addStaff, adminSession, audit, listAudit, listDevices, listRefusals, recordRefusal, SESSION_TTL_MS, signInAdmin, updateStaff, type AdminSession,
} from './admin/admin.js';
import type { Db } from './db/db.js';
import { authenticate, createPairingCode, enrol, PAIRING_CODE_TTL_MS, revokeDevice } from './devices/enrol.js';
import { importExport } from './sync/import.js';
import { canteenReportRoutes } from './reports/routes.js';
import { PokeHub } from './sync/poke.js';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, pull } from './sync/pull.js';
import { push, type AuthedDevice } from './sync/push.js';
import { SyncRefusal } from './sync/refusal.js';

export type AppOptions = {
  db: Db;
  /** The built kiosk to serve at `/` (the browser fallback when Electron is missing). */
  kioskDir?: string | undefined;
  logger?: boolean | { level: string };
  now?: () => Date;
  /** How often an open poke stream sends a keep-alive comment. */
  heartbeatMs?: number;
};

const ADMIN_COOKIE = 'linli_admin';
/** The content type an outbox export file is posted with. */
export const EXPORT_CONTENT_TYPE = 'application/vnd.linli.outbox+json';

/** The kiosk served to a browser talks to this server only and runs only its own scripts. */
const KIOSK_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const PullQuery = z.object({
  since: z.coerce.number().int().nonnegative(),
  epoch: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
}).strict();

/**
 * The sync server. Routes only parse, authenticate and call the sync functions; the rules are
 * in `core/`. Every refusal is a typed `SyncError` body.
 */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const now = o.now ?? (() => new Date());
  const app = Fastify({
    bodyLimit: MAX_PUSH_BYTES,
    logger: o.logger === undefined || o.logger === false ? false : {
      level: typeof o.logger === 'object' ? o.logger.level : 'info',
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.pairingCode', 'req.body.pin', 'res.body.token'],
    },
  });
  const pokes = new PokeHub();
  await pokes.start(o.db);
  // Open poke streams end before the server closes (it would wait for them otherwise).
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of streams) res.end();
  });
  app.addHook('onClose', async () => pokes.close());
  /** The device each authenticated request came from: a refusal is kept under its centre. */
  const devices = new WeakMap<FastifyRequest, AuthedDevice>();

  const fail = (reply: FastifyReply, status: number, body: SyncError) => reply.code(status).send(body);

  app.setErrorHandler(async (err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    if (err instanceof SyncRefusal) {
      const d = devices.get(req);
      // Kept for staff and the admin: which device was refused, and why.
      if (d) await recordRefusal(o.db, d.centreId, d.id, err.code, err.message).catch((e: unknown) => req.log.error({ err: e }, 'could not keep a refusal'));
      return fail(reply, err.status, { error: err.code, message: err.message, ...(err.lastSeq !== undefined ? { lastSeq: err.lastSeq } : {}) });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(reply, 413, { error: 'tooLarge', message: `body over ${MAX_PUSH_BYTES} bytes` });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return fail(reply, 400, { error: 'malformed', message: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(503).send({ error: 'retry', message: 'the server could not finish; try again' });
  });

  const device = async (req: FastifyRequest): Promise<AuthedDevice> => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header)?.[1];
    const found = token ? await authenticate(o.db, token) : null;
    if (!found) throw new SyncRefusal('unauthorised', 401, 'unknown or revoked device token');
    devices.set(req, found);
    return found;
  };

  const admin = async (req: FastifyRequest): Promise<AdminSession> => {
    const token = /(?:^|;\s*)linli_admin=([A-Za-z0-9_-]{20,100})/.exec(req.headers.cookie ?? '')?.[1];
    const session = token ? await adminSession(o.db, token, now()) : null;
    if (!session) throw new SyncRefusal('unauthorised', 401, 'sign in as an admin first');
    return session;
  };

  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new SyncRefusal('malformed', 400, z.prettifyError(r.error).slice(0, 2000));
    return r.data;
  };

  app.get('/api/health', async () => ({ ok: true }));

  app.post('/api/devices/enrol', async (req) => {
    const body = parse(EnrolRequest, req.body);
    return enrol(o.db, body.pairingCode, now(), { source: req.ip, publicKey: body.publicKey });
  });

  app.get('/api/sync/hello', async (req): Promise<HelloResponse> => {
    const d = await device(req);
    const [row] = await o.db.query<{ last_seq: number; name: string; epoch: string }>(
      'SELECT d.last_seq, c.name, c.epoch FROM device d JOIN centre c ON c.id = d.centre_id WHERE d.id = $1', [d.id]);
    if (!row) throw new SyncRefusal('unauthorised', 401, 'device not found');
    return { deviceId: d.id, deviceCode: d.code, centre: { id: d.centreId, name: row.name }, lastSeq: row.last_seq, serverTime: now().toISOString(), epoch: row.epoch };
  });

  app.post('/api/sync/push', async (req) => {
    const d = await device(req);
    return push(o.db, d, parse(PushRequest, req.body).events, now());
  });

  // The poke stream: server-sent events over a fetch stream, so the token stays in a header.
  // Each change of the centre's rows by another device sends `event: poke`; a comment line keeps
  // the connection open through proxies.
  app.get('/api/sync/stream', async (req, reply) => {
    const d = await device(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': linli poke stream\n\nevent: ready\ndata: {}\n\n');
    const unsubscribe = pokes.subscribe(d.centreId, (from) => {
      if (from !== d.id) res.write('event: poke\ndata: {}\n\n');
    });
    const beat = setInterval(() => res.write(': keep-alive\n\n'), o.heartbeatMs ?? 15_000);
    const close = () => {
      clearInterval(beat);
      unsubscribe();
    };
    req.raw.on('close', close);
    streams.add(res);
    res.on('close', () => streams.delete(res));
  });

  app.get('/api/sync/pull', async (req) => {
    const d = await device(req);
    const q = parse(PullQuery, req.query);
    const [c] = await o.db.query<{ epoch: string }>('SELECT epoch FROM centre WHERE id = $1', [d.centreId]);
    if (!c) throw new SyncRefusal('unauthorised', 401, 'centre not found');
    if (q.epoch !== undefined && q.epoch !== c.epoch && q.since > 0) {
      throw new SyncRefusal('epochMismatch', 409, 'the server was restored; take a fresh snapshot');
    }
    return pull(o.db, d.centreId, c.epoch, q.since, q.limit, d.profile);
  });

  // Admin: sign in with an admin's staff card and PIN; the session travels in an HttpOnly,
  // SameSite=Strict cookie. Every admin route takes the centre from the session.
  app.post('/api/admin/session', async (req, reply) => {
    const body = parse(z.object({ centreId: z.string().max(64), cardCode: z.string().max(16), pin: z.string().max(12) }).strict(), req.body);
    const s = await signInAdmin(o.db, body.centreId, body.cardCode, body.pin, req.ip, now());
    void reply.header('set-cookie', `${ADMIN_COOKIE}=${s.token}; HttpOnly; SameSite=Strict; Path=/api/admin; Max-Age=${SESSION_TTL_MS / 1000}`);
    return { expiresAt: s.expiresAt.toISOString() };
  });
  app.post('/api/admin/pairing-codes', async (req) => {
    const a = await admin(req);
    const { profile } = parse(z.object({ profile: z.enum(DEVICE_PROFILES) }).strict(), req.body);
    const at = now();
    const code = await createPairingCode(o.db, a.centreId, profile, at);
    await audit(o.db, a, 'pairingCodeCreated', { profile });
    return { code, profile, expiresAt: new Date(at.getTime() + PAIRING_CODE_TTL_MS).toISOString() };
  });
  app.get('/api/admin/devices', async (req) => listDevices(o.db, (await admin(req)).centreId));
  app.post('/api/admin/devices/:code/revoke', async (req) => {
    const a = await admin(req);
    const { code } = parse(z.object({ code: z.string().max(16) }), req.params);
    const { reason } = parse(z.object({ reason: z.string().max(200) }).strict(), req.body);
    if (!(await revokeDevice(o.db, a.centreId, code, reason, now()))) throw new SyncRefusal('malformed', 404, `no device ${code} to revoke`);
    await audit(o.db, a, 'deviceRevoked', { device: code, reason });
    return { revoked: code };
  });
  app.post('/api/admin/staff', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({ name: z.string().min(1).max(50), role: StaffRole, pin: z.string().regex(/^\d{6,12}$/) }).strict(), req.body);
    const added = await addStaff(o.db, a.centreId, b.name, b.role, b.pin);
    await audit(o.db, a, 'staffAdded', { card: added.cardCode, name: b.name, role: b.role });
    return added;
  });
  app.post('/api/admin/staff/:card', async (req) => {
    const a = await admin(req);
    const { card } = parse(z.object({ card: z.string().max(16) }), req.params);
    const b = parse(z.object({ pin: z.string().regex(/^\d{6,12}$/).optional(), active: z.boolean().optional() }).strict(), req.body);
    if (!(await updateStaff(o.db, a.centreId, card, b))) throw new SyncRefusal('malformed', 404, `no staff card ${card}`);
    await audit(o.db, a, 'staffChanged', { card, pinSet: b.pin !== undefined, ...(b.active !== undefined ? { active: b.active } : {}) });
    return { updated: card };
  });
  app.get('/api/admin/refusals', async (req) => listRefusals(o.db, (await admin(req)).centreId));
  // An export file is posted as it is on the stick, so a truncated one is judged by the import
  // (and kept as a refusal), not lost in the JSON parser.
  app.addContentTypeParser(EXPORT_CONTENT_TYPE, { parseAs: 'string', bodyLimit: MAX_EXPORT_BYTES }, (_req, body, done) => done(null, body));
  app.post('/api/admin/imports', { bodyLimit: MAX_EXPORT_BYTES }, async (req) => {
    const a = await admin(req);
    if (typeof req.body !== 'string') throw new SyncRefusal('malformed', 415, `post the file as ${EXPORT_CONTENT_TYPE}`);
    const text = req.body;
    try {
      const result = await importExport(o.db, a.centreId, text, now());
      await audit(o.db, a, 'exportImported', result);
      return result;
    } catch (err) {
      if (err instanceof SyncRefusal) {
        await recordRefusal(o.db, a.centreId, null, err.code, err.message);
        await audit(o.db, a, 'exportRefused', { reason: err.message });
      }
      throw err;
    }
  });
  app.get('/api/admin/audit', async (req) => listAudit(o.db, (await admin(req)).centreId));
  canteenReportRoutes(app, { db: o.db, admin, now });

  if (o.kioskDir && existsSync(o.kioskDir)) {
    await app.register(fastifyStatic, {
      root: o.kioskDir,
      index: 'index.html',
      setHeaders: (res) => {
        res.setHeader('Content-Security-Policy', KIOSK_CSP);
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    });
  }
  return app;
}
