import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { listRefusals } from '../../server/admin/admin.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, enrolDevice, eventMaker, ledgerBreaches, NOW, redemption, seedSmallCentre, smallCentreRows } from '../support/centre.js';
import { PullResponse, type LinliEvent, type PushResponse } from '../../core/index.js';

const rows = smallCentreRows();
const resident = rows.residents[0]!;
const tissues = rows.goods[0]!;
const award = (points: number, note = '') => ({ kind: 'pointsAwarded' as const, version: 1 as const, payload: { accountId: resident.accountId, points, category: 'volunteering' as const, note } });

/** Nothing a device pushes may jam it: every event gets an outcome and uses up its seq. */
describe.each(DB_KINDS)('nothing jams on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let token: string;
  let deviceId: string;

  beforeEach(async () => {
    db = await smallCentreDb(kind);
    app = await buildApp({ db, now: () => NOW });
    ({ token, deviceId } = await enrolDevice(db));
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const send = (events: unknown, t = token) => app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${t}` }, payload: { events } });
  const pullAll = async (t = token) => {
    const res = await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${t}` } });
    return { status: res.statusCode, parsed: PullResponse.safeParse(res.json()) };
  };
  const balance = async () => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [resident.accountId]))[0]!.balance;

  it('rejects an event id used before under a new seq, keeps it, and goes on: [fresh, reused, fresh] applies both fresh', async () => {
    const next = eventMaker(deviceId);
    const first = next(award(10));
    expect((await send([first])).json<PushResponse>().outcomes[0]!.status).toBe('applied');
    const before = next(award(1));
    const reused = { ...next(award(20)), id: first.id };
    const res = await send([before, reused, next(award(2))]);
    expect(res.statusCode).toBe(200);
    const body = res.json<PushResponse>();
    expect(body.outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(body.outcomes[1]).toMatchObject({ reason: { key: 'refusedDuplicateId' } });
    expect(body.lastSeq).toBe(4);
    // Asked again, the same answer: the rejection was stored under its own seq.
    expect((await send([reused])).json<PushResponse>().outcomes[0]).toMatchObject({ status: 'duplicate', first: 'rejected', reason: { key: 'refusedDuplicateId' } });
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  });

  it('tells a device nothing of another centre\'s event ids: one used there is applied here like any other', async () => {
    await seedSmallCentre(db, 'other', '别的社区');
    // One of theirs that this centre has not used (the demo's admin events have the same ids in every demo centre).
    const [theirs] = await db.query<{ id: string }>("SELECT id::text AS id FROM event WHERE centre_id = 'other' AND id NOT IN (SELECT id FROM event WHERE centre_id = 'wzgl') ORDER BY id LIMIT 1");
    const next = eventMaker(deviceId);
    const mine = { ...next(award(10)), id: theirs!.id };
    expect((await send([mine])).json<PushResponse>().outcomes[0]).toMatchObject({ status: 'applied' });
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    expect(await ledgerBreaches(db, 'other')).toEqual([]);
  });

  it('stores a note with a lone surrogate or a NUL (cleaned), and an unreadable body is rejected alone', async () => {
    const next = eventMaker(deviceId);
    const points = await balance();
    const halfEmoji = next(award(5, `${'好'.repeat(199)}\ud83d`));
    const nul = next(award(6, 'a\u0000b'));
    const unknown = { ...next(award(1)), kind: 'pointsStolen', payload: { note: 'x\u0000\udfff' } };
    const negative = next(redemption(resident.id, resident.accountId, tissues.id, -1, 30));
    const res = await send([halfEmoji, nul, unknown, negative]);
    expect(res.statusCode).toBe(200);
    const body = res.json<PushResponse>();
    expect(body.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'rejected', 'rejected']);
    expect(body.outcomes[2]).toMatchObject({ reason: { key: 'refusedUnknownKind', params: { kind: 'pointsStolen', version: 1 } } });
    expect(body.outcomes[3]).toMatchObject({ reason: { key: 'refusedInvalidEvent' } });
    expect(body.lastSeq).toBe(4);
    expect(await balance()).toBe(points + 11);
    const notes = await db.query<{ note: string }>("SELECT payload->>'note' AS note FROM event WHERE device_id = $1 AND seq <= 2 ORDER BY seq", [deviceId]);
    expect(notes.map((n) => n.note)).toEqual([`${'好'.repeat(199)}\ufffd`, 'ab']);
  });

  it('refuses an absurd redemption as invalid in itself, and every kiosk can still pull', async () => {
    const next = eventMaker(deviceId);
    const lines = Array.from({ length: 50 }, () => ({ goodsId: tissues.id, quantity: 9_999, pointPrice: 1_000_000 }));
    const absurd = next({ kind: 'goodsRedeemed', version: 1, payload: { accountId: resident.accountId, residentId: resident.id, lines } });
    const res = (await send([absurd])).json<PushResponse>();
    expect(res.outcomes[0]).toMatchObject({ status: 'rejected', reason: { key: 'refusedInvalidEvent' } });
    expect((await pullAll()).parsed.success).toBe(true);
  });

  it('refuses an event that would take a balance past what a pull can carry', async () => {
    // A centre whose resident holds 999,999,990 points (as if by years of awards).
    await db.query('UPDATE account SET balance = 999999990 WHERE id = $1', [resident.accountId]);
    const next = eventMaker(deviceId);
    const res = (await send([next(award(100_000)), next(award(1))])).json<PushResponse>();
    expect(res.outcomes.map((o) => o.status)).toEqual(['rejected', 'applied']);
    expect(res.outcomes[0]).toMatchObject({ reason: { key: 'refusedOutOfRange', params: { table: 'accounts' } } });
    const pulled = await pullAll();
    expect(pulled.status).toBe(200);
    expect(pulled.parsed.success).toBe(true);
  });

  it('keeps a seq conflict with both payloads, for the admin', async () => {
    const next = eventMaker(deviceId);
    const original = next(award(10, '原来的'));
    await send([original]);
    const forged: LinliEvent = { ...original, payload: { ...original.payload, points: 9_999, note: '改过的' } } as LinliEvent;
    expect((await send([forged])).json<PushResponse>().outcomes).toEqual([{ status: 'seqConflict', id: original.id, seq: 1 }]);
    await send([forged]);
    const kept = await db.query<{ seq: number; held: string; pushed: string }>(
      "SELECT seq, held_payload->'payload'->>'note' AS held, pushed_payload->'payload'->>'note' AS pushed FROM seq_conflict WHERE device_id = $1", [deviceId]);
    expect(kept).toEqual([{ seq: 1, held: '原来的', pushed: '改过的' }]);
    const listed = await listRefusals(db, 'wzgl');
    expect(listed.filter((r) => r.code === 'seqConflict')).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(new RegExp(`^seq 1: the server holds event ${original.id} \\(pointsAwarded\\); the device pushed event ${original.id}`)) }),
    ]);
  });
});
