import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { KioskConfig, LinliBridge } from '../../core/index.js';
import { App } from './App.js';
import { drawingUnprintableLines } from './printing/rasterize.js';
import { systemClock } from './store/actions.js';
import { LinliDb } from './store/db.js';
import { preloadScreens } from './screens/lazy.js';
import { keepShellOffline } from './shell.js';
import { applyLargeType } from './typeSize.js';
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
  applyLargeType();
  const db = new LinliDb();
  const root = createRoot(document.getElementById('root')!);
  // Made once: drawn again (below), the kiosk must keep the same bridge and sync client.
  const props = {
    db, config: { ...config, pairingCode: fromHash ?? config.pairingCode }, bridge: window.linli ? drawingUnprintableLines(window.linli) : null, clock: systemClock,
    onPending: (n: number) => void window.linli?.setPendingCount(n), idleMs: idleFromHash() ?? undefined,
  };
  const render = (persisted: boolean | null) => root.render(<StrictMode><App {...props} persisted={persisted} /></StrictMode>);
  // The first screen is drawn before anything else the start does (cold_start_to_scan_ready):
  // persistent storage is asked for meanwhile (the notice shows once the browser answers), and
  // the other screens and the offline shell once the page is idle, not while they compete with the first paint.
  render(null);
  // Persistent storage: the browser will not evict the kiosk's database (and its outbox) under
  // storage pressure. Electron grants it; a browser may refuse, and then the kiosk says so.
  if (navigator.storage?.persist) void navigator.storage.persist().then(render, () => undefined);
  // The screens after the sign-in are fetched first, so the offline shell keeps them too.
  whenIdle(() => void preloadScreens()
    .catch((err: unknown) => console.warn('screens not preloaded', err))
    .then(keepShellOffline)
    .catch((err: unknown) => console.warn('offline shell not kept', err)));
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

/** Runs `fn` once the page has loaded and is idle (at the latest 10 s after it loaded). */
function whenIdle(fn: () => void): void {
  const idle = () => requestIdleCallback(fn, { timeout: 10_000 });
  if (document.readyState === 'complete') idle();
  else addEventListener('load', idle, { once: true });
}

/** A shorter idle sign-out for demos and tests (`#idle=MS`, at least 2 s). */
function idleFromHash(): number | null {
  const ms = Number(new URLSearchParams(location.hash.slice(1)).get('idle'));
  return Number.isInteger(ms) && ms >= 2_000 ? ms : null;
}

void start();
