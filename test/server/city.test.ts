import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeStaffCardCode, PullResponse, receives, REPLICATED, TABLE_NAMES, tableSpec, type PullRows } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import type { Db } from '../../server/db/db.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { revokeDevice } from '../../server/devices/enrol.js';
import { pull } from '../../server/sync/pull.js';
import { selectList } from '../../server/sync/rows.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { enrolDevice, eventMaker, NOW, redemption, smallCentreDb, smallCentreRows } from '../support/centre.js';

const rows = smallCentreRows();
const SCRAPER = 'a-scraper-token-of-some-length';

/** `db` with a count of the round trips made through it (statements and transactions). */
function counting(db: Db): Db & { trips: number } {
  const counted = {
    ...db,
    trips: 0,
    query: <T>(sql: string, params?: readonly unknown[]) => {
      counted.trips += 1;
      return db.query<T>(sql, params);
    },
    transaction: <T>(fn: Parameters<Db['transaction']>[0]) => {
      counted.trips += 1;
      return db.transaction(fn) as Promise<T>;
    },
  };
  return counted as Db & { trips: number };
}

describe.each(DB_KINDS)('a city server on %s: the empty pull', (kind) => {
  let db: ScratchDb;
  let counted: Db & { trips: number };
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await smallCentreDb(kind);
    counted = counting(db);
    app = await buildApp({ db: counted, now: () => NOW, maxStreams: 1, metricsToken: SCRAPER });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const get = async (token: string, url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const pullPage = async (token: string, since: number) => PullResponse.parse((await get(token, `/api/sync/pull?since=${since}&limit=20000`)).json());

  it('answers "nothing new" without the database once the device is known, and still brings what changes after', async () => {
    const k = await enrolDevice(db);
    const first = await pullPage(k.token, 0);
    expect(first.upTo).toBe(first.head);
    counted.trips = 0;
    for (let i = 0; i < 5; i++) {
      const empty = await pullPage(k.token, first.head);
      expect(empty).toEqual({ epoch: first.epoch, upTo: first.head, head: first.head, rows: Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) });
    }
    expect(counted.trips).toBe(0);

    // The kiosk's own push, then its pull: the process knows its new head at once.
    const r = rows.residents[2]!;
    const g = rows.goods[0]!;
    const pushed = await app.inject({
      method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${k.token}` },
      payload: { events: [eventMaker(k.deviceId)(redemption(r.id, r.accountId, g.id, 1, 0))] },
    });
    expect(pushed.json()).toMatchObject({ outcomes: [{ status: 'applied' }] });
    const next = await pullPage(k.token, first.head);
    expect(next.head).toBe(first.head + 1);
    expect(next.rows.ledger.map((l) => l.accountId)).toEqual([r.accountId]);
    expect(next.rows.goods.map((x) => x.id)).toEqual([g.id]);
  });

  it('refuses a revoked token at the very next request, though it was answered from memory just before', async () => {
    const k = await enrolDevice(db);
    const head = (await pullPage(k.token, 0)).head;
    counted.trips = 0;
    expect((await get(k.token, `/api/sync/pull?since=${head}`)).statusCode).toBe(200);
    expect(counted.trips).toBe(0);
    const signIn = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD } });
    const cookie = /linli_admin=[^;]+/.exec(String(signIn.headers['set-cookie'] ?? ''))?.[0] ?? '';
    const revoked = await app.inject({ method: 'POST', url: `/api/admin/devices/${k.deviceCode}/revoke`, headers: { cookie }, payload: { reason: '丢失' } });
    expect(revoked.statusCode).toBe(200);
    const refused = await get(k.token, `/api/sync/pull?since=${head}`);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('unauthorised');
  });

  it('refuses a token revoked through another server process once that revocation is heard (its stream ends)', async () => {
    const k = await enrolDevice(db);
    const head = (await pullPage(k.token, 0)).head;
    expect((await get(k.token, `/api/sync/pull?since=${head}`)).statusCode).toBe(200);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${address}/api/sync/stream`, { headers: { authorization: `Bearer ${k.token}` } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let said = '';
    let isReady = () => {};
    const ready = new Promise<void>((r) => (isReady = r));
    const ended = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return said;
        said += value;
        if (said.includes('event: ready')) isReady();
      }
    })();
    await ready;
    // Another process (the CLI against another server) revokes: straight in the database.
    expect(await revokeDevice(db, 'wzgl', k.deviceCode, 'stolen', NOW)).toBe(true);
    expect(await ended).toContain('event: revoked');
    expect((await get(k.token, `/api/sync/pull?since=${head}`)).statusCode).toBe(401);
  });

  it('reads a page with rows in one statement, the same rows as reading each table', async () => {
    const [{ epoch } = { epoch: '' }] = await db.query<{ epoch: string }>(`SELECT epoch FROM centre WHERE id = 'wzgl'`);
    counted.trips = 0;
    const page = await pull(counted, 'wzgl', epoch, 0, 20_000, 'counter', 'wzgl-c1');
    expect(counted.trips).toBe(1);
    expect(page.rows.residents).toHaveLength(rows.residents.length);
    for (const t of TABLE_NAMES) {
      // As a counter gets them: no server-only columns, a PIN only where its member works.
      const forDevice = (REPLICATED[t] as { forDevice?: (row: never, device: { code: string; profile: 'counter' }) => unknown }).forDevice ?? ((row: never) => row);
      const each = (await db.query(`SELECT ${selectList(t, true)} FROM ${tableSpec(t).sql} WHERE centre_id = 'wzgl' AND change_seq <= $1 ORDER BY change_seq, id`, [page.upTo])).map((row) => forDevice(row as never, { code: 'wzgl-c1', profile: 'counter' }));
      const byId = (a: unknown[]) => [...(a as { id: string }[])].sort((x, y) => (x.id < y.id ? -1 : 1));
      expect(byId((page.rows as PullRows)[t]), t).toEqual(receives('counter', t) ? byId(each) : []);
    }
  });

  it('tells an admin or the scraper its figures in Prometheus text, and no one else', async () => {
    const k = await enrolDevice(db);
    await pullPage(k.token, 0);
    await pullPage(k.token, (await pullPage(k.token, 0)).head);
    expect((await app.inject({ method: 'GET', url: '/api/admin/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/admin/metrics', headers: { authorization: `Bearer ${k.token}` } })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/api/admin/metrics', headers: { authorization: `Bearer ${SCRAPER}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const text = res.body;
    // Every sample line is `name{labels} number`, every family has its HELP and TYPE.
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[^}]*\})? -?[0-9.e+]+)$/);
    expect(text).toMatch(/^linli_http_requests_total\{method="GET",route="\/api\/sync\/pull",code="200"\} [1-9]/m);
    expect(text).toMatch(/^linli_pushes_total [1-9]/m);
    expect(text).toMatch(/^linli_push_events_total\{outcome="applied"\} [1-9]/m);
    expect(text).toMatch(/^linli_pull_seconds_count\{answered="memory"\} [1-9]/m);
    expect(text).toMatch(/^linli_pull_seconds_count\{answered="database"\} [1-9]/m);
    expect(text).toMatch(/^linli_streams 0$/m);
    expect(text).toMatch(/^linli_listening 1$/m);
    if (kind === 'postgres') expect(text).toMatch(/^linli_db_pool_connections\{state="max"\} 10$/m);
    // Never an id, a token or a name.
    expect(text).not.toContain(k.deviceId);
    expect(text).not.toContain('wzgl');
    const ready = await app.inject({ method: 'GET', url: '/api/ready' });
    expect(ready.json()).toEqual({ ok: true, database: 'primary', listening: true });
  });

  it('counts how long each push held its centre\'s clock; a batch seen before takes no clock and is not counted', async () => {
    const scrape = async () => {
      const text = (await app.inject({ method: 'GET', url: '/api/admin/metrics', headers: { authorization: `Bearer ${SCRAPER}` } })).body;
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      return { count: value('linli_push_clock_held_seconds_count'), sum: value('linli_push_clock_held_seconds_sum'), le1: value('linli_push_clock_held_seconds_bucket\\{le="1"\\}') };
    };
    const k = await enrolDevice(db);
    const next = eventMaker(k.deviceId);
    const batch = rows.residents.slice(0, 20).map((r, i) => next(redemption(r.id, r.accountId, rows.goods[i % rows.goods.length]!.id, 1, 0)));
    const send = async () => (await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${k.token}` }, payload: { events: batch } })).json<{ outcomes: { status: string }[] }>();
    const before = await scrape();
    expect(before.count).toBeGreaterThanOrEqual(0);
    expect((await send()).outcomes.every((o) => o.status === 'applied')).toBe(true);
    const once = await scrape();
    expect(once.count).toBe(before.count + 1);
    expect(once.sum).toBeGreaterThan(before.sum);
    expect(once.le1).toBe(before.le1 + 1);
    expect((await send()).outcomes.every((o) => o.status === 'duplicate')).toBe(true);
    expect(await scrape()).toEqual(once);
  });

  it('refuses a poke stream past the most it may hold, so that kiosk polls', async () => {
    const [a, b] = [await enrolDevice(db), await enrolDevice(db)];
    const address = await app.listen({ host: '127.0.0.1', port: 0 }).catch(() => `http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
    const ac = new AbortController();
    const first = await fetch(`${address}/api/sync/stream`, { headers: { authorization: `Bearer ${a.token}` }, signal: ac.signal });
    expect(first.status).toBe(200);
    const second = await fetch(`${address}/api/sync/stream`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(second.status).toBe(503);
    expect(await second.json()).toMatchObject({ error: 'retry' });
    ac.abort();
  });
});
