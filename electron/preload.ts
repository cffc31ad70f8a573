import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_CHANNELS, type KioskConfig, type LinliBridge, type PrintJobView, type PrintRequest } from '../core/bridge.js';

/**
 * The one object the kiosk page gets: `window.linli`, one narrow method per channel. The raw
 * `ipcRenderer` is never exposed.
 */
const bridge = {
  config: () => ipcRenderer.invoke(BRIDGE_CHANNELS.config) as Promise<KioskConfig>,
  setPendingCount: (count: number) => ipcRenderer.invoke(BRIDGE_CHANNELS.setPendingCount, count) as Promise<void>,
  print: (job: PrintRequest) => ipcRenderer.invoke(BRIDGE_CHANNELS.print, job) as Promise<PrintJobView>,
  reprint: (job: PrintRequest) => ipcRenderer.invoke(BRIDGE_CHANNELS.reprint, job) as Promise<PrintJobView>,
  printJobs: () => ipcRenderer.invoke(BRIDGE_CHANNELS.printJobs) as Promise<PrintJobView[]>,
  saveToken: (token: string) => ipcRenderer.invoke(BRIDGE_CHANNELS.saveToken, token) as Promise<void>,
  token: () => ipcRenderer.invoke(BRIDGE_CHANNELS.token) as Promise<string | null>,
  wrapPin: (hashB64: string) => ipcRenderer.invoke(BRIDGE_CHANNELS.wrapPin, hashB64) as Promise<string>,
  checkPin: (wrapped: string, candidateB64: string) => ipcRenderer.invoke(BRIDGE_CHANNELS.checkPin, wrapped, candidateB64) as Promise<boolean>,
} satisfies LinliBridge;

contextBridge.exposeInMainWorld('linli', bridge);
