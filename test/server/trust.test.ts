import { execFile } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  decideResolution, EXPORT_FORMAT, EXPORT_KEY_ALGORITHM, EXPORT_SIGN_ALGORITHM, makeStaffCardCode, PullResponse,
  type EcPublicJwk, type ImportResult, type LinliEvent, type PushResponse,
} from '../../core/index.js';
import { signInAdmin } from '../../server/admin/admin.js';
import { buildApp, EXPORT_CONTENT_TYPE } from '../../server/app.js';
import { bootstrapCentre } from '../../server/bootstrap.js';
import { migrate } from '../../server/db/migrate.js';
import { DEMO_ADMIN_PASSWORD, DEMO_CLERK_PIN } from '../../server/demo/generate.js';
import { createPairingCode, enrol, MAX_TRIES } from '../../server/devices/enrol.js';
import { DB_KINDS, scratchDb, type ScratchDb } from '../support/db.js';
import { smallCentreDb, eventMaker, ledgerBreaches, NOW, redemption, seedSmallCentre, smallCentreRows } from '../support/centre.js';

const execFileAsync = promisify(execFile);
const rows = smallCentreRows();
const resident = rows.residents[0]!;
const tissues = rows.goods[0]!;
const award = (points: number, accountId = resident.accountId) => ({ kind: 'pointsAwarded' as const, version: 1 as const, payload: { accountId, points, category: 'volunteering' as const, note: '' } });

/** A kiosk as the tests make it: enrolled with its own ECDSA key pair. */
async function keyedDevice(db: ScratchDb, centreId = 'wzgl', profile: 'counter' | 'selfService' | 'canteen' = 'counter') {
  const keys = await webcrypto.subtle.generateKey(EXPORT_KEY_ALGORITHM, false, ['sign', 'verify']);
  const publicKey = (await webcrypto.subtle.exportKey('jwk', keys.publicKey)) as EcPublicJwk;
  const e = await enrol(db, await createPairingCode(db, centreId, profile, NOW), NOW, { publicKey });
  const sign = async (events: LinliEvent[], tamper?: (body: string) => string) => {
    const body = JSON.stringify({ format: EXPORT_FORMAT, deviceId: e.deviceId, deviceCode: e.deviceCode, centreId, exportedAt: NOW.toISOString(), events });
    const signature = Buffer.from(await webcrypto.subtle.sign(EXPORT_SIGN_ALGORITHM, keys.privateKey, new TextEncoder().encode(body))).toString('base64url');
    return JSON.stringify({ body: tamper ? tamper(body) : body, signature });
  };
  return { ...e, next: eventMaker(e.deviceId, `${centreId}-s2`), sign };
}

describe.each(DB_KINDS)('trust on %s', (kind) => {
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

  const send = (token: string, events: unknown) => app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload: { events } });
  const pushed = async (token: string, events: unknown) => (await send(token, events)).json<PushResponse>();
  const balance = async (accountId: string) => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [accountId]))[0]!.balance;
  const stock = async (goodsId: string) => (await db.query<{ stock: number }>('SELECT stock FROM goods WHERE id = $1', [goodsId]))[0]!.stock;
  const signIn = async (centreId = 'wzgl', cardCode = makeStaffCardCode(1), password = DEMO_ADMIN_PASSWORD) => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId, cardCode, password } });
    const cookie = /linli_admin=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0];
    return { res, cookie: cookie ?? '' };
  };
  const pullAll = async (token: string) => {
    const res = await app.inject({ method: 'GET', url: '/api/sync/pull?since=0&limit=20000', headers: { authorization: `Bearer ${token}` } });
    return PullResponse.parse(res.json());
  };

  describe('one centre per device', () => {
    it("never lets a device write another centre's rows, whatever its payload names", async () => {
      await seedSmallCentre(db, 'other', '别的社区');
      const mine = await keyedDevice(db);
      const theirs = await keyedDevice(db, 'other');
      const before = await balance('other-a1');
      // A token of one centre with a payload naming the other's account, its staff, its device.
      const res = await pushed(mine.token, [
        mine.next(award(500, 'other-a1')),
        mine.next(award(5), { staffId: 'other-s2' }),
        { ...mine.next(award(5)), centreId: 'other' },
      ]);
      expect(res.outcomes.slice(0, 2)).toMatchObject([
        { status: 'rejected', reason: { key: 'refusedUnknownRow', params: { table: 'accounts', id: 'other-a1' } } },
        { status: 'rejected', reason: { key: 'refusedUnknownStaff' } },
      ]);
      expect(await balance('other-a1')).toBe(before);
      // The other centre's device id in the envelope, sent with this centre's token.
      const forged = await send(mine.token, [eventMaker(theirs.deviceId, 'other-s2')(award(5, 'other-a1'))]);
      expect(forged.json()).toMatchObject({ error: 'wrongDevice' });
      // Pull answers only the token's centre.
      const page = await pullAll(theirs.token);
      expect(new Set([...page.rows.accounts, ...page.rows.residents, ...page.rows.staff].map((r) => r.centreId))).toEqual(new Set(['other']));
      expect(await balance('other-a1')).toBe(before);
      // The refused batch is kept with its reason for the admin.
      const kept = await db.query<{ code: string; centre_id: string }>('SELECT code, centre_id FROM refusal');
      expect(kept).toEqual([{ code: 'wrongDevice', centre_id: 'wzgl' }]);
    });

    it('refuses a revoked token from then on, and an admin of one centre cannot touch another', async () => {
      await seedSmallCentre(db, 'other', '别的社区');
      const kiosk = await keyedDevice(db);
      expect((await send(kiosk.token, [kiosk.next(award(1))])).statusCode).toBe(200);
      const { cookie } = await signIn();
      const other = await keyedDevice(db, 'other');
      const cross = await app.inject({ method: 'POST', url: `/api/admin/devices/${other.deviceCode}/revoke`, headers: { cookie }, payload: { reason: 'test' } });
      // Both centres have a K01: the admin's K01 is revoked, never the other centre's.
      expect(cross.statusCode).toBe(200);
      expect((await send(other.token, [other.next(award(1, 'other-a1'))])).statusCode).toBe(200);
      const refused = await send(kiosk.token, [kiosk.next(award(1))]);
      expect(refused.statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/api/sync/pull?since=0', headers: { authorization: `Bearer ${kiosk.token}` } })).statusCode).toBe(401);
    });
  });

  describe('staff and roles', () => {
    it('refuses an event without staff, by staff of another centre, or of a kind the role may not do, and keeps why', async () => {
      const kiosk = await keyedDevice(db);
      const canteenStaff = await app.inject({ method: 'POST', url: '/api/admin/staff', headers: { cookie: (await signIn()).cookie }, payload: { name: '周师傅', role: 'canteen', pin: '112233' } });
      const cook = canteenStaff.json<{ id: string }>().id;
      const before = await balance(resident.accountId);
      const res = await pushed(kiosk.token, [
        kiosk.next(award(10), { staffId: null }),
        kiosk.next(award(10), { staffId: cook }),
        kiosk.next(award(10)),
      ]);
      expect(res.outcomes).toMatchObject([
        { status: 'rejected', reason: { key: 'refusedStaffRequired' } },
        { status: 'rejected', reason: { key: 'refusedRole', params: { role: 'canteen', kind: 'pointsAwarded' } } },
        { status: 'applied' },
      ]);
      expect(await balance(resident.accountId)).toBe(before + 10);
      const listed = await app.inject({ method: 'GET', url: '/api/admin/refusals', headers: { cookie: (await signIn()).cookie } });
      expect(listed.json<{ reason: string }[]>().map((r) => r.reason).sort()).toEqual(['refusedRole', 'refusedStaffRequired']);
    });

    it('sends staff PIN hashes and full names to counters only; a self-service kiosk gets masked names and no staff', async () => {
      const counter = await keyedDevice(db);
      const selfService = await keyedDevice(db, 'wzgl', 'selfService');
      const full = await pullAll(counter.token);
      expect(full.rows.staff.map((s) => [s.cardCode, s.role, s.pin?.iterations])).toEqual([
        [makeStaffCardCode(1), 'admin', 600_000], [makeStaffCardCode(2), 'clerk', 600_000], [makeStaffCardCode(3), 'clerk', 600_000],
      ]);
      expect(full.rows.residents.find((r) => r.id === resident.id)!.name).toBe(resident.name);
      const masked = await pullAll(selfService.token);
      expect(masked.rows.staff).toEqual([]);
      expect(masked.rows.exceptions).toEqual([]);
      expect(masked.rows.residents.find((r) => r.id === resident.id)!.name).not.toBe(resident.name);
      expect(masked.rows.residents.find((r) => r.id === resident.id)!.name).toContain('*');
    });

    it('signs admins in with card and password only (a clerk\'s PIN opens nothing), and stops a source after five wrong tries', async () => {
      expect((await signIn('wzgl', makeStaffCardCode(2), DEMO_CLERK_PIN)).res.statusCode).toBe(401); // a clerk is not an admin
      for (let i = 1; i < MAX_TRIES; i++) expect((await signIn('wzgl', makeStaffCardCode(1), '000000')).res.statusCode).toBe(401);
      const locked = await signIn();
      expect(locked.res.statusCode).toBe(429);
      expect(locked.res.json().error).toBe('tooManyTries');
    });
  });

  describe('pairing codes', () => {
    it('are made by an admin for a profile, and a source that guesses five times is stopped', async () => {
      const { cookie } = await signIn();
      const made = await app.inject({ method: 'POST', url: '/api/admin/pairing-codes', headers: { cookie }, payload: { profile: 'selfService' } });
      const { code } = made.json<{ code: string }>();
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
      const enrolAt = (pairingCode: string) => app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { pairingCode } });
      for (let i = 0; i < MAX_TRIES; i++) expect((await enrolAt('WRONGCODE2')).statusCode).toBe(403);
      expect((await enrolAt(code)).json().error).toBe('tooManyTries');
      now = new Date(NOW.getTime() + 16 * 60_000); // the tries age out, and so does the code
      expect((await enrolAt(code)).json().error).toBe('pairingCodeInvalid');
      const fresh = (await app.inject({ method: 'POST', url: '/api/admin/pairing-codes', headers: { cookie: (await signIn()).cookie }, payload: { profile: 'selfService' } })).json<{ code: string }>().code;
      expect((await enrolAt(fresh)).json()).toMatchObject({ profile: 'selfService', deviceCode: 'S01' });
      expect((await app.inject({ method: 'POST', url: '/api/admin/pairing-codes', payload: { profile: 'counter' } })).statusCode).toBe(401);
    });
  });

  describe('exceptions', () => {
    it('are resolved by a compensating event once; a second resolution of the same one is refused', async () => {
      const a = await keyedDevice(db);
      const b = await keyedDevice(db);
      const pts = await balance(resident.accountId);
      await pushed(a.token, [a.next(redemption(resident.id, resident.accountId, tissues.id, 1, pts))]);
      await pushed(b.token, [b.next(redemption(resident.id, resident.accountId, tissues.id, 1, pts))]);
      const [x] = (await pullAll(a.token)).rows.exceptions;
      expect(x).toMatchObject({ kind: 'overdraft', subjectId: resident.accountId, amount: -pts, resolvedBy: null });
      const writeOff = decideResolution(x!, -pts, 'writeOff', '中心承担');
      const adjust = decideResolution(x!, -pts, 'adjust', '', 0);
      if (!writeOff.ok || !adjust.ok) throw new Error('decide refused');
      const first = await pushed(a.token, [a.next(writeOff.value)]);
      const second = await pushed(b.token, [b.next(adjust.value)]);
      expect(first.outcomes[0]!.status).toBe('applied');
      expect(second.outcomes[0]).toMatchObject({ status: 'rejected', reason: { key: 'refusedAlreadyResolved' } });
      expect(await balance(resident.accountId)).toBe(0);
      const [after] = (await pullAll(a.token)).rows.exceptions;
      expect(after).toMatchObject({ resolvedBy: first.outcomes[0]!.id, resolution: 'writeOff' });
      expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    });

    it('flags an event whose corrected time is days ahead, and one that runs back behind the last', async () => {
      const kiosk = await keyedDevice(db);
      const day = 86_400_000;
      const res = await pushed(kiosk.token, [
        kiosk.next(award(1), { at: new Date(NOW.getTime() + 3 * day).toISOString() }), // clock set 3 days ahead
        kiosk.next(award(1), { at: NOW.toISOString() }),
        kiosk.next(award(1), { at: new Date(NOW.getTime() - 3 * day).toISOString(), clockOffset: -3 * day }), // known offset: fine
        kiosk.next(award(1), { at: new Date(NOW.getTime() - day).toISOString() }), // set back a day since the last sync
        kiosk.next(award(1), { at: new Date(NOW.getTime() - 2 * 60_000).toISOString() }), // a little back: within tolerance
      ]);
      expect(res.outcomes.map((o) => (o.status === 'applied' ? o.exceptions : o.status))).toEqual([['clockSkew'], [], [], ['clockSkew'], []]);
      const flags = await db.query<{ kind: string; amount: number }>("SELECT kind, amount FROM rule_exception WHERE kind = 'clockSkew' ORDER BY amount DESC");
      expect(flags).toEqual([{ kind: 'clockSkew', amount: 3 * 24 * 60 }, { kind: 'clockSkew', amount: -24 * 60 }]);
      expect(await balance(resident.accountId)).toBe((await pullAll(kiosk.token)).rows.accounts.find((a) => a.id === resident.accountId)!.balance);
    });
  });

  it("applies and flags work by a card disabled after the kiosk last pulled; staff acknowledge it", async () => {
    const kiosk = await keyedDevice(db);
    const { cookie } = await signIn();
    const off = await app.inject({ method: 'POST', url: `/api/admin/staff/${makeStaffCardCode(3)}`, headers: { cookie }, payload: { active: false } });
    expect(off.statusCode).toBe(200);
    const before = await balance(resident.accountId);
    const res = await pushed(kiosk.token, [kiosk.next(award(5), { staffId: 'wzgl-s3' })]);
    expect(res.outcomes[0]).toMatchObject({ status: 'applied', exceptions: ['staffRevoked'] });
    expect(await balance(resident.accountId)).toBe(before + 5);
    const x = (await pullAll(kiosk.token)).rows.exceptions.find((r) => r.kind === 'staffRevoked');
    expect(x).toMatchObject({ subjectId: 'wzgl-s3', resolvedBy: null });
    const ack = decideResolution(x!, 0, 'acknowledge', '已核实');
    if (!ack.ok) throw new Error('decide refused');
    expect((await pushed(kiosk.token, [kiosk.next(ack.value)])).outcomes[0]!.status).toBe('applied');
  });

  describe('outbox export files', () => {
    const importFile = async (text: string, cookie: string) =>
      app.inject({ method: 'POST', url: '/api/admin/imports', headers: { cookie, 'content-type': EXPORT_CONTENT_TYPE }, payload: text });

    it('are applied once: again, or after the kiosk pushed, they change nothing', async () => {
      const kiosk = await keyedDevice(db);
      const events = [kiosk.next(award(7)), kiosk.next(redemption(resident.id, resident.accountId, tissues.id, 1, 0)), kiosk.next(award(3))];
      const file = await kiosk.sign(events);
      const { cookie } = await signIn();
      const before = { points: await balance(resident.accountId), stock: await stock(tissues.id) };
      expect((await importFile(file, cookie)).json<ImportResult>()).toMatchObject({ deviceCode: 'K01', applied: 3, duplicate: 0 });
      expect((await importFile(file, cookie)).json<ImportResult>()).toMatchObject({ applied: 0, duplicate: 3 });
      const later = await pushed(kiosk.token, [...events, kiosk.next(award(1))]);
      expect(later.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'applied']);
      expect(await balance(resident.accountId)).toBe(before.points + 11);
      expect(await stock(tissues.id)).toBe(before.stock - 1);
      expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
    });

    it('report the events that broke a rule on the server (an overdraft), not only seq conflicts', async () => {
      const kiosk = await keyedDevice(db);
      const pts = await balance(resident.accountId);
      const file = await kiosk.sign([kiosk.next(redemption(resident.id, resident.accountId, tissues.id, 1, pts + 30)), kiosk.next(award(1))]);
      const { cookie } = await signIn();
      expect((await importFile(file, cookie)).json<ImportResult>()).toMatchObject({ applied: 2, conflicts: 0, exceptions: 1 });
    });

    it('are refused whole when tampered, truncated, of another centre, or unsigned; the reason is kept', async () => {
      await seedSmallCentre(db, 'other', '别的社区');
      const kiosk = await keyedDevice(db);
      const foreign = await keyedDevice(db, 'other');
      const events = [kiosk.next(award(7))];
      const { cookie } = await signIn();
      const before = await balance(resident.accountId);
      const cases = [
        ['tampered', await kiosk.sign(events, (body) => body.replace('"points":7', '"points":700'))],
        ['truncated', (await kiosk.sign(events)).slice(0, 200)],
        ['another centre', await foreign.sign([foreign.next(award(7, 'other-a1'))])],
        ['not an export', '{"hello":1}'],
      ] as const;
      for (const [, text] of cases) {
        const res = await importFile(text, cookie);
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toBe('exportInvalid');
      }
      expect(await balance(resident.accountId)).toBe(before);
      const kept = await db.query<{ reason: string }>("SELECT reason FROM refusal WHERE code = 'exportInvalid' ORDER BY id");
      expect(kept.map((k) => k.reason)).toEqual([
        'the signature does not match device K01: the file was changed',
        'the file is not whole (truncated or not an export file)',
        'the file is from a device of another centre, or an unknown device',
        'the file is not a Linli outbox export',
      ]);
    });
  });

  describe('the admin CLI', () => {
    it('makes a pairing code for a profile that a kiosk can enrol with, and lists the device', async () => {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const cli = (...args: string[]) => execFileAsync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args, '--server', address, '--card', makeStaffCardCode(1)], {
        env: { ...process.env, LINLI_ADMIN_PASSWORD: DEMO_ADMIN_PASSWORD },
      });
      const code = (await cli('pairing-code', 'canteen')).stdout.trim();
      const enrolled = await app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { pairingCode: code } });
      expect(enrolled.json()).toMatchObject({ deviceCode: 'C01', profile: 'canteen' });
      const devices = JSON.parse((await cli('devices')).stdout) as { code: string; profile: string }[];
      expect(devices.map((d) => [d.code, d.profile])).toEqual([['C01', 'canteen'], ['IMPORT', 'server']]);
      // The change is audited: who, what, and never the code itself.
      const trail = JSON.parse((await cli('audit')).stdout) as { staffId: string; action: string; detail: unknown }[];
      expect(trail).toEqual([{ staffId: 'wzgl-s1', action: 'pairingCodeCreated', detail: { profile: 'canteen' }, at: expect.any(String) }]);
      expect(JSON.stringify(trail)).not.toContain(code);
      await expect(execFileAsync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'devices', '--server', address, '--card', makeStaffCardCode(1)], {
        env: { ...process.env, LINLI_ADMIN_PASSWORD: 'not-the-password' },
      })).rejects.toThrow(/sign-in refused/);
    }, 90_000); // each call starts a CLI process that compiles with tsx: over 30 s on a busy two-core machine (seen in CI)
  });

  describe('the poke stream', () => {
    it("tells a centre's other devices at once, never the pusher or another centre, with the token only in a header", async () => {
      await seedSmallCentre(db, 'other', '别的社区');
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const [a, b, stranger] = [await keyedDevice(db), await keyedDevice(db), await keyedDevice(db, 'other')];
      const heard = { a: 0, b: 0, stranger: 0 };
      const ready: Promise<void>[] = [];
      const controllers: AbortController[] = [];
      const open = (who: keyof typeof heard, token: string) => {
        const ac = new AbortController();
        controllers.push(ac);
        let resolveReady = () => {};
        ready.push(new Promise<void>((r) => (resolveReady = r)));
        return (async () => {
          const res = await fetch(`${address}/api/sync/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            if (value.includes('event: ready')) resolveReady();
            heard[who] += value.split('event: poke').length - 1;
          }
        })().catch(() => undefined);
      };
      const streams = [open('a', a.token), open('b', b.token), open('stranger', stranger.token)];
      await Promise.all(ready);
      const b1 = new Promise<void>((resolve) => {
        const t = setInterval(() => heard.b > 0 && (clearInterval(t), resolve()), 5);
      });
      await pushed(a.token, [a.next(award(1))]);
      await b1;
      await pushed(a.token, [a.next(award(1))]); // a second commit: the stranger has had time to hear the first
      await new Promise<void>((resolve) => {
        const t = setInterval(() => heard.b > 1 && (clearInterval(t), resolve()), 5);
      });
      expect(heard).toEqual({ a: 0, b: 2, stranger: 0 });
      const unauthorised = await fetch(`${address}/api/sync/stream`);
      expect(unauthorised.status).toBe(401);
      controllers.forEach((c) => c.abort());
      await Promise.all(streams);
    });
  });
});

describe('a real centre\'s first start', () => {
  it('creates the centre and its first admin, who can sign in; a second bootstrap is refused', async () => {
    const db = await scratchDb('pglite');
    try {
      await migrate(db);
      const made = await bootstrapCentre(db, { centreId: 'hxjd', centreName: '和谐社区党群服务中心', adminName: '张红', password: 'hxjd-first-admin' });
      expect(made).toEqual({ cardCode: makeStaffCardCode(1), createdCentre: true });
      await expect(signInAdmin(db, 'hxjd', made.cardCode, 'hxjd-first-admin', 'test', NOW)).resolves.toMatchObject({ token: expect.any(String) });
      await expect(bootstrapCentre(db, { centreId: 'hxjd', centreName: '', adminName: '李四', password: 'li-si-password' })).rejects.toThrow(/already has an admin/);
      await expect(bootstrapCentre(db, { centreId: 'new', centreName: '', adminName: '李四', password: 'li-si-password' })).rejects.toThrow(/needs its name/);
    } finally {
      await db.drop();
    }
  });
});
