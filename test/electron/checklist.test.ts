import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_NAMES, TOKEN_IN_MAIN } from '../../core/index.js';
import { builderConfig } from '../../build/electron-builder.js';
import { startKiosk, type Kiosk } from '../../electron/app.js';
import { ADMIN_PARTITION, adminAppUrl, KIOSK_ORIGIN, serverUrlProblem } from '../../electron/kiosk.js';
import { callBridge, fakeHost, type FakeContents, type FakeHost, type FakeWindow } from './fakeHost.js';

/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), its 20
 * items, each checked by a test of the kiosk's configuration: main started over the recording
 * Electron of fakeHost.ts, as a canteen kiosk with a second display and a driver printer, so every
 * kind of window main makes is there (the kiosk, the calling screen, the hidden print window, the
 * admin app's window).
 * An item that cannot apply (webviews) counts when the test shows why it cannot.
 *
 * `npm run bench` counts the passing `checklist #N` tests as `checklist_items_met`.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
/** The three newest Electron majors are supported (https://www.electronjs.org/docs/latest/tutorial/electron-timelines): 45, 44, 43 when this was written. */
const OLDEST_SUPPORTED_MAJOR = 43;

const electronCalls = vi.hoisted(() => ({ exposed: new Map<string, unknown>(), invoked: [] as unknown[][] }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electronCalls.exposed.set(key, api) },
  ipcRenderer: { invoke: (...args: unknown[]) => Promise.resolve(electronCalls.invoked.push(args)) },
}));

let h: FakeHost;
let kiosk: Kiosk;
let windows: FakeWindow[];
let contents: FakeContents[];
const twoDisplays = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }, { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } }];

beforeAll(async () => {
  // A canteen kiosk, paired, on a PC with two displays and a printer with a system driver only.
  const first = fakeHost({ displays: twoDisplays });
  const made = await startKiosk(first);
  if ('stopped' in made) throw new Error(made.stopped);
  await made.secrets.keepEnrolment('Token_abcdefghijklmnopqrstuvwxyz0123456789AB', 'canteen');
  h = fakeHost({ userData: first.userData, displays: twoDisplays, env: { LINLI_SERVER_URL: 'https://192.168.1.10:8443', LINLI_PRINTER: 'driver:POS-80' } });
  mkdirSync(h.rendererRoot, { recursive: true });
  writeFileSync(path.join(h.rendererRoot, 'index.html'), '<!doctype html>');
  const k = await startKiosk(h);
  if ('stopped' in k) throw new Error(k.stopped);
  kiosk = k;
  await callBridge(h, 'print', { jobId: '019abcde-0000-7000-8000-000000000001', label: 'K01-000001', doc: { paper: '58mm', lines: [{ kind: 'cut' }] } });
  await kiosk.queue.drain();
  // An admin opens the admin app: the server's page in a window of its own.
  callBridge(h, 'openAdmin');
  windows = h.windows;
  contents = h.contents;
});
afterAll(() => h.cleanup());

describe("Electron's security checklist", () => {
  it('has every kind of window main makes open for the checks below', () => {
    expect(windows.map((w) => w.loads[0]?.replace(/#\{.*$/, '').split('#')[0])).toEqual(['app://kiosk/', 'app://kiosk/', 'app://kiosk/print.html', 'https://192.168.1.10:8443/admin.html']);
    expect(windows[1]!.loads[0]).toBe('app://kiosk/#display');
  });

  it('checklist #1: only loads secure content: its own packaged pages, and the server over https once packaged (the server serves TLS)', () => {
    // Every window shows the kiosk's pages, but the admin app's, which is the server's own page (https once packaged).
    const [admin, ...kioskWindows] = [windows.at(-1)!, ...windows.slice(0, -1)];
    for (const w of kioskWindows) for (const url of w.loads) expect(url.startsWith(`${KIOSK_ORIGIN}/`), url).toBe(true);
    expect(admin.loads).toEqual([adminAppUrl('https://192.168.1.10:8443')]);
    expect(admin.options.webPreferences.preload).toBeUndefined();
    expect(serverUrlProblem('http://192.168.1.10:8080', true)).not.toBeNull();
    expect(serverUrlProblem('https://192.168.1.10:8443', true)).toBeNull();
    expect(readFileSync(`${root}server/main.ts`, 'utf8')).toMatch(/listenTls\(app, tls/);
  });

  it('checklist #2: enables Node.js integration in no window, worker or subframe', () => {
    for (const w of windows) expect(w.options.webPreferences).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('checklist #3: isolates the context of every window', () => {
    for (const w of windows) expect(w.options.webPreferences.contextIsolation).toBe(true);
  });

  it('checklist #4: sandboxes every window', () => {
    for (const w of windows) expect(w.options.webPreferences.sandbox).toBe(true);
  });

  it("checklist #5: handles permission requests and checks: the camera (video) for the kiosk's origin, nothing else; no devices", () => {
    const s = h.sessions.get(kiosk.secrets.partition())!;
    expect(s.request!('media', { mediaTypes: ['video'], requestingUrl: 'app://kiosk/' })).toBe(true);
    expect(s.request!('media', { mediaTypes: ['audio'], requestingUrl: 'app://kiosk/' })).toBe(false);
    expect(s.request!('media', { mediaTypes: ['video'], requestingUrl: 'https://192.168.1.10:8443/' })).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'hid', 'serial', 'usb', 'openExternal']) expect(s.request!(p, { requestingUrl: 'app://kiosk/' }), p).toBe(false);
    expect(s.check!('media', 'app://kiosk', { mediaType: 'video' })).toBe(true);
    expect(s.check!('media', 'app://kiosk', { mediaType: 'audio' })).toBe(false);
    expect(s.check!('notifications', 'app://kiosk', {})).toBe(false);
    expect(s.devicesDenied).toBe(true);
    // The admin app's session grants nothing at all.
    const admin = h.sessions.get(ADMIN_PARTITION)!;
    expect(admin.request!('media', { mediaTypes: ['video'], requestingUrl: 'https://192.168.1.10:8443/admin.html' })).toBe(false);
    expect(admin.check!('media', 'https://192.168.1.10:8443', { mediaType: 'video' })).toBe(false);
    expect(admin.devicesDenied).toBe(true);
  });

  it('checklist #6: leaves webSecurity on in every window', () => {
    for (const w of windows) expect(w.options.webPreferences.webSecurity).toBe(true);
  });

  it('checklist #7: serves every page with a strict Content-Security-Policy', async () => {
    const s = h.sessions.get(kiosk.secrets.partition())!;
    const res = await s.protocol!(new Request('app://kiosk/'));
    const csp = res.headers.get('content-security-policy')!;
    for (const rule of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(rule);
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('checklist #8: allows no insecure content in any window', () => {
    for (const w of windows) expect(w.options.webPreferences.allowRunningInsecureContent).toBe(false);
  });

  it('checklist #9: enables no experimental features', () => {
    for (const w of windows) expect(w.options.webPreferences.experimentalFeatures).toBe(false);
  });

  it('checklist #10: enables no extra Blink features', () => {
    for (const w of windows) expect(Object.keys(w.options.webPreferences)).not.toContain('enableBlinkFeatures');
  });

  it('checklist #11: <webview> allowpopups cannot apply: no window may have a webview (the tag is off and every attach is refused)', () => {
    for (const w of windows) expect(w.options.webPreferences.webviewTag).toBe(false);
    for (const c of contents) expect(c.tries('will-attach-webview')).toBe(false);
  });

  it("checklist #12: a <webview>'s options and params: every attach, whatever its options, is refused", () => {
    for (const c of contents) expect(c.tries('will-attach-webview', 'https://evil.example/')).toBe(false);
    expect(h.logs.filter((l) => l.startsWith('refused webview')).length).toBeGreaterThanOrEqual(contents.length);
  });

  it("checklist #13: limits navigation and redirects of every window (and subframe) to the kiosk's own pages", () => {
    for (const c of contents) {
      expect(c.tries('will-navigate', 'app://kiosk/#display')).toBe(true);
      for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
        for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://192.168.1.10:8080/', 'app://other/']) expect(c.tries(event, url), `${event} ${url}`).toBe(false);
      }
    }
  });

  it('checklist #14: opens no new window from any page', () => {
    for (const c of contents) {
      expect(c.opens('https://evil.example/')).toBe(false);
      expect(c.opens('app://kiosk/')).toBe(false);
    }
  });

  it('checklist #15: never calls shell.openExternal, and the page may not ask for it', () => {
    for (const f of readdirSync(`${root}electron`).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      expect(readFileSync(`${root}electron/${f}`, 'utf8'), f).not.toMatch(/openExternal\(/);
    }
    expect(h.sessions.get(kiosk.secrets.partition())!.request!('openExternal', { requestingUrl: 'app://kiosk/' })).toBe(false);
  });

  it('checklist #16: runs a supported Electron', () => {
    const installed = JSON.parse(readFileSync(`${root}node_modules/electron/package.json`, 'utf8')) as { version: string };
    const wanted = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(OLDEST_SUPPORTED_MAJOR);
    expect(Number(/\d+/.exec(wanted)![0])).toBeGreaterThanOrEqual(OLDEST_SUPPORTED_MAJOR);
  });

  it('checklist #17: checks the sender and the arguments of every IPC call', () => {
    expect([...h.ipc.keys()].sort()).toEqual(BRIDGE_NAMES.map((m) => `linli:${m}`).sort());
    for (const [channel, handle] of h.ipc) {
      for (const sender of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/', '']) expect(() => handle(sender, []), `${channel} from ${sender}`).toThrow(/refused/);
    }
    expect(() => h.ipc.get('linli:setPendingCount')!('app://kiosk/', ['3'])).toThrow();
    expect(() => h.ipc.get('linli:saveBackup')!('app://kiosk/', [{ not: 'text' }])).toThrow();
  });

  it('checklist #18: uses no file:// pages: a custom protocol that serves the built kiosk and nothing above it; file:// gets no extra privileges', async () => {
    const s = h.sessions.get(kiosk.secrets.partition())!;
    expect((await s.protocol!(new Request('app://kiosk/'))).status).toBe(200);
    for (const url of ['app://kiosk/..%2f..%2fdevice-secrets.bin', 'app://kiosk/%2e%2e/linli-settings.json', 'app://kiosk/missing.js']) expect((await s.protocol!(new Request(url))).status, url).toBe(404);
    expect(builderConfig.electronFuses.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('checklist #19: sets the fuses at packaging (RunAsNode, NODE_OPTIONS and inspect off; cookie encryption, ASAR integrity and only-from-ASAR on)', () => {
    expect(builderConfig.electronFuses).toMatchObject({
      runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      enableCookieEncryption: true, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true,
    });
    expect(builderConfig.asar).toBe(true);
  });

  it("checklist #20: exposes no Electron API to the page: one `linli` object of narrow methods, and not the device token", async () => {
    await import('../../electron/preload.js');
    expect([...electronCalls.exposed.keys()]).toEqual(['linli']);
    const api = electronCalls.exposed.get('linli') as Record<string, (...a: unknown[]) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...BRIDGE_NAMES].sort());
    await api.setPendingCount!(2);
    expect(electronCalls.invoked).toEqual([['linli:setPendingCount', 2]]);
    // The page's one way to the token answers the placeholder; main forwards the sync calls with the real one.
    expect(callBridge(h, 'token')).toBe(TOKEN_IN_MAIN);
    expect(kiosk.secrets.token()).not.toBe(TOKEN_IN_MAIN);
    expect(JSON.stringify(callBridge(h, 'config'))).not.toContain(kiosk.secrets.token()!);
  });
});
