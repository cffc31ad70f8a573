import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session } from 'electron';
import { bridgeHandlers, isAllowedNavigation, isAllowedPermission, KIOSK_ORIGIN, kioskCsp, kioskWindowOptions, quitWarning, resolveKioskFile } from './kiosk.js';
import { PrintQueue } from './printing/queue.js';
import { driverJobBytes, driverTransport } from './printing/driver.js';
import { escPosJob, printService } from './printing/service.js';
import { fileJobStore } from './printing/store.js';
import { tcpTransport } from './printing/transport.js';
import { DeviceSecrets, secretsService, type SecretFile } from './secrets.js';

/**
 * The Electron main process: one kiosk window on the built renderer, served over app://, a
 * typed bridge, and a warning before quitting with unsynced events. One instance per PC: a
 * second start focuses the first (so two windows never push the same outbox).
 */
const production = app.isPackaged;
const rendererRoot = path.resolve(__dirname, '../../renderer/dist');
const serverUrl = process.env.LINLI_SERVER_URL ?? 'http://127.0.0.1:8080';
/**
 * The receipt printer: `host:port` of a network ESC/POS printer (port 9100 when not given), or
 * `driver:NAME` for a printer that only has a system driver.
 */
const printerSetting = process.env.LINLI_PRINTER ?? '127.0.0.1:9100';
const driverName = printerSetting.startsWith('driver:') ? printerSetting.slice('driver:'.length) : null;
const [printerHost = '127.0.0.1', printerPort = '9100'] = printerSetting.split(':');
const paper = process.env.LINLI_PAPER === '80mm' ? '80mm' : '58mm';
let pending = 0;

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  protocol.handle('app', async (request) => {
    const file = resolveKioskFile(rendererRoot, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', kioskCsp(serverUrl));
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isAllowedPermission(permission)));

  const transport = driverName === null ? tcpTransport : driverTransport(printInHiddenWindow, `${KIOSK_ORIGIN}/print.html`, driverName);
  const queue = await PrintQueue.open(fileJobStore(path.join(app.getPath('userData'), 'print-queue.json')), transport, {
    address: { host: printerHost, port: Number(printerPort) }, timeoutMs: 3_000, now: () => Date.now(),
  });
  // Jobs waiting for paper or a printer switched back on print by themselves.
  setInterval(() => void queue.drain(), 5_000);
  const secrets = new DeviceSecrets(
    { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (sealed) => safeStorage.decryptString(sealed) },
    fileSecret(path.join(app.getPath('userData'), 'device-secrets.bin')),
  );
  const handlers = bridgeHandlers({
    config: () => ({ serverUrl, pairingCode: process.env.LINLI_PAIRING_CODE ?? null, version: app.getVersion(), paper }),
    setPendingCount: (n) => {
      pending = n;
    },
    ...printService(queue, driverName === null ? escPosJob : driverJobBytes),
    ...secretsService(secrets),
  });
  for (const [channel, handle] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => handle(event.senderFrame?.url ?? '', args));
  }

  const win = new BrowserWindow(kioskWindowOptions(path.join(__dirname, 'preload.cjs'), production));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.on('close', (event) => {
    const warning = quitWarning(pending);
    if (!warning) return;
    const choice = dialog.showMessageBoxSync(win, { type: 'warning', buttons: ['留在邻里 / Stay', '仍然退出 / Quit'], defaultId: 0, cancelId: 0, ...warning });
    if (choice === 0) event.preventDefault();
  });
  await win.loadURL(`${KIOSK_ORIGIN}/`);
}

/** Prints a page of the kiosk from a hidden window through the system driver, without a dialog. */
async function printInHiddenWindow(pageUrl: string, deviceName: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
  try {
    await win.loadURL(pageUrl);
    return await new Promise((resolve) => {
      win.webContents.print({ silent: true, deviceName, printBackground: true, margins: { marginType: 'none' } }, (ok, reason) => resolve(ok ? { ok: true } : { ok: false, reason }));
    });
  } finally {
    win.destroy();
  }
}

app.on('window-all-closed', () => app.quit());

/** The sealed secrets file, written atomically (a crash mid-write leaves the old one). */
function fileSecret(file: string): SecretFile {
  return {
    read: () => (existsSync(file) ? readFileSync(file) : null),
    write: (data) => {
      writeFileSync(`${file}.tmp`, data, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
  };
}
