import { z } from 'zod';

/**
 * A kiosk's settings: one JSON file in its userData folder (`linli-settings.json`), written by
 * whoever installs the kiosk (README, "Kiosk settings"). Environment variables override it for
 * development and `npm start`. An installed kiosk with no settings file, or one that fails the
 * schema, does not start: staff are told where the file is and what to write.
 */
export const SETTINGS_FILE = 'linli-settings.json';

/** A certificate's fingerprint as Electron names it: `sha256/` and the base64 SHA-256 of its DER. */
const Fingerprint = z.string().regex(/^sha256\/[A-Za-z0-9+/]{43}=$/, 'a fingerprint as the server prints it: sha256/… (44 characters of base64)');

export const KioskSettings = z.object({
  /** The centre's server: `https://…` once packaged (see kiosk.ts, serverUrlProblem). */
  serverUrl: z.url(),
  /** The server's own certificate, when it is not from a public authority (a centre's self-made one): pinned by its fingerprint. */
  serverCertificate: z.array(Fingerprint).max(4).default([]),
  /** `host:port` of a network ESC/POS printer, or `driver:NAME` for one with a system driver only. */
  printer: z.string().min(1).max(200).default('127.0.0.1:9100'),
  paper: z.enum(['58mm', '80mm']).default('58mm'),
  /** Full-screen kiosk mode: no window frame, no task bar, no way out but an admin's. */
  kioskMode: z.boolean().default(true),
  /** The canteen's calling screen on a second display: `auto` when this kiosk is a canteen's and a second display is there. */
  callingScreen: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Keep the display from sleeping while the kiosk runs. */
  keepAwake: z.boolean().default(true),
  /** Start the kiosk when staff log in to the PC. */
  autoStart: z.boolean().default(true),
  /** Download updates from the server's /updates/ in the background and apply them at the next start. */
  updates: z.boolean().default(true),
  /** Accept a keychain that does not protect the secrets (Linux without a keyring): see secrets.ts. */
  allowPlainTextKeyStore: z.boolean().default(false),
}).strict();
export type KioskSettings = z.infer<typeof KioskSettings>;

/** What became of the settings: usable, missing, or a file that is there but unusable (and why). */
export type SettingsOutcome = { kind: 'ok'; settings: KioskSettings } | { kind: 'missing' } | { kind: 'unreadable'; reason: string };

/** Development defaults (`npm start`): the local server, a window (not kiosk mode), nothing installed at login. */
const DEVELOPMENT = { serverUrl: 'http://127.0.0.1:8080', kioskMode: false, autoStart: false, updates: false, keepAwake: false };

/** Environment variables that override a setting, for development and tests. */
function fromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const flag = (v: string | undefined) => (v === undefined ? undefined : v === '1' || v === 'true');
  const o: Record<string, unknown> = {
    serverUrl: env.LINLI_SERVER_URL,
    serverCertificate: env.LINLI_SERVER_CERT ? env.LINLI_SERVER_CERT.split(',') : undefined,
    printer: env.LINLI_PRINTER,
    paper: env.LINLI_PAPER,
    kioskMode: flag(env.LINLI_KIOSK_MODE),
    callingScreen: env.LINLI_CALLING_SCREEN,
  };
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
}

/**
 * The settings from the file's text (null when there is none) and the environment. Packaged, the
 * file is required; in development the defaults above stand in for it.
 */
export function loadSettings(fileText: string | null, env: Record<string, string | undefined>, packaged: boolean): SettingsOutcome {
  let fromFile: Record<string, unknown> = {};
  if (fileText !== null) {
    try {
      fromFile = JSON.parse(fileText) as Record<string, unknown>;
    } catch {
      return { kind: 'unreadable', reason: 'not JSON' };
    }
    const checked = KioskSettings.safeParse(fromFile);
    if (!checked.success) return { kind: 'unreadable', reason: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  } else if (packaged && !env.LINLI_SERVER_URL) {
    return { kind: 'missing' };
  }
  const merged = KioskSettings.safeParse({ ...(packaged ? {} : DEVELOPMENT), ...fromFile, ...fromEnv(env) });
  if (!merged.success) return { kind: 'unreadable', reason: merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { kind: 'ok', settings: merged.data };
}

/** What an admin writes in the settings file, shown when it is missing. */
export const SETTINGS_EXAMPLE = `{
  "serverUrl": "https://192.168.1.10:8443",
  "serverCertificate": ["sha256/（服务器启动时打印的证书指纹 / the fingerprint the server prints at start）"],
  "printer": "192.168.1.50:9100",
  "paper": "58mm"
}
`;

/** What staff are told when an installed kiosk has no settings file. */
export function missingSettingsMessage(file: string): { title: string; message: string } {
  return {
    title: '需要设置服务器地址 / Settings needed',
    message: `邻里还不知道本中心服务器的地址。请管理员创建设置文件：\n${file}\n内容例如：\n${SETTINGS_EXAMPLE}\n写好后重新打开邻里。（详见 README「柜台设置」）\n\n`
      + `Linli does not know the centre's server yet. An admin writes the settings file above (README, "Kiosk settings"), then opens Linli again.`,
  };
}
