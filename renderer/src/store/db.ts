import Dexie, { type Table } from 'dexie';
import { KIOSK_SCHEMA_VERSION, REPLICATED, TABLE_NAMES, type LinliEvent, type RefusalReason, type SignInFailures, type StaffMember, type TableName, type TableRow } from '../../../core/index.js';
import type { WedgeConfig } from '../scan/burst.js';
import type { WrappedPin } from '../staff/keeper.js';
import type { PackRow } from './packs.js';

/**
 * The kiosk's local copy (Dexie over IndexedDB).
 *
 * Replica tables (`accounts`, `residents`, `goods`, `ledger`…) hold server state only and are
 * written only by the sync client's merge (and by the unpacking of what a merge landed packed:
 * packs.ts). A clerk's action writes its event to the `outbox`
 * (and bumps the seq in `meta`) in one transaction; the screen shows the replica with the
 * outbox events the replica does not reflect yet applied over it (see view.ts).
 *
 * Opened with strict durability: Chrome's default ('relaxed') can lose a committed event in a
 * power cut, and success is shown only after the commit.
 */

/**
 * An event of this kiosk, with what the server said of it so far. `pending`: not yet acknowledged;
 * `applied`: the server applied it at `serverSeq`; `reflected`: the replica holds its effects;
 * `rejected`: the server refused it (its reason is in `rejections`). Acknowledged events are kept
 * `KEEP_ACKNOWLEDGED_MS` (DESIGN.md: a server restored from a backup gets them pushed again); only
 * `pending` and `applied` ones are laid over the replica.
 */
export type OutboxRow = {
  seq: number;
  id: string;
  event: LinliEvent;
  status: 'pending' | 'applied' | 'reflected' | 'rejected';
  serverSeq: number | null;
};

/** How long the kiosk keeps events the server acknowledged: a restore loses nothing younger. */
export const KEEP_ACKNOWLEDGED_MS = 30 * 86_400_000;

/** The outbox statuses whose events the replica does not show yet. */
export const UNREFLECTED: readonly OutboxRow['status'][] = ['pending', 'applied'];

/**
 * An event the server refused: its effect is no longer shown, and staff are told why. Rows kept
 * before schema 3 hold the server's English sentence instead of a message.
 */
export type RejectionRow = { id: string; seq: number; event: LinliEvent; reason: RefusalReason | string; at: string };

/**
 * Who this kiosk is: written once at enrolment. A wiped database is a new device. `token` is empty
 * when the Electron main process keeps it (see staff/keeper.ts).
 */
export type DeviceMeta = {
  key: 'device'; deviceId: string; deviceCode: string; token: string; centreId: string; centreName: string; serverUrl: string;
  profile: 'selfService' | 'counter' | 'canteen';
};
/** The device's ECDSA key pair, made at enrolment; the private key cannot be read out. */
export type KeysMeta = { key: 'keys'; pair: CryptoKeyPair };
/** The browser's PIN-wrapping key (non-extractable), when no Electron main keeps one. */
export type VaultMeta = { key: 'vault'; secret: CryptoKey };
/** Wrong PIN tries per staff card on this kiosk. */
export type FailuresMeta = { key: 'signInFailures'; byCard: Record<string, SignInFailures> };
/** The device's next seq: gap-free, never reused. */
export type SeqMeta = { key: 'seq'; next: number };
/** Where the replica stands: the server epoch and the change sequence merged up to. */
export type CursorMeta = { key: 'cursor'; epoch: string; seq: number };
/** How far this device's clock runs ahead of the server's, as of the last sync. */
export type ClockMeta = { key: 'clock'; offset: number };
/** This counter's scanner settings (timing, terminator, prefixes); the defaults when absent. */
export type ScannerMeta = { key: 'scanner'; config: WedgeConfig };
/** The next card number of this kiosk's own block (see `cardSerialFor`). */
export type CardsMeta = { key: 'cards'; next: number };
/** The next of this kiosk's own goods codes (see `ownCodeSerial`). */
export type OwnCodesMeta = { key: 'ownCodes'; next: number };
/** Packs are waiting to be unpacked (see packs.ts): absent when none are, so an action's reads skip them. */
export type PacksMeta = { key: 'packs'; waiting: true };
/**
 * Bumped by every write that takes events out of the outbox's unreflected ones (a merge, a
 * rejection): with the cursor, it tells a kept view (view.ts) that the events it laid over are
 * still the ones to lay over, without reading them all again. Absent until the first bump.
 */
export type OutboxGenMeta = { key: 'outboxGen'; gen: number };
export type MetaRow = OutboxGenMeta | PacksMeta | OwnCodesMeta | DeviceMeta | SeqMeta | CursorMeta | ClockMeta | ScannerMeta | KeysMeta | VaultMeta | FailuresMeta | CardsMeta;

/** A staff member as the kiosk keeps them: the PIN hash wrapped with the device secret. */
export type StaffRow = Omit<StaffMember, 'pin'> & { pin: WrappedPin | null };

/** A replicated row as the kiosk keeps it. */
export type KioskRow<T extends TableName> = T extends 'staff' ? StaffRow : TableRow<T>;
/** The replica's tables, one per entry of `core/sync/tables.ts` (Dexie makes them from the stores below). */
type ReplicaTables = { [T in TableName]: Table<KioskRow<T>, string> };

/** The kiosk's own tables, beside the replica. */
const LOCAL_STORES = { outbox: 'seq, &id, status', rejections: 'id', meta: 'key', packs: 'key' } as const;

// Declaration merging gives the class the replica's table properties, which Dexie creates.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions, @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface LinliDb extends ReplicaTables {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LinliDb extends Dexie {
  outbox!: Table<OutboxRow, number>;
  rejections!: Table<RejectionRow, string>;
  meta!: Table<MetaRow, MetaRow['key']>;
  /** Big pulls of packed tables, waiting to be unpacked into them (see packs.ts). */
  packs!: Table<PackRow, string>;

  constructor(name = 'linli') {
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      accounts: 'id',
      residents: 'id, cardCode, accountId',
      goods: 'id, barcode',
      ledger: 'id, accountId, changeSeq',
      outbox: 'seq, &id, status',
      rejections: 'id',
      meta: 'key',
    });
    // Version 2: staff (sign-in offline) and the exception queue. New tables only: a kiosk of
    // version 1 keeps its outbox and replica and pulls the new tables' rows from 0.
    this.version(2).stores({
      staff: 'id, cardCode',
      exceptions: 'id, resolvedBy, changeSeq',
    }).upgrade(resetCursor);
    // From version 3 the replica's stores are derived from the one list of replicated tables;
    // `KIOSK_SCHEMA_VERSION` goes up with it. Versions 1 and 2 stay as they were shipped.
    this.version(KIOSK_SCHEMA_VERSION)
      .stores({ ...Object.fromEntries(TABLE_NAMES.map((t) => [t, REPLICATED[t].dexie])), ...LOCAL_STORES })
      .upgrade(upgradeReplica);
  }

  /** A replica table by name. */
  replica<T extends TableName>(name: T): Table<KioskRow<T>, string> {
    return this.table(name);
  }

  async device(): Promise<DeviceMeta | undefined> {
    return (await this.meta.get('device')) as DeviceMeta | undefined;
  }

  async cursor(): Promise<CursorMeta> {
    return ((await this.meta.get('cursor')) as CursorMeta | undefined) ?? { key: 'cursor', epoch: '', seq: 0 };
  }

  async clockOffset(): Promise<number> {
    return ((await this.meta.get('clock')) as ClockMeta | undefined)?.offset ?? 0;
  }

  /**
   * What an action decides and writes on, in one read of the meta rows: the device, its clock
   * offset, the cursor, the next seq, the outbox's generation and whether packs wait to be
   * unpacked. Read inside the action's transaction; it holds until the action writes its event.
   * (The seqs of the outbox's unreflected events are not read: that read grows with a day offline,
   * and was half an award's time with 400 events waiting. `OutboxGenMeta` stands for it.)
   */
  async basis(): Promise<ActionBasis> {
    const [device, clock, cursor, seq, packs, outboxGen] = await this.meta.bulkGet(['device', 'clock', 'cursor', 'seq', 'packs', 'outboxGen']);
    return {
      device: device as DeviceMeta | undefined,
      clockOffset: (clock as ClockMeta | undefined)?.offset ?? 0,
      cursor: (cursor as CursorMeta | undefined) ?? { key: 'cursor', epoch: '', seq: 0 },
      nextSeq: (seq as SeqMeta | undefined)?.next ?? 1,
      outboxGen: (outboxGen as OutboxGenMeta | undefined)?.gen ?? 0,
      packsWaiting: packs !== undefined,
    };
  }

  /**
   * Says, inside the transaction that does it, that events left the outbox's unreflected ones
   * other than by being written (see `OutboxGenMeta`). The transaction must include `meta`.
   */
  async outboxChanged(): Promise<void> {
    const gen = ((await this.meta.get('outboxGen')) as OutboxGenMeta | undefined)?.gen ?? 0;
    await this.meta.put({ key: 'outboxGen', gen: gen + 1 });
  }
}

/** See `LinliDb.basis`. */
export type ActionBasis = { device: DeviceMeta | undefined; clockOffset: number; cursor: CursorMeta; nextSeq: number; outboxGen: number; packsWaiting: boolean };

/**
 * After a schema change the new tables' (or columns') rows came before the cursor: pull everything
 * again once. Rows are idempotent puts; the outbox is untouched.
 */
async function resetCursor(tx: { table(name: string): Table }): Promise<void> {
  await tx.table('meta').update('cursor', { seq: 0 });
}

/** The upgrade to today's schema: everything pulled again, and what the kept rows lack filled in meanwhile. */
async function upgradeReplica(tx: { table(name: string): Table }): Promise<void> {
  await resetCursor(tx);
  // Meals kept from before schema 8 have no on-sale mark: they were on sale (as the server's
  // column defaults), and an offline kiosk must go on selling them until its pull says otherwise.
  await tx.table('meals').toCollection().modify((m: { offered?: boolean }) => {
    if (m.offered === undefined) m.offered = true;
  });
}
