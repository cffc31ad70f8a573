import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { KioskConfig, LinliBridge } from '../../core/index.js';
import { App } from './App.js';
import { systemClock } from './store/actions.js';
import { LinliDb } from './store/db.js';
import { keepShellOffline } from './shell.js';
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
  void navigator.storage?.persist?.();
  keepShellOffline().catch((err: unknown) => console.warn('offline shell not kept', err));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App db={db} config={{ ...config, pairingCode: fromHash ?? config.pairingCode }} bridge={window.linli ?? null} clock={systemClock} onPending={(n) => void window.linli?.setPendingCount(n)} />
    </StrictMode>,
  );
}

void start();
