import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { createPairingCode, PAIRING_CODE_TTL_MS } from '../../server/devices/enrol.js';
import { DB_KINDS, scratchDb, type ScratchDb } from '../support/db.js';
import { NOW, seedSmallCentre } from '../support/centre.js';

describe.each(DB_KINDS)('enrolment on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let now = NOW;

  beforeEach(async () => {
    db = await scratchDb(kind);
    await seedSmallCentre(db);
    now = NOW;
    app = await buildApp({ db, now: () => now });
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const enrol = (pairingCode: string) => app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { pairingCode } });

  it('gives kiosks enrolling at the same moment codes of their own', async () => {
    const codes = await Promise.all([1, 2, 3, 4].map(() => createPairingCode(db, 'wzgl', 'counter', NOW)));
    const answers = await Promise.all(codes.map(enrol));
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
});
