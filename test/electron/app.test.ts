import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FILES, startKiosk, type Kiosk } from '../../electron/app.js';
import { Backups } from '../../electron/backup.js';
import type { SafeBox } from '../../electron/secrets.js';
import { KIOSK_URL } from '../../electron/kiosk.js';
import { fingerprintOf } from '../../electron/trust.js';
import { RESTART_DELAYS_MS, STABLE_AFTER_MS } from '../../electron/life.js';
import { signedExport } from './signedExport.js';
import { callBridge, fakeHost, FakeUpdater, type FakeHost, type FakeHostOptions, type FakeWindow } from './fakeHost.js';

/**
 * The kiosk's main process as staff meet it, over a recording stand-in for Electron (fakeHost.ts)
 * and real files: it starts whole or not at all, tells staff in Chinese what went wrong, brings
 * a crashed page back, closes only for an admin, puts the calling screen on a second display,
 * backs up daily, and applies updates only before the page exists.
 */
const hosts: FakeHost[] = [];
afterEach(() => {
  for (const h of hosts.splice(0)) h.cleanup();
});

function host(o: FakeHostOptions = {}): FakeHost {
  const h = fakeHost(o);
  hosts.push(h);
  return h;
}

async function started(h: FakeHost): Promise<Kiosk> {
  const k = await startKiosk(h);
  if ('stopped' in k) throw new Error(`the kiosk did not start (${k.stopped}): ${JSON.stringify(h.shown)}`);
  return k;
}

const kioskWindow = (h: FakeHost) => h.windows.find((w) => w.loads[0] === KIOSK_URL)!;

describe('starting whole or not at all', () => {
  it('opens the kiosk page in kiosk mode once everything is read', async () => {
    const h = host();
    await started(h);
    expect(h.windows).toHaveLength(1);
    expect(kioskWindow(h).options).toMatchObject({ kiosk: true, webPreferences: { devTools: false, sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(kioskWindow(h).loads).toEqual([KIOSK_URL]);
    expect(h.shown).toEqual([]);
  });

  it('tells staff where the settings go when an installed kiosk has none, and opens no window', async () => {
    const h = host({ env: {} });
    expect(await startKiosk(h)).toEqual({ stopped: 'settings' });
    expect(h.windows).toHaveLength(0);
    expect(h.quits).toBe(1);
    expect(h.shown[0]!.message).toContain(path.join(h.userData, FILES.settings));
    expect(h.shown[0]!.message).toMatch(/请管理员创建设置文件/);
    expect(existsSync(path.join(h.userData, `${FILES.settings}.example`))).toBe(true);
  });

  it('keeps a settings file it cannot read aside, says so in Chinese, and opens no window', async () => {
    const h = host({ env: {} });
    writeFileSync(path.join(h.userData, FILES.settings), '{"serverUrl": "https://x.example", "printr": 1}');
    expect(await startKiosk(h)).toEqual({ stopped: 'settings' });
    expect(h.windows).toHaveLength(0);
    expect(h.shown[0]!.message).toMatch(/无法读取本机的设置文件[\s\S]*另存为[\s\S]*unreadable-/);
    expect(readdirSync(h.userData).some((f) => f.startsWith(`${FILES.settings}.unreadable-`))).toBe(true);
  });

  it('keeps a secrets file it cannot read aside, tells staff what it means and what to do, and does not start', async () => {
    const h = host();
    await started(h);
    writeFileSync(path.join(h.userData, FILES.secrets), 'sealed by another keychain');
    const again = host({ userData: h.userData });
    expect(await startKiosk(again)).toEqual({ stopped: 'secrets' });
    expect(again.windows).toHaveLength(0);
    expect(again.shown[0]!.message).toMatch(/无法读取本机保存的设备密钥[\s\S]*请联系管理员[\s\S]*重新配对本机/);
    const kept = readdirSync(h.userData).filter((f) => f.startsWith(`${FILES.secrets}.unreadable-`));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(h.userData, kept[0]!), 'utf8')).toBe('sealed by another keychain');

    // The next start makes no new secret by itself: Quit (the default) leaves everything as it is.
    const third = host({ userData: h.userData });
    expect(await startKiosk(third)).toEqual({ stopped: 'secrets' });
    expect(third.shown[0]!.buttons).toEqual(['退出 / Quit', '重新配对本机 / Pair this PC again']);
    expect(existsSync(path.join(h.userData, FILES.secrets))).toBe(false);

    // An admin chooses to pair it again: a new page session, the old one's data left alone.
    const fourth = host({ userData: h.userData, answers: [1] });
    const k = await started(fourth);
    expect(k.secrets.partition()).not.toBe('persist:kiosk');
    expect(kioskWindow(fourth).options.webPreferences.partition).toBe(k.secrets.partition());
  });

  it('keeps a print queue it cannot read aside, warns staff to check the last receipts, and starts with an empty queue', async () => {
    const h = host();
    writeFileSync(path.join(h.userData, FILES.printQueue), '[{"id": "cut sho');
    const k = await started(h);
    expect(k.queue.list()).toEqual([]);
    expect(h.shown).toHaveLength(1);
    expect(h.shown[0]!.message).toMatch(/无法读取打印队列文件[\s\S]*补打/);
    expect(readdirSync(h.userData).some((f) => f.startsWith(`${FILES.printQueue}.unreadable-`))).toBe(true);
  });

  it('refuses to keep secrets where no keyring protects them, unless the centre chose to, and then warns', async () => {
    const h = host({ backend: 'basic_text' });
    expect(await startKiosk(h)).toEqual({ stopped: 'keychain' });
    expect(h.windows).toHaveLength(0);
    expect(existsSync(path.join(h.userData, FILES.secrets))).toBe(false);

    const accepted = host({ backend: 'basic_text' });
    writeFileSync(path.join(accepted.userData, FILES.settings), JSON.stringify({ serverUrl: 'https://192.168.1.10:8443', allowPlainTextKeyStore: true }));
    await started(accepted);
    expect(accepted.shown[0]).toMatchObject({ kind: 'warning' });
    expect(accepted.shown[0]!.message).toMatch(/中心已选择接受这一风险/);
  });
});

describe('a page that crashes', () => {
  it('is brought back with growing delays, each logged, and the delays start over once it ran well', async () => {
    let now = Date.parse('2026-11-25T02:00:00Z');
    const h = host({ now: () => now });
    await started(h);
    const win = kioskWindow(h);
    const delays: number[] = [];
    for (let i = 0; i < RESTART_DELAYS_MS.length + 1; i++) {
      win.crash('crashed');
      const t = h.timers.at(-1)!;
      delays.push(t.ms);
      now += t.ms;
      h.runTimers();
    }
    expect(delays).toEqual([...RESTART_DELAYS_MS, RESTART_DELAYS_MS.at(-1)]);
    expect(win.loads).toHaveLength(1 + delays.length);
    expect(win.loads.every((u) => u === KIOSK_URL)).toBe(true);
    expect(h.logs.filter((l) => l.startsWith('kiosk page gone (crashed'))).toHaveLength(delays.length);

    now += STABLE_AFTER_MS;
    win.crash('oom');
    expect(h.timers.at(-1)!.ms).toBe(RESTART_DELAYS_MS[0]);
  });

  it('is not reloaded after a clean exit', async () => {
    const h = host();
    await started(h);
    kioskWindow(h).crash('clean-exit', 0);
    expect(h.timers.filter((t) => !t.repeat)).toEqual([]);
  });
});

describe('closing', () => {
  it('is refused to anyone but an admin in kiosk mode (Alt+F4, the window manager)', async () => {
    const h = host();
    await started(h);
    expect(kioskWindow(h).close()).toBe(false);
    expect(h.quits).toBe(0);
  });

  it("closes on an admin's exit, warning first while events wait to be synced", async () => {
    const h = host({ answers: [0, 1] });
    await started(h);
    callBridge(h, 'setPendingCount', 3);
    callBridge(h, 'exitKiosk');
    expect(kioskWindow(h).isDestroyed()).toBe(false); // "Stay"
    expect(h.shown[0]!.message).toMatch(/还有 3 条记录未同步/);
    callBridge(h, 'exitKiosk');
    expect(kioskWindow(h).isDestroyed()).toBe(true); // "Quit anyway"
    expect(h.quits).toBe(1);
  });

  it('lets the system shut the kiosk down without asking', async () => {
    const h = host();
    await started(h);
    callBridge(h, 'setPendingCount', 2);
    h.quitting();
    expect(kioskWindow(h).close()).toBe(true);
    expect(h.shown).toEqual([]);
  });
});

describe('the admin app', () => {
  it("opens the server's admin page in a window of its own (no bridge, a session that grants nothing and trusts the server's certificate); brings it forward; closes it, sign-in and all, when the kiosk's admin signs out", async () => {
    const cert = readFileSync(new URL('./tls/server.crt', import.meta.url), 'utf8');
    const h = host({ env: { LINLI_SERVER_URL: 'https://192.168.1.10:8443', LINLI_SERVER_CERT: fingerprintOf(cert)! } });
    const k = await started(h);
    callBridge(h, 'openAdmin');
    const admin = h.windows.find((w) => w !== kioskWindow(h))!;
    expect(admin.loads).toEqual(['https://192.168.1.10:8443/admin.html']);
    expect(admin.options).toMatchObject({ alwaysOnTop: true, webPreferences: { partition: 'linli-admin', sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false } });
    expect(admin.options.kiosk).toBeUndefined();
    expect(admin.options.webPreferences.preload).toBeUndefined();
    // Its own session, not the kiosk page's (whose partition holds the kiosk's data), and it grants nothing.
    expect(k.secrets.partition()).not.toBe('linli-admin');
    const ses = h.sessions.get('linli-admin')!;
    expect([ses.request!('media', { mediaTypes: ['video'], requestingUrl: 'https://192.168.1.10:8443/admin.html' }), ses.check!('notifications', 'https://192.168.1.10:8443', {}), ses.devicesDenied]).toEqual([false, false, true]);

    // The server's self-made certificate is trusted there by its pin (else the window stayed blank), for the server's address only.
    const selfMade = { hostname: '192.168.1.10', verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', certificate: { data: cert } };
    expect(ses.certificates!(selfMade)).toBe(0);
    expect(ses.certificates!({ ...selfMade, hostname: '192.168.1.11' })).toBe(-2);

    callBridge(h, 'openAdmin');
    expect(h.windows).toHaveLength(2);
    expect(admin.focused).toBe(1);
    // The kiosk's admin signs out: the window closes and its sign-in is cleared; the kiosk stays.
    expect(ses.cleared).toBe(0);
    callBridge(h, 'closeAdmin');
    expect(admin.isDestroyed()).toBe(true);
    expect(ses.cleared).toBe(1);
    callBridge(h, 'closeAdmin'); // nothing open: nothing happens
    callBridge(h, 'openAdmin');
    expect(h.windows).toHaveLength(3);
    // Closed by hand, its sign-in goes too.
    h.windows[2]!.close();
    expect(ses.cleared).toBe(2);
    expect(kioskWindow(h).isDestroyed()).toBe(false);
    expect(h.quits).toBe(0);
  });
});

describe('the calling screen', () => {
  const two = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }, { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } }];

  async function canteen(h: FakeHost): Promise<Kiosk> {
    const k = await started(h);
    await k.secrets.keepEnrolment('Token_abcdefghijklmnopqrstuvwxyz0123456789AB', 'canteen');
    return k;
  }

  it("opens on a canteen kiosk's second display, full screen, at the kiosk page's #display", async () => {
    const h = host({ displays: two });
    const first = await started(h);
    await first.secrets.keepEnrolment('Token_abcdefghijklmnopqrstuvwxyz0123456789AB', 'canteen');
    const again = host({ userData: h.userData, displays: two });
    const k = await canteen(again);
    const calling = k.callingScreen() as FakeWindow;
    expect(calling.loads).toEqual(['app://kiosk/#display']);
    expect(calling.options).toMatchObject({ x: 1920, y: 0, width: 1280, height: 1024, fullscreen: true, webPreferences: { sandbox: true, contextIsolation: true } });
  });

  it('stays shut on a counter, on one display, or when set off; and goes when its display is unplugged', async () => {
    expect((await started(host({ displays: two }))).callingScreen()).toBeNull(); // a counter (not enrolled as a canteen)
    const h = host({ displays: two });
    await (await started(h)).secrets.keepEnrolment('Token_abcdefghijklmnopqrstuvwxyz0123456789AB', 'canteen');
    const one = host({ userData: h.userData, displays: [two[0]!] });
    expect((await started(one)).callingScreen()).toBeNull();
    const off = host({ userData: h.userData, displays: two, env: { LINLI_SERVER_URL: 'https://192.168.1.10:8443', LINLI_CALLING_SCREEN: 'off' } });
    expect((await started(off)).callingScreen()).toBeNull();

    const unplugged = host({ userData: h.userData, displays: two });
    const k = await started(unplugged);
    const calling = k.callingScreen() as FakeWindow;
    expect(calling.close()).toBe(false); // kiosk mode: staff cannot close it either
    unplugged.setDisplays([two[0]!]);
    expect(calling.isDestroyed()).toBe(true);
    expect(k.callingScreen()).toBeNull();
    expect(kioskWindow(unplugged).isDestroyed()).toBe(false);
    unplugged.setDisplays(two);
    expect(k.callingScreen()).not.toBeNull();
  });
});

describe('the day around it', () => {
  it('keeps the display awake and starts at login once installed', async () => {
    const h = host();
    await started(h);
    expect(h.awake).toBe(true);
    expect(h.autoStarts[0]).toMatchObject({ kind: 'desktopFile', file: expect.stringMatching(/autostart\/linli\.desktop$/) as unknown });
    const win = host({ platform: 'win32' });
    await started(win);
    expect(win.autoStarts[0]).toMatchObject({ kind: 'loginItem' });
    const dev = host({ packaged: false, env: {} });
    await started(dev);
    expect(dev.autoStarts).toEqual([]);
    expect(kioskWindow(dev).options.kiosk).toBe(false);
  });
});

describe('updates from the centre’s server', () => {
  it('downloads in the background, never installs while the kiosk runs, and installs at the next start before any page', async () => {
    const updater = new FakeUpdater();
    const h = host({ updater, platform: 'win32' });
    await started(h);
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://192.168.1.10:8443/updates/' });
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.checks).toBe(1);
    updater.emit('update-downloaded', { version: '1.1.0' });
    h.quitting();
    expect(updater.installed).toBeNull();

    // The next start: the cached download is confirmed at once, and installed before a window exists.
    const next = new FakeUpdater();
    next.onCheck = () => next.emit('update-downloaded', { version: '1.1.0' });
    const again = host({ userData: h.userData, updater: next, platform: 'win32' });
    expect(await startKiosk(again)).toEqual({ stopped: 'installing' });
    expect(next.installed).toEqual({ isSilent: true, isForceRunAfter: true });
    expect(again.windows).toHaveLength(0);
    expect(readFileSync(path.join(h.userData, FILES.updateReady), 'utf8')).toBe('');
  });

  it('starts as it is when the server does not confirm the update in time', async () => {
    const h = host({ updater: new FakeUpdater(), platform: 'win32' });
    writeFileSync(path.join(h.userData, FILES.updateReady), '1.1.0');
    const k = await startKiosk(h, { updateWaitMs: 50 });
    expect('stopped' in k).toBe(false);
    expect(h.windows).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('update 1.1.0 waits'))).toBe(true);
  });

  it('on a .deb install only notes the update (installing it needs an administrator)', async () => {
    const updater = new FakeUpdater();
    const h = host({ updater, platform: 'linux' });
    await started(h);
    expect(updater.autoDownload).toBe(false);
  });
});

describe('the daily backup', () => {
  it('is due once a day, encrypted, seven kept, and restored by staff to a file the server imports', async () => {
    const text = await signedExport();
    let now = Date.parse('2026-11-25T02:00:00Z');
    const h = host({ now: () => now });
    await started(h);
    for (let day = 0; day < 9; day++) {
      expect(callBridge(h, 'backupDue')).toBe(true);
      await callBridge(h, 'saveBackup', text);
      expect(callBridge(h, 'backupDue')).toBe(false);
      now += 86_400_000;
    }
    const kept = readdirSync(path.join(h.userData, FILES.backups));
    expect(kept).toHaveLength(7);
    expect(kept.sort()[0]).toBe('linli-backup-2026-11-27.bin');
    const raw = readFileSync(path.join(h.userData, FILES.backups, kept[0]!));
    expect(raw.includes(Buffer.from('"deviceCode"'))).toBe(false); // encrypted, not the export's text
    await expect(async () => callBridge(h, 'saveBackup', '{"not": "an export"}')).rejects.toThrow();

    // Staff run 「恢复备份」 (a second start with --restore-backup reaches the running kiosk).
    const dest = path.join(h.userData, 'stick', 'restored.json');
    mkdirSync(path.dirname(dest));
    const r = host({ userData: h.userData, argv: ['linli', '--restore-backup'], answers: [1], saveTo: dest, now: () => now });
    expect(await startKiosk(r)).toEqual({ stopped: 'restore' });
    expect(readFileSync(dest, 'utf8')).toBe(text);
    expect(r.shown.at(-1)!.message).toMatch(/npm run admin -- import/);
  });

  it("keeps one backup key, made once even when two backups ask at once, and seals it again when the keychain's key was rotated", async () => {
    const text = await signedExport();
    const h = host();
    const dir = path.join(h.userData, FILES.backups);
    const keyFile = path.join(h.userData, FILES.backupKey);
    let now = Date.parse('2026-11-25T02:00:00Z');
    const first = new Backups(dir, keyFile, h.safeBox, () => now);
    // The first two backups ask for the key before it exists: both must use the one kept.
    const today = first.save(text);
    now += 86_400_000;
    const saved = await Promise.all([today, first.save(text)]);
    expect(saved.map((b) => b.day)).toEqual(['2026-11-25', '2026-11-26']);
    const later = new Backups(dir, keyFile, h.safeBox, () => now);
    for (const b of saved) expect(await later.open(b)).toBe(text);

    // The keychain opens the key but asks for it to be sealed again: written back, and it still opens every backup.
    const before = statSync(keyFile).ino;
    let resealed = 0;
    const rotated: SafeBox = {
      encrypt: (plain) => {
        resealed += 1;
        return h.safeBox.encrypt(plain);
      },
      decrypt: async (sealed) => ({ ...(await h.safeBox.decrypt(sealed)), shouldReEncrypt: true }),
    };
    expect(await new Backups(dir, keyFile, rotated, () => now).open(saved[0]!)).toBe(text);
    expect(resealed).toBe(1);
    expect(statSync(keyFile).ino).not.toBe(before); // written again (a new file put in its place)
    expect(await new Backups(dir, keyFile, h.safeBox, () => now).open(saved[1]!)).toBe(text);

    // A key the keychain cannot open is never replaced: no backup is made, the key file stays as it was.
    const broken: SafeBox = { ...h.safeBox, decrypt: () => Promise.reject(new Error('another keychain')) };
    await expect(new Backups(dir, keyFile, broken, () => now + 86_400_000).save(text)).rejects.toThrow(/another keychain/);
    expect(readdirSync(dir)).toHaveLength(2);
    expect(await new Backups(dir, keyFile, h.safeBox, () => now).open(saved[0]!)).toBe(text);
  });
});
