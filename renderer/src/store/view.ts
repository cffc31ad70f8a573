import {
  cardSerialPrefix, overlay, overlayOnto, refsOf, TABLE_NAMES, type CardCode, type Goods, type LedgerEntry, type LookupView, type Message, type Ref, type Resident,
  type LinliEvent, type RowState, type RuleExceptionRow, type TableName, type TableRow,
} from '../../../core/index.js';
import Dexie from 'dexie';
import { UNREFLECTED, type ActionBasis, type KioskRow, type LinliDb, type OutboxRow } from './db.js';
import { isPacked, ledgerOf, withPacked } from './packs.js';

/*
 * What the screen shows: the replica with the outbox events it does not reflect yet laid over it,
 * through each kind's `apply` and `core/`'s one fold. An outbox row is marked `reflected` in the
 * same transaction that merges the pull reflecting it, so a pending event is never counted twice
 * and never dropped.
 */

/** Rows a screen wants to see, by table and id. */
import {
  formatShanghai, heldCategories, mealAccountId, type Eligibility, type MealOrder, type MealSitting, type MenuMeal, type SubsidyRule,
} from '../../../core/index.js';

export type Wanted = Partial<Record<TableName, Iterable<string>>>;

/**
 * The last view built on a kiosk's store, kept to be carried forward: the replica rows it loaded
 * (by table and id, and by unique field), the fold's state, and `nextSeq`: it laid over every
 * unreflected outbox event below that seq. Valid while the replica is the same (the cursor: only a
 * merge writes replica rows, and every merge moves it; unpacking moves rows from packs into tables
 * as they were, and the views read both) and no event left the unreflected ones (the outbox's
 * generation: a merge or a rejection bumps it). The events written since (seqs from `nextSeq` on:
 * seqs are given in order, and only a merge or a rejection takes an event out) are then laid over
 * it alone; a clerk's next action lays over its own new event.
 */
type ViewCache = {
  epoch: string; cursorSeq: number; centreId: string; outboxGen: number; nextSeq: number;
  rows: Map<TableName, Map<string, unknown>>; fields: Map<string, unknown>; state: RowState;
};
const viewCaches = new WeakMap<LinliDb, ViewCache>();

/**
 * The view of the rows `wanted` names and of every row the pending events touch: replica rows
 * with the pending events laid over them. Rows a pending event created show in `touched()`.
 *
 * Each action at the counter asks for one, inside its transaction, with the day's pending events
 * still in the outbox (a day offline is hundreds). Laying all of them over again each time made an
 * award cost ten times a plain transaction (issue 11's `award_commit_p95`); so the last view is
 * carried forward (`ViewCache`) when only new events came after it, and built whole otherwise.
 * `basis`: what the action's transaction has read already (`LinliDb.basis`).
 */
export async function viewOf(db: LinliDb, wanted: Wanted = {}, basis?: ActionBasis): Promise<RowState> {
  const { cursor, device, nextSeq, outboxGen, packsWaiting } = basis ?? await db.basis();
  const centreId = device?.centreId ?? '';
  const cached = viewCaches.get(db);
  if (cached && cached.epoch === cursor.epoch && cached.cursorSeq === cursor.seq && cached.centreId === centreId
    && cached.outboxGen === outboxGen && cached.nextSeq <= nextSeq) {
    const carried = await carryForward(db, cached, nextSeq, wanted, packsWaiting);
    if (carried) return carried;
  }
  const built = await buildView(db, centreId, wanted, packsWaiting);
  // Outside a transaction an event may have been written after the basis was read: it is in the view.
  keep(db, { epoch: cursor.epoch, cursorSeq: cursor.seq, centreId, outboxGen, ...built, nextSeq: Math.max(nextSeq, built.nextSeq) });
  return built.state;
}

/**
 * Keeps a view for the next one to carry forward, once what it read is committed: inside a
 * transaction that aborts, its events may never have been (and their seqs are given again).
 */
function keep(db: LinliDb, cache: ViewCache): void {
  const tx = Dexie.currentTransaction;
  if (!tx) viewCaches.set(db, cache);
  else tx.on('complete', () => viewCaches.set(db, cache));
}

/** Rows of `ids` (by table) and of unique fields not loaded yet, into `rows` and `fields`. */
async function loadInto(db: LinliDb, rows: Map<TableName, Map<string, unknown>>, fields: Map<string, unknown>, ids: Map<TableName, Set<string>>, byField: readonly Extract<Ref, { field: string }>[], packsWaiting: boolean): Promise<void> {
  // Every table's reads at once: each is a round trip of its own to IndexedDB.
  await Promise.all([...ids].map(async ([table, set]) => {
    const loaded = rows.get(table) ?? new Map<string, unknown>();
    const needed = [...set].filter((id) => !loaded.has(id));
    if (needed.length === 0) return;
    rows.set(table, loaded);
    // A packed table's rows may still be in their packs (see packs.ts).
    const found: unknown[] = isPacked(table)
      ? await withPacked(db, table, needed, async () => (await db.replica(table).bulkGet(needed)) as (KioskRow<typeof table> | undefined)[], packsWaiting)
      : await db.replica(table).bulkGet(needed);
    // A row not there is remembered as such: the next view does not ask again.
    needed.forEach((id, i) => loaded.set(id, found[i]));
  }));
  // Rows named by a unique field (a card code): the field is indexed in the replica.
  await Promise.all(byField.map(async (r) => {
    const key = `${r.table}.${r.field}.${r.value}`;
    if (!fields.has(key)) fields.set(key, await db.replica(r.table).where(r.field).equals(r.value).first());
  }));
}

/** What `wanted` and `events`' refs name, by table (ids) and by unique field. */
function named(wanted: Wanted, events: readonly Pick<OutboxRow, 'event'>[]): { ids: Map<TableName, Set<string>>; byField: Extract<Ref, { field: string }>[] } {
  const ids = new Map<TableName, Set<string>>(TABLE_NAMES.map((t) => [t, new Set(wanted[t] ?? [])]));
  const byField: Extract<Ref, { field: string }>[] = [];
  for (const { event } of events) {
    for (const r of refsOf(event)) {
      if ('id' in r) ids.get(r.table)!.add(r.id);
      else byField.push(r);
    }
  }
  return { ids, byField };
}

const lookup = (rows: Map<TableName, Map<string, unknown>>, fields: Map<string, unknown>): LookupView => ({
  row: <T extends TableName>(table: T, id: string) => (rows.get(table)?.get(id) ?? undefined) as TableRow<T> | undefined,
  rowWhere: <T extends TableName>(table: T, field: string, value: string) => (fields.get(`${table}.${field}.${value}`) ?? undefined) as TableRow<T> | undefined,
});

/** The view built whole: every unreflected event of the outbox laid over the replica. */
async function buildView(db: LinliDb, centreId: string, wanted: Wanted, packsWaiting: boolean): Promise<Omit<ViewCache, 'epoch' | 'cursorSeq' | 'centreId' | 'outboxGen'>> {
  const pending: OutboxRow[] = await db.outbox.where('status').anyOf(UNREFLECTED).sortBy('seq');
  const { ids, byField } = named(wanted, pending);
  const rows = new Map<TableName, Map<string, unknown>>();
  const fields = new Map<string, unknown>();
  await loadInto(db, rows, fields, ids, byField, packsWaiting);
  const base = lookup(rows, fields);
  const nextSeq = (pending.at(-1)?.seq ?? 0) + 1;
  const missing: { table: TableName; id: string }[] = [];
  const state = overlay(base, centreId, pending.map((r) => r.event), undefined, (m) => missing.push(...m));
  if (missing.length === 0) return { nextSeq, rows, fields, state };
  // Rows the effects move that no ref named (a reversal moves its redemption's account): load, lay over again.
  await loadInto(db, rows, fields, tableIds(missing), [], packsWaiting);
  return { nextSeq, rows, fields, state: overlay(base, centreId, pending.map((r) => r.event)) };
}

/**
 * The cached view with the events written since (seqs up to `nextSeq`) laid over it, and the rows
 * `wanted` names loaded; null when one is missing or a new event moves a row no ref named (the
 * view is then built whole).
 */
async function carryForward(db: LinliDb, cache: ViewCache, nextSeq: number, wanted: Wanted, packsWaiting: boolean): Promise<RowState | null> {
  const newSeqs = Array.from({ length: nextSeq - cache.nextSeq }, (_, i) => cache.nextSeq + i);
  const fresh = await newEvents(db, newSeqs);
  if (fresh.length !== newSeqs.length) return null;
  const { ids, byField } = named(wanted, fresh);
  await loadInto(db, cache.rows, cache.fields, ids, byField, packsWaiting);
  if (fresh.length === 0) return cache.state;
  let missed = false;
  // The cached state goes on from where it stopped, in a fork of its own: the same fold, one event after another.
  const state = overlayOnto(cache.state.fork(), fresh.map((r) => r.event), undefined, () => void (missed = true));
  if (missed) return null;
  keep(db, { ...cache, nextSeq, state });
  return state;
}

/**
 * Events this store wrote and committed, by seq, until a view lays them over: the next action's
 * view takes its predecessor's event from here instead of reading it back from the outbox.
 */
const writtenEvents = new WeakMap<LinliDb, Map<number, LinliEvent>>();
const WRITTEN_KEPT = 1_000;

/** Notes an event written in the current transaction, once it commits (an aborted one's seq is given again). */
export function noteWritten(db: LinliDb, event: LinliEvent): void {
  const note = () => {
    let written = writtenEvents.get(db);
    if (!written) writtenEvents.set(db, (written = new Map()));
    written.set(event.seq, event);
    // A store whose views are never asked for keeps only its latest events.
    if (written.size > WRITTEN_KEPT) written.delete(written.keys().next().value!);
  };
  const tx = Dexie.currentTransaction;
  if (tx) tx.on('complete', note);
  else note();
}

/** The outbox events of `seqs`, from what this store wrote when it has them all, else read. */
async function newEvents(db: LinliDb, seqs: readonly number[]): Promise<Pick<OutboxRow, 'event'>[]> {
  if (seqs.length === 0) return [];
  const written = writtenEvents.get(db);
  const events = seqs.map((seq) => written?.get(seq));
  for (const seq of seqs) written?.delete(seq);
  if (events.every((e) => e !== undefined)) return events.map((event) => ({ event }));
  // One that is not waiting any more leaves a row out, and the view is built whole.
  return (await db.outbox.bulkGet([...seqs])).flatMap((r) => (r && UNREFLECTED.includes(r.status) ? [r] : []));
}

const tableIds = (list: readonly { table: TableName; id: string }[]) => {
  const ids = new Map<TableName, Set<string>>();
  for (const m of list) {
    let set = ids.get(m.table);
    if (!set) ids.set(m.table, (set = new Set()));
    set.add(m.id);
  }
  return ids;
};

/** A resident as the counter shows them, with the balance after pending events. */
export type ShownResident = { resident: Resident; balance: number };

/**
 * Why a checked card code shows no resident: an older card of a resident whose card was replaced
 * (its serial is there with another generation), or no resident at all.
 */
export async function missingCardReason(db: LinliDb, card: CardCode): Promise<Message> {
  const current = await db.residents.where('cardCode').startsWith(cardSerialPrefix(card)).first();
  return current ? { key: 'cardReplaced', params: { code: card.code } } : { key: 'unknownResident', params: { code: card.code } };
}

/** Looks a resident up by card code (already parsed), with the balance the screen shows; a resident registered offline is found too. */
export async function residentByCard(db: LinliDb, cardCode: string): Promise<ShownResident | undefined> {
  const stored = await db.residents.where('cardCode').equals(cardCode).first();
  const view = await viewOf(db, { residents: stored ? [stored.id] : [], accounts: stored ? [stored.accountId] : [] });
  const resident = stored ? view.row('residents', stored.id) : view.touched('residents').map((t) => t.row).find((r) => r.cardCode === cardCode);
  // A card replaced by a pending event no longer finds its resident.
  if (!resident || resident.cardCode !== cardCode) return undefined;
  return { resident, balance: view.row('accounts', resident.accountId)?.balance ?? 0 };
}

/**
 * An account's ledger as the screen shows it, newest first: the entries pending events made (not
 * yet synced) on top, then the replica's, each as pending events left it (a synced entry a pending
 * reversal marked stays where it is, marked, and is not pending itself). With the view it was read on.
 */
export async function shownLedgerOf(db: LinliDb, accountId: string): Promise<{ view: RowState; entries: (LedgerEntry & { pending: boolean })[] }> {
  const view = await viewOf(db, { accounts: [accountId] });
  const touched = view.touched('ledger').filter((t) => t.row.accountId === accountId);
  const made = touched.filter((t) => t.touch === 'created').map((t) => t.row).reverse();
  const patched = new Map(touched.filter((t) => t.touch !== 'created').map((t) => [t.row.id, t.row]));
  const synced = (await ledgerOf(db, accountId)).reverse();
  return { view, entries: [...made.map((e) => ({ ...e, pending: true })), ...synced.map((e) => ({ ...(patched.get(e.id) ?? e), pending: false }))] };
}

/** A resident's ledger, newest first, with the entries of pending events (not yet synced) at the top. */
export async function historyOf(db: LinliDb, accountId: string, limit = 20): Promise<(LedgerEntry & { pending: boolean })[]> {
  return (await shownLedgerOf(db, accountId)).entries.slice(0, limit);
}

/** The goods' photos the screens show (pending ones included), by goods id. */
export async function shownGoodsPhotos(db: LinliDb): Promise<Map<string, string>> {
  const shown = await shownRows(db, 'goodsPhotos', await db.goodsPhotos.toArray(), (r) => r.photo !== null);
  return new Map(shown.map((r) => [r.id, r.photo!]));
}

/** Every goods of the store with the stock the screen shows, by price then name. */
export async function shownGoods(db: LinliDb): Promise<Goods[]> {
  const goods = await db.goods.toArray();
  return goodsIn(await viewOf(db, { goods: goods.map((g) => g.id) }), goods);
}

/** `shownGoods` with a view already read, over the replica's goods `fromReplica`. */
export function goodsIn(view: RowState, fromReplica: readonly Goods[]): Goods[] {
  return shownIn(view, 'goods', fromReplica, () => true).sort((a, b) => a.pointPrice - b.pointPrice || a.name.localeCompare(b.name, 'zh'));
}

/** The exceptions this kiosk's outbox resolves already, waiting to be pushed. */
export async function pendingResolutions(db: LinliDb): Promise<Set<string>> {
  const view = await viewOf(db);
  return new Set(view.touched('exceptions').flatMap((t) => (t.row.resolvedBy !== null ? [t.row.id] : [])));
}

/**
 * The exceptions still open as this kiosk sees them: the server's, not resolved there nor by a
 * pending event. Oldest first. (An exception only the kiosk's own view would raise is not the
 * server's yet, and cannot be resolved before it is.)
 *
 * Read by keys first: an open row has no `resolvedBy`, so it is in the table's keys and not in the
 * `resolvedBy` index's, and only the open rows are read. A centre's exceptions pile up resolved
 * over the years; reading every row on each change (this runs in live queries) cost the till
 * ~300 ms a sale on a centre with ten thousand.
 */
export async function openExceptions(db: LinliDb): Promise<RuleExceptionRow[]> {
  const [all, resolved, pending] = await Promise.all([
    db.exceptions.toCollection().primaryKeys(), db.exceptions.orderBy('resolvedBy').primaryKeys(), pendingResolutions(db),
  ]);
  const closed = new Set<string>(resolved);
  const rows = await db.exceptions.bulkGet(all.filter((id) => !closed.has(id) && !pending.has(id)));
  return rows.filter((x): x is RuleExceptionRow => x !== undefined && x.resolvedBy === null).sort((a, b) => a.changeSeq - b.changeSeq);
}

/** How many exceptions `openExceptions` would answer (the header's count), from counts of keys alone. */
export async function openExceptionCount(db: LinliDb): Promise<number> {
  const [all, resolved, pending] = await Promise.all([db.exceptions.count(), db.exceptions.orderBy('resolvedBy').count(), pendingResolutions(db)]);
  // A pending resolution counts only against an exception the replica holds open.
  const pendingOpen = (await db.exceptions.bulkGet([...pending])).filter((x) => x !== undefined && x.resolvedBy === null).length;
  return all - resolved - pendingOpen;
}

/** How many of this kiosk's events the replica does not reflect yet (pending, or applied and not pulled back). */
export async function waiting(db: LinliDb): Promise<number> {
  return db.outbox.where('status').anyOf(UNREFLECTED).count();
}

// ---- the canteen ------------------------------------------------------------------------------

/**
 * Rows of one table as the screen shows them: the replica's rows `fromReplica` with the pending
 * events laid over them, and the rows pending events created, kept when `keep` says so.
 */
export async function shownRows<T extends TableName>(db: LinliDb, table: T, fromReplica: readonly TableRow<T>[], keep: (row: TableRow<T>) => boolean): Promise<TableRow<T>[]> {
  return shownIn(await viewOf(db, { [table]: fromReplica.map((r) => r.id) }), table, fromReplica, keep);
}

/**
 * `shownRows` with a view already read: a replica row the view does not hold is shown as read (a
 * pending event's refs name every row it moves, so the view holds each row it changed).
 */
export function shownIn<T extends TableName>(view: RowState, table: T, fromReplica: readonly TableRow<T>[], keep: (row: TableRow<T>) => boolean): TableRow<T>[] {
  const shown = new Map<string, TableRow<T>>(fromReplica.map((r) => [r.id, view.row(table, r.id) ?? r]));
  for (const { row } of view.touched(table)) shown.set(row.id, row);
  return [...shown.values()].filter(keep);
}

/** Now in business time (the server's clock, Shanghai): the day and the time of day. */
export async function businessNow(db: LinliDb, now: number): Promise<{ day: string; time: string; instant: number }> {
  const instant = now - (await db.clockOffset());
  const text = formatShanghai(instant);
  return { day: text.slice(0, 10), time: text.slice(11, 16), instant };
}

/** A sitting as the canteen's screens show it: its places and its menu. */
export type ShownSitting = { sitting: MealSitting; places: { capacity: number; used: number }; meals: MenuMeal[] };

/** The sittings of a day, breakfast to dinner, with places and menus (pending changes included). */
export async function sittingsOn(db: LinliDb, day: string): Promise<ShownSitting[]> {
  return sittingsOnDays(db, [day]);
}

/**
 * The sittings of some days, by day and then breakfast to dinner, read in three round trips
 * whatever the number of days (a self-service scan waits for today's and tomorrow's).
 */
export async function sittingsOnDays(db: LinliDb, days: readonly string[]): Promise<ShownSitting[]> {
  const replicaSittings = await db.sittings.where('day').anyOf(days).toArray();
  const replicaIds = replicaSittings.map((s) => s.id);
  const replicaMeals = await db.meals.where('sittingId').anyOf(replicaIds).toArray();
  const view = await viewOf(db, { sittings: replicaIds, resources: replicaIds, meals: replicaMeals.map((m) => m.id) });
  const sittings = shownIn(view, 'sittings', replicaSittings, (s) => days.includes(s.day));
  // A sitting a pending event published has no meals in the replica: its meals are touched rows.
  const ids = sittings.map((s) => s.id);
  const meals = shownIn(view, 'meals', replicaMeals, (m) => ids.includes(m.sittingId));
  const order = { breakfast: 0, lunch: 1, dinner: 2 } as const;
  return sittings.sort((a, b) => a.day.localeCompare(b.day) || order[a.meal] - order[b.meal]).map((sitting) => {
    const r = view.row('resources', sitting.id);
    return {
      sitting, places: { capacity: r?.capacity ?? 0, used: r?.used ?? 0 },
      meals: meals.filter((m) => m.sittingId === sitting.id).sort((a, b) => Number(b.setMeal) - Number(a.setMeal) || a.name.localeCompare(b.name, 'zh')),
    };
  });
}

/** The orders of a sitting (booked, sold, called, delivered…) as the screen shows them. */
export async function ordersOfSitting(db: LinliDb, sittingId: string): Promise<MealOrder[]> {
  return shownRows(db, 'mealOrders', await db.mealOrders.where('sittingId').equals(sittingId).toArray(), (o) => o.sittingId === sittingId);
}

/** A resident's orders of a day, every sitting. */
export async function ordersOfResident(db: LinliDb, residentId: string, day: string): Promise<MealOrder[]> {
  return shownRows(db, 'mealOrders', await db.mealOrders.where('residentId').equals(residentId).toArray(), (o) => o.residentId === residentId && o.day === day);
}

/** The subsidy categories a resident holds on a day, and the rules and status approvals behind them. */
export async function categoriesOf(db: LinliDb, resident: Pick<Resident, 'id' | 'birthDate'>, day: string): Promise<{ held: SubsidyRule[]; rules: SubsidyRule[]; approvals: Eligibility[] }> {
  const rules = await shownRows(db, 'subsidyRules', await db.subsidyRules.toArray(), () => true);
  const approvals = await shownRows(db, 'eligibility', await db.eligibility.where('residentId').equals(resident.id).toArray(), (e) => e.residentId === resident.id);
  return { held: heldCategories(resident, rules, approvals, day), rules, approvals };
}

/** A resident's prepaid meal balance in fen, or null when they have none. */
export async function mealBalanceOf(db: LinliDb, residentId: string): Promise<number | null> {
  const id = mealAccountId(residentId);
  const view = await viewOf(db, { accounts: [id] });
  return view.row('accounts', id)?.balance ?? null;
}
