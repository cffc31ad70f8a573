import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, enrolDevice, eventMaker, NOW, redemption, seedSmallCentre, smallCentreRows } from '../support/centre.js';
import { PullResponse, TABLE_NAMES, type PullRows } from '../../core/index.js';
import { pull } from '../../server/sync/pull.js';

const rows = smallCentreRows();

describe.each(DB_KINDS)('pull on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let token: string;
  let enrolled: Awaited<ReturnType<typeof enrolDevice>>;

  beforeAll(async () => {
    db = await smallCentreDb(kind);
    await seedSmallCentre(db, 'other', '别的社区');
    app = await buildApp({ db, now: () => NOW });
    enrolled = await enrolDevice(db);
    token = enrolled.token;
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const get = async (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const pullAll = async (limit: number) => {
    const state = Object.fromEntries(TABLE_NAMES.map((t) => [t, new Map()])) as { [K in keyof PullRows]: Map<string, PullRows[K][number]> };
    let since = 0;
    let pages = 0;
    for (;;) {
      const page = PullResponse.parse((await get(`/api/sync/pull?since=${since}&limit=${limit}`)).json());
      pages += 1;
      for (const table of Object.keys(state) as (keyof PullRows)[]) {
        for (const row of page.rows[table]) {
          expect(row.changeSeq).toBeGreaterThan(since);
          expect(row.changeSeq).toBeLessThanOrEqual(page.upTo);
          (state[table] as Map<string, unknown>).set(row.id, row);
        }
      }
      since = page.upTo;
      if (page.upTo >= page.head) return { state, pages, since };
    }
  };

  it('pages through the whole centre and arrives at the same rows as one big page', async () => {
    const paged = await pullAll(10);
    const whole = await pullAll(20_000);
    expect(paged.pages).toBeGreaterThan(5);
    expect(whole.pages).toBe(1);
    for (const t of ['accounts', 'residents', 'goods', 'ledger'] as const) {
      expect(paged.state[t].size).toBe(whole.state[t].size);
      expect([...paged.state[t].values()]).toEqual(expect.arrayContaining([...whole.state[t].values()]));
    }
    expect(paged.state.residents.size).toBe(rows.residents.length);
    // Every entry the centre's ledger holds (the demo's year, and its last day's points store).
    const [{ n } = { n: -1 }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entry WHERE centre_id = 'wzgl'`);
    expect(whole.state.ledger.size).toBe(n);
    expect(n).toBeGreaterThan(rows.events.filter((e) => e.kind === 'pointsAwarded' || e.kind === 'goodsRedeemed').length);
  });

  it('returns only this centre\'s rows', async () => {
    const { state } = await pullAll(20_000);
    for (const t of ['accounts', 'residents', 'goods', 'ledger'] as const) {
      for (const row of state[t].values()) expect(row.centreId).toBe('wzgl');
    }
  });

  it('after a push, the next pull from the cursor brings exactly the rows it changed', async () => {
    const { since } = await pullAll(20_000);
    const r = rows.residents[3]!;
    const g = rows.goods[1]!;
    // Pushed through this server, as the kiosk does: a write through another process is seen once
    // this one hears of it (its NOTIFY, before the poke; see server/sync/memory.ts).
    const pushed = await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload: { events: [eventMaker(enrolled.deviceId)(redemption(r.id, r.accountId, g.id, 1, 0))] } });
    expect(pushed.statusCode).toBe(200);
    const page = PullResponse.parse((await get(`/api/sync/pull?since=${since}`)).json());
    expect(page.rows.accounts.map((a) => a.id)).toEqual([r.accountId]);
    expect(page.rows.goods.map((x) => x.id)).toEqual([g.id]);
    expect(page.rows.ledger).toHaveLength(1);
    expect(page.rows.residents).toEqual([]);
  });

  it('refuses a cursor of another epoch so the kiosk takes a fresh snapshot', async () => {
    const res = await get('/api/sync/pull?since=5&epoch=restored');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('epochMismatch');
  });

  it('refuses a malformed cursor with a typed error', async () => {
    for (const q of ['since=-1', 'since=abc', 'since=1&limit=999999', 'since=1&evil=1']) {
      const res = await get(`/api/sync/pull?${q}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('malformed');
    }
  });
});

describe('a pull page on PostgreSQL', () => {
  it('is prepared once per connection and then runs on its one plan, not planned at every pull (planning cost three times its running)', async () => {
    const db = await smallCentreDb('postgres');
    try {
      const prepared = await db.transaction(async (tx) => {
        const seen = async () => (await tx.query<{ n: number; generic: number }>(
          `SELECT count(*)::int AS n, coalesce(sum(generic_plans), 0)::int AS generic FROM pg_prepared_statements WHERE statement LIKE '%WITH head AS%'`))[0]!;
        const before = await seen();
        // PostgreSQL plans a prepared statement's first five runs for their values, then keeps one plan when it is as good.
        for (let i = 0; i < 8; i++) await pull(tx, 'wzgl', 'e', i, 100);
        const after = await seen();
        return { before: before.n, after: after.n, generic: after.generic > 0 };
      });
      expect(prepared).toEqual({ before: 0, after: 1, generic: true });
    } finally {
      await db.drop();
    }
  });
});
