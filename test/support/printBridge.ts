import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { bridgeHandlers } from '../../electron/kiosk.js';
import { PrintQueue } from '../../electron/printing/queue.js';
import { printService } from '../../electron/printing/service.js';
import { fileJobStore } from '../../electron/printing/store.js';
import { tcpTransport } from '../../electron/printing/transport.js';
import { DeviceSecrets, secretsService, type SecretFile } from '../../electron/secrets.js';
import { BRIDGE_NAMES, bridgeChannel } from '../../core/index.js';
import type { FakePrinter } from './fakePrinter.js';

/**
 * Gives the kiosk pages of a browser context the Electron bridge without Electron: `window.linli`
 * forwards each call to the real bridge handlers of `electron/` (sender checked, payloads
 * validated as from the kiosk's own page), which drive the real print queue and TCP transport to
 * a fake printer. The queue drains every 200 ms, as main's does every few seconds. `exitKiosk`
 * hears an admin close the kiosk (main would close its window), `openAdmin` an admin open the
 * admin app (main would open its window).
 */
export async function installPrintBridge(context: BrowserContext, printer: FakePrinter, o: { exitKiosk?: () => void; openAdmin?: () => void; closeAdmin?: () => void } = {}): Promise<{ queue: PrintQueue; close(): void }> {
  const queue = await PrintQueue.open(fileJobStore(path.join(mkdtempSync(path.join(tmpdir(), 'linli-queue-')), 'queue.json')), tcpTransport, {
    address: printer.address, timeoutMs: 1_000, now: () => Date.now(),
  });
  const handlers = bridgeHandlers({
    config: () => ({ serverUrl: '', pairingCode: null, version: 'test', paper: '58mm' }),
    setPendingCount: () => undefined,
    ...printService(queue),
    ...(await secrets()),
    backupDue: () => false, saveBackup: () => undefined, exitKiosk: o.exitKiosk ?? (() => undefined), openAdmin: o.openAdmin ?? (() => undefined), closeAdmin: o.closeAdmin ?? (() => undefined),
  });
  await context.exposeFunction('__linliCall', async (channel: string, args: unknown[]) => {
    const handle = handlers[channel as keyof typeof handlers];
    if (!handle) throw new Error(`no channel ${channel}`);
    return handle('app://kiosk/', args);
  });
  // As plain text: the page gets no helpers of the test's TypeScript loader. Every method of the
  // bridge (as the preload derives them), but config, which names the page's own origin here.
  const methods = BRIDGE_NAMES.filter((m) => m !== 'config').map((m) => `${m}: (...a) => window.__linliCall('${bridgeChannel(m)}', a)`);
  await context.addInitScript(`window.linli = {
    config: async () => ({ serverUrl: location.origin, pairingCode: null, version: 'test', paper: '58mm' }),
    ${methods.join(',\n    ')}
  };`);
  const timer = setInterval(() => void queue.drain(), 200);
  return { queue, close: () => clearInterval(timer) };
}

/**
 * Main's secret calls for a page the server serves: the PIN secret is main's own (`secretsService`),
 * but the token is kept as given, because no main process forwards this page's sync calls (in
 * Electron it never reaches the page: electron/proxy.ts). The OS keychain is not here: a box that
 * only tags the text stands in for safeStorage.
 */
async function secrets() {
  const kept = await DeviceSecrets.create({
    encrypt: (t) => Promise.resolve(Buffer.from(`sealed:${t}`)),
    decrypt: (b) => Promise.resolve({ result: b.toString().slice(7), shouldReEncrypt: false }),
  }, memoryFile());
  let token: string | null = null;
  return {
    ...secretsService(kept),
    saveToken: (t: string) => void (token = t),
    token: () => token,
  };
}

function memoryFile(): SecretFile {
  let data: Buffer | null = null;
  return { read: () => data, write: (d) => void (data = d) };
}
