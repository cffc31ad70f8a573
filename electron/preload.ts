import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_NAMES, bridgeChannel, type LinliBridge } from '../core/bridge.js';

/**
 * The one object the kiosk page gets: `window.linli`, one narrow method per channel, derived from
 * the methods `core/bridge.ts` declares. The raw `ipcRenderer` is never exposed.
 */
const bridge = Object.fromEntries(
  BRIDGE_NAMES.map((m) => [m, (...args: unknown[]) => ipcRenderer.invoke(bridgeChannel(m), ...args)]),
) as LinliBridge;

contextBridge.exposeInMainWorld('linli', bridge);
