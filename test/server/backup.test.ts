import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeStaffCardCode, type HelloResponse, type PushResponse } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { BACKUP_CONTENT_TYPE, type BackupHeader, type RestoreResult } from '../../server/backup/backup.js';
import { loadMigrations } from '../../server/db/migrate.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, enrolDevice, eventMaker, ledgerBreaches, NOW, seedSmallCentre, smallCentreRows } from '../support/centre.js';

const execFileAsync = promisify(execFile);
const resident = smallCentreRows().residents[0]!;
const award = (points: number, accountId = resident.accountId) => ({ kind: 'pointsAwarded' as const, version: 1 as const, payload: { accountId, points, category: 'volunteering' as const, note: '' } });

/**
 * Tables whose rows a restore does not simply put back: left out of backups, or logs kept across,
 * and the city admins (above every centre: a restore leaves them as they are).
 */
const NOT_STATE = ['schema_migration', 'enrol_failure', 'admin_session', 'pairing_code', 'admin_audit', 'refusal', 'city_admin', 'city_session'];

/** Every row of every table of the server's state (the centres' epochs aside), table by table. */
async function state(db: ScratchDb, centreId?: string): Promise<Record<string, unknown[]>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const out: Record<string, unknown[]> = {};
  for (const { table_name: t } of tables) {
    if (NOT_STATE.includes(t)) continue;
    const where = centreId === undefined ? '' : t === 'centre' ? 'WHERE t.id = $1' : 'WHERE t.centre_id = $1';
    const rows = await db.query<{ r: Record<string, unknown> }>(`SELECT to_jsonb(t) AS r FROM ${t} t ${where} ORDER BY to_jsonb(t)::text`, centreId === undefined ? [] : [centreId]);
    out[t] = rows.map(({ r }) => (t === 'centre' ? { ...r, epoch: 'epoch' } : r));
  }
  return out;
}

describe.each(DB_KINDS)('backup and restore on %s', (kind) => {
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

  const signIn = async (centreId = 'wzgl') => {
    const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { centreId, cardCode: makeStaffCardCode(1), password: DEMO_ADMIN_PASSWORD } });
    return /linli_admin=[^;]+/.exec(String(res.headers['set-cookie'] ?? ''))?.[0] ?? '';
  };
  const backup = async (cookie: string) => {
    const res = await app.inject({ method: 'GET', url: '/api/admin/backup', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(BACKUP_CONTENT_TYPE);
    return res.payload;
  };
  const restore = (cookie: string, file: string, confirm: string | null = 'wzgl') => app.inject({
    method: 'POST', url: `/api/admin/restore${confirm === null ? '' : `?confirm=${confirm}`}`, headers: { cookie, 'content-type': BACKUP_CONTENT_TYPE }, payload: file,
  });
  const send = (token: string, events: unknown) => app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload: { events } });
  const hello = async (token: string) => (await app.inject({ method: 'GET', url: '/api/sync/hello', headers: { authorization: `Bearer ${token}` } })).json<HelloResponse>();
  const balance = async () => (await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [resident.accountId]))[0]!.balance;

  it('puts back exactly the backed-up state under a new epoch; the kiosk is back at its backed-up lastSeq and pushes the rest again', async () => {
    const kiosk = await enrolDevice(db);
    const next = eventMaker(kiosk.deviceId);
    const events = [1, 2, 3, 4, 5].map((p) => next(award(p)));
    const start = await balance();
    expect((await send(kiosk.token, events.slice(0, 3))).statusCode).toBe(200);
    const cookie = await signIn();
    const file = await backup(cookie);
    const header = JSON.parse(file.split('\n')[0]!) as BackupHeader;
    expect(header).toMatchObject({ format: 'linli-backup/1', schema: (await loadMigrations()).at(-1)!.version, scope: 'server', centreId: 'wzgl' });
    const before = await state(db);
    const { epoch: oldEpoch } = await hello(kiosk.token);

    // After the backup: more events, a new staff member (audited), another kiosk.
    expect((await send(kiosk.token, events.slice(3))).json<PushResponse>().lastSeq).toBe(5);
    expect((await app.inject({ method: 'POST', url: '/api/admin/staff', headers: { cookie }, payload: { name: '周师傅', role: 'canteen', pin: '112233' } })).statusCode).toBe(200);
    const late = await enrolDevice(db);
    expect(await state(db)).not.toEqual(before);

    const res = await restore(cookie, file);
    expect(res.statusCode).toBe(200);
    const result = res.json<RestoreResult>();
    expect(result).toMatchObject({ scope: 'server', centreId: 'wzgl', backupCreatedAt: header.createdAt });
    expect(await state(db)).toEqual(before);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);

    const after = await hello(kiosk.token);
    expect(after).toMatchObject({ lastSeq: 3, epoch: result.epoch });
    expect(after.epoch).not.toBe(oldEpoch);
    const stale = await app.inject({ method: 'GET', url: `/api/sync/pull?since=5&epoch=${oldEpoch}`, headers: { authorization: `Bearer ${kiosk.token}` } });
    expect(stale.json()).toMatchObject({ error: 'epochMismatch' });
    expect((await app.inject({ method: 'GET', url: '/api/sync/hello', headers: { authorization: `Bearer ${late.token}` } })).statusCode).toBe(401);
    // The kiosk pushes again what the restored server lacks: nothing is lost.
    const again = (await send(kiosk.token, events.slice(3))).json<PushResponse>();
    expect(again.outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(await balance()).toBe(start + 15);

    // Every session ended with the restore; the audit trail kept what happened since the backup.
    expect((await app.inject({ method: 'GET', url: '/api/admin/devices', headers: { cookie } })).statusCode).toBe(401);
    const trail = (await app.inject({ method: 'GET', url: '/api/admin/audit', headers: { cookie: await signIn() } })).json<{ action: string }[]>();
    expect(trail.map((t) => t.action).reverse()).toEqual(['backupMade', 'staffAdded', 'backupRestored']);
  });

  it('keeps a log row the backup holds once, though it is later than the backup\'s time to the millisecond (its own 「backupMade」)', async () => {
    const cookie = await signIn();
    const file = (await backup(cookie)).split('\n').filter(Boolean);
    // The race, made sure of: the header's time a moment before the rows the file holds, the file signed again.
    const header = JSON.parse(file[0]!) as BackupHeader;
    const lines = [JSON.stringify({ ...header, createdAt: new Date(Date.parse(header.createdAt) - 1_000).toISOString() }), ...file.slice(1, -1)];
    const end = JSON.parse(file.at(-1)!) as { sha256: string };
    const signed = [...lines, JSON.stringify({ ...end, sha256: createHash('sha256').update(lines.map((l) => `${l}\n`).join('')).digest('hex') })].join('\n') + '\n';
    const made = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM admin_audit WHERE action = 'backupMade'`))[0]!.n;
    expect(await made()).toBe(1);
    expect((await restore(cookie, signed)).statusCode).toBe(200);
    expect(await made()).toBe(1);
  });

  it('is refused whole unless confirmed, when cut or changed, or of another schema, and changes nothing', async () => {
    const kiosk = await enrolDevice(db);
    const next = eventMaker(kiosk.deviceId);
    const cookie = await signIn();
    const file = await backup(cookie);
    await send(kiosk.token, [next(award(7))]);
    const now = await state(db);
    const lines = file.trimEnd().split('\n');
    const cases: [string, string | null, string, RegExp][] = [
      ['unconfirmed', null, file, /confirm it with \?confirm=wzgl/],
      ['confirmed for another centre', 'other', file, /confirm it with \?confirm=wzgl/],
      ['cut', 'wzgl', lines.slice(0, -3).join('\n'), /not whole/],
      ['cut mid-line', 'wzgl', file.slice(0, Math.floor(file.length / 2)), /not JSON|not whole/],
      ['changed', 'wzgl', file.replace(`"balance": ${(await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [resident.accountId]))[0]!.balance - 7}`, '"balance": 99999'), /does not match/],
      ['another schema', 'wzgl', [lines[0]!.replace(/"schema":\d+/, '"schema":4'), ...lines.slice(1)].join('\n'), /schema 4/],
      ['not a backup', 'wzgl', '{"hello":1}\n', /not a Linli backup/],
    ];
    for (const [what, confirm, text, why] of cases) {
      const res = await restore(cookie, text, confirm);
      expect(res.statusCode, what).toBe(400);
      expect(res.json(), what).toMatchObject({ error: 'malformed', message: expect.stringMatching(why) });
      expect(await state(db), what).toEqual(now);
    }
    expect((await hello(kiosk.token)).lastSeq).toBe(1);
    // The unconfirmed ones were refused before the file was read; the others are audited.
    expect((await db.query<{ action: string }>(`SELECT action FROM admin_audit WHERE action = 'restoreRefused'`)).length).toBe(cases.length - 2);
  });

  it('keeps a revocation made since the backup: a revoked kiosk is not let back in', async () => {
    const kiosk = await enrolDevice(db);
    const cookie = await signIn();
    const file = await backup(cookie);
    await app.inject({ method: 'POST', url: `/api/admin/devices/${kiosk.deviceCode}/revoke`, headers: { cookie }, payload: { reason: '丢失' } });
    await app.inject({ method: 'POST', url: `/api/admin/staff/${makeStaffCardCode(3)}`, headers: { cookie }, payload: { active: false } });
    expect((await restore(cookie, file)).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/sync/hello', headers: { authorization: `Bearer ${kiosk.token}` } })).statusCode).toBe(401);
    expect(await db.query(`SELECT active FROM staff WHERE card_code = $1`, [makeStaffCardCode(3)])).toEqual([{ active: false }]);
  });

  it("on a server of several centres, backs up and restores the admin's centre alone", async () => {
    await seedSmallCentre(db, 'other', '别的社区');
    const theirs = await enrolDevice(db, 'other');
    const cookie = await signIn();
    const file = await backup(cookie);
    const header = JSON.parse(file.split('\n')[0]!) as BackupHeader;
    expect(header.scope).toBe('centre');
    expect(file).not.toContain('"other"');
    expect(file).not.toContain('别的社区');
    await send(theirs.token, [eventMaker(theirs.deviceId, 'other-s2')(award(9, 'other-a1'))]);
    const otherCentre = await state(db, 'other');
    const mine = await state(db, 'wzgl');
    await enrolDevice(db, 'wzgl');
    expect((await restore(cookie, file)).statusCode).toBe(200);
    expect(await state(db, 'wzgl')).toEqual(mine);
    expect(await state(db, 'other')).toEqual(otherCentre);
    expect((await hello(theirs.token)).lastSeq).toBe(1);
    // Another centre's admin cannot restore this centre's backup.
    const foreign = await restore(await signIn('other'), file, 'other');
    expect(foreign.json()).toMatchObject({ error: 'forbidden' });
  });

  it('is made and restored by the admin CLI, through a file', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'linli-backup-'));
    try {
      const cli = (...args: string[]) => execFileAsync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args, '--server', address, '--card', makeStaffCardCode(1)], {
        env: { ...process.env, LINLI_ADMIN_PASSWORD: DEMO_ADMIN_PASSWORD },
      });
      const file = join(dir, 'wzgl.jsonl');
      const made = await cli('backup', file);
      expect(made.stderr).toMatch(/备份已写入|backup written/);
      const before = await state(db);
      await enrolDevice(db);
      await expect(cli('restore', file)).rejects.toThrow(/--confirm wzgl/);
      const restored = await cli('restore', file, '--confirm', 'wzgl');
      expect(JSON.parse(restored.stdout)).toMatchObject({ scope: 'server', centreId: 'wzgl' });
      expect(await state(db)).toEqual(before);
      expect((await readFile(file, 'utf8')).trimEnd().split('\n').at(-1)).toMatch(/^\{"end":true/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
