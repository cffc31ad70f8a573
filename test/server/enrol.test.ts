import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { makeStaffCardCode } from '../../core/index.js';
import { addStaff, setPassword } from '../../server/admin/admin.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { createPairingCode, MAX_TRIES, PAIRING_CODE_TTL_MS } from '../../server/devices/enrol.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, NOW } from '../support/centre.js';

describe.each(DB_KINDS)('enrolment on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let now = NOW;

  beforeEach(async () => {
    db = await smallCentreDb(kind);
    now = NOW;
    app = await buildApp({ db, now: () => now });
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const enrol = (pairingCode: string, remoteAddress = '127.0.0.1') => app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { pairingCode }, remoteAddress });
  const signIn = (cardCode: string, password: string, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId: 'wzgl', cardCode, password }, remoteAddress });
  const tally = (codes: number[]) => codes.reduce<Record<number, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});

  it('gives kiosks enrolling at the same moment codes of their own', async () => {
    const codes = await Promise.all([1, 2, 3, 4].map(() => createPairingCode(db, 'wzgl', 'counter', NOW)));
    const answers = await Promise.all(codes.map((c) => enrol(c)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => a.json<{ deviceCode: string }>().deviceCode).sort()).toEqual(['K01', 'K02', 'K03', 'K04']);
  });

  it('takes a code once, and not after 15 minutes', async () => {
    const code = await createPairingCode(db, 'wzgl', 'counter', NOW);
    expect((await enrol(code)).statusCode).toBe(200);
    const again = await enrol(code);
    expect(again.statusCode).toBe(403);
    expect(again.json().error).toBe('pairingCodeInvalid');

    const late = await createPairingCode(db, 'wzgl', 'counter', NOW);
    now = new Date(NOW.getTime() + PAIRING_CODE_TTL_MS + 1);
    expect((await enrol(late)).json().error).toBe('pairingCodeInvalid');
  });

  it("answers hello only with a valid token, naming the device's own centre", async () => {
    const { token } = (await enrol(await createPairingCode(db, 'wzgl', 'counter', NOW))).json<{ token: string }>();
    const hello = await app.inject({ method: 'GET', url: '/api/sync/hello', headers: { authorization: `Bearer ${token}` } });
    expect(hello.json()).toMatchObject({ deviceCode: 'K01', centre: { id: 'wzgl' }, lastSeq: 0 });
    const stranger = await app.inject({ method: 'GET', url: '/api/sync/hello', headers: { authorization: `Bearer ${'A'.repeat(43)}` } });
    expect(stranger.statusCode).toBe(401);
    expect(stranger.json().error).toBe('unauthorised');
  });

  describe('try limits', () => {
    it('evaluates at most five of 300 wrong codes sent at once from one address, then locks that address out for 15 minutes', async () => {
      const right = await createPairingCode(db, 'wzgl', 'counter', NOW);
      const wrong = Array.from({ length: 300 }, (_, i) => `WRONG${String(i).padStart(5, '2')}`.replace(/[01]/g, '2'));
      const answers = await Promise.all(wrong.map((c) => enrol(c, '10.0.0.7')));
      const byStatus = tally(answers.map((a) => a.statusCode));
      expect(byStatus[403] ?? 0).toBeLessThanOrEqual(MAX_TRIES);
      expect((byStatus[403] ?? 0) + (byStatus[429] ?? 0)).toBe(300);
      // Tries refused at once may leave the address a try or two short of five: one by one, it
      // gets exactly five wrong codes evaluated in all.
      let evaluated = byStatus[403] ?? 0;
      while ((await enrol('WRONGCODE2', '10.0.0.7')).statusCode === 403) evaluated += 1;
      expect(evaluated).toBe(MAX_TRIES);
      const locked = await enrol(right, '10.0.0.7');
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: 'tooManyTries', message: expect.stringContaining('wait 15 minutes') });
      // Another address is not held up, and the locked one may try again once the tries age out.
      expect((await enrol(await createPairingCode(db, 'wzgl', 'counter', NOW), '10.0.0.8')).statusCode).toBe(200);
      now = new Date(NOW.getTime() + PAIRING_CODE_TTL_MS + 1);
      expect((await enrol(await createPairingCode(db, 'wzgl', 'counter', now), '10.0.0.7')).statusCode).toBe(200);
    });

    it('does not count a used or expired code of its own as a guess', async () => {
      const used = await createPairingCode(db, 'wzgl', 'counter', NOW);
      expect((await enrol(used)).statusCode).toBe(200);
      for (let i = 0; i < MAX_TRIES + 2; i++) expect((await enrol(used)).json()).toMatchObject({ error: 'pairingCodeInvalid', message: 'the pairing code was used already' });
      expect((await enrol(await createPairingCode(db, 'wzgl', 'counter', NOW))).statusCode).toBe(200);
    });

    it('evaluates at most five of 300 wrong admin passwords sent at once', async () => {
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => signIn(makeStaffCardCode(1), String(100000 + i), '10.0.0.9')));
      const byStatus = tally(answers.map((a) => a.statusCode));
      expect(byStatus[401] ?? 0).toBeLessThanOrEqual(MAX_TRIES);
      expect((byStatus[401] ?? 0) + (byStatus[429] ?? 0)).toBe(300);
    });

    it('locks an admin card after five wrong passwords from any addresses, and leaves other cards alone', async () => {
      const second = await addStaff(db, 'wzgl', '赵敏', 'admin', '975310');
      await setPassword(db, 'wzgl', second.id, 'zhao-min-password', null);
      for (let i = 1; i <= MAX_TRIES; i++) expect((await signIn(makeStaffCardCode(1), '000000', `10.1.0.${i}`)).statusCode).toBe(401);
      const locked = await signIn(makeStaffCardCode(1), DEMO_ADMIN_PASSWORD, '10.1.0.99');
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error).toBe('tooManyTries');
      expect((await signIn(second.cardCode, 'zhao-min-password', '10.1.0.99')).statusCode).toBe(200);
      now = new Date(NOW.getTime() + PAIRING_CODE_TTL_MS + 1);
      expect((await signIn(makeStaffCardCode(1), DEMO_ADMIN_PASSWORD, '10.1.0.99')).statusCode).toBe(200);
    });
  });
});
