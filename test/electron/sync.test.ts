import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_NAMES, bridgeChannel, TOKEN_IN_MAIN, type LinliBridge } from '../../core/index.js';
import { Backups } from '../../electron/backup.js';
import { bridgeHandlers, KIOSK_ORIGIN } from '../../electron/kiosk.js';
import { syncProxy } from '../../electron/proxy.js';
import { DeviceSecrets, secretsService, type SafeBox, type SecretFile } from '../../electron/secrets.js';
import { buildApp } from '../../server/app.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { redeem, type Clock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { bridgeKeeper } from '../../renderer/src/staff/keeper.js';
import { SyncClient } from '../../renderer/src/sync/client.js';
import { exportOutbox } from '../../renderer/src/sync/exportOutbox.js';
import { importExport } from '../../server/sync/import.js';
import { scratchDb, type ScratchDb } from '../support/db.js';
import { NOW, pushAsImport, seedSmallCentre, smallCentreRows } from '../support/centre.js';

/**
 * No token in the page, and a restore that loses nothing: the kiosk's real store and sync client (Dexie on an in-memory IndexedDB)
 * pair, pull and push through main's forwarding of `app://kiosk/api/…` and main's real bridge
 * handlers, against the real server. The server sees the device token on every sync call; the
 * page, its database and its bridge never hold it.
 */
/** A stand-in for the OS keychain that seals nothing: these tests are about where the token goes, not how it is sealed. */
const plainBox: SafeBox = { encrypt: (t) => Promise.resolve(Buffer.from(t)), decrypt: (b) => Promise.resolve({ result: b.toString(), shouldReEncrypt: false }) };

describe('the sync calls of an Electron kiosk', () => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let serverUrl: string;
  const seen: { path: string; authorization: string | null }[] = [];

  beforeAll(async () => {
    db = await scratchDb('pglite');
    await seedSmallCentre(db);
    app = await buildApp({ db, now: () => NOW });
    serverUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  /** Main's side of one kiosk: its secrets, its forwarding, and the page's bridge over main's IPC handlers. */
  async function main() {
    const file: SecretFile & { data: Buffer | null } = { data: null, read: () => file.data, write: (d) => void (file.data = d) };
    const secrets = await DeviceSecrets.create(plainBox, file);
    const proxy = syncProxy({
      serverUrl, holder: secrets,
      fetch: (url, init) => {
        seen.push({ path: new URL(url).pathname, authorization: new Headers(init.headers).get('authorization') });
        return fetch(url, init);
      },
    });
    const handlers = bridgeHandlers({
      config: () => ({ serverUrl: KIOSK_ORIGIN, pairingCode: null, version: 'test', paper: '58mm' }),
      setPendingCount: () => undefined,
      print: () => Promise.reject(new Error('no printer')), reprint: () => Promise.reject(new Error('no printer')), printJobs: () => [],
      ...secretsService(secrets),
      backupDue: () => false, saveBackup: () => undefined, exitKiosk: () => undefined, openAdmin: () => undefined, closeAdmin: () => undefined,
    });
    // What the preload does: one method per channel, through main's handler, from the kiosk's page.
    const bridge = Object.fromEntries(BRIDGE_NAMES.map((m) => [m, async (...args: unknown[]) => handlers[bridgeChannel(m)]('app://kiosk/', args)])) as LinliBridge;
    // What the page's fetch of its own origin meets: main's protocol handler.
    const pageFetch: typeof fetch = async (input, init) => proxy(new Request(String(input), init));
    return { secrets, file, proxy, bridge, pageFetch };
  }

  it('pairs, pulls and pushes with the token kept in main, and the page never holding it', async () => {
    const m = await main();
    const kiosk = new LinliDb('proxied-kiosk');
    const keeper = bridgeKeeper(m.bridge);
    await SyncClient.enrol(kiosk, KIOSK_ORIGIN, await createPairingCode(db, 'wzgl', 'counter', NOW), m.pageFetch, keeper);
    const token = m.secrets.token()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,100}$/);
    expect(m.secrets.profile()).toBe('counter');

    const client = new SyncClient(kiosk, m.pageFetch, () => undefined, keeper);
    await client.sync();
    const resident = smallCentreRows().residents[0]!;
    const goods = (await kiosk.goods.toArray()).find((g) => g.stock > 0 && g.pointPrice > 0 && g.pointPrice <= 50)!;
    await pushAsImport(db, [{ kind: 'pointsAwarded', version: 1, payload: { accountId: resident.accountId, points: 500, category: 'other', note: '' } }]);
    await client.sync();
    const clock: Clock = { now: () => NOW.getTime(), random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
    const done = await redeem(kiosk, clock, { residentId: resident.id, picks: [{ goodsId: goods.id, quantity: 1 }] }, 'wzgl-s2');
    expect(done.ok).toBe(true);
    await client.sync();

    // The server applied the event, from this device.
    const [device] = await db.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1', [(await kiosk.device())!.deviceId]);
    expect(device!.last_seq).toBe(1);
    expect(await kiosk.outbox.where('status').equals('pending').count()).toBe(0);

    // Every sync call carried the token; the enrolment carried none.
    const sync = seen.filter((s) => s.path.startsWith('/api/sync/'));
    expect(sync.length).toBeGreaterThan(3);
    expect(sync.every((s) => s.authorization === `Bearer ${token}`)).toBe(true);
    expect(seen.filter((s) => s.path === '/api/devices/enrol').map((s) => s.authorization)).toEqual([null]);

    // The page: its bridge answers the placeholder, and nothing it stored holds the token.
    expect(await m.bridge.token()).toBe(TOKEN_IN_MAIN);
    const stored = JSON.stringify([await kiosk.meta.toArray(), await kiosk.outbox.toArray()]);
    expect(stored).not.toContain(token);
    expect((await kiosk.device())!.token).toBe('');
    await kiosk.delete();
  });

  it("restores a lost kiosk's day from its backup: the server imports its events exactly once", async () => {
    const m = await main();
    const kiosk = new LinliDb('backed-up-kiosk');
    const keeper = bridgeKeeper(m.bridge);
    await SyncClient.enrol(kiosk, KIOSK_ORIGIN, await createPairingCode(db, 'wzgl', 'counter', NOW), m.pageFetch, keeper);
    await new SyncClient(kiosk, m.pageFetch, () => undefined, keeper).sync();
    const resident = smallCentreRows().residents[1]!;
    const goods = (await kiosk.goods.toArray()).find((g) => g.stock > 2 && g.pointPrice > 0 && g.pointPrice <= 50)!;
    await pushAsImport(db, [{ kind: 'pointsAwarded', version: 1, payload: { accountId: resident.accountId, points: 500, category: 'other', note: '' } }]);
    await new SyncClient(kiosk, m.pageFetch, () => undefined, keeper).sync();
    const [before] = await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [resident.accountId]);

    // Offline: two redemptions wait in the outbox; the day's backup is made; then the kiosk's database is lost.
    const clock: Clock = { now: () => NOW.getTime(), random: (n) => crypto.getRandomValues(new Uint8Array(n)) };
    for (let i = 0; i < 2; i++) expect((await redeem(kiosk, clock, { residentId: resident.id, picks: [{ goodsId: goods.id, quantity: 1 }] }, 'wzgl-s2')).ok).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), 'linli-backup-'));
    const box: SafeBox = {
      encrypt: (t) => Promise.resolve(Buffer.from(t).reverse()),
      decrypt: (b) => Promise.resolve({ result: Buffer.from(b).reverse().toString(), shouldReEncrypt: false }),
    };
    const backups = new Backups(path.join(dir, 'backups'), path.join(dir, 'backup-key.bin'), box, () => NOW.getTime());
    await backups.save((await exportOutbox(kiosk, NOW.getTime(), 'kept'))!.text);
    await kiosk.delete();

    // Staff restore the day to a file; an admin imports it on the server, twice by mistake.
    const file = path.join(dir, 'restored.json');
    expect(await backups.restoreTo(backups.list()[0]!, file)).toMatchObject({ events: 2 });
    const first = await importExport(db, 'wzgl', readFileSync(file, 'utf8'), NOW);
    const second = await importExport(db, 'wzgl', readFileSync(file, 'utf8'), NOW);
    expect([first.applied, first.duplicate, second.applied, second.duplicate]).toEqual([2, 0, 0, 2]);
    const [after] = await db.query<{ balance: number }>('SELECT balance FROM account WHERE id = $1', [resident.accountId]);
    expect(before!.balance - after!.balance).toBe(2 * goods.pointPrice);
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops whatever authorization the page sends, and reaches nothing but the kiosk calls', async () => {
    const m = await main();
    // Not enrolled: main holds no token, so a token the page makes up reaches the server as nothing.
    const forged = await m.proxy(new Request('app://kiosk/api/sync/hello', { headers: { authorization: 'Bearer Forged_token_0123456789abcdefghij' } }));
    expect(forged.status).toBe(401);
    expect(seen.at(-1)!.authorization).toBeNull();
    for (const [method, path] of [['GET', '/api/admin/devices'], ['POST', '/api/admin/session'], ['GET', '/api/admin/backup'], ['DELETE', '/api/sync/push'], ['GET', '/index.html']] as const) {
      const res = await m.proxy(new Request(`app://kiosk${path}`, { method }));
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('answers "try again" when the server cannot be reached, which the page takes as offline', async () => {
    const secrets = await DeviceSecrets.create(plainBox, { read: () => null, write: () => undefined });
    const proxy = syncProxy({ serverUrl: 'http://127.0.0.1:9', holder: secrets, fetch: (url, init) => fetch(url, init) });
    const res = await proxy(new Request('app://kiosk/api/sync/hello'));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'retry' });
  });
});
