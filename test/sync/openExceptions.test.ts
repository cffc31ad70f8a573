import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { resolveException, type Clock } from '../../renderer/src/store/actions.js';
import { openExceptionCount, openExceptions } from '../../renderer/src/store/view.js';
import { type ScratchDb } from '../support/db.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { syncedStore } from '../support/store.js';
import { NOW, pushAsImport, redemption, smallCentreDb } from '../support/centre.js';

/**
 * The exceptions still open, as the header counts them and the 「异常」 tab lists them: read by
 * keys (an open row is not in the `resolvedBy` index), so the header does not read every exception
 * the centre ever had on each change. Open ones oldest first; resolved on the server or by a
 * pending event of this kiosk, gone from both.
 */
describe('open exceptions on a kiosk', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let network: Network = 'up';
  let tick = 0;
  const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('counts and lists the open ones only, without those resolved on the server or pending here', async () => {
    // Three residents each take goods worth more than they hold (imported: the server applies them and raises an overdraft each).
    const holders = await db.query<{ id: string; account_id: string; balance: number }>(
      `SELECT r.id, r.account_id, a.balance FROM resident r JOIN account a ON a.id = r.account_id WHERE r.centre_id = 'wzgl' AND a.balance < 200 ORDER BY r.id LIMIT 3`);
    const [goods] = await db.query<{ id: string; point_price: number }>(`SELECT id, point_price FROM goods WHERE centre_id = 'wzgl' AND point_price > 0 AND stock >= 10 ORDER BY point_price DESC, id LIMIT 1`);
    for (const h of holders) await pushAsImport(db, [redemption(h.id, h.account_id, goods!.id, Math.floor(h.balance / goods!.point_price) + 1, goods!.point_price)]);
    const raised = await db.query<{ id: string; amount: number }>(`SELECT id, amount FROM rule_exception WHERE centre_id = 'wzgl' AND kind = 'overdraft' AND resolved_by IS NULL ORDER BY change_seq`);
    expect(raised).toHaveLength(3);
    // The first is written off on the server.
    await pushAsImport(db, [{
      kind: 'exceptionResolved', version: 1,
      payload: { exceptionId: raised[0]!.id, resolution: 'writeOff', accountId: holders[0]!.account_id, pointsDelta: -raised[0]!.amount, goodsId: null, stockDelta: 0, note: '' },
    }]);

    const fetchFn: typeof fetch = (input, init) => injectFetch(app, () => network)(input, init);
    const { db: kiosk } = await syncedStore('open-exceptions', db, fetchFn);
    const before = await kiosk.exceptions.count();
    expect(before).toBeGreaterThanOrEqual(3);
    const serverOpen = (await db.query<{ id: string }>(`SELECT id FROM rule_exception WHERE centre_id = 'wzgl' AND resolved_by IS NULL ORDER BY change_seq`)).map((r) => r.id);
    expect(serverOpen).toEqual(expect.arrayContaining([raised[1]!.id, raised[2]!.id]));
    expect(serverOpen).not.toContain(raised[0]!.id);
    expect((await openExceptions(kiosk)).map((x) => x.id)).toEqual(serverOpen);
    expect(await openExceptionCount(kiosk)).toBe(serverOpen.length);

    // Offline, staff here write off the second: it leaves the list and the count before it reaches the server.
    network = 'down';
    const resolved = await resolveException(kiosk, clock, { exceptionId: raised[1]!.id, resolution: 'writeOff', note: '核对后核销' }, 'wzgl-s2');
    expect(resolved.ok).toBe(true);
    const left = serverOpen.filter((id) => id !== raised[1]!.id);
    expect((await openExceptions(kiosk)).map((x) => x.id)).toEqual(left);
    expect(await openExceptionCount(kiosk)).toBe(left.length);
    expect(await kiosk.exceptions.count()).toBe(before);

    // Staff here write off the third too, and the server's pull then says another device resolved it
    // first: it is counted out once, not twice.
    expect((await resolveException(kiosk, clock, { exceptionId: raised[2]!.id, resolution: 'writeOff', note: '' }, 'wzgl-s2')).ok).toBe(true);
    await kiosk.exceptions.update(raised[2]!.id, { resolvedBy: '019abcde-0000-7000-8000-0000000000ff', resolution: 'writeOff' });
    const last = left.filter((id) => id !== raised[2]!.id);
    expect((await openExceptions(kiosk)).map((x) => x.id)).toEqual(last);
    expect(await openExceptionCount(kiosk)).toBe(last.length);
  });
});
