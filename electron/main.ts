import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, powerSaveBlocker, protocol, safeStorage, screen, session, shell } from 'electron';
import electronUpdater from 'electron-updater';
import { startKiosk } from './app.js';
import { fileLog } from './log.js';
import type { Host, KioskWindow } from './host.js';
import type { GuardedContents } from './guard.js';
import type { Updater } from './updates.js';

/**
 * The Electron main process: builds the `Host` of app.ts from the real Electron, and starts the
 * kiosk. Nothing is decided here; every rule is in app.ts and the modules it uses, tested without
 * the Electron binary. The `satisfies` and assignments below are where the compiler checks the
 * injected interfaces against Electron's own types.
 *
 * One instance per PC: a second start focuses the first (so two windows never push the same
 * outbox), or runs a restore in it (`--restore-backup`).
 */
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }]);

const log = fileLog(path.join(app.getPath('userData'), 'logs'));
process.on('uncaughtException', (err) => log(`main: uncaught ${err.stack ?? err.message}`));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(async () => {
    const started = await startKiosk(host()).catch((err: unknown) => {
      log(`main: the kiosk did not start: ${err instanceof Error ? err.stack : String(err)}`);
      dialog.showErrorBox('邻里无法启动 / Linli cannot start', `${String(err)}\n\n日志 / log: ${path.join(app.getPath('userData'), 'logs', 'kiosk.log')}`);
      app.quit();
      return null;
    });
    if (started && 'stopped' in started) log(`main: not started (${started.stopped})`);
  });
}
app.on('window-all-closed', () => app.quit());

function host(): Host {
  const { autoUpdater } = electronUpdater;
  const updater: Updater = autoUpdater;
  const guarded = (contents: Electron.WebContents): GuardedContents => contents;
  const window = (win: BrowserWindow): KioskWindow => win;
  return {
    packaged: app.isPackaged,
    platform: process.platform,
    version: app.getVersion(),
    argv: process.argv,
    env: process.env,
    userData: app.getPath('userData'),
    // The bundle's layout (build/kiosk.ts): main.cjs and preload.cjs beside the built renderer.
    rendererRoot: path.join(__dirname, 'renderer'),
    preload: path.join(__dirname, 'preload.cjs'),
    now: () => Date.now(),
    log,
    onWebContentsCreated: (listener) => app.on('web-contents-created', (_event, contents) => listener(guarded(contents))),
    kioskSession: (partition) => {
      const ses = session.fromPartition(partition);
      return {
        handleProtocol: (scheme, handler) => ses.protocol.handle(scheme, handler),
        setPermissionRequestHandler: (decide) => ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(decide(permission, details as { mediaTypes?: Array<'video' | 'audio'>; requestingUrl: string }))),
        setPermissionCheckHandler: (decide) => ses.setPermissionCheckHandler((_wc, permission, origin, details) => decide(permission, origin, details)),
        denyDevices: () => ses.setDevicePermissionHandler(() => false),
        trustCertificates: (verdict) => ses.setCertificateVerifyProc((req, callback) => callback(verdict(req))),
        clearStorage: () => ses.clearStorageData(),
      };
    },
    trustCertificates: (verdict) => {
      for (const ses of [session.defaultSession, autoUpdater.netSession]) {
        ses.setCertificateVerifyProc((req, callback) => callback(verdict(req)));
      }
    },
    fetch: (url, init) => net.fetch(url, init),
    fetchFile: (file) => net.fetch(pathToFileURL(file).toString()),
    handleIpc: (channel, handler) => ipcMain.handle(channel, (event, ...args: unknown[]) => handler(event.senderFrame?.url ?? '', args)),
    createWindow: (options) => window(new BrowserWindow(options)),
    printHidden: async (pageUrl, deviceName, options) => {
      const win = new BrowserWindow(options);
      try {
        await win.loadURL(pageUrl);
        return await new Promise((resolve) => {
          win.webContents.print({ silent: true, deviceName, printBackground: true, margins: { marginType: 'none' } }, (ok, reason) => resolve(ok ? { ok: true } : { ok: false, reason }));
        });
      } finally {
        win.destroy();
      }
    },
    displays: () => ({ all: screen.getAllDisplays(), primaryId: screen.getPrimaryDisplay().id }),
    onDisplaysChanged: (listener) => {
      screen.on('display-added', listener);
      screen.on('display-removed', listener);
    },
    keepDisplayAwake: () => void powerSaveBlocker.start('prevent-display-sleep'),
    setAutoStart: (how) => {
      if (how.kind === 'loginItem') app.setLoginItemSettings({ openAtLogin: true, path: how.path, args: how.args });
      if (how.kind === 'desktopFile') {
        mkdirSync(path.dirname(how.file), { recursive: true });
        writeFileSync(how.file, how.text);
      }
    },
    removeMenu: () => Menu.setApplicationMenu(null),
    safeBox: { encrypt: (plain) => safeStorage.encryptStringAsync(plain), decrypt: (sealed) => safeStorage.decryptStringAsync(sealed) },
    keyStore: safeStorage,
    dialogs: {
      tell: (type, title, message) => void dialog.showMessageBoxSync({ type, title, message: title, detail: message, buttons: ['好 / OK'] }),
      choose: (type, title, message, buttons) => dialog.showMessageBoxSync({ type, title, message: title, detail: message, buttons: [...buttons], defaultId: 0, cancelId: 0 }),
      saveAs: (title, defaultName) => dialog.showSaveDialogSync({ title, defaultPath: path.join(app.getPath('documents'), defaultName) }) ?? null,
      showFile: (file) => shell.showItemInFolder(file),
    },
    updater: app.isPackaged ? updater : null,
    onQuitting: (listener) => app.on('before-quit', listener),
    onSecondInstance: (listener) => app.on('second-instance', (_event, argv) => listener(argv)),
    quit: () => app.quit(),
    schedule: (fn, everyMs) => void setInterval(fn, everyMs),
    after: (fn, ms) => void setTimeout(fn, ms),
  };
}
