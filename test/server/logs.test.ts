import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeStaffCardCode } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { sha256 } from '../../server/devices/enrol.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, eventMaker, NOW, redemption, smallCentreRows } from '../support/centre.js';

const rows = smallCentreRows();
const [first, second] = [rows.residents[0]!, rows.residents[1]!];
const tissues = rows.goods[0]!;

describe.each(DB_KINDS)('the logs on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeEach(async () => {
    db = await smallCentreDb(kind);
    lines.length = 0;
    app = await buildApp({ db, now: () => NOW, logger: { level: 'debug', stream: { write: (line) => void lines.push(line) } } });
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  it('never hold a token, a PIN, a pairing code or a resident\'s name, even for a 5xx', async () => {
    const session = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD } });
    const cookie = /linli_admin=([^;]+)/.exec(String(session.headers['set-cookie']))!;
    const { code } = (await app.inject({ method: 'POST', url: '/api/admin/pairing-codes', headers: { cookie: cookie[0] }, payload: { profile: 'counter' } })).json<{ code: string }>();
    // A client that put the code in the URL as well: the URL is not logged as sent.
    const { token: kioskToken, deviceId } = (await app.inject({ method: 'POST', url: `/api/devices/enrol?pairingCode=${code}`, payload: { pairingCode: code } }))
      .json<{ token: string; deviceId: string }>();
    const next = eventMaker(deviceId);
    const auth = { authorization: `Bearer ${kioskToken}` };
    const award = (note: string) => next({ kind: 'pointsAwarded', version: 1, payload: { accountId: first.accountId, points: 5, category: 'volunteering', note } });
    expect((await app.inject({ method: 'POST', url: '/api/sync/push', headers: auth, payload: { events: [award(`${first.name} 打扫楼道`), next(redemption(second.id, second.accountId, tissues.id, 1, 30))] } })).statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/api/sync/pull?since=0', headers: auth });
    await app.inject({ method: 'POST', url: `/api/admin/staff/${makeStaffCardCode(2)}`, headers: { cookie: cookie[0] }, payload: { pin: '975310' } });
    // A 5xx whose database error carries the SQL and its parameters (the resident's name).
    await db.query('ALTER TABLE event RENAME TO event_away');
    const failed = await app.inject({ method: 'POST', url: '/api/sync/push', headers: auth, payload: { events: [award(`${first.name} 帮邻居修车`)] } });
    await db.query('ALTER TABLE event_away RENAME TO event');
    expect(failed.statusCode).toBe(503);

    // Timings and ids are numbers that could hold six digits of a PIN by chance: left out.
    const logged = lines.map((l) => JSON.stringify(JSON.parse(l) as Record<string, unknown>, (k, v: unknown) => (['time', 'pid', 'responseTime'].includes(k) ? undefined : v)));
    const secrets = { token: kioskToken, tokenHash: sha256(kioskToken), session: cookie[1]!, password: DEMO_ADMIN_PASSWORD, newPin: '975310', code, first: first.name, second: second.name, card: makeStaffCardCode(2) };
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length, what).toBeGreaterThan(1);
      expect(logged.filter((l) => l.includes(secret)), what).toEqual([]);
    }
    // The lines are there: the 5xx as what failed where, each request by its route.
    expect(logged.some((l) => l.includes('"level":50') && l.includes('DatabaseError'))).toBe(true);
    expect(logged.some((l) => l.includes('/api/admin/staff/:card'))).toBe(true);
  });
});
