import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GuardedContents, NavigationEvent } from '../../electron/guard.js';
import type { Dialogs, Host, KioskSession, KioskWindow, PermissionCheckDetails, PermissionDetails, WindowContents, WindowOptions } from '../../electron/host.js';
import type { AutoStart, DisplayInfo } from '../../electron/life.js';
import type { CertificateRequest } from '../../electron/trust.js';
import type { Updater } from '../../electron/updates.js';

/**
 * A recording stand-in for Electron, for main's tests: windows and web contents that remember
 * their options and listeners and can be made to navigate, crash or close; a session that keeps
 * the handlers main set; dialogs that answer as the test scripts them; timers the test runs.
 * The files are real, in a temporary userData folder.
 */
type Listener = (...args: never[]) => unknown;

export class FakeContents implements WindowContents {
  readonly listeners = new Map<string, Listener[]>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  zoomLimits: [number, number] | null = null;

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }

  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }

  /** Fires a navigation-like event; answers whether it went through (was not prevented). */
  tries(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    let prevented = false;
    const e: NavigationEvent = { url, preventDefault: () => void (prevented = true) };
    this.emit(event, e);
    return !prevented;
  }

  /** Whether a `window.open` or target=_blank link would open a window. */
  opens(url: string): boolean {
    return this.openHandler?.({ url }).action !== 'deny';
  }
}

export class FakeWindow implements KioskWindow {
  readonly webContents = new FakeContents();
  readonly loads: string[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  destroyed = false;
  focused = 0;
  printed: string[] = [];

  constructor(readonly options: WindowOptions) {}

  loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.webContents.emit('did-finish-load');
    return Promise.resolve();
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** What closing does: `close` listeners may prevent it; else the window is gone. Answers whether it closed. */
  close(): boolean {
    let prevented = false;
    for (const l of this.listeners.get('close') ?? []) (l as (e: { preventDefault(): void }) => void)({ preventDefault: () => void (prevented = true) });
    if (prevented) return false;
    this.destroyed = true;
    for (const l of this.listeners.get('closed') ?? []) (l as () => void)();
    return true;
  }

  focus(): void {
    this.focused += 1;
  }

  /** The renderer dies (`render-process-gone`). */
  crash(reason = 'crashed', exitCode = 1): void {
    this.webContents.emit('render-process-gone', {}, { reason, exitCode });
  }
}

export class FakeSession implements KioskSession {
  protocol: ((request: Request) => Promise<Response>) | null = null;
  request: ((permission: string, details: PermissionDetails) => boolean) | null = null;
  check: ((permission: string, origin: string, details: PermissionCheckDetails) => boolean) | null = null;
  devicesDenied = false;

  handleProtocol(_scheme: 'app', handler: (request: Request) => Promise<Response>): void {
    this.protocol = handler;
  }

  setPermissionRequestHandler(handler: (permission: string, details: PermissionDetails) => boolean): void {
    this.request = handler;
  }

  setPermissionCheckHandler(handler: (permission: string, origin: string, details: PermissionCheckDetails) => boolean): void {
    this.check = handler;
  }

  denyDevices(): void {
    this.devicesDenied = true;
  }

  certificates: ((req: CertificateRequest) => 0 | -2 | -3) | null = null;
  trustCertificates(verdict: (req: CertificateRequest) => 0 | -2 | -3): void {
    this.certificates = verdict;
  }

  cleared = 0;
  clearStorage(): Promise<void> {
    this.cleared += 1;
    return Promise.resolve();
  }
}

export class FakeUpdater implements Updater {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  feed: { provider: 'generic'; url: string } | null = null;
  checks = 0;
  installed: { isSilent?: boolean; isForceRunAfter?: boolean } | null = null;
  /** What the next check finds: a version whose download completes (from the cache: at once), or nothing. */
  onCheck: () => void = () => {};
  private readonly listeners = new Map<string, Listener[]>();

  setFeedURL(options: { provider: 'generic'; url: string }): void {
    this.feed = options;
  }

  checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    this.onCheck();
    return Promise.resolve(null);
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installed = { isSilent, isForceRunAfter };
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
}

/** What a dialog showed. */
export type Shown = { kind: string; title: string; message: string; buttons?: readonly string[] };

export type FakeHostOptions = {
  packaged?: boolean;
  platform?: string;
  env?: Record<string, string | undefined>;
  argv?: string[];
  userData?: string;
  /** safeStorage's backend (Linux): `basic_text` when no keyring is there. */
  backend?: string;
  /** Answers the `choose` dialogs give, in order (0 when none is left: the default button). */
  answers?: number[];
  /** Where `saveAs` answers. */
  saveTo?: string | null;
  displays?: DisplayInfo[];
  updater?: FakeUpdater | null;
  now?: () => number;
  rendererRoot?: string;
  fetch?: Host['fetch'];
};

export type FakeHost = Host & {
  windows: FakeWindow[];
  sessions: Map<string, FakeSession>;
  contents: FakeContents[];
  shown: Shown[];
  logs: string[];
  ipc: Map<string, (senderUrl: string, args: unknown[]) => unknown>;
  timers: { fn: () => void; ms: number; repeat: boolean }[];
  quits: number;
  awake: boolean;
  autoStarts: AutoStart[];
  menuRemoved: boolean;
  certificates: ((req: CertificateRequest) => 0 | -2 | -3) | null;
  quitting(): void;
  secondInstance(argv: string[]): void;
  setDisplays(d: DisplayInfo[]): void;
  /** Runs the one-shot timers due so far (the restart delays), in order. */
  runTimers(): void;
  cleanup(): void;
};

/** A Host over fakes, with a temporary userData folder (or the one given). */
export function fakeHost(o: FakeHostOptions = {}): FakeHost {
  const userData = o.userData ?? mkdtempSync(path.join(tmpdir(), 'linli-main-'));
  const answers = [...(o.answers ?? [])];
  let displays = o.displays ?? [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }];
  const displayListeners: (() => void)[] = [];
  const quitting: (() => void)[] = [];
  const second: ((argv: readonly string[]) => void)[] = [];
  const created: ((c: GuardedContents) => void)[] = [];
  const secretBox = (t: string) => Buffer.from(`sealed:${Buffer.from(t).toString('base64')}`);
  const dialogs: Dialogs = {
    tell: (kind, title, message) => void h.shown.push({ kind, title, message }),
    choose: (kind, title, message, buttons) => {
      h.shown.push({ kind, title, message, buttons });
      return answers.shift() ?? 0;
    },
    saveAs: () => o.saveTo ?? null,
    showFile: () => undefined,
  };
  const h: FakeHost = {
    packaged: o.packaged ?? true,
    platform: o.platform ?? 'linux',
    version: '1.0.0',
    argv: o.argv ?? ['linli'],
    env: o.env ?? { LINLI_SERVER_URL: 'https://192.168.1.10:8443' },
    userData,
    rendererRoot: o.rendererRoot ?? path.join(userData, 'renderer'),
    preload: '/app/preload.cjs',
    now: o.now ?? (() => Date.parse('2026-11-25T02:00:00Z')),
    log: (line) => void h.logs.push(line),
    onWebContentsCreated: (l) => void created.push(l),
    kioskSession: (partition) => {
      const s = h.sessions.get(partition) ?? new FakeSession();
      h.sessions.set(partition, s);
      return s;
    },
    trustCertificates: (verdict) => {
      h.certificates = verdict;
    },
    fetch: o.fetch ?? (() => Promise.reject(new Error('no network in this test'))),
    fetchFile: async (file) => new Response(`file ${path.basename(file)}`, { headers: { 'content-type': 'text/html' } }),
    handleIpc: (channel, handler) => void h.ipc.set(channel, handler),
    createWindow: (options) => {
      const w = new FakeWindow(options);
      h.windows.push(w);
      h.contents.push(w.webContents);
      for (const l of created) l(w.webContents);
      return w;
    },
    printHidden: async (pageUrl, _deviceName, options) => {
      const w = h.createWindow(options) as FakeWindow;
      await w.loadURL(pageUrl);
      w.destroyed = true;
      return { ok: true };
    },
    displays: () => ({ all: displays, primaryId: displays[0]!.id }),
    onDisplaysChanged: (l) => void displayListeners.push(l),
    keepDisplayAwake: () => {
      h.awake = true;
    },
    setAutoStart: (how) => void h.autoStarts.push(how),
    removeMenu: () => {
      h.menuRemoved = true;
    },
    safeBox: {
      encrypt: (plain) => Promise.resolve(secretBox(plain)),
      decrypt: async (sealed) => {
        const s = sealed.toString();
        if (!s.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptStringAsync.');
        return { result: Buffer.from(s.slice('sealed:'.length), 'base64').toString(), shouldReEncrypt: false };
      },
    },
    keyStore: { isAsyncEncryptionAvailable: () => Promise.resolve(true), getSelectedStorageBackend: () => o.backend ?? 'gnome_libsecret' },
    dialogs,
    updater: o.updater === undefined ? null : o.updater,
    onQuitting: (l) => void quitting.push(l),
    onSecondInstance: (l) => void second.push(l),
    quit: () => {
      h.quits += 1;
    },
    schedule: (fn, ms) => void h.timers.push({ fn, ms, repeat: true }),
    after: (fn, ms) => void h.timers.push({ fn, ms, repeat: false }),

    windows: [], sessions: new Map(), contents: [], shown: [], logs: [], ipc: new Map(), timers: [], quits: 0, awake: false, autoStarts: [], menuRemoved: false, certificates: null,
    quitting: () => quitting.forEach((l) => l()),
    secondInstance: (argv) => second.forEach((l) => l(argv)),
    setDisplays: (d) => {
      displays = d;
      displayListeners.forEach((l) => l());
    },
    runTimers: () => {
      const due = h.timers.filter((t) => !t.repeat);
      h.timers = h.timers.filter((t) => t.repeat);
      for (const t of due) t.fn();
    },
    cleanup: () => rmSync(userData, { recursive: true, force: true }),
  };
  return h;
}

/** Calls a bridge method as the kiosk page would (through main's IPC handler, from `app://kiosk/`). */
export function callBridge(h: FakeHost, method: string, ...args: unknown[]): unknown {
  const handler = h.ipc.get(`linli:${method}`);
  if (!handler) throw new Error(`no handler for linli:${method}`);
  return handler('app://kiosk/', args);
}
