import { affordableGoods, beforeCutoff, cardLookupText, formatShanghai, matchCard, parseCardCode, selfServiceCardPrefix, SELF_SERVICE_ENTRIES, type Goods, type LedgerEntry, type MealSitting, type MenuMeal, type Resident } from '../../../core/index.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, ordersOfSitting, shownGoods, sittingsOn, viewOf } from '../store/view.js';
import type { CardHasher } from './cardKey.js';

/**
 * What the touchscreen reads from its replica. It holds residents masked and keyed (see
 * core/selfService/cardLookup.ts), each account's last entries and the orders of today and later:
 * `keepOnlyWhatTheScreenShows` drops what falls out of that after each merge.
 */

/** What a scan found. */
export type ScanResult = { kind: 'notACard' } | { kind: 'unknown' } | { kind: 'replaced' } | { kind: 'found'; resident: Resident };

/** Looks a scanned code up by the device's keyed hash of its serial; the code itself is not kept. */
export async function findByCard(db: LinliDb, hash: CardHasher, raw: string): Promise<ScanResult> {
  const card = parseCardCode(raw);
  if (!card.ok) return { kind: 'notACard' };
  const rows = await db.residents.where('cardCode').startsWith(selfServiceCardPrefix(await hash(cardLookupText(card.value)))).toArray();
  return matchCard(card.value, rows);
}

/** A sitting the screen offers: places left, its set meal, whether this resident booked it. */
export type OfferedSitting = { sitting: MealSitting; meal: MenuMeal; placesLeft: number; booked: boolean };

/** The sittings of today and tomorrow still taking bookings, each with its set meal; `residentId` marks those they booked. */
export async function bookableSittings(db: LinliDb, now: number, residentId: string | null): Promise<OfferedSitting[]> {
  const at = await businessNow(db, now);
  const tomorrow = formatShanghai(at.instant + 86_400_000).slice(0, 10);
  const days = [...(await sittingsOn(db, at.day)), ...(await sittingsOn(db, tomorrow))];
  const offered: OfferedSitting[] = [];
  for (const s of days) {
    const meal = s.meals.find((m) => m.setMeal) ?? s.meals[0];
    if (!meal || !beforeCutoff(s.sitting, at.day, at.time)) continue;
    const booked = residentId !== null && (await ordersOfSitting(db, s.sitting.id)).some((o) => o.residentId === residentId && o.state === 'booked');
    offered.push({ sitting: s.sitting, meal, placesLeft: Math.max(0, s.places.capacity - s.places.used), booked });
  }
  return offered.slice(0, 3);
}

/** Everything the screen shows of the person who scanned. */
export type Person = { resident: Resident; balance: number; entries: LedgerEntry[]; affordable: Goods[]; sittings: OfferedSitting[] };

/** The person's balance, last entries, the goods they can have and the meals they may book. */
export async function personOf(db: LinliDb, resident: Resident, now: number): Promise<Person> {
  const [view, entries, goods, sittings] = await Promise.all([
    viewOf(db, { accounts: [resident.accountId] }),
    db.ledger.where('accountId').equals(resident.accountId).toArray(),
    shownGoods(db),
    bookableSittings(db, now, resident.id),
  ]);
  return {
    resident, balance: view.row('accounts', resident.accountId)?.balance ?? 0,
    entries: newestFirst(entries).slice(0, SELF_SERVICE_ENTRIES),
    affordable: affordableGoods(goods, view.row('accounts', resident.accountId)?.balance ?? 0),
    sittings,
  };
}

const newestFirst = (entries: LedgerEntry[]) => entries.sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));

/**
 * After a merge on a self-service device: of each account whose entries came, only the newest
 * `SELF_SERVICE_ENTRIES` stay, and orders of past days go. Runs inside the merge's transaction.
 */
export async function keepOnlyWhatTheScreenShows(db: LinliDb, accountIds: Iterable<string>, today: string): Promise<void> {
  for (const accountId of new Set(accountIds)) {
    const entries = newestFirst(await db.ledger.where('accountId').equals(accountId).toArray());
    if (entries.length > SELF_SERVICE_ENTRIES) await db.ledger.bulkDelete(entries.slice(SELF_SERVICE_ENTRIES).map((e) => e.id));
  }
  await db.mealOrders.where('day').below(today).delete();
}
