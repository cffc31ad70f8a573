import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeStaffCardCode, SyncError } from '../../core/index.js';
import { buildApp, EXPORT_CONTENT_TYPE } from '../../server/app.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, enrolDevice, NOW, pushAsImport, smallCentreRows } from '../support/centre.js';
import { addStaff, setPassword } from '../../server/admin/admin.js';

/**
 * Starts a POST that announces `bytes` of body and sends only the first 64 KB: answers the
 * server's response, which comes only if the server decides without reading the rest.
 */
function announceUpload(url: string, bytes: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': EXPORT_CONTENT_TYPE, 'content-length': String(bytes), ...headers } });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.write(Buffer.alloc(64 * 1024, 0x20));
  });
}

describe.each(DB_KINDS)('the admin API on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;

  beforeEach(async () => {
    db = await smallCentreDb(kind);
    app = await buildApp({ db, now: () => NOW });
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const signIn = async (cardCode = makeStaffCardCode(1), password = DEMO_ADMIN_PASSWORD) => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode, password } });
    return /linli_admin=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0] ?? '';
  };
  const clock = async () => (await db.query<{ seq: number }>(`SELECT seq FROM centre_clock WHERE centre_id = 'wzgl'`))[0]!.seq;

  it('answers a NUL character in a path or a field with a typed 4xx, never a 5xx', async () => {
    const cookie = await signIn();
    const requests = [
      { method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl\u0000', cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD } },
      { method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode: 'LS\u000000018', password: DEMO_ADMIN_PASSWORD } },
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

  it('refuses a 60 MB upload before reading it: on any route but the import, and on the import from anyone but an admin', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const big = 60 * 1_048_576;
    for (const path of ['/api/devices/enrol', '/api/sync/push', '/api/admin/session', '/api/admin/staff']) {
      const res = await announceUpload(`${address}${path}`, big);
      expect(res.status, path).toBe(415);
      expect(SyncError.parse(JSON.parse(res.body)).error).toBe('malformed');
    }
    const anonymous = await announceUpload(`${address}/api/admin/imports`, big);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ error: 'unauthorised' });
    const forged = await announceUpload(`${address}/api/admin/imports`, big, { cookie: `linli_admin=${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    // An admin's upload over 1 MB is read and judged by the import.
    const cookie = await signIn();
    const file = await app.inject({ method: 'POST', url: '/api/admin/imports', headers: { cookie, 'content-type': EXPORT_CONTENT_TYPE }, payload: ' '.repeat(2 * 1_048_576) });
    expect(file.json()).toMatchObject({ error: 'exportInvalid' });
  }, 15_000);

  it("ends a revoked device's open poke stream, and the device cannot open another", async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const kiosk = await enrolDevice(db);
    const res = await fetch(`${address}/api/sync/stream`, { headers: { authorization: `Bearer ${kiosk.token}` } });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let heard = '';
    const until = async (what: string) => {
      while (!heard.includes(what)) {
        const { value, done } = await reader.read();
        if (done) return;
        heard += value;
      }
    };
    await until('event: ready');
    const resident = smallCentreRows().residents[0]!;
    await pushAsImport(db, [{ kind: 'pointsAwarded', version: 1, payload: { accountId: resident.accountId, points: 1, category: 'volunteering', note: '' } }]);
    await until('event: poke');
    const cookie = await signIn();
    expect((await app.inject({ method: 'POST', url: `/api/admin/devices/${kiosk.deviceCode}/revoke`, headers: { cookie }, payload: { reason: '丢失' } })).statusCode).toBe(200);
    await until('never sent: the stream must end');
    expect(heard).toContain('event: revoked');
    const again = await fetch(`${address}/api/sync/stream`, { headers: { authorization: `Bearer ${kiosk.token}` } });
    expect(again.status).toBe(401);
  }, 20_000);

  it("ends a staff member's other admin sessions when the PIN changes, and signs out", async () => {
    const other = await addStaff(db, 'wzgl', '赵敏', 'admin', '975310');
    await setPassword(db, 'wzgl', other.id, 'zhao-min-password', null);
    const old = await signIn();
    const changer = await signIn(other.cardCode, 'zhao-min-password');
    const devices = (cookie: string) => app.inject({ method: 'GET', url: '/api/admin/devices', headers: { cookie } });
    expect((await devices(old)).statusCode).toBe(200);
    const changed = await app.inject({ method: 'POST', url: `/api/admin/staff/${makeStaffCardCode(1)}`, headers: { cookie: changer }, payload: { pin: '864200' } });
    expect(changed.statusCode).toBe(200);
    expect((await devices(old)).json()).toMatchObject({ error: 'unauthorised' });
    expect((await devices(changer)).statusCode).toBe(200);
    // One's own new PIN keeps one's own session.
    const own = await app.inject({ method: 'POST', url: `/api/admin/staff/${other.cardCode}`, headers: { cookie: changer }, payload: { pin: '975311' } });
    expect(own.statusCode).toBe(200);
    expect((await devices(changer)).statusCode).toBe(200);
    const out = await app.inject({ method: 'DELETE', url: '/api/admin/session', headers: { cookie: changer } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/linli_admin=;.*Max-Age=0/);
    expect((await devices(changer)).statusCode).toBe(401);
  });
});
