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
};

/** What main tells the kiosk at start. */
export type KioskConfig = { serverUrl: string; pairingCode: string | null; version: string };

/** The IPC channel of each bridge method. */
export const BRIDGE_CHANNELS = { config: 'linli:config', setPendingCount: 'linli:setPendingCount' } as const satisfies Record<keyof LinliBridge, `linli:${string}`>;
