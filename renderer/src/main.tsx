import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { KioskConfig, LinliBridge } from '../../core/index.js';
import { App } from './App.js';
import { drawingUnprintableLines } from './printing/rasterize.js';
import { systemClock } from './store/actions.js';
import { LinliDb } from './store/db.js';
import { keepShellOffline } from './shell.js';
import { exportOutbox } from './sync/exportOutbox.js';
import './styles.css';

declare global {
  // Declaration merging into the DOM's Window needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    linli?: LinliBridge;
  }
}

/**
 * Starts the kiosk. In Electron the bridge says where the server is; in a browser the kiosk
 * is served by the server itself, so it is this page's origin. A pairing code may come in the
 * address's fragment (#pair=CODE): never sent to a server, never in a log.
 */
async function start(): Promise<void> {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('pair');
  const config: KioskConfig = window.linli ? await window.linli.config() : { serverUrl: location.origin, pairingCode: null, version: 'browser', paper: '58mm' };
  const db = new LinliDb();
  // Persistent storage: the browser will not evict the kiosk's database (and its outbox) under
  // storage pressure. Electron grants it; a browser may refuse, and then the kiosk says so.
  const persisted = navigator.storage?.persist ? await navigator.storage.persist().catch(() => null) : null;
  keepShellOffline().catch((err: unknown) => console.warn('offline shell not kept', err));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App db={db} config={{ ...config, pairingCode: fromHash ?? config.pairingCode }} bridge={window.linli ? drawingUnprintableLines(window.linli) : null} clock={systemClock} persisted={persisted}
        onPending={(n) => void window.linli?.setPendingCount(n)} idleMs={idleFromHash() ?? undefined} />
    </StrictMode>,
  );
  if (window.linli) backUpDaily(db, window.linli);
}

/**
 * The Electron kiosk's daily backup (electron/backup.ts): every hour the page asks main whether
 * today's is due and, if so, hands it every event it keeps, signed; main encrypts and keeps seven.
 */
function backUpDaily(db: LinliDb, bridge: LinliBridge): void {
  const run = async () => {
    if (!(await bridge.backupDue())) return;
    const file = await exportOutbox(db, Date.now(), 'kept');
    if (file) await bridge.saveBackup(file.text);
  };
  const attempt = () => void run().catch((err: unknown) => console.warn('backup not made', err));
  setTimeout(attempt, 60_000);
  setInterval(attempt, 3_600_000);
}

/** A shorter idle sign-out for demos and tests (`#idle=MS`, at least 2 s). */
function idleFromHash(): number | null {
  const ms = Number(new URLSearchParams(location.hash.slice(1)).get('idle'));
  return Number.isInteger(ms) && ms >= 2_000 ? ms : null;
}

void start();
