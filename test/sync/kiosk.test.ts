import 'fake-indexeddb/auto';
import { balanceOf } from '../../core/index.js';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { push } from '../../server/sync/push.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { viewOf, waiting } from '../../renderer/src/store/view.js';
import { SyncClient } from '../../renderer/src/sync/client.js';
import { type ScratchDb } from '../support/db.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { smallCentreDb, enrolDevice, eventMaker, ledgerBreaches, NOW, smallCentreRows } from '../support/centre.js';

/**
 * The kiosk's store and sync client (real Dexie on an in-memory IndexedDB) against the real
 * server on PGlite. Whatever the order of local redemptions, other devices' awards, syncs, syncs
 * whose pull fails after the push, and outages, the kiosk shows the last-pulled server state plus
 * exactly its own events that state does not reflect yet: a pull never counts a pending event
 * twice and never drops one. At the end every event is on the server once.
 */
const rows = smallCentreRows();
const residents = rows.residents.slice(0, 3);
const goods = rows.goods[0]!;

type Op =
  | { kind: 'redeem'; who: number; quantity: number }
  | { kind: 'otherAward'; who: number; points: number }
  | { kind: 'sync'; network: Network };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('redeem' as const), who: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('otherAward' as const), who: fc.integer({ min: 0, max: 2 }), points: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('sync' as const), network: fc.constantFrom<Network>('up', 'up', 'pullFails', 'down') }),
);

describe('a kiosk syncing with the server', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let other: Awaited<ReturnType<typeof enrolDevice>>;
  let otherNext: ReturnType<typeof eventMaker>;
  let run = 0;

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW });
    other = await enrolDevice(db);
    otherNext = eventMaker(other.deviceId);
    // Give the three residents enough points to redeem a few times.
    await push(db, other.device, residents.map((r) => otherNext({ kind: 'pointsAwarded', version: 1, payload: { accountId: r.accountId, points: 500, category: 'volunteering', note: '' } })));
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const serverBalances = async () => new Map((await db.query<{ id: string; balance: number }>('SELECT id, balance FROM account WHERE id = ANY($1)', [residents.map((r) => r.accountId)])).map((a) => [a.id, a.balance]));

  it('shows the pulled state plus its unreflected events, whatever the order', async () => {
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
      run += 1;
      let network: Network = 'up';
      const kiosk = new LinliDb(`kiosk-${run}`);
      let tick = 0;
      const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
      const fetchFn = injectFetch(app, () => network);
      await SyncClient.enrol(kiosk, 'http://linli.test', await createPairingCode(db, 'wzgl', 'counter', NOW), fetchFn);
      const client = new SyncClient(kiosk, fetchFn);
      await client.sync();

      let pulled = await serverBalances();
      const mine: { accountId: string; delta: number; id: string }[] = [];
      const reflected = new Set<string>();

      for (const op of ops) {
        if (op.kind === 'redeem') {
          const r = residents[op.who]!;
          const result = await redeem(kiosk, clock, { residentId: r.id, picks: [{ goodsId: goods.id, quantity: op.quantity }] }, 'wzgl-s2');
          if (result.ok) mine.push({ accountId: r.accountId, delta: -op.quantity * goods.pointPrice, id: result.value.event.id });
        } else if (op.kind === 'otherAward') {
          await push(db, other.device, [otherNext({ kind: 'pointsAwarded', version: 1, payload: { accountId: residents[op.who]!.accountId, points: op.points, category: 'other', note: '' } })]);
        } else {
          network = op.network;
          await client.sync();
          if (network === 'up') {
            pulled = await serverBalances();
            for (const m of mine) reflected.add(m.id);
          }
          network = 'up';
        }
        const view = await viewOf(kiosk, { accounts: residents.map((r) => r.accountId) });
        for (const r of residents) {
          const unreflected = mine.filter((m) => m.accountId === r.accountId && !reflected.has(m.id)).reduce((s, m) => s + m.delta, 0);
          expect(balanceOf(view, r.accountId)).toBe((pulled.get(r.accountId) ?? 0) + unreflected);
        }
      }

      // Back online for good: the kiosk and the server agree, and nothing waits.
      await client.sync();
      const final = await serverBalances();
      const view = await viewOf(kiosk, { accounts: residents.map((r) => r.accountId) });
      for (const r of residents) expect(balanceOf(view, r.accountId)).toBe(final.get(r.accountId));
      expect(await waiting(kiosk)).toBe(0);
      const onServer = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event WHERE id = ANY($1::uuid[])', [mine.map((m) => m.id)]);
      expect(onServer[0]!.n).toBe(mine.length);
      expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
      kiosk.close();
    }), { numRuns: 25, seed: 20261125 });
  });
});
