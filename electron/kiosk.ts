import path from 'node:path';
import { BRIDGE_METHODS, BRIDGE_NAMES, bridgeChannel, type BridgeArgs, type BridgeImpl, type BridgeMethod } from '../core/index.js';

/**
 * The kiosk window's rules, kept apart from Electron so they are tested without it (the Electron
 * binary cannot be downloaded here). main.ts wires them to the real `app`, `BrowserWindow`,
 * `protocol` and `ipcMain`.
 */

/** The origin the kiosk's pages are served from: a custom scheme, not file://. */
export const KIOSK_ORIGIN = 'app://kiosk';

/** The BrowserWindow options of the kiosk: isolated, sandboxed, no Node in the page. */
export function kioskWindowOptions(preload: string, production: boolean) {
  return {
    width: 1366,
    height: 900,
    kiosk: production,
    autoHideMenuBar: true,
    backgroundColor: '#f4f1ea',
    title: '邻里 Linli',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: !production,
      spellcheck: false,
    },
  } as const;
}

/** Only the kiosk's own pages may be shown in the window; anything else is refused. */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'app:' && u.host === 'kiosk';
  } catch {
    return false;
  }
}

/** The one permission the kiosk needs is the camera (for QR codes); everything else is denied. */
export function isAllowedPermission(permission: string): boolean {
  return permission === 'media';
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

/** The Content-Security-Policy of the kiosk's pages: its own code, and its server to talk to. */
export function kioskCsp(serverUrl: string): string {
  const server = new URL(serverUrl).origin;
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${server}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
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
