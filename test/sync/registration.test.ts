import { randomBytes } from 'node:crypto';
import 'fake-indexeddb/auto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { push } from '../../server/sync/push.js';
import { redeem, registerResident, type Clock } from '../../renderer/src/store/actions.js';
import { historyOf, residentByCard, waiting } from '../../renderer/src/store/view.js';
import { parseCardCode, PhoneAnswer, PullResponse, uuidv7, type RegistrationForm } from '../../core/index.js';
import { type ScratchDb } from '../support/db.js';
import { syncedStore } from '../support/store.js';
import { injectFetch, type Network } from '../support/kiosk.js';
import { enrolDevice, smallCentreDb, NOW, pushAsImport, smallCentreRows } from '../support/centre.js';

/**
 * The proof of the kind registry: a kind added through it (a resident registered at the counter)
 * goes end to end through the real kiosk store and sync client and the real server — decided and
 * shown offline, pushed, checked generically (ids new in the centre, one card one person), pulled
 * by another kiosk — with no code of its own in `server/` or `renderer/src/store/` but the action.
 */
const tissues = smallCentreRows().goods[0]!;
const form: RegistrationForm = { name: '张三明', phone: '138 1234 5678', building: '3栋', room: '2单元501', birthDate: '1948-03-08', flags: ['livesAlone'] };

/** Four digits no resident's phone ends with. */
async function freeTailIn(db: ScratchDb): Promise<string> {
  const used = new Set((await db.query<{ t: string }>('SELECT phone_tail AS t FROM resident WHERE phone_tail IS NOT NULL')).map((r) => r.t));
  for (let n = 1234; ; n++) if (!used.has(String(n % 10_000).padStart(4, '0'))) return String(n % 10_000).padStart(4, '0');
}

describe('registering a resident at the counter', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let tick = 0;
  let network: Network = 'up';
  const clock: Clock = { now: () => NOW.getTime() + ++tick, random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
  const fetchFn: typeof fetch = (input, init) => injectFetch(app, () => network)(input, init);
  const kiosk = (name: string) => syncedStore(name, db, fetchFn, 'counter', NOW);
  const freeTail = () => freeTailIn(db);

  beforeAll(async () => {
    db = await smallCentreDb('pglite');
    app = await buildApp({ db, now: () => NOW, idKey: randomBytes(32) });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('registers offline with a card of the kiosk\'s own block, shows the resident at once, and reaches the other kiosk once synced', async () => {
    const a = await kiosk('reg-a');
    const b = await kiosk('reg-b');
    network = 'down';
    const done = await registerResident(a.db, clock, form, 'wzgl-s2');
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    const card = done.value.resident.cardCode;
    // K01's block: 10,100,001 on.
    expect(parseCardCode(card)).toMatchObject({ ok: true, value: { serial: 10_100_001, generation: 1 } });
    expect(done.value.resident).toMatchObject({ name: '张三明', phoneTail: '5678', building: '3栋', room: '2单元501', birthDate: '1948-03-08', flags: ['livesAlone'] });
    // Offline, the counter finds the new resident by card, with an account at 0.
    expect(await residentByCard(a.db, card)).toMatchObject({ resident: { name: '张三明' }, balance: 0 });
    const second = await registerResident(a.db, clock, { ...form, name: '李四', phone: '' }, 'wzgl-s2');
    expect(second.ok && parseCardCode(second.value.resident.cardCode)).toMatchObject({ ok: true, value: { serial: 10_100_002 } });

    network = 'up';
    await a.client.sync();
    expect(await waiting(a.db)).toBe(0);
    const [row] = await db.query<{ name: string; phone_tail: string; flags: string[] }>('SELECT name, phone_tail, flags FROM resident WHERE card_code = $1', [card]);
    expect(row).toEqual({ name: '张三明', phone_tail: '5678', flags: ['livesAlone'] });
    // The full phone is in the server's event log only; no device row holds it.
    const pulled = PullResponse.parse((await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${(await a.db.device())!.token}` } })).json());
    expect(JSON.stringify(pulled.rows.residents)).not.toContain('13812345678');

    await b.client.sync();
    const onB = await residentByCard(b.db, card);
    expect(onB).toMatchObject({ resident: { name: '张三明', phoneTail: '5678' }, balance: 0 });

    // The new resident earns and spends like any other; the history shows the pending entry first.
    await pushAsImport(db, [{ kind: 'pointsAwarded', version: 1, payload: { accountId: onB!.resident.accountId, points: 40, category: 'volunteering', note: '清理楼道' } }]);
    await b.client.sync();
    network = 'down';
    const spent = await redeem(b.db, clock, { residentId: onB!.resident.id, picks: [{ goodsId: tissues.id, quantity: 1 }] }, 'wzgl-s3');
    expect(spent.ok).toBe(true);
    const history = await historyOf(b.db, onB!.resident.accountId);
    expect(history.map((h) => [h.delta, h.memo, h.pending])).toEqual([[-30, `${tissues.name}×1`, true], [40, '清理楼道', false]]);
    network = 'up';
    await b.client.sync();
    a.db.close();
    b.db.close();
  });

  it('keeps an ID number masked and keyed by the server, never whole on the kiosk; the same number again is refused; offline it waits for the server', async () => {
    const a = await kiosk('reg-id');
    const idNumber = '11010519491231002X';
    const ask = (n: string) => a.client.ask('/api/residents/id-number', { idNumber: n });
    const outbox = () => a.db.outbox.count();
    // Offline: refused with why, and nothing written.
    network = 'down';
    const before = await outbox();
    expect(await registerResident(a.db, clock, { ...form, birthDate: '', idNumber }, 'wzgl-s2', ask)).toMatchObject({ ok: false, error: { key: 'idNumberNeedsServer' } });
    // A number failing the check never goes to the server.
    network = 'up';
    expect(await registerResident(a.db, clock, { ...form, idNumber: '110105194912310021' }, 'wzgl-s2', () => Promise.reject(new Error('asked')))).toMatchObject({ ok: false, error: { key: 'malformedIdNumber' } });
    expect(await outbox()).toBe(before);

    const done = await registerResident(a.db, clock, { ...form, birthDate: '', idNumber }, 'wzgl-s2', ask);
    expect(done).toMatchObject({ ok: true, value: { resident: { idMasked: '110***********002X', birthDate: '1949-12-31' } } });
    const local = JSON.stringify(await a.db.outbox.toArray());
    expect(local).not.toContain('19491231002');
    await a.client.sync();
    expect(await waiting(a.db)).toBe(0);
    const [row] = await db.query<{ id_masked: string; id_hash: string }>('SELECT id_masked, id_hash FROM resident WHERE id_masked IS NOT NULL');
    expect(row?.id_masked).toBe('110***********002X');
    expect(row?.id_hash).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db.query<{ payload: unknown }>(`SELECT payload FROM event WHERE kind = 'residentRegistered'`);
    expect(JSON.stringify(stored)).not.toContain('19491231002');
    // Again, at any counter: refused with who has it; nothing written.
    const again = await registerResident(a.db, clock, { ...form, name: '张三', birthDate: '', idNumber: idNumber.toLowerCase() }, 'wzgl-s2', ask);
    expect(again).toMatchObject({ ok: false, error: { key: 'idNumberTaken', params: { name: '张三明' } } });
    expect(await waiting(a.db)).toBe(0);
    // Two counters that asked at the same time: the server takes the first and refuses the second.
    const d = await a.db.device();
    const second = await push(db, { id: d!.deviceId, centreId: 'wzgl', code: d!.deviceCode, profile: 'counter' }, [{
      id: uuidv7(NOW.getTime(), crypto.getRandomValues(new Uint8Array(16))), deviceId: d!.deviceId, seq: (await a.db.outbox.count()) + 1, staffId: 'wzgl-s2', at: NOW.toISOString(), clockOffset: 0, basis: 0,
      kind: 'residentRegistered', version: 2,
      payload: { residentId: 'r-twin', accountId: 'a-twin', name: '张三明', cardCode: 'LL9000000118', phone: null, building: null, room: null, birthDate: null, flags: [], idNumber: { masked: row!.id_masked, key: row!.id_hash } },
    }], NOW);
    expect(second.outcomes[0]).toMatchObject({ status: 'rejected', reason: { key: 'refusedIdTaken', params: { table: 'resources' } } });
    a.db.close();
  });

  it('tells a counter who has a full phone number: the same number, a resident whose number it was never told, and nobody for another number with the same last four digits', async () => {
    const a = await kiosk('reg-phone');
    const ask = async (phone: string) => PhoneAnswer.parse(await a.client.ask('/api/residents/phone', { phone }));
    const [unknown] = smallCentreRows().residents.filter((r) => r.phoneTail !== null);
    // A demo resident: the server was never told the full number, only its last four digits.
    expect((await ask(`1370000${unknown!.phoneTail}`)).holders).toContainEqual({ residentId: unknown!.id, name: unknown!.name, cardCode: unknown!.cardCode, phone: 'unknown' });
    // Registered at a counter with the full number: that number is theirs, another ending the same is not.
    const tail = await freeTail();
    const done = await registerResident(a.db, clock, { ...form, name: '王五', phone: `1391111${tail}` }, 'wzgl-s2');
    if (!done.ok) throw new Error(done.error.key);
    await a.client.sync();
    const wang = done.value.resident;
    expect((await ask(`1391111${tail}`)).holders).toEqual([{ residentId: wang.id, name: '王五', cardCode: wang.cardCode, phone: 'same' }]);
    // Whose number is another's is said by id alone.
    expect((await ask(`1382222${tail}`)).holders).toEqual([{ residentId: wang.id, name: '', cardCode: '', phone: 'other' }]);
    // Not a mobile number: refused, nothing looked up.
    await expect(a.client.ask('/api/residents/phone', { phone: '12345' })).rejects.toThrow();
    // Only a counter asks; and no device more than 20 times a minute.
    const canteen = await enrolDevice(db, 'wzgl', 'canteen');
    const asked = (token: string) => app.inject({ method: 'POST', url: '/api/residents/phone', headers: { authorization: `Bearer ${token}` }, payload: { phone: `1391111${tail}` } });
    expect((await asked(canteen.token)).statusCode).toBe(403);
    const counter = await enrolDevice(db, 'wzgl', 'counter');
    const codes = [];
    for (let i = 0; i < 21; i++) codes.push((await asked(counter.token)).statusCode);
    expect(codes).toEqual([...Array<number>(20).fill(200), 429]);
    a.db.close();
  });

  it('refuses a card or an id the centre has already given out, whoever pushes it', async () => {
    const importer = { id: 'wzgl-import', centreId: 'wzgl', code: 'IMPORT', profile: 'server' as const };
    const [{ last_seq: seq } = { last_seq: 0 }] = await db.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1', [importer.id]);
    const taken = smallCentreRows().residents[0]!;
    const body = (residentId: string, accountId: string, cardCode: string) => ({
      kind: 'residentRegistered' as const, version: 1 as const,
      payload: { residentId, accountId, name: '王五', cardCode, phone: null, building: null, room: null, birthDate: null, flags: [] },
    });
    const id = () => uuidv7(NOW.getTime(), crypto.getRandomValues(new Uint8Array(16)));
    const envelope = (n: number) => ({ id: id(), deviceId: importer.id, seq: seq + n, staffId: 'wzgl-s1', at: NOW.toISOString(), clockOffset: 0, basis: 0 });
    const res = await push(db, importer, [
      { ...envelope(1), ...body(id(), id(), taken.cardCode) },
      { ...envelope(2), ...body(taken.id, id(), 'LL9000000118') },
      { ...envelope(3), ...body(id(), taken.accountId, 'LL9000000217') },
    ], NOW);
    expect(res.outcomes.map((o) => (o.status === 'rejected' ? o.reason : o.status))).toEqual([
      { key: 'refusedIdTaken', params: { table: 'residents', id: taken.cardCode } },
      { key: 'refusedIdTaken', params: { table: 'residents', id: taken.id } },
      { key: 'refusedIdTaken', params: { table: 'accounts', id: taken.accountId } },
    ]);
  });
});
