import Dexie, { type Table } from 'dexie';
import type { Goods, LedgerEntry, LinliEvent, PointsAccount, Resident, RuleExceptionRow, SignInFailures, StaffMember } from '../../../core/index.js';
import type { WedgeConfig } from '../scan/burst.js';
import type { WrappedPin } from '../staff/keeper.js';

/**
 * The kiosk's local copy (Dexie over IndexedDB).
 *
 * Replica tables (`accounts`, `residents`, `goods`, `ledger`) hold server state only and are
 * written only by the sync client's merge. A clerk's action writes its event to the `outbox`
 * (and bumps the seq in `meta`) in one transaction; the screen shows the replica with the
 * outbox events the replica does not reflect yet applied over it (see view.ts).
 *
 * Opened with strict durability: Chrome's default ('relaxed') can lose a committed event in a
 * power cut, and success is shown only after the commit.
 */

/** An event waiting in the outbox, with what the server said of it so far. */
export type OutboxRow = {
  seq: number;
  id: string;
  event: LinliEvent;
  /** pending: not yet acknowledged; applied: the server applied it at `serverSeq`. */
  status: 'pending' | 'applied';
  serverSeq: number | null;
};

/** An event the server refused: its effect is no longer shown, and staff are told why. */
export type RejectionRow = { id: string; seq: number; event: LinliEvent; reason: string; at: string };

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
export type MetaRow = DeviceMeta | SeqMeta | CursorMeta | ClockMeta | ScannerMeta | KeysMeta | VaultMeta | FailuresMeta;

/** A staff member as the kiosk keeps them: the PIN hash wrapped with the device secret. */
export type StaffRow = Omit<StaffMember, 'pin'> & { pin: WrappedPin | null };

export class LinliDb extends Dexie {
  accounts!: Table<PointsAccount, string>;
  residents!: Table<Resident, string>;
  goods!: Table<Goods, string>;
  ledger!: Table<LedgerEntry, string>;
  staff!: Table<StaffRow, string>;
  exceptions!: Table<RuleExceptionRow, string>;
  outbox!: Table<OutboxRow, number>;
  rejections!: Table<RejectionRow, string>;
  meta!: Table<MetaRow, MetaRow['key']>;

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
    }).upgrade(async (tx) => {
      // The new tables' rows came before the cursor: pull everything again once (rows are
      // idempotent puts; the outbox is untouched).
      await tx.table('meta').update('cursor', { seq: 0 });
    });
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
}

/** The replica tables, for transactions that read what the screen shows. */
export const replicaTables = (db: LinliDb) => [db.accounts, db.residents, db.goods, db.ledger, db.staff, db.exceptions, db.outbox, db.meta];
