import { timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEVICE_PROFILES, EnrolRequest, formatShanghai, IdNumberRequest, MAX_EXPORT_BYTES, PhoneRequest, MAX_PUSH_BYTES, PushRequest, StaffRole, type HelloResponse, type SyncError } from '../core/index.js';
import {
  addStaff, adminSession, audit, endOtherSessions, listAudit, listDevices, listRefusals, recordRefusal, SESSION_TTL_MS, setPassword, signInAdmin, signOutAdmin, updateStaff,
  type AdminSession,
} from './admin/admin.js';
import { canteenRoutes } from './admin/canteen.js';
import { adminRoutes, sessionCookie } from './admin/routes.js';
import { WorkPlace } from '../core/index.js';
import { BACKUP_CONTENT_TYPE, backupScope, restoreBackup, writeBackup } from './backup/backup.js';
import type { Db } from './db/db.js';
import { createPairingCode, enrol, PAIRING_CODE_TTL_MS, revokeDevice, sha256 } from './devices/enrol.js';
import { importExport } from './sync/import.js';
import { canteenReportRoutes } from './reports/routes.js';
import { Metrics } from './operations/metrics.js';
import { CentreHeads, DeviceTokens } from './sync/memory.js';
import { PokeHub } from './sync/poke.js';
import { keyIdNumber } from './residents/idNumbers.js';
import { phoneAskAllowed, phoneHolders } from './residents/phones.js';
import { DEFAULT_PULL_LIMIT, emptyPull, MAX_PULL_LIMIT, pull } from './sync/pull.js';
import { push, type AuthedDevice } from './sync/push.js';
import { SyncRefusal } from './sync/refusal.js';

export type AppOptions = {
  db: Db;
  /** The built kiosk to serve at `/` (the browser fallback when Electron is missing). */
  kioskDir?: string | undefined;
  /** Pino logging: off when absent; `stream` takes the JSON lines (tests capture them). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  now?: () => Date;
  /** How often an open poke stream sends a keep-alive comment. */
  heartbeatMs?: number;
  /** Most poke streams this process holds; past it a kiosk is refused (503) and polls. */
  maxStreams?: number;
  /** A scraper's bearer token for `/api/admin/metrics` (else only an admin's session). */
  metricsToken?: string | undefined;
  /** The key of the keyed hashes of ID numbers and phones (HMAC-SHA256): server only (see server/imports/idKey.ts). */
  idKey?: Buffer;
  /** Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto (and -For), so a session cookie is `Secure`. */
  trustProxy?: boolean;
};

/** Bytes a poke stream may have waiting unsent before its reader counts as gone (memory stays bounded). */
const MAX_STREAM_BACKLOG = 16 * 1024;

const ADMIN_COOKIE = 'linli_admin';
/** The content type an outbox export file is posted with. */
export const EXPORT_CONTENT_TYPE = 'application/vnd.linli.outbox+json';

/** The kiosk served to a browser talks to this server only and runs only its own scripts. */
const KIOSK_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * A text field or path part of an admin request. PostgreSQL cannot store a NUL character, so one
 * is refused here as malformed rather than failing in the database as a 5xx.
 */
const text = (max: number, min = 0) => z.string().min(min).max(max).refine((v) => !v.includes('\0'), 'must not contain a NUL character');

const PullQuery = z.object({
  since: z.coerce.number().int().nonnegative(),
  epoch: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
}).strict();

/**
 * What a log line says of an error that failed a request: its kind, its SQLSTATE and the frames of
 * its stack. A database error's text is left out (PostgreSQL puts values in it; PGlite adds the SQL
 * and its parameters: names, hashes of tokens), and so is every other field an error carries.
 */
export function describeError(err: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (!(err instanceof Error)) return { type: typeof err, message: 'not an Error', stack: '' };
  const e = err as Error & { code?: unknown; routine?: unknown; table?: unknown; constraint?: unknown };
  const stack = (err.stack ?? '').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('at ')).slice(0, 12).join('\n');
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return { type: 'DatabaseError', message: `database error ${e.code}`, code: e.code, routine: e.routine, table: e.table, constraint: e.constraint, stack };
  }
  return { type: err.name, message: err.message, ...(typeof e.code === 'string' ? { code: e.code } : {}), stack };
}

/** Whether two secrets are equal, in a time that does not tell how much of them matched. */
function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a), 'hex');
  const y = Buffer.from(sha256(b), 'hex');
  return timingSafeEqual(x, y);
}

/** Resolves when `stream` may be written again; rejects when its reader went away. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (gone: boolean) => () => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (gone) reject(new Error('the reader went away'));
      else resolve();
    };
    const onDrain = settle(false);
    const onClose = settle(true);
    stream.on('drain', onDrain);
    stream.on('close', onClose);
  });
}

/**
 * The sync server. Routes only parse, authenticate and call the sync functions; the rules are
 * in `core/`. Every refusal is a typed `SyncError` body.
 */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const now = o.now ?? (() => new Date());
  const app = Fastify({
    bodyLimit: MAX_PUSH_BYTES,
    trustProxy: o.trustProxy ?? false,
    logger: o.logger === undefined || o.logger === false ? false : {
      level: typeof o.logger === 'object' ? o.logger.level : 'info',
      ...(typeof o.logger === 'object' && o.logger.stream ? { stream: o.logger.stream } : {}),
      // What a log line may say. A request is its method and its route's pattern: a URL is never
      // logged as sent (a path names a staff card, a query could carry anything a client put in
      // it). Headers and bodies are never logged (tokens, PINs, pairing codes, names), and an
      // error only as `describeError` tells it (no SQL, no parameters, no database message).
      serializers: {
        req: (req: { method: string; routeOptions: { url?: string | undefined }; ip: string }) => ({ method: req.method, route: req.routeOptions.url ?? '(no route)', remoteAddress: req.ip }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: describeError,
      },
    },
  });
  // Each centre's head and the devices seen, kept in memory and told of every change (memory.ts).
  const heads = new CentreHeads(o.db);
  const tokens = new DeviceTokens(o.db);
  const metrics = new Metrics();
  let listening = false;
  const pokes = new PokeHub();
  await pokes.start(o.db, {
    centreChanged: (centreId) => heads.changed(centreId),
    deviceChanged: (deviceId) => tokens.changed(deviceId),
    listening: (up) => {
      listening = up;
      heads.listening(up);
      tokens.listening(up);
    },
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.request(req.method, req.routeOptions.url ?? '(no route)', reply.statusCode);
  });
  // Open poke streams, and one keep-alive timer for all of them (not one per stream). A stream
  // whose reader stopped reading is ended once its backlog passes MAX_STREAM_BACKLOG.
  const streams = new Set<ServerResponse>();
  const send = (res: ServerResponse, text: string) => {
    if (res.writableLength > MAX_STREAM_BACKLOG) res.destroy();
    else res.write(text);
  };
  const beat = setInterval(() => {
    for (const res of streams) send(res, ': keep-alive\n\n');
  }, o.heartbeatMs ?? 15_000);
  beat.unref();
  // Open poke streams end before the server closes (it would wait for them otherwise).
  app.addHook('preClose', async () => {
    clearInterval(beat);
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
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(reply, 413, { error: 'tooLarge', message: `body over ${req.routeOptions.bodyLimit ?? MAX_PUSH_BYTES} bytes` });
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(reply, 415, { error: 'malformed', message: `${req.headers['content-type'] ?? 'no content type'} is not taken here` });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return fail(reply, 400, { error: 'malformed', message: err.message });
    req.log.error({ err }, 'request failed'); // `err` as describeError tells it (see the logger)
    return reply.code(503).send({ error: 'retry', message: 'the server could not finish; try again' });
  });

  const device = async (req: FastifyRequest): Promise<AuthedDevice> => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header)?.[1];
    const found = token ? await tokens.authenticate(token) : null;
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

  // Liveness: the process answers (kept as cheap as a route can be; a load balancer may ask often).
  app.get('/api/health', async () => ({ ok: true }));
  // Readiness, for a load balancer's checks: the database answers a writable statement's
  // question (a replica that was the primary does not) and the process hears its notifications.
  app.get('/api/ready', async (_req, reply) => {
    const [row] = await o.db.query<{ writable: boolean }>('SELECT NOT pg_is_in_recovery() AS writable').catch(() => [{ writable: null }]);
    // A replica answered (a primary demoted in a failover and back): look for the primary.
    if (row?.writable === false) o.db.seekPrimary?.();
    const ready = row?.writable === true && listening;
    return reply.code(ready ? 200 : 503).send({ ok: ready, database: row?.writable === true ? 'primary' : 'unavailable', listening });
  });
  // Prometheus' text format, for a scraper with the metrics token or an admin signed in.
  app.get('/api/admin/metrics', async (req, reply) => {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!(o.metricsToken && bearer && timingSafeEqualText(bearer, o.metricsToken))) await admin(req);
    void reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return metrics.text({
      streams: streams.size, pool: o.db.poolUse?.(), listening,
      heads: { kept: heads.size, hits: heads.hits, misses: heads.misses },
      devices: { kept: tokens.size, hits: tokens.hits, misses: tokens.misses },
    });
  });

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
    const pushed = await push(o.db, d, parse(PushRequest, req.body).events, now(), metrics);
    // The pusher pulls next: this process knows the new head before the notification comes back.
    heads.advance(d.centreId, Math.max(0, ...pushed.outcomes.map((x) => (x.status === 'applied' ? x.serverSeq : 0))));
    metrics.pushed(pushed.outcomes);
    return pushed;
  });

  // The poke stream: server-sent events over a fetch stream, so the token stays in a header.
  // Each change of the centre's rows by another device sends `event: poke`; a comment line keeps
  // the connection open through proxies.
  app.get('/api/sync/stream', async (req, reply) => {
    const d = await device(req);
    if (streams.size >= (o.maxStreams ?? 20_000)) return reply.code(503).send({ error: 'retry', message: 'this server holds as many streams as it may; poll' });
    reply.hijack();
    const res = reply.raw;
    req.raw.socket.setNoDelay(true);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': linli poke stream\n\nevent: ready\ndata: {}\n\n');
    metrics.streamOpened();
    const unsubscribe = pokes.subscribe(d.centreId, {
      deviceId: d.id,
      poke: (from) => {
        if (from !== d.id) send(res, 'event: poke\ndata: {}\n\n');
      },
      // A revoked device hears nothing more: the stream ends, and reconnecting is refused (401).
      revoked: () => {
        res.write('event: revoked\ndata: {}\n\n');
        res.end();
      },
    });
    streams.add(res);
    res.on('close', () => {
      streams.delete(res);
      unsubscribe();
    });
  });

  // A counter registering a resident with an ID number: the masked form and the keyed hash the
  // event will carry (the key stays here), and who already has the number.
  app.post('/api/residents/id-number', async (req) => {
    const d = await device(req);
    if (d.profile !== 'counter' && d.profile !== 'server') throw new SyncRefusal('forbidden', 403, 'only a counter registers residents');
    const body = parse(IdNumberRequest, req.body);
    if (!o.idKey) throw new SyncRefusal('malformed', 503, 'the server has no key for ID numbers (LINLI_ID_KEY or id-hash.key)');
    return keyIdNumber(o.db, o.idKey, d.centreId, body.idNumber, formatShanghai(now().getTime()).slice(0, 10));
  });

  // A counter registering a resident with a mobile number: who of the centre has it already.
  const phoneAsks = new Map<string, { minute: number; count: number }>();
  app.post('/api/residents/phone', async (req) => {
    const d = await device(req);
    if (d.profile !== 'counter' && d.profile !== 'server') throw new SyncRefusal('forbidden', 403, 'only a counter registers residents');
    if (!phoneAskAllowed(phoneAsks, d.id, now().getTime())) throw new SyncRefusal('tooManyTries', 429, 'too many phone checks from this device; wait a minute');
    const body = parse(PhoneRequest, req.body);
    if (!o.idKey) throw new SyncRefusal('malformed', 503, 'the server has no key for phones (LINLI_ID_KEY or id-hash.key)');
    return phoneHolders(o.db, o.idKey, d.centreId, body.phone);
  });

  app.get('/api/sync/pull', async (req) => {
    const started = performance.now();
    const d = await device(req);
    const q = parse(PullQuery, req.query);
    const c = await heads.get(d.centreId);
    if (!c) throw new SyncRefusal('unauthorised', 401, 'centre not found');
    if (q.epoch !== undefined && q.epoch !== c.epoch && q.since > 0) {
      throw new SyncRefusal('epochMismatch', 409, 'the server was restored; take a fresh snapshot');
    }
    // Nothing new (the most asked question): answered from memory, no round trip.
    if (q.since >= c.head) {
      metrics.pulled('memory', (performance.now() - started) / 1000);
      return emptyPull(c.epoch, q.since, c.head);
    }
    const page = await pull(o.db, d.centreId, c.epoch, q.since, q.limit, d.profile, d.code, d.id);
    metrics.pulled('database', (performance.now() - started) / 1000);
    return page;
  });

  // Admin: sign in with an admin's staff card and password (not the counter PIN); the session
  // travels in an HttpOnly, SameSite=Strict cookie, Secure when the request came over TLS. Every
  // admin route takes the centre from the session.
  app.post('/api/admin/session', async (req, reply) => {
    const body = parse(z.object({ centreId: text(64), cardCode: text(16), password: text(200) }).strict(), req.body);
    const s = await signInAdmin(o.db, body.centreId, body.cardCode, body.password, req.ip, now());
    void reply.header('set-cookie', sessionCookie(ADMIN_COOKIE, s.token, SESSION_TTL_MS / 1000, req));
    return { expiresAt: s.expiresAt.toISOString() };
  });
  // Sign-out: the session is gone on the server, and the browser forgets the cookie.
  app.delete('/api/admin/session', async (req, reply) => {
    const a = await admin(req);
    await signOutAdmin(o.db, a);
    void reply.header('set-cookie', sessionCookie(ADMIN_COOKIE, '', 0, req));
    return { signedOut: true };
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
    const { code } = parse(z.object({ code: text(16) }), req.params);
    const { reason } = parse(z.object({ reason: text(200) }).strict(), req.body);
    if (!(await revokeDevice(o.db, a.centreId, code, reason, now()))) throw new SyncRefusal('malformed', 404, `no device ${code} to revoke`);
    tokens.revokedHere(a.centreId, code);
    await audit(o.db, a, 'deviceRevoked', { device: code, reason });
    return { revoked: code };
  });
  // Staff changes are staffSet events of the centre's server device (the event log says who did
  // what); the audit trail notes them too, without a PIN or a password.
  app.post('/api/admin/staff', async (req) => {
    const a = await admin(req);
    const b = parse(z.object({
      name: text(50, 1), role: StaffRole, pin: z.string().regex(/^\d{6,12}$/).optional(), worksAt: z.array(WorkPlace).max(50).nullable().optional(), password: text(200).optional(),
    }).strict(), req.body);
    const added = await addStaff(o.db, a, b.name, b.role, b.pin ?? null, now(), b.worksAt);
    if (b.password !== undefined) await setPassword(o.db, a.centreId, added.id, b.password, null);
    await audit(o.db, a, 'staffAdded', { card: added.cardCode, name: b.name, role: b.role, pinSet: b.pin !== undefined, passwordSet: b.password !== undefined });
    return added;
  });
  app.post('/api/admin/staff/:card', async (req) => {
    const a = await admin(req);
    const { card } = parse(z.object({ card: text(16) }), req.params);
    const b = parse(z.object({
      pin: z.string().regex(/^\d{6,12}$/).optional(), active: z.boolean().optional(), name: text(50, 1).optional(), role: StaffRole.optional(),
      worksAt: z.array(WorkPlace).max(50).nullable().optional(), password: text(200).optional(),
    }).strict(), req.body);
    const { password, ...change } = b;
    const updated = Object.values(change).some((v) => v !== undefined) || password === undefined ? await updateStaff(o.db, a, card, change, now()) : null;
    const member = updated ?? (await o.db.query<{ id: string }>('SELECT id FROM staff WHERE centre_id = $1 AND card_code = $2', [a.centreId, card]))[0];
    if (!member) throw new SyncRefusal('malformed', 404, `no staff card ${card}`);
    // A new password ends the member's other admin sessions; so does a new PIN (a session signed
    // in before either is not trusted). A disabled card has no session at all. The admin who made
    // the change stays signed in.
    if (password !== undefined) await setPassword(o.db, a.centreId, member.id, password, a);
    const changed = (updated?.changed ?? false) || password !== undefined;
    if (changed) {
      if (b.pin !== undefined) await endOtherSessions(o.db, member.id, a);
      await audit(o.db, a, 'staffChanged', {
        card, pinSet: b.pin !== undefined, passwordSet: password !== undefined, ...(b.active !== undefined ? { active: b.active } : {}),
        ...(b.role !== undefined ? { role: b.role } : {}), ...(b.name !== undefined ? { name: b.name } : {}), ...(b.worksAt !== undefined ? { worksAt: b.worksAt } : {}),
      });
    }
    return { updated: card, changed };
  });
  app.get('/api/admin/refusals', async (req) => listRefusals(o.db, (await admin(req)).centreId));
  // Uploads (an export file, up to 64 MB) are accepted by their own routes only, and only from an
  // admin known before a byte of the body is read: the session is checked in `onRequest`, and the
  // content type is known in this scope alone, so any other route refuses it at once (415).
  await app.register(async (uploads) => {
    const sessions = new WeakMap<FastifyRequest, AdminSession>();
    uploads.addHook('onRequest', async (req) => {
      sessions.set(req, await admin(req));
    });
    const adminOf = (req: FastifyRequest): AdminSession => {
      const a = sessions.get(req);
      if (!a) throw new SyncRefusal('unauthorised', 401, 'sign in as an admin first');
      return a;
    };
    // An export file is posted as it is on the stick, so a truncated one is judged by the import
    // (and kept as a refusal), not lost in the JSON parser.
    uploads.addContentTypeParser(EXPORT_CONTENT_TYPE, { parseAs: 'string', bodyLimit: MAX_EXPORT_BYTES }, (_req, body, done) => done(null, body));
    uploads.post('/api/admin/imports', { bodyLimit: MAX_EXPORT_BYTES }, async (req) => {
      const a = adminOf(req);
      if (typeof req.body !== 'string') throw new SyncRefusal('malformed', 415, `post the file as ${EXPORT_CONTENT_TYPE}`);
      try {
        const result = await importExport(o.db, a.centreId, req.body, now());
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
    // A restore replaces the centre's rows (or a single-centre server's) with a backup's, in one
    // transaction, only when `?confirm=` names the admin's centre; the file is read as it arrives.
    uploads.addContentTypeParser(BACKUP_CONTENT_TYPE, (_req, payload, done) => done(null, payload));
    uploads.post('/api/admin/restore', async (req) => {
      const a = adminOf(req);
      const { confirm } = parse(z.object({ confirm: text(64).optional() }).strict(), req.query);
      if (confirm !== a.centreId) {
        throw new SyncRefusal('malformed', 400, `a restore replaces every row of centre ${a.centreId} with the backup's: confirm it with ?confirm=${a.centreId}`);
      }
      if (!(req.body instanceof Readable)) throw new SyncRefusal('malformed', 415, `post the file as ${BACKUP_CONTENT_TYPE}`);
      try {
        // The iterator is made now: readline drops the lines it reads before one exists.
        const lines = createInterface({ input: req.body, crlfDelay: Infinity })[Symbol.asyncIterator]();
        return await restoreBackup(o.db, a, { [Symbol.asyncIterator]: () => lines });
      } catch (err) {
        if (err instanceof SyncRefusal) {
          await recordRefusal(o.db, a.centreId, null, err.code, err.message);
          await audit(o.db, a, 'restoreRefused', { reason: err.message });
        }
        throw err;
      }
    });
  });
  // A backup streams out of one snapshot; the CLI writes it to a file (see backup/backup.ts).
  app.get('/api/admin/backup', async (req, reply) => {
    const a = await admin(req);
    await audit(o.db, a, 'backupMade', { scope: await backupScope(o.db, a.centreId) });
    const body = new PassThrough();
    const write = async (chunk: string) => {
      if (body.destroyed) throw new Error('the backup reader went away');
      if (!body.write(chunk)) await drained(body);
    };
    writeBackup(o.db, a.centreId, write).then(() => body.end(), (err: unknown) => {
      req.log.error({ err }, 'backup failed');
      body.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    void reply.header('content-type', BACKUP_CONTENT_TYPE);
    void reply.header('content-disposition', `attachment; filename="linli-backup-${a.centreId}-${now().toISOString().slice(0, 10)}.jsonl"`);
    return reply.send(body);
  });
  app.get('/api/admin/audit', async (req) => listAudit(o.db, (await admin(req)).centreId));
  await adminRoutes(app, { db: o.db, admin, now, parse, idKey: o.idKey, kioskDir: o.kioskDir, csp: KIOSK_CSP });
  await canteenRoutes(app, { db: o.db, admin, now, parse });
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
