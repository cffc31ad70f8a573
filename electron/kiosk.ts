import path from 'node:path';
import { BRIDGE_METHODS, BRIDGE_NAMES, bridgeChannel, type BridgeArgs, type BridgeImpl, type BridgeMethod } from '../core/index.js';

/**
 * The kiosk window's rules, kept apart from Electron so they are tested without it (the Electron
 * binary cannot be downloaded here). main.ts wires them to the real `app`, `BrowserWindow`,
 * `protocol` and `ipcMain`.
 */

/** The origin the kiosk's pages are served from: a custom scheme, not file://. */
export const KIOSK_ORIGIN = 'app://kiosk';

/** The kiosk page's own address. */
export const KIOSK_URL = `${KIOSK_ORIGIN}/`;
/** The canteen's calling screen: the kiosk's page with `#display`, shown on a second display. */
export const CALLING_SCREEN_URL = `${KIOSK_ORIGIN}/#display`;

/**
 * The BrowserWindow options of a kiosk window: isolated, sandboxed, no Node in the page, no
 * webviews, no experimental or extra Blink features, and no devtools once packaged. `fullScreenKiosk`
 * is kiosk mode (full screen, no way to another window); `partition` is the kiosk's own session.
 */
export function kioskWindowOptions(preload: string, o: { production: boolean; fullScreenKiosk: boolean; partition: string }) {
  return {
    width: 1366,
    height: 900,
    kiosk: o.fullScreenKiosk,
    autoHideMenuBar: true,
    backgroundColor: '#f4f1ea',
    title: '邻里 Linli',
    webPreferences: { preload, ...lockedPreferences(o.partition, o.production) },
  } as const;
}

/** What every window of the kiosk's gets, whatever it shows. */
function lockedPreferences(partition: string, production: boolean) {
  return {
    partition,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools: !production,
    spellcheck: false,
    // Kiosk pages are shown at their size: no pinch or keyboard zoom (see guardContents).
    zoomFactor: 1,
  } as const;
}

/**
 * The admin app's session: its own, in memory (no `persist:`), so its sign-in cookie is never
 * the kiosk page's and ends when the kiosk closes.
 */
export const ADMIN_PARTITION = 'linli-admin';

/**
 * The admin app as the server serves it. `/admin.html` itself: the app-wide guard follows no
 * redirect (the server's `/admin` is one), and main's `loadURL` is the only way the window gets
 * there (the guard refuses every navigation a page starts that leaves the kiosk's origin).
 */
export function adminAppUrl(serverUrl: string): string {
  return new URL('/admin.html', serverUrl).href;
}

/**
 * The window of the admin app: a normal window over the kiosk (kept on top, so kiosk mode does
 * not hide it), no preload (a server page gets no bridge), and the kiosk window's locks.
 */
export function adminWindowOptions(production: boolean) {
  return {
    width: 1366,
    height: 768,
    alwaysOnTop: true,
    autoHideMenuBar: true,
    title: '邻里 · 管理后台 / Linli admin',
    webPreferences: lockedPreferences(ADMIN_PARTITION, production),
  } as const;
}

/**
 * The hidden window that prints a kiosk page through a system driver: the kiosk's session, and the
 * same locks as the kiosk's window, with no preload (it needs no bridge) and never shown.
 */
export function printWindowOptions(partition: string) {
  return { show: false, webPreferences: lockedPreferences(partition, true) } as const;
}

/** Only the kiosk's own pages may be shown in a window; anything else is refused. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'kiosk';
  } catch {
    return false;
  }
}

/**
 * The origin of a URL as Chromium sees it, or null for one that does not parse. Node's `URL`
 * answers "null" as the origin of any scheme it does not know (app: among them), so it is made
 * from the scheme and host here.
 */
function originOf(url: string | undefined): string | null {
  try {
    const u = url ? new URL(url) : null;
    return u && u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * A permission request: the one the kiosk needs is the camera (video only, for QR codes), from its
 * own page. The microphone, and anything asked for by another origin, is refused.
 */
export function isAllowedPermission(permission: string, details: { mediaTypes?: readonly string[]; requestingUrl?: string }): boolean {
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return originOf(details.requestingUrl) === KIOSK_ORIGIN && types.length > 0 && types.every((t) => t === 'video');
}

/** A permission check (what `navigator.permissions` and device lists see): the same rule. */
export function isAllowedPermissionCheck(permission: string, requestingOrigin: string, details: { mediaType?: string }): boolean {
  return permission === 'media' && originOf(requestingOrigin) === KIOSK_ORIGIN && details.mediaType === 'video';
}

/**
 * The file an `app://kiosk/...` request reads from the built renderer, or null for a path that
 * would leave it (`..`, encoded or not). `/` is the kiosk's index.html.
 */
export function resolveKioskFile(root: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'app:' || u.host !== 'kiosk') return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const file = path.resolve(root, `.${rel === '/' ? '/index.html' : rel}`);
  const base = path.resolve(root);
  return file.startsWith(base + path.sep) ? file : null;
}

/**
 * The Content-Security-Policy of the kiosk's pages: its own code only, and it talks to its own
 * origin only (main forwards `app://kiosk/api/…` to the server), as the kiosk served by the server
 * to a browser does.
 */
export const KIOSK_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Hosts whose traffic never leaves the PC: plain http to them exposes nothing on the network. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why the kiosk must not use this server address, or null when it may. Once packaged, the server
 * must speak https (the device token travels in every sync call), except on this PC's loopback.
 */
export function serverUrlProblem(url: string, packaged: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `服务器地址无法识别：${url} / The server address cannot be read: ${url}`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol !== 'http:') return `服务器地址须以 https:// 开头：${url} / The server address must start with https://: ${url}`;
  if (!packaged || LOOPBACK.has(u.hostname)) return null;
  return `服务器地址 ${url} 没有加密（http）。柜台与服务器之间必须用 https：请为服务器配置证书（见 README），并把地址改为 https://…\nThe server ${url} is plain http. A kiosk talks to its server over https only: give the server a certificate (see the README) and use https://….`;
}

/** An IPC handler: the sender's page URL and the raw arguments; answers or throws. */
export type BridgeHandler = (senderUrl: string, args: unknown[]) => unknown;

/**
 * The handlers of every bridge channel, from main's implementation of each method. Each checks
 * that the call comes from the kiosk's own page and validates its arguments with the method's
 * schema (`core/bridge.ts`) before doing anything.
 */
export function bridgeHandlers(impl: BridgeImpl): Record<`linli:${BridgeMethod}`, BridgeHandler> {
  const handle = <M extends BridgeMethod>(m: M): BridgeHandler => (senderUrl, args) => {
    if (!isAllowedNavigation(senderUrl)) throw new Error(`${bridgeChannel(m)}: refused a call from ${senderUrl}`);
    const parsed = BRIDGE_METHODS[m].args.parse(args) as BridgeArgs<M>;
    return (impl[m] as (...a: BridgeArgs<M>) => unknown)(...parsed);
  };
  return Object.fromEntries(BRIDGE_NAMES.map((m) => [bridgeChannel(m), handle(m)])) as Record<`linli:${BridgeMethod}`, BridgeHandler>;
}

/** The warning shown when the kiosk is closed with events still waiting, or null when none wait. */
export function quitWarning(pending: number): { title: string; message: string } | null {
  if (pending <= 0) return null;
  return {
    title: '还有数据未同步 / Unsynced data',
    message: `还有 ${pending} 条记录未同步到服务器。数据已安全保存在本机，下次打开会继续同步。确定要退出吗？\n${pending} records have not reached the server yet. They are saved on this PC and will sync next time. Quit anyway?`,
  };
}
