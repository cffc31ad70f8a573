import type { DeviceProfile } from './secrets.js';

/**
 * A kiosk's life through the day, as pure rules main wires to Electron: when a crashed page is
 * brought back, where the calling screen goes, how the kiosk starts at login, and when it may be
 * closed.
 */

/** Delays before bringing a crashed page back: quick at first, then no faster than once a minute. */
export const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000] as const;
/** A page that has run this long since its last restart counts as well again: the next crash starts the delays over. */
export const STABLE_AFTER_MS = 10 * 60_000;

/**
 * When to reload a page whose renderer is gone (`render-process-gone`): after a crash, an OOM or a
 * kill, with the delays above, so a page that crashes at once on every load does not spin the CPU.
 * A clean exit (the window closing) is not a crash.
 */
export class RestartPolicy {
  private crashes = 0;
  private lastRestartAt = -Infinity;

  constructor(private readonly now: () => number) {}

  /** The delay before reloading, or null when nothing is to be done. */
  onGone(reason: string): number | null {
    if (reason === 'clean-exit') return null;
    if (this.now() - this.lastRestartAt >= STABLE_AFTER_MS) this.crashes = 0;
    const delay = RESTART_DELAYS_MS[Math.min(this.crashes, RESTART_DELAYS_MS.length - 1)]!;
    this.crashes += 1;
    return delay;
  }

  /** The page was loaded again. */
  restarted(): void {
    this.lastRestartAt = this.now();
  }

  /** Crashes since the page last ran well. */
  get count(): number {
    return this.crashes;
  }
}

/** A display as Electron's `screen` describes it. */
export type DisplayInfo = { id: number; bounds: { x: number; y: number; width: number; height: number } };

/**
 * The display the canteen's calling screen goes on, or null for none: with `auto`, a canteen
 * kiosk's second display; with `on`, any kiosk's second display; with `off`, never. The calling
 * screen never covers the counter's own display.
 */
export function callingScreenDisplay(setting: 'auto' | 'on' | 'off', profile: DeviceProfile | null, displays: readonly DisplayInfo[], primaryId: number): DisplayInfo | null {
  if (setting === 'off' || (setting === 'auto' && profile !== 'canteen')) return null;
  return displays.find((d) => d.id !== primaryId) ?? null;
}

/** How the kiosk is started at login on this platform. */
export type AutoStart =
  | { kind: 'loginItem'; path: string; args: string[] }
  | { kind: 'desktopFile'; file: string; text: string }
  | { kind: 'none'; why: string };

/**
 * Windows: a login item (the registry's Run key, per user). Linux: an XDG autostart entry in
 * `~/.config/autostart`, pointing at the AppImage when run from one (its path is in `APPIMAGE`;
 * the executable inside it is a temporary mount) or at the installed executable.
 */
export function autoStart(o: { platform: string; execPath: string; appImage?: string | undefined; configHome: string }): AutoStart {
  if (o.platform === 'win32' || o.platform === 'darwin') return { kind: 'loginItem', path: o.execPath, args: [] };
  if (o.platform !== 'linux') return { kind: 'none', why: `no autostart on ${o.platform}` };
  const exec = o.appImage ?? o.execPath;
  const quoted = `"${exec.replace(/(["`$\\])/g, '\\$1')}"`;
  return {
    kind: 'desktopFile',
    file: `${o.configHome}/autostart/linli.desktop`,
    text: ['[Desktop Entry]', 'Type=Application', 'Name=邻里', 'Name[en]=Linli', 'Comment=社区服务中心柜台 / Community centre kiosk', `Exec=${quoted}`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n'),
  };
}

/**
 * Whether a window may close now. In kiosk mode only an admin's exit (through the bridge, which the
 * kiosk offers to admin staff) or the system quitting the app (shutdown, logout) closes it; Alt+F4
 * and the window manager do not. Outside kiosk mode (development) it closes as any window.
 */
export function mayClose(o: { kioskMode: boolean; adminExit: boolean; appQuitting: boolean }): boolean {
  return !o.kioskMode || o.adminExit || o.appQuitting;
}
