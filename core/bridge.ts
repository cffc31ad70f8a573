import { z } from 'zod';
import type { Message } from './i18n/messages.js';
import { PrintDocSchema, type Paper, type PrintDoc } from './printing/document.js';
import { MAX_EXPORT_BYTES } from './sync/exportFile.js';

/**
 * The kiosk bridge: the one object the Electron preload puts on `window.linli`. Each method is one
 * IPC channel (`linli:<name>`), declared once below with its argument schema and result type; the
 * preload, main's handlers (which validate every payload and check the sender) and the page's type
 * `LinliBridge` are all derived from `BRIDGE_METHODS`, so a rename breaks the build, not the kiosk.
 * In a plain browser there is no bridge and the kiosk falls back to its own origin.
 */

/** A print job as the kiosk asks for it. */
export type PrintRequest = { jobId: string; label: string; doc: PrintDoc };

/** A print job as the kiosk shows it. */
export type PrintJobView = { id: string; label: string; state: 'queued' | 'printing' | 'printed' | 'unknown'; problem: Message | null; reprintOf: string | null };

/**
 * What an Electron kiosk's page holds instead of its device token. The page's sync calls go to its
 * own origin (`app://kiosk/api/…`); main forwards them to the server and puts the real token in
 * the header there, so the token never enters the page (see electron/proxy.ts). The page keeps
 * sending `Bearer TOKEN_IN_MAIN` like any token, so its sync client is the browser's, unchanged.
 */
export const TOKEN_IN_MAIN = 'token-kept-by-the-main-process';

/** What main tells the kiosk at start. */
export type KioskConfig = { serverUrl: string; pairingCode: string | null; version: string; paper: Paper };

/** A print request as it crosses the bridge: keyed by the event id it prints. */
export const PrintRequestSchema = z.object({
  jobId: z.string().regex(/^[0-9a-f-]{36}$/),
  label: z.string().min(1).max(40),
  doc: PrintDocSchema,
}).strict() satisfies z.ZodType<PrintRequest>;

const B64_HASH = z.string().regex(/^[A-Za-z0-9+/=]{40,64}$/);

/** One method: its argument schema, and (as a type only) what it answers. */
const method = <R>() => <A extends z.ZodTuple>(args: A) => ({ args, result: undefined as unknown as R });

/** Every method of the bridge, once. */
export const BRIDGE_METHODS = {
  /** Where the sync server is, and a pairing code handed over by the launcher (demo only). */
  config: method<KioskConfig>()(z.tuple([])),
  /** Tells main how many events wait to be synced, so quitting with some can warn. */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a method that answers nothing
  setPendingCount: method<void>()(z.tuple([z.number().int().min(0).max(10_000_000)])),
  /** Queues the receipt of a committed event; printed at most once, keyed by the event id. */
  print: method<PrintJobView>()(z.tuple([PrintRequestSchema])),
  /** Staff reprint a job (the document marked 补打): a new job of its own. */
  reprint: method<PrintJobView>()(z.tuple([PrintRequestSchema])),
  /** Where the print jobs stand, newest last. */
  printJobs: method<PrintJobView[]>()(z.tuple([])),
  /**
   * The device token stays in main (sealed with the OS keychain): main took it from the enrolment
   * answer on its way to the page. The page only ever holds `TOKEN_IN_MAIN`: `token` answers it
   * once main holds a token (null before), and `saveToken` takes nothing else.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a method that answers nothing
  saveToken: method<void>()(z.tuple([z.string().regex(/^[A-Za-z0-9_-]{20,100}$/)])),
  token: method<string | null>()(z.tuple([])),
  /** Whether today's backup of the kiosk's own events is still to be made (main keeps the last seven). */
  backupDue: method<boolean>()(z.tuple([])),
  /** Hands main the day's backup: the kiosk's signed outbox export (text); main encrypts and keeps it. */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a method that answers nothing
  saveBackup: method<void>()(z.tuple([z.string().min(2).max(MAX_EXPORT_BYTES)])),
  /** Closes the kiosk: offered to admin staff only (kiosk mode blocks every other way out). */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a method that answers nothing
  exitKiosk: method<void>()(z.tuple([])),
  /**
   * Opens the admin app (the server's `/admin.html`) in a window of its own, over the kiosk:
   * offered to admin staff, who still sign in there with the admin password. A second call
   * brings the open window to the front.
   */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a method that answers nothing
  openAdmin: method<void>()(z.tuple([])),
  /** Closes the admin app's window (its sign-in goes with it): the kiosk calls it when no admin is signed in there. */
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- a method that answers nothing
  closeAdmin: method<void>()(z.tuple([])),
  /** Wraps a staff PIN hash (base64) with the device secret main keeps. */
  wrapPin: method<string>()(z.tuple([B64_HASH])),
  /** Whether a candidate PIN hash (base64) matches a wrapped one. */
  checkPin: method<boolean>()(z.tuple([z.string().regex(/^[A-Za-z0-9+/=]{40,200}$/), B64_HASH])),
  /**
   * A self-service kiosk's keyed hash of a card's serial (`LL` + 8 digits; see
   * `selfService/cardLookup.ts`): main derives the card key from the token it keeps, so the page
   * never holds the key. Null before enrolment.
   */
  cardHash: method<string | null>()(z.tuple([z.string().regex(/^LL\d{8}$/)])),
} as const;

/** The name of a bridge method. */
export type BridgeMethod = keyof typeof BRIDGE_METHODS;
/** The arguments of a method, as the page passes them. */
export type BridgeArgs<M extends BridgeMethod> = z.output<(typeof BRIDGE_METHODS)[M]['args']>;
/** What a method answers. */
export type BridgeResult<M extends BridgeMethod> = (typeof BRIDGE_METHODS)[M]['result'];

/** Every method's name. */
export const BRIDGE_NAMES = Object.keys(BRIDGE_METHODS) as BridgeMethod[];

/** The IPC channel of a method. */
export const bridgeChannel = <M extends BridgeMethod>(m: M): `linli:${M}` => `linli:${m}`;

/** `window.linli` as the page sees it. */
export type LinliBridge = { [M in BridgeMethod]: (...args: BridgeArgs<M>) => Promise<BridgeResult<M>> };

/** What main implements for each method (the handlers check the sender and the arguments first). */
export type BridgeImpl = { [M in BridgeMethod]: (...args: BridgeArgs<M>) => BridgeResult<M> | Promise<BridgeResult<M>> };
