import type { Message } from './i18n/messages.js';
import type { Paper, PrintDoc } from './printing/document.js';

/**
 * The kiosk bridge: the one object the Electron preload puts on `window.linli`. Each method is
 * one IPC channel (`linli:<name>`); main validates every payload and checks the sender. In a
 * plain browser there is no bridge and the kiosk falls back to its own origin.
 */
export type LinliBridge = {
  /** Where the sync server is, and a pairing code handed over by the launcher (demo only). */
  config(): Promise<KioskConfig>;
  /** Tells main how many events wait to be synced, so quitting with some can warn. */
  setPendingCount(count: number): Promise<void>;
  /** Queues the receipt of a committed event; printed at most once, keyed by the event id. */
  print(job: PrintRequest): Promise<PrintJobView>;
  /** Staff reprint a job (the document marked 补打): a new job of its own. */
  reprint(job: PrintRequest): Promise<PrintJobView>;
  /** Where the print jobs stand, newest last. */
  printJobs(): Promise<PrintJobView[]>;
  /** Keeps the device token in main (sealed with the OS keychain), never in the page's storage. */
  saveToken(token: string): Promise<void>;
  token(): Promise<string | null>;
  /** Wraps a staff PIN hash (base64) with the device secret main keeps. */
  wrapPin(hashB64: string): Promise<string>;
  /** Whether a candidate PIN hash (base64) matches a wrapped one. */
  checkPin(wrapped: string, candidateB64: string): Promise<boolean>;
};

/** A print job as the kiosk asks for it. */
export type PrintRequest = { jobId: string; label: string; doc: PrintDoc };

/** A print job as the kiosk shows it. */
export type PrintJobView = { id: string; label: string; state: 'queued' | 'printing' | 'printed' | 'unknown'; problem: Message | null; reprintOf: string | null };

/** What main tells the kiosk at start. */
export type KioskConfig = { serverUrl: string; pairingCode: string | null; version: string; paper: Paper };

/** The IPC channel of each bridge method. */
export const BRIDGE_CHANNELS = {
  config: 'linli:config',
  setPendingCount: 'linli:setPendingCount',
  print: 'linli:print',
  reprint: 'linli:reprint',
  printJobs: 'linli:printJobs',
  saveToken: 'linli:saveToken',
  token: 'linli:token',
  wrapPin: 'linli:wrapPin',
  checkPin: 'linli:checkPin',
} as const satisfies Record<keyof LinliBridge, `linli:${string}`>;
