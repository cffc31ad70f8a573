import type { GuardedContents, Preventable } from './guard.js';
import type { DisplayInfo, AutoStart } from './life.js';
import type { UpstreamFetch } from './proxy.js';
import type { KeyStore, SafeBox } from './secrets.js';
import type { CertificateRequest } from './trust.js';
import type { Updater } from './updates.js';

/**
 * What the kiosk's main process needs of Electron, as small injected interfaces: main.ts builds
 * one from the real `app`, `BrowserWindow`, `session`, `protocol`, `safeStorage`, `screen`,
 * `dialog` and electron-updater (the compiler checks each against Electron's types), and the tests
 * build one of fakes that record what was asked. Everything main decides is in `startKiosk`
 * (app.ts), over this.
 */

/** The web contents of a window main made. */
export type WindowContents = GuardedContents & {
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
};

/** A window main made. */
export type KioskWindow = {
  readonly webContents: WindowContents;
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: Preventable) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  isDestroyed(): boolean;
  close(): void;
  focus(): void;
};

/** The options a window is made with (a subset of Electron's `BrowserWindowConstructorOptions`). */
export type WindowOptions = {
  width?: number; height?: number; x?: number; y?: number;
  kiosk?: boolean; fullscreen?: boolean; frame?: boolean; show?: boolean; autoHideMenuBar?: boolean; alwaysOnTop?: boolean;
  backgroundColor?: string; title?: string;
  webPreferences: {
    preload?: string; partition: string; contextIsolation: boolean; sandbox: boolean; nodeIntegration: boolean;
    nodeIntegrationInWorker?: boolean; nodeIntegrationInSubFrames?: boolean; webSecurity?: boolean; allowRunningInsecureContent?: boolean;
    experimentalFeatures?: boolean; webviewTag?: boolean; navigateOnDragDrop?: boolean; devTools?: boolean; spellcheck?: boolean; zoomFactor?: number;
  };
};

/** A permission request as Electron details it. */
export type PermissionDetails = { mediaTypes?: Array<'video' | 'audio'>; requestingUrl?: string };
/** A permission check as Electron details it. */
export type PermissionCheckDetails = { mediaType?: 'video' | 'audio' | 'unknown' };

/** The kiosk page's session (its own partition). */
export type KioskSession = {
  handleProtocol(scheme: 'app', handler: (request: Request) => Promise<Response>): void;
  setPermissionRequestHandler(handler: (permission: string, details: PermissionDetails) => boolean): void;
  setPermissionCheckHandler(handler: (permission: string, requestingOrigin: string, details: PermissionCheckDetails) => boolean): void;
  /** HID, serial and USB devices: none is ever granted. */
  denyDevices(): void;
  /** `setCertificateVerifyProc` of this session (the admin app's window talks to the server itself). */
  trustCertificates(verdict: (req: CertificateRequest) => 0 | -2 | -3): void;
  /** Clears the session's cookies and storage (the admin app's sign-in, once its window closes). */
  clearStorage(): Promise<void>;
};

/** The native dialogs main shows (message boxes block until staff answer). */
export type Dialogs = {
  /** A message with one button; resolves when staff close it. */
  tell(kind: 'error' | 'warning' | 'info', title: string, message: string): void;
  /** A choice; answers the index of the button staff pressed (the first is the default and cancel). */
  choose(kind: 'warning' | 'question', title: string, message: string, buttons: readonly string[]): number;
  /** Where to save a file; null when staff cancelled. */
  saveAs(title: string, defaultName: string): string | null;
  /** Shows a file in the system's file manager. */
  showFile(file: string): void;
};

export type Host = {
  /** `app.isPackaged`: a real install, not `npm start`. */
  packaged: boolean;
  platform: string;
  version: string;
  /** The app's command-line arguments (`--restore-backup`). */
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** The app's userData folder: settings, secrets, print queue, backups, logs. */
  userData: string;
  /** The built kiosk (renderer) and the preload script. */
  rendererRoot: string;
  preload: string;
  now(): number;
  log(line: string): void;

  /** `app.on('web-contents-created')`: every web contents there will be. */
  onWebContentsCreated(listener: (contents: GuardedContents) => void): void;
  kioskSession(partition: string): KioskSession;
  /** `setCertificateVerifyProc` on main's own sessions (its sync calls and the updater's downloads). */
  trustCertificates(verdict: (req: CertificateRequest) => 0 | -2 | -3): void;
  /** Main's own fetch to the server (`net.fetch`). */
  fetch: UpstreamFetch;
  /** A file of the built kiosk as a response (`net.fetch` of its file URL). */
  fetchFile(file: string): Promise<Response>;
  /** `ipcMain.handle`: the sender frame's URL and the arguments. */
  handleIpc(channel: string, handler: (senderUrl: string, args: unknown[]) => unknown): void;
  createWindow(options: WindowOptions): KioskWindow;
  /** Prints a kiosk page through a system driver from a hidden window of the kiosk's session, without a dialog. */
  printHidden(pageUrl: string, deviceName: string, options: WindowOptions): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The displays, and a way to hear of one added or removed. */
  displays(): { all: DisplayInfo[]; primaryId: number };
  onDisplaysChanged(listener: () => void): void;
  /** `powerSaveBlocker.start('prevent-display-sleep')`. */
  keepDisplayAwake(): void;
  setAutoStart(how: AutoStart): void;
  /** No application menu: none of its shortcuts (reload, devtools, zoom) in the kiosk. */
  removeMenu(): void;
  safeBox: SafeBox;
  keyStore: KeyStore;
  dialogs: Dialogs;
  /** electron-updater's `autoUpdater`; null where there is none (development). */
  updater: Updater | null;
  /** `app.on('before-quit')`: the app is quitting (the system, or main itself). */
  onQuitting(listener: () => void): void;
  /** `app.on('second-instance')`: someone started the kiosk again, with these arguments. */
  onSecondInstance(listener: (argv: readonly string[]) => void): void;
  quit(): void;
  schedule(fn: () => void, everyMs: number): void;
  after(fn: () => void, ms: number): void;
};
