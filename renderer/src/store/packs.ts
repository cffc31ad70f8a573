import type { Table } from 'dexie';
import { PACKED_TABLES, type PackedTable } from '../../../core/index.js';
import type { KioskRow, LinliDb } from './db.js';

/*
 * Packed landing of big pulls (`TableSpec.packed`: accounts, ledger, redemptions). IndexedDB's
 * cost is per record, ~30 µs in Chromium whatever its size: a first download of the full demo
 * centre put 51,000 of those rows into their tables one by one, 1.8 of the pairing's 3.5 s (issue
 * 10's `first_pairing_download`), where 26 records of 2,000 take 0.1 s. A merge that brings more
 * than `PACK_ROWS` rows of a packed table puts them in the `packs` store instead, in the same
 * transaction as the cursor (a crash loses nothing), and `unpack` moves them into their table
 * after, a pack a transaction, while the kiosk is already in use. Until then the reads below look
 * in the packs too: `viewOf` (rows by id), a resident's ledger, the whole ledger. Of two copies of
 * a row, the one of the later change wins wherever it is.
 */

/** Rows a pack holds, and the most of a packed table a merge puts in its table row by row. */
export const PACK_ROWS = 2_000;

/** A pack: rows of one table from one merge, waiting to be unpacked. */
export type PackRow = { key: string; table: PackedTable; rows: KioskRow<PackedTable>[] };

/** Packs sort by table, then by the merge that landed them (the cursor's seq it moved to), then in order. */
const packKey = (table: PackedTable, seq: number, n: number) => `${table}/${String(seq).padStart(15, '0')}/${String(n).padStart(6, '0')}`;

export const isPacked = (table: string): table is PackedTable => (PACKED_TABLES as readonly string[]).includes(table);

/**
 * The packs a merge puts instead of `rows`, or null when they go into their table row by row: many
 * rows, or any while the table has packs waiting (a table's rows are then always older than its
 * packs', and packs are unpacked in the order they landed, so unpacking overwrites blindly).
 */
export function packsFor(table: PackedTable, rows: readonly KioskRow<PackedTable>[], cursorSeq: number, waiting: boolean): PackRow[] | null {
  if (rows.length === 0 || (rows.length <= PACK_ROWS && !waiting)) return null;
  const packs: PackRow[] = [];
  for (let i = 0; i < rows.length; i += PACK_ROWS) packs.push({ key: packKey(table, cursorSeq, i / PACK_ROWS), table, rows: rows.slice(i, i + PACK_ROWS) });
  return packs;
}

/** The packed tables with packs waiting. */
export async function tablesWaiting(db: LinliDb): Promise<Set<PackedTable>> {
  const counts = await Promise.all(PACKED_TABLES.map((t) => db.packs.where('key').startsWith(`${t}/`).count()));
  return new Set(PACKED_TABLES.filter((_, i) => counts[i]! > 0));
}

const newer = <R extends { changeSeq: number }>(a: R | undefined, b: R | undefined): R | undefined => (!a ? b : !b ? a : b.changeSeq > a.changeSeq ? b : a);

/**
 * Moves every pack into its table in the order they landed, one pack a transaction (a clerk's
 * action waits for one pack at most). Returns the rows unpacked.
 */
export async function unpack(db: LinliDb): Promise<number> {
  // Every sync cycle calls this: without the merge's marker there is nothing to unpack, and no write transaction is opened.
  if (!(await db.meta.get('packs'))) return 0;
  let moved = 0;
  for (;;) {
    const done = await db.transaction('rw', [db.packs, db.meta, ...PACKED_TABLES.map((t) => db.replica(t))], async () => {
      const pack = await db.packs.orderBy('key').first();
      if (!pack) {
        await db.meta.delete('packs');
        return true;
      }
      await (db.replica(pack.table) as unknown as Table<KioskRow<PackedTable>, string>).bulkPut(pack.rows);
      await db.packs.delete(pack.key);
      moved += pack.rows.length;
      return false;
    });
    if (done) return moved;
  }
}

/** The rows of `table` still in packs, the latest copy of each by id; empty (one quick read) when there are none. */
export async function packedRows<T extends PackedTable>(db: LinliDb, table: T): Promise<Map<string, KioskRow<T>>> {
  const rows = new Map<string, KioskRow<T>>();
  const range = db.packs.where('key').startsWith(`${table}/`);
  if ((await range.count()) === 0) return rows;
  for (const pack of await range.toArray()) {
    for (const row of pack.rows as KioskRow<T>[]) rows.set(row.id, newer(rows.get(row.id), row)!);
  }
  return rows;
}

/*
 * Each read below takes the packs first and the table after: rows only move from packs to tables
 * (and a later change lands where the later copy wins), so a pack unpacked between the two reads
 * is found in the table, never missed. Read the other way round, a row could be in neither.
 */

/**
 * The rows of `ids` (in order): the table's (`read`), with the packs' later copies and the rows
 * only they hold; the table's alone when no packs wait (`waiting`, the meta row the merge writes).
 */
export async function withPacked<T extends PackedTable>(db: LinliDb, table: T, ids: readonly string[], read: () => Promise<(KioskRow<T> | undefined)[]>, waiting: boolean): Promise<(KioskRow<T> | undefined)[]> {
  if (!waiting) return read();
  const packed = await packedRows(db, table);
  const found = await read();
  if (packed.size === 0) return found;
  return ids.map((id, i) => newer(found[i], packed.get(id)));
}

/** Rows of the table and of the packs, the later copy of each. */
function merged<R extends { id: string; changeSeq: number }>(rows: readonly R[], packed: ReadonlyMap<string, R>, keep: (row: R) => boolean = () => true): R[] {
  if (packed.size === 0) return [...rows];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [id, row] of packed) if (keep(row)) byId.set(id, newer(byId.get(id), row)!);
  return [...byId.values()];
}

/** Every row of `table` the kiosk holds: its table's and its packs'. */
export async function allRows<T extends PackedTable>(db: LinliDb, table: T): Promise<KioskRow<T>[]> {
  const packed = await packedRows(db, table);
  return merged((await db.replica(table).toArray()) as KioskRow<T>[], packed);
}

/** The ledger entries of one account the kiosk holds (table and packs), oldest first: by time, then id (an event's entries in order). */
export async function ledgerOf(db: LinliDb, accountId: string): Promise<KioskRow<'ledger'>[]> {
  const packed = await packedRows(db, 'ledger');
  const rows = merged(await db.ledger.where('accountId').equals(accountId).toArray(), packed, (e) => e.accountId === accountId);
  // Not by change: a reversal moves its entry's change sequence to its own, not the entry's place in time.
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The ledger entries of a time range the kiosk holds (table and packs), from `from` to before `to` (ISO instants). */
export async function ledgerBetween(db: LinliDb, from: string, to: string): Promise<KioskRow<'ledger'>[]> {
  const packed = await packedRows(db, 'ledger');
  return merged(await db.ledger.where('at').between(from, to, true, false).toArray(), packed, (e) => e.at >= from && e.at < to);
}
