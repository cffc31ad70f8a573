import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EnrolRequest, MAX_PUSH_BYTES, PushRequest, type HelloResponse, type SyncError } from '../core/index.js';
import type { Db } from './db/db.js';
import { authenticate, enrol } from './devices/enrol.js';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, pull } from './sync/pull.js';
import { push, type AuthedDevice } from './sync/push.js';
import { SyncRefusal } from './sync/refusal.js';

export type AppOptions = {
  db: Db;
  /** The built kiosk to serve at `/` (the browser fallback when Electron is missing). */
  kioskDir?: string | undefined;
  logger?: boolean | { level: string };
  now?: () => Date;
};

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
      redact: ['req.headers.authorization', 'req.body.pairingCode', 'res.body.token'],
    },
  });

  const fail = (reply: FastifyReply, status: number, body: SyncError) => reply.code(status).send(body);

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    if (err instanceof SyncRefusal) {
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
    return found;
  };

  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new SyncRefusal('malformed', 400, z.prettifyError(r.error).slice(0, 2000));
    return r.data;
  };

  app.get('/api/health', async () => ({ ok: true }));

  app.post('/api/devices/enrol', async (req) => enrol(o.db, parse(EnrolRequest, req.body).pairingCode, now()));

  app.get('/api/sync/hello', async (req): Promise<HelloResponse> => {
    const d = await device(req);
    const [row] = await o.db.query<{ last_seq: number; name: string; epoch: string }>(
      'SELECT d.last_seq, c.name, c.epoch FROM device d JOIN centre c ON c.id = d.centre_id WHERE d.id = $1', [d.id]);
    if (!row) throw new SyncRefusal('unauthorised', 401, 'device not found');
    return { deviceId: d.id, deviceCode: d.code, centre: { id: d.centreId, name: row.name }, lastSeq: row.last_seq, serverTime: now().toISOString(), epoch: row.epoch };
  });

  app.post('/api/sync/push', async (req) => {
    const d = await device(req);
    return push(o.db, d, parse(PushRequest, req.body).events);
  });

  app.get('/api/sync/pull', async (req) => {
    const d = await device(req);
    const q = parse(PullQuery, req.query);
    const [c] = await o.db.query<{ epoch: string }>('SELECT epoch FROM centre WHERE id = $1', [d.centreId]);
    if (!c) throw new SyncRefusal('unauthorised', 401, 'centre not found');
    if (q.epoch !== undefined && q.epoch !== c.epoch && q.since > 0) {
      throw new SyncRefusal('epochMismatch', 409, 'the server was restored; take a fresh snapshot');
    }
    return pull(o.db, d.centreId, c.epoch, q.since, q.limit);
  });

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
