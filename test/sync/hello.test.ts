import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { push } from '../../server/sync/push.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { waiting } from '../../renderer/src/store/view.js';
import { SyncClient, type SyncState } from '../../renderer/src/sync/client.js';
import type { ScratchDb } from '../support/db.js';
import { injectFetch } from '../support/kiosk.js';
import { enrolDevice, eventMaker, NOW, smallCentreDb, smallCentreRows } from '../support/centre.js';

/**
 * A sync cycle soon after a hello skips it (a call reaches the calling screens one round trip
 * sooner), and what it skipped is never wrong for long: when another tab of the same kiosk pushed
 * meanwhile, the cycle says hello again and goes on, rather than stopping on a seq gap.
 */
describe('sync cycles and the hello', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  const rows = smallCentreRows();
  const resident = rows.residents[0]!;
  const goods = rows.goods[0]!;

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW });
    const other = await enrolDevice(db);
    await push(db, other.device, [eventMaker(other.deviceId)({ kind: 'pointsAwarded', version: 1, payload: { accountId: resident.accountId, points: 500, category: 'volunteering', note: '' } })]);
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('a cycle within 30 s of a hello makes none; two tabs of one kiosk push in turn and neither stops', async () => {
    const calls: string[] = [];
    const base = injectFetch(app);
    const fetchFn: typeof fetch = (input, init) => {
      calls.push(new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname);
      return base(input, init);
    };
    const kiosk = new LinliDb('hello-kiosk');
    await SyncClient.enrol(kiosk, 'http://linli.test', await createPairingCode(db, 'wzgl', 'counter', NOW), fetchFn);
    const tabA = new SyncClient(kiosk, fetchFn);
    const tabB = new SyncClient(kiosk, fetchFn);
    let stateB: SyncState = { kind: 'connecting' };
    tabB.subscribe((s) => void (stateB = s));
    let tick = 0;
    const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
    const sale = () => redeem(kiosk, clock, { residentId: resident.id, picks: [{ goodsId: goods.id, quantity: 1 }] }, 'wzgl-s2');

    await tabA.sync();
    await tabB.sync();
    calls.length = 0;
    // A's next cycle pushes without a hello.
    expect((await sale()).ok).toBe(true);
    await tabA.sync();
    expect(calls).toEqual(['/api/sync/push', '/api/sync/pull']);
    // B's last hello said seq 0; A pushed seq 1 since. B's push of seq 2 says hello first, and goes on.
    calls.length = 0;
    expect((await sale()).ok).toBe(true);
    await tabB.sync();
    expect(stateB).toEqual({ kind: 'online' });
    expect(calls).toEqual(['/api/sync/hello', '/api/sync/push', '/api/sync/pull']);
    expect(await waiting(kiosk)).toBe(0);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event WHERE device_id = (SELECT id FROM device WHERE code = $1 AND centre_id = 'wzgl')`,
      [(await kiosk.device())!.deviceCode]))[0]!.n).toBe(2);
    kiosk.close();
  });
});
