import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Paper } from '../core/index.js';
import { Backups, type BackupFile } from './backup.js';
import { keepAside, keptAside, readIfThere, unreadableMessage, writeFileDurably } from './files.js';
import { guardContents } from './guard.js';
import type { Host, KioskWindow } from './host.js';
import {
  ADMIN_PARTITION, adminAppUrl, adminWindowOptions, bridgeHandlers, CALLING_SCREEN_URL, isAllowedPermission, isAllowedPermissionCheck, KIOSK_CSP, KIOSK_ORIGIN, KIOSK_URL, kioskWindowOptions, printWindowOptions, quitWarning,
  resolveKioskFile, serverUrlProblem,
} from './kiosk.js';
import { autoStart, callingScreenDisplay, mayClose, RestartPolicy } from './life.js';
import { driverJobBytes, driverTransport, type PrintPage } from './printing/driver.js';
import { PrintQueue } from './printing/queue.js';
import { escPosJob, printService } from './printing/service.js';
import { fileJobStore, QueueFileUnreadable } from './printing/store.js';
import { tcpTransport, type Transport } from './printing/transport.js';
import { syncProxy } from './proxy.js';
import { DeviceSecrets, keyStoreVerdict, secretsService, SecretsUnreadable, type SecretFile } from './secrets.js';
import { loadSettings, missingSettingsMessage, SETTINGS_EXAMPLE, SETTINGS_FILE, type KioskSettings } from './settings.js';
import { certificateVerdict } from './trust.js';
import { Updates } from './updates.js';

/**
 * The kiosk's main process, over injected interfaces (host.ts) so every decision is tested without
 * the Electron binary. In order: the settings, the server's address (https once packaged), the
 * keychain, a restore when asked for, the device secrets, an update waiting from last time (applied
 * now, before any page exists), then the kiosk: its session (permissions, the app:// files, the
 * sync calls forwarded with the token), the print queue, the backups, the bridge, the window (kept
 * alive, closed only by an admin), the calling screen, the display kept awake, the start at login
 * and the background update checks.
 *
 * Whatever cannot be read stops the start with a message (files.ts): the kiosk starts whole or
 * not at all.
 */

/** Where main keeps its files, under userData. */
export const FILES = {
  settings: SETTINGS_FILE,
  secrets: 'device-secrets.bin',
  printQueue: 'print-queue.json',
  backupKey: 'backup-key.bin',
  backups: 'backups',
  updateReady: 'update-ready.txt',
  logs: 'logs',
} as const;

/** How long a start waits for the server to confirm a downloaded update before starting without it. */
const UPDATE_AT_START_MS = 5_000;
const UPDATE_CHECK_EVERY_MS = 4 * 3_600_000;
const PRINT_DRAIN_EVERY_MS = 5_000;

/** What `startKiosk` set up, for the tests to look at and drive. */
export type Kiosk = {
  settings: KioskSettings;
  window: KioskWindow;
  callingScreen(): KioskWindow | null;
  queue: PrintQueue;
  backups: Backups;
  secrets: DeviceSecrets;
  pending(): number;
};

/** Why the kiosk did not start (the message was shown), or 'installing' an update. */
export type NotStarted = { stopped: 'settings' | 'server' | 'keychain' | 'secrets' | 'restore' | 'installing' };

export type StartOptions = {
  transport?: Transport; printPage?: PrintPage;
  /** How long a start waits for the server to confirm a downloaded update. */
  updateWaitMs?: number;
};

export async function startKiosk(host: Host, o: StartOptions = {}): Promise<Kiosk | NotStarted> {
  const file = (name: string) => path.join(host.userData, name);
  const stop = (stopped: NotStarted['stopped']): NotStarted => {
    host.quit();
    return { stopped };
  };
  mkdirSync(host.userData, { recursive: true });

  // Every web contents there will be is guarded before anything is loaded.
  host.onWebContentsCreated((contents) => guardContents(contents, (r) => host.log(`refused ${r.what}${r.url ? `: ${r.url.slice(0, 200)}` : ''}`)));
  host.removeMenu();

  const loaded = loadSettings(readIfThere(file(FILES.settings))?.toString('utf8') ?? null, host.env, host.packaged);
  if (loaded.kind === 'missing') {
    writeFileSync(file(`${FILES.settings}.example`), SETTINGS_EXAMPLE);
    const m = missingSettingsMessage(file(FILES.settings));
    host.dialogs.tell('error', m.title, m.message);
    host.dialogs.showFile(file(`${FILES.settings}.example`));
    return stop('settings');
  }
  if (loaded.kind === 'unreadable') {
    host.log(`settings unreadable: ${loaded.reason}`);
    const kept = existsSync(file(FILES.settings)) ? keepAside(file(FILES.settings), new Date(host.now())) : '(environment)';
    const m = unreadableMessage('settings', kept);
    host.dialogs.tell('error', m.title, `${m.message}\n\n${loaded.reason}`);
    return stop('settings');
  }
  const settings = loaded.settings;
  const problem = serverUrlProblem(settings.serverUrl, host.packaged);
  if (problem) {
    host.dialogs.tell('error', '服务器地址不安全 / Server address not safe', problem);
    return stop('server');
  }

  const verdict = await keyStoreVerdict(host.keyStore, host.platform, settings.allowPlainTextKeyStore);
  if (verdict.kind === 'refuse') {
    host.log('refused to start: safeStorage has no keyring behind it');
    host.dialogs.tell('error', verdict.title, verdict.message);
    return stop('keychain');
  }
  if (verdict.kind === 'warn') {
    host.log('starting with an unprotected keychain (allowPlainTextKeyStore)');
    host.dialogs.tell('warning', verdict.title, verdict.message);
  }

  const backups = new Backups(file(FILES.backups), file(FILES.backupKey), host.safeBox, host.now);
  if (host.argv.includes('--restore-backup')) {
    await restoreBackup(host, backups);
    return stop('restore');
  }

  const secrets = await openSecrets(host, file(FILES.secrets));
  if (!secrets) return stop('secrets');

  const updates = settings.updates && host.packaged && host.updater
    ? new Updates({
      updater: host.updater, serverUrl: settings.serverUrl, currentVersion: host.version, log: host.log,
      canInstall: host.platform === 'win32' || host.env.APPIMAGE !== undefined,
      marker: {
        read: () => readIfThere(file(FILES.updateReady))?.toString('utf8').trim() || null,
        write: (v) => writeFileDurably(file(FILES.updateReady), v ?? '', 0o644),
      },
    })
    : null;
  // Applied before any page exists: nothing can be mid-write or mid-push (updates.ts).
  host.trustCertificates((req) => certificateVerdict(req, settings.serverUrl, settings.serverCertificate));
  if (updates && (await updates.applyAtStart(o.updateWaitMs ?? UPDATE_AT_START_MS)) === 'installing') return { stopped: 'installing' };

  // The kiosk page's own session: its files, its sync calls, and the camera only.
  const ses = host.kioskSession(secrets.partition());
  const proxy = syncProxy({ serverUrl: settings.serverUrl, fetch: host.fetch, holder: secrets });
  ses.handleProtocol('app', async (request) => {
    if (new URL(request.url).pathname.startsWith('/api/')) return proxy(request);
    const served = resolveKioskFile(host.rendererRoot, request.url);
    if (!served || !existsSync(served)) return new Response('not found', { status: 404 });
    const res = await host.fetchFile(served);
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', KIOSK_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
  ses.setPermissionRequestHandler((permission, details) => isAllowedPermission(permission, details));
  ses.setPermissionCheckHandler((permission, origin, details) => isAllowedPermissionCheck(permission, origin, details));
  ses.denyDevices();

  const driverName = settings.printer.startsWith('driver:') ? settings.printer.slice('driver:'.length) : null;
  const [printerHost = '127.0.0.1', printerPort = '9100'] = settings.printer.split(':');
  const printPage: PrintPage = o.printPage ?? ((pageUrl, deviceName) => host.printHidden(pageUrl, deviceName, printWindowOptions(secrets.partition())));
  const transport = o.transport ?? (driverName === null ? tcpTransport : driverTransport(printPage, `${KIOSK_ORIGIN}/print.html`, driverName));
  const queue = await openPrintQueue(host, file(FILES.printQueue), transport, { host: printerHost, port: Number(printerPort) });
  // Jobs waiting for paper or a printer switched back on print by themselves.
  host.schedule(() => void queue.drain(), PRINT_DRAIN_EVERY_MS);

  let pending = 0;
  let adminExit = false;
  let appQuitting = false;
  host.onQuitting(() => {
    appQuitting = true;
  });
  const paper: Paper = settings.paper;
  let win: KioskWindow | null = null;
  let adminWin: KioskWindow | null = null;
  // The admin app's session grants nothing (no camera, no notifications, no devices), and trusts
  // the server's certificate as main's own calls do (a self-made one pinned by its fingerprint).
  const adminSes = host.kioskSession(ADMIN_PARTITION);
  adminSes.trustCertificates((req) => certificateVerdict(req, settings.serverUrl, settings.serverCertificate));
  adminSes.setPermissionRequestHandler(() => false);
  adminSes.setPermissionCheckHandler(() => false);
  adminSes.denyDevices();
  const handlers = bridgeHandlers({
    config: () => ({ serverUrl: KIOSK_ORIGIN, pairingCode: host.env.LINLI_PAIRING_CODE || null, version: host.version, paper }),
    setPendingCount: (n) => {
      pending = n;
    },
    ...printService(queue, driverName === null ? escPosJob : driverJobBytes),
    ...secretsService(secrets),
    backupDue: () => backups.due(),
    saveBackup: async (text) => {
      const kept = await backups.save(text);
      host.log(`backup kept: ${path.basename(kept.file)} (${kept.bytes} bytes)`);
    },
    exitKiosk: () => {
      adminExit = true;
      host.log('an admin closed the kiosk');
      win?.close();
    },
    openAdmin: () => {
      if (adminWin && !adminWin.isDestroyed()) {
        adminWin.focus();
        return;
      }
      host.log('the admin app opened');
      const made = host.createWindow(adminWindowOptions(host.packaged));
      adminWin = made;
      made.on('closed', () => {
        if (adminWin === made) adminWin = null;
        // Its sign-in goes with it: the next admin to open it signs in as themselves.
        void adminSes.clearStorage().catch((err: unknown) => host.log(`admin session not cleared: ${String(err).slice(0, 200)}`));
      });
      void made.loadURL(adminAppUrl(settings.serverUrl)).catch((err: unknown) => host.log(`admin app did not load: ${String(err).slice(0, 200)}`));
    },
    closeAdmin: () => {
      if (adminWin && !adminWin.isDestroyed()) adminWin.close();
    },
  });
  for (const [channel, handle] of Object.entries(handlers)) host.handleIpc(channel, handle);

  const options = (fullScreenKiosk: boolean) => kioskWindowOptions(host.preload, { production: host.packaged, fullScreenKiosk, partition: secrets.partition() });
  win = keptAlive(host, host.createWindow(options(settings.kioskMode)), KIOSK_URL, 'kiosk');
  const kioskWin = win;
  kioskWin.on('close', (event) => {
    if (!mayClose({ kioskMode: settings.kioskMode, adminExit, appQuitting })) {
      event.preventDefault();
      return;
    }
    // Staff closing it are warned of waiting events; the system shutting down is not held up.
    const warning = appQuitting ? null : quitWarning(pending);
    if (warning && host.dialogs.choose('warning', warning.title, warning.message, ['留在邻里 / Stay', '仍然退出 / Quit']) === 0) {
      event.preventDefault();
      adminExit = false;
    }
  });
  kioskWin.on('closed', () => host.quit());
  host.onSecondInstance((argv) => {
    if (argv.includes('--restore-backup')) void restoreBackup(host, backups);
    else kioskWin.focus();
  });

  // The canteen's calling screen on a second display, while there is one.
  let calling: KioskWindow | null = null;
  let retiring = false;
  const placeCallingScreen = () => {
    const { all, primaryId } = host.displays();
    const display = callingScreenDisplay(settings.callingScreen, secrets.profile(), all, primaryId);
    if (display && !calling) {
      const made = keptAlive(host, host.createWindow({ ...options(false), ...display.bounds, fullscreen: true, frame: false, title: '叫号屏 / Calling screen' }), CALLING_SCREEN_URL, 'calling screen');
      calling = made;
      made.on('close', (event) => {
        if (!retiring && !mayClose({ kioskMode: settings.kioskMode, adminExit, appQuitting })) event.preventDefault();
      });
      made.on('closed', () => {
        if (calling === made) calling = null;
      });
    } else if (!display && calling && !calling.isDestroyed()) {
      // Its display was unplugged: the calling screen goes, the counter stays.
      retiring = true;
      calling.close();
      retiring = false;
    }
  };
  placeCallingScreen();
  host.onDisplaysChanged(placeCallingScreen);

  if (settings.keepAwake) host.keepDisplayAwake();
  if (settings.autoStart && host.packaged) {
    host.setAutoStart(autoStart({ platform: host.platform, execPath: process.execPath, appImage: host.env.APPIMAGE, configHome: host.env.XDG_CONFIG_HOME ?? path.join(host.env.HOME ?? '', '.config') }));
  }
  updates?.checkInBackground(UPDATE_CHECK_EVERY_MS, (fn, ms) => host.schedule(fn, ms));

  return { settings, window: kioskWin, callingScreen: () => calling, queue, backups, secrets, pending: () => pending };
}

/**
 * Loads the page in a window and brings it back when its renderer is gone (a crash, an OOM, a
 * kill): after a delay that grows while it keeps crashing (life.ts), each time logged.
 */
function keptAlive(host: Host, win: KioskWindow, url: string, what: string): KioskWindow {
  const policy = new RestartPolicy(host.now);
  win.webContents.on('render-process-gone', (_event, details) => {
    const delay = policy.onGone(details.reason);
    if (delay === null) return;
    host.log(`${what} page gone (${details.reason}, exit code ${details.exitCode}); crash ${policy.count} in a row, reloading in ${delay} ms`);
    host.after(() => {
      if (win.isDestroyed()) return;
      policy.restarted();
      void win.loadURL(url).catch((err: unknown) => host.log(`${what} page did not load again: ${String(err)}`));
    }, delay);
  });
  void win.loadURL(url).catch((err: unknown) => host.log(`${what} page did not load: ${String(err)}`));
  return win;
}

/**
 * The device secrets, opened; or a new set on a first start. A file that cannot be read is kept
 * aside and staff are told (null: the kiosk does not start). When an earlier file was kept aside
 * and none stands in for it, a new set is made only when an admin chooses to pair this PC again:
 * its page then gets a session of its own, and the old one's data stays on disk, untouched.
 */
async function openSecrets(host: Host, secretsFile: string): Promise<DeviceSecrets | null> {
  const store: SecretFile = { read: () => readIfThere(secretsFile), write: (data) => writeFileDurably(secretsFile, data) };
  try {
    const opened = await DeviceSecrets.open(host.safeBox, store);
    if (opened) return opened;
  } catch (err) {
    if (!(err instanceof SecretsUnreadable)) throw err;
    host.log(`secrets unreadable: ${err.message}`);
    const m = unreadableMessage('secrets', keepAside(secretsFile, new Date(host.now())));
    host.dialogs.tell('error', m.title, m.message);
    return null;
  }
  const lost = keptAside(secretsFile);
  if (lost.length === 0) return DeviceSecrets.create(host.safeBox, store);
  const m = unreadableMessage('secrets', lost[lost.length - 1]!);
  const choice = host.dialogs.choose('warning', m.title, `${m.message}\n\n重新配对会让本机作为新柜台从头开始；旧数据保留在磁盘上，不会删除。\nPairing again starts this PC as a new kiosk; the old data stays on disk.`,
    ['退出 / Quit', '重新配对本机 / Pair this PC again']);
  if (choice !== 1) return null;
  host.log('an admin chose to pair this PC again: new secrets, a new page session');
  return DeviceSecrets.create(host.safeBox, store, `persist:kiosk-${host.now().toString(36)}`);
}

/** The print queue; a file that cannot be read is kept aside, staff are told, and the queue starts empty. */
async function openPrintQueue(host: Host, queueFile: string, transport: Transport, address: { host: string; port: number }): Promise<PrintQueue> {
  const open = () => PrintQueue.open(fileJobStore(queueFile, host.now), transport, { address, timeoutMs: 3_000, now: host.now });
  try {
    return await open();
  } catch (err) {
    if (!(err instanceof QueueFileUnreadable)) throw err;
    host.log(`print queue unreadable: ${err.message}`);
    const m = unreadableMessage('printQueue', keepAside(queueFile, new Date(host.now())));
    host.dialogs.tell('warning', m.title, m.message);
    return open();
  }
}

/**
 * A restore staff run from the start menu (「邻里 · 恢复备份」, `--restore-backup`): pick a day,
 * save its export file (to a USB stick), and an admin imports it on the server.
 */
async function restoreBackup(host: Host, backups: Backups): Promise<void> {
  const list = backups.list();
  if (list.length === 0) {
    host.dialogs.tell('info', '没有备份 / No backups', '本机还没有备份。/ This PC has no backups yet.');
    return;
  }
  const label = (b: BackupFile) => `${b.day}（${Math.max(1, Math.round(b.bytes / 1024))} KB）`;
  const choice = host.dialogs.choose('question', '恢复备份 / Restore a backup',
    '选择要恢复的日期。恢复会把那天备份中本机的全部记录写成一个文件，由管理员在服务器上导入（已经同步过的记录不会重复记账）。\n'
      + 'Pick a day. Its backup of this kiosk\'s events is written to a file for an admin to import on the server (events it already has are not counted twice).',
    ['取消 / Cancel', ...list.map(label)]);
  if (choice <= 0) return;
  const backup = list[choice - 1]!;
  const dest = host.dialogs.saveAs('保存恢复文件 / Save the restored file', `linli-backup-${backup.day}.json`);
  if (!dest) return;
  try {
    const r = await backups.restoreTo(backup, dest);
    host.log(`backup of ${backup.day} restored to a file (${r.events} events)`);
    host.dialogs.tell('info', '已写出恢复文件 / Restored file written',
      `柜台 ${r.deviceCode} 在 ${backup.day} 的备份（${r.events} 条记录）已写到：\n${dest}\n\n请把它交给管理员，在服务器上导入：\nnpm run admin -- import "${path.basename(dest)}"\n`
        + `\nThe backup of kiosk ${r.deviceCode} of ${backup.day} (${r.events} events) is in the file above. An admin imports it on the server with the command above.`);
    host.dialogs.showFile(dest);
  } catch (err) {
    host.log(`restore failed: ${String(err)}`);
    host.dialogs.tell('error', '无法恢复 / Cannot restore', `这份备份无法打开（可能不是在本机、本账户下做的，或已损坏）。\nThis backup cannot be opened (made on another PC or account, or damaged).\n\n${String(err)}`);
  }
}
