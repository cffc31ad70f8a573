/**
 * Updates from the centre's own server (electron-updater, generic provider): the server serves the
 * installers and their `latest.yml` / `latest-linux.yml` read-only at `/updates/`.
 *
 * Downloaded in the background while the kiosk runs, and applied only at the next start, before
 * the kiosk's page exists. That is the "busy" rule: an event is written, and the outbox pushed,
 * only by the page, so with no page nothing can be half-written or in flight when the installer
 * replaces the app. While the page runs, nothing is ever installed (no install on quit either:
 * a quit may be the OS shutting down). A kiosk that is never restarted keeps its version until
 * it is: staff see the version in the header, and the update waits on disk.
 *
 * On Windows (NSIS, per user) and from an AppImage the kiosk updates itself; a .deb is installed
 * for the whole machine, which needs an administrator: there the update is only noted in the log
 * and the centre installs the new .deb (README).
 *
 * `Updater` is the part of electron-updater's `autoUpdater` used here; the tests pass a fake.
 */
export type Updater = {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
};

/** Where main notes that a downloaded update waits for the next start (a small file in userData). */
export type UpdateMarker = { read(): string | null; write(version: string | null): void };

export type UpdatesOptions = {
  updater: Updater;
  serverUrl: string;
  currentVersion: string;
  marker: UpdateMarker;
  /** Whether this install can replace itself (NSIS, AppImage); a .deb cannot without an administrator. */
  canInstall: boolean;
  log(line: string): void;
};

/** The folder of the server the updates are read from. */
export function feedUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/$/, '')}/updates/`;
}

export class Updates {
  private downloaded: Promise<string> | null = null;
  private resolveDownloaded: ((version: string) => void) | null = null;

  constructor(private readonly o: UpdatesOptions) {
    o.updater.autoDownload = o.canInstall;
    o.updater.autoInstallOnAppQuit = false;
    o.updater.setFeedURL({ provider: 'generic', url: feedUrl(o.serverUrl) });
    this.downloaded = new Promise((resolve) => {
      this.resolveDownloaded = resolve;
    });
    o.updater.on('update-downloaded', (info) => {
      o.log(`update ${info.version} downloaded; it is applied at the next start`);
      o.marker.write(info.version);
      this.resolveDownloaded?.(info.version);
    });
    o.updater.on('error', (err) => o.log(`update check failed: ${err.message}`));
  }

  /**
   * At start, before the kiosk's window is made. When an update was downloaded last time, the
   * check finds it in electron-updater's cache (no download) and it is installed now: answers
   * 'installing' and the app quits into the installer. Otherwise, or when the server does not
   * answer within `timeoutMs`, answers 'start' and the kiosk starts as it is.
   */
  async applyAtStart(timeoutMs: number): Promise<'installing' | 'start'> {
    const waiting = this.o.marker.read();
    if (waiting === null) return 'start';
    if (waiting === this.o.currentVersion || !this.o.canInstall) {
      if (waiting === this.o.currentVersion) this.o.log(`update ${waiting} is installed`);
      this.o.marker.write(null);
      return 'start';
    }
    void this.o.updater.checkForUpdates().catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const version = await Promise.race([this.downloaded!, new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    })]);
    clearTimeout(timer);
    if (version === null) {
      this.o.log(`update ${waiting} waits: the server did not confirm it within ${timeoutMs} ms`);
      return 'start';
    }
    this.o.log(`installing update ${version} before the kiosk starts`);
    this.o.marker.write(null);
    this.o.updater.quitAndInstall(true, true);
    return 'installing';
  }

  /** While the kiosk runs: checks now and then every `everyMs`, downloading in the background. */
  checkInBackground(everyMs: number, schedule: (fn: () => void, ms: number) => unknown = setInterval): void {
    const check = () => {
      void this.o.updater.checkForUpdates().then(
        (r) => {
          const info = (r as { updateInfo?: { version?: string } } | null)?.updateInfo;
          if (!this.o.canInstall && info?.version && info.version !== this.o.currentVersion) {
            this.o.log(`update ${info.version} is on the server: install the new .deb (sudo apt install ./linli_${info.version}_amd64.deb)`);
          }
        },
        () => undefined,
      );
    };
    check();
    schedule(check, everyMs);
  }
}
