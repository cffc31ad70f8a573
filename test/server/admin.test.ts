import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeStaffCardCode, SyncError } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { DEMO_ADMIN_PIN } from '../../server/demo/generate.js';
import { DB_KINDS, scratchDb, type ScratchDb } from '../support/db.js';
import { NOW, seedSmallCentre } from '../support/centre.js';

describe.each(DB_KINDS)('the admin API on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;

  beforeEach(async () => {
    db = await scratchDb(kind);
    await seedSmallCentre(db);
    app = await buildApp({ db, now: () => NOW });
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const signIn = async (cardCode = makeStaffCardCode(1), pin = DEMO_ADMIN_PIN) => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode, pin } });
    return /linli_admin=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0] ?? '';
  };
  const clock = async () => (await db.query<{ seq: number }>(`SELECT seq FROM centre_clock WHERE centre_id = 'wzgl'`))[0]!.seq;

  it('answers a NUL character in a path or a field with a typed 4xx, never a 5xx', async () => {
    const cookie = await signIn();
    const requests = [
      { method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl\u0000', cardCode: makeStaffCardCode(1), pin: DEMO_ADMIN_PIN } },
      { method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode: 'LS\u000000018', pin: DEMO_ADMIN_PIN } },
      { method: 'POST', url: '/api/admin/devices/K%0001/revoke', headers: { cookie }, payload: { reason: 'lost' } },
      { method: 'POST', url: '/api/admin/devices/IMPORT/revoke', headers: { cookie }, payload: { reason: '丢\u0000失' } },
      { method: 'POST', url: '/api/admin/staff', headers: { cookie }, payload: { name: '张\u0000三', role: 'clerk', pin: '123456' } },
      { method: 'POST', url: '/api/admin/staff/LS%0000018', headers: { cookie }, payload: { active: false } },
    ] as const;
    for (const r of requests) {
      const res = await app.inject(r);
      expect(res.statusCode, `${r.url} ${JSON.stringify(r.payload)}`).toBe(400);
      expect(SyncError.parse(res.json()).error).toBe('malformed');
    }
  });

  it('moves the centre clock only for a change: an unknown card, an empty change or a card already so leave it', async () => {
    const cookie = await signIn();
    const before = await clock();
    const set = (card: string, payload: object) => app.inject({ method: 'POST', url: `/api/admin/staff/${card}`, headers: { cookie }, payload });
    const unknown = await set('LS99999', { active: false });
    expect(unknown.statusCode).toBe(404);
    expect(SyncError.parse(unknown.json()).error).toBe('malformed');
    expect((await set(makeStaffCardCode(2), {})).statusCode).toBe(400);
    expect((await set(makeStaffCardCode(2), { active: true })).json()).toEqual({ updated: makeStaffCardCode(2), changed: false });
    expect(await clock()).toBe(before);
    expect((await set(makeStaffCardCode(2), { active: false })).json()).toEqual({ updated: makeStaffCardCode(2), changed: true });
    expect(await clock()).toBe(before + 1);
    const trail = (await app.inject({ method: 'GET', url: '/api/admin/audit', headers: { cookie } })).json<{ action: string }[]>();
    expect(trail.map((t) => t.action)).toEqual(['staffChanged']);
  });
});
