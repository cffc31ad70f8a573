import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awardTallyIds, balanceOf, formatShanghai } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { enrolledDevice, kioskTables, writeEvent, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { awardByRule } from '../../renderer/src/store/pointsStore.js';
import { viewOf } from '../../renderer/src/store/view.js';
import { mergePulled, type SyncClient } from '../../renderer/src/sync/client.js';
import { type ScratchDb } from '../support/db.js';
import { syncedStore } from '../support/store.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { NOW, smallCentreDb, smallCentreRows } from '../support/centre.js';

/**
 * The counter's view carried forward (renderer/src/store/view.ts): each action lays over its own
 * new event alone instead of the whole outbox again. What it shows must be what a view built whole
 * shows — after every award, after a transaction that wrote an event and then failed (its seq is
 * given again), and after a sync — and a cap must hold across carried views.
 */
const rows = smallCentreRows();
const residents = rows.residents.slice(0, 4);

describe("the counter's view, carried forward", () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let kiosk: LinliDb;
  let client: SyncClient;
  let network: Network = 'up';
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const fetchFn: typeof fetch = (input, init) => injectFetch(app, () => network)(input, init);
  const today = formatShanghai(NOW.getTime()).slice(0, 10);
  const ruleId = 'wzgl-rule1'; // 清理楼道: 10 points an act, 20 a day at most

  /** Balances and the rule's tallies of the four residents, as a view shows them. */
  const shown = async (view: Awaited<ReturnType<typeof viewOf>>) => residents.map((r) => ({
    balance: balanceOf(view, r.accountId),
    tallies: awardTallyIds(ruleId, r.accountId, today).map((id) => view.row('resources', id)?.used ?? 0),
  }));
  const wanted = { accounts: residents.map((r) => r.accountId), resources: residents.flatMap((r) => awardTallyIds(ruleId, r.accountId, today)) };
  /** The same store opened anew: its first view is built whole. */
  const whole = async () => {
    const again = new LinliDb('view-cache');
    try {
      return await shown(await viewOf(again, wanted));
    } finally {
      again.close();
    }
  };

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW });
    ({ db: kiosk, client } = await syncedStore('view-cache', db, fetchFn, 'counter', NOW));
    network = 'down';
  }, 120_000);
  afterAll(async () => {
    kiosk.close();
    await app.close();
    await db.drop();
  });

  it('shows what a whole view shows after every award, holds the cap across carried views, and forgets an event whose transaction failed', async () => {
    const award = (i: number) => awardByRule(kiosk, clock, 'wzgl-s2', { accountId: residents[i % residents.length]!.accountId, ruleId, quantity: 1, note: '' });
    for (let i = 0; i < 8; i++) {
      expect((await award(i)).ok).toBe(true);
      expect(await shown(await viewOf(kiosk, wanted))).toEqual(await whole());
    }
    // Two acts each: the day's cap of 20 is reached, and the carried view says so.
    expect(await award(0)).toMatchObject({ ok: false, error: { key: 'capReached' } });

    // An event written, seen by a view, then its transaction fails: its seq is given again to the next event.
    const before = (await whole())[0]!.balance;
    const failed = kiosk.transaction('rw', kioskTables(kiosk), async () => {
      const device = await enrolledDevice(kiosk);
      await writeEvent(kiosk, device, clock, { kind: 'pointsAwarded', version: 1, payload: { accountId: residents[0]!.accountId, points: 500, category: 'other', note: 'never' } }, 'wzgl-s1');
      const inside = (await shown(await viewOf(kiosk, wanted)))[0]!.balance;
      expect(inside).toBe(before + 500);
      throw new Error('the printer caught fire');
    });
    await expect(failed).rejects.toThrow('the printer caught fire');
    // The next event takes that seq, written with no view asked for before it (as a plain write does).
    await kiosk.transaction('rw', kioskTables(kiosk), async () => {
      await writeEvent(kiosk, await enrolledDevice(kiosk), clock, { kind: 'pointsAwarded', version: 1, payload: { accountId: residents[1]!.accountId, points: 1, category: 'other', note: 'kept' } }, 'wzgl-s1');
    });
    expect(await shown(await viewOf(kiosk, wanted))).toEqual(await whole());
    expect((await whole())[0]!.balance).toBe(before);
    const seq = await kiosk.outbox.count();
    expect((await awardByRule(kiosk, clock, 'wzgl-s1', { accountId: residents[1]!.accountId, ruleId: 'wzgl-rule7', quantity: 1, note: '' })).ok).toBe(true);
    expect(await kiosk.outbox.count()).toBe(seq + 1);
    expect(await shown(await viewOf(kiosk, wanted))).toEqual(await whole());

    // Synced: the replica moves, the view is built anew and still agrees.
    network = 'up';
    await client.sync();
    network = 'down';
    expect(await shown(await viewOf(kiosk, wanted))).toEqual(await whole());
    expect((await award(2)).ok).toBe(false);
  });

  it('no longer shows an event the server refused, though the pull after the push failed and the cursor stood still', async () => {
    const before = (await whole())[3]!.balance;
    // Award to the fourth resident: the counter shows it at once.
    expect((await awardByRule(kiosk, clock, 'wzgl-s2', { accountId: residents[3]!.accountId, ruleId: 'wzgl-rule7', quantity: 1, note: '' })).ok).toBe(true);
    // An award by a clerk the server does not know: the kiosk lays it over, the server will refuse it.
    await kiosk.transaction('rw', kioskTables(kiosk), async () => {
      await writeEvent(kiosk, await enrolledDevice(kiosk), clock, { kind: 'pointsAwarded', version: 1, payload: { accountId: residents[3]!.accountId, points: 300, category: 'other', note: 'refused' } }, 'wzgl-nobody');
    });
    const shownBefore = (await shown(await viewOf(kiosk, wanted)))[3]!.balance;
    expect(shownBefore).toBeGreaterThan(before + 300);
    const cursor = await kiosk.cursor();
    network = 'pullFails';
    await client.sync().catch(() => undefined);
    network = 'down';
    expect(await kiosk.cursor()).toEqual(cursor);
    expect((await kiosk.rejections.toArray()).map((r) => r.event.staffId)).toEqual(['wzgl-nobody']);
    // The refused 300 are gone from what the counter shows; the accepted award stays.
    expect((await shown(await viewOf(kiosk, wanted)))[3]!.balance).toBe(shownBefore - 300);
    expect(await shown(await viewOf(kiosk, wanted))).toEqual(await whole());
  });

  it('no longer lays over an event a merge marked reflected, though the cursor stood still', async () => {
    expect((await awardByRule(kiosk, clock, 'wzgl-s2', { accountId: residents[2]!.accountId, ruleId: 'wzgl-rule7', quantity: 1, note: '' })).ok).toBe(true);
    const shownBefore = (await shown(await viewOf(kiosk, wanted)))[2]!.balance;
    // As when a pull brought the event's rows before its push was answered: applied at a change the replica holds.
    const cursor = await kiosk.cursor();
    const last = (await kiosk.outbox.orderBy('seq').last())!;
    await kiosk.outbox.update(last.seq, { status: 'applied', serverSeq: cursor.seq });
    expect((await shown(await viewOf(kiosk, wanted)))[2]!.balance).toBe(shownBefore);
    // A merge with nothing new, the cursor where it was: the event is now the replica's, not laid over it.
    await mergePulled(kiosk, [], cursor);
    expect(await kiosk.cursor()).toEqual(cursor);
    expect(await shown(await viewOf(kiosk, wanted))).toEqual(await whole());
    expect((await shown(await viewOf(kiosk, wanted)))[2]!.balance).toBeLessThan(shownBefore);
  });
});
