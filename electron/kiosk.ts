import path from 'node:path';
import { z } from 'zod';
import type { DeviceSecrets } from './secrets.js';
import { BRIDGE_CHANNELS, PrintDocSchema, type KioskConfig, type LinliBridge, type PrintJobView, type PrintRequest } from '../core/index.js';

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

/** What the bridge handlers need from main. */
export type BridgeDeps = {
  config: KioskConfig;
  setPendingCount(count: number): void;
  print(job: PrintRequest): Promise<PrintJobView>;
  reprint(job: PrintRequest): Promise<PrintJobView>;
  printJobs(): PrintJobView[];
  secrets: Pick<DeviceSecrets, 'saveToken' | 'token' | 'wrapPin' | 'checkPin'>;
};

const PrintRequestSchema = z.object({
  jobId: z.string().regex(/^[0-9a-f-]{36}$/),
  label: z.string().min(1).max(40),
  doc: PrintDocSchema,
}).strict();

const Payloads = {
  config: z.tuple([]),
  setPendingCount: z.tuple([z.number().int().min(0).max(10_000_000)]),
  print: z.tuple([PrintRequestSchema]),
  reprint: z.tuple([PrintRequestSchema]),
  printJobs: z.tuple([]),
  saveToken: z.tuple([z.string().regex(/^[A-Za-z0-9_-]{20,100}$/)]),
  token: z.tuple([]),
  wrapPin: z.tuple([z.string().regex(/^[A-Za-z0-9+/=]{40,64}$/)]),
  checkPin: z.tuple([z.string().regex(/^[A-Za-z0-9+/=]{40,200}$/), z.string().regex(/^[A-Za-z0-9+/=]{40,64}$/)]),
} satisfies Record<keyof LinliBridge, z.ZodType>;

/** An IPC handler: the sender's page URL and the raw arguments; answers or throws. */
export type BridgeHandler = (senderUrl: string, args: unknown[]) => unknown;

/**
 * The handlers of every bridge channel. Each checks that the call comes from the kiosk's own
 * page and validates its arguments with zod before doing anything.
 */
export function bridgeHandlers(deps: BridgeDeps): Record<(typeof BRIDGE_CHANNELS)[keyof LinliBridge], BridgeHandler> {
  const guard = <K extends keyof LinliBridge>(name: K, run: (args: z.infer<(typeof Payloads)[K]>) => unknown): BridgeHandler => (senderUrl, args) => {
    if (!isAllowedNavigation(senderUrl)) throw new Error(`${BRIDGE_CHANNELS[name]}: refused a call from ${senderUrl}`);
    return run(Payloads[name].parse(args) as z.infer<(typeof Payloads)[K]>);
  };
  return {
    [BRIDGE_CHANNELS.config]: guard('config', () => deps.config),
    [BRIDGE_CHANNELS.setPendingCount]: guard('setPendingCount', ([count]) => deps.setPendingCount(count)),
    [BRIDGE_CHANNELS.print]: guard('print', ([job]) => deps.print(job)),
    [BRIDGE_CHANNELS.reprint]: guard('reprint', ([job]) => deps.reprint(job)),
    [BRIDGE_CHANNELS.printJobs]: guard('printJobs', () => deps.printJobs()),
    [BRIDGE_CHANNELS.saveToken]: guard('saveToken', ([token]) => deps.secrets.saveToken(token)),
    [BRIDGE_CHANNELS.token]: guard('token', () => deps.secrets.token()),
    [BRIDGE_CHANNELS.wrapPin]: guard('wrapPin', ([hash]) => deps.secrets.wrapPin(hash)),
    [BRIDGE_CHANNELS.checkPin]: guard('checkPin', ([wrapped, candidate]) => deps.secrets.checkPin(wrapped, candidate)),
  };
}

/** The warning shown when the kiosk is closed with events still waiting, or null when none wait. */
export function quitWarning(pending: number): { title: string; message: string } | null {
  if (pending <= 0) return null;
  return {
    title: '还有数据未同步 / Unsynced data',
    message: `还有 ${pending} 条记录未同步到服务器。数据已安全保存在本机，下次打开会继续同步。确定要退出吗？\n${pending} records have not reached the server yet. They are saved on this PC and will sync next time. Quit anyway?`,
  };
}
