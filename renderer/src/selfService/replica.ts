import { affordableGoods, beforeCutoff, cardLookupText, formatShanghai, matchCard, parseCardCode, selfServiceCardPrefix, SELF_SERVICE_ENTRIES, usualMeal, type Goods, type LedgerEntry, type MealOrder, type MealSitting, type MenuMeal, type Resident, type RowState } from '../../../core/index.js';
import type { LinliDb } from '../store/db.js';
import { businessNow, goodsIn, shownIn, sittingsOnDays, viewOf, type ShownSitting } from '../store/view.js';
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
  const [sittings, booked] = await Promise.all([sittingsAhead(db, now), residentId === null ? Promise.resolve([]) : bookedSittings(db, residentId)]);
  return offered(sittings, booked);
}

/** Today's and tomorrow's sittings, and the business day and time they are offered at. */
async function sittingsAhead(db: LinliDb, now: number): Promise<{ at: { day: string; time: string }; sittings: ShownSitting[] }> {
  const at = await businessNow(db, now);
  return { at, sittings: await sittingsOnDays(db, [at.day, formatShanghai(at.instant + 86_400_000).slice(0, 10)]) };
}

/** Of the sittings ahead, the first three still taking bookings, each with its set meal (on sale). */
function offered({ at, sittings }: Awaited<ReturnType<typeof sittingsAhead>>, booked: readonly string[]): OfferedSitting[] {
  const out: OfferedSitting[] = [];
  for (const s of sittings) {
    const meal = usualMeal(s.meals);
    if (!meal || !beforeCutoff(s.sitting, at.day, at.time)) continue;
    out.push({ sitting: s.sitting, meal, placesLeft: Math.max(0, s.places.capacity - s.places.used), booked: booked.includes(s.sitting.id) });
  }
  return out.slice(0, 3);
}

/** The sittings a resident holds a booking for, pending bookings included. */
async function bookedSittings(db: LinliDb, residentId: string): Promise<string[]> {
  return bookedIn(await viewOf(db), await db.mealOrders.where('residentId').equals(residentId).toArray(), residentId);
}

const bookedIn = (view: RowState, orders: readonly MealOrder[], residentId: string) =>
  shownIn(view, 'mealOrders', orders, (o) => o.residentId === residentId && o.state === 'booked').map((o) => o.sittingId);

/** Everything the screen shows of the person who scanned. */
export type Person = { resident: Resident; balance: number; entries: LedgerEntry[]; affordable: Goods[]; sittings: OfferedSitting[] };

/**
 * The person's balance, last entries, the goods they can have and the meals they may book, every
 * read at once (issue 13: the balance within 50 ms): one view of the outbox for the balance, the
 * goods and the bookings, and the sittings' own (`sittingsOnDays`) beside it.
 */
export async function personOf(db: LinliDb, resident: Resident, now: number): Promise<Person> {
  const [view, entries, goods, orders, ahead] = await Promise.all([
    viewOf(db, { accounts: [resident.accountId] }),
    db.ledger.where('accountId').equals(resident.accountId).toArray(),
    db.goods.toArray(),
    db.mealOrders.where('residentId').equals(resident.id).toArray(),
    sittingsAhead(db, now),
  ]);
  const balance = view.row('accounts', resident.accountId)?.balance ?? 0;
  return {
    resident, balance,
    entries: newestFirst(entries).slice(0, SELF_SERVICE_ENTRIES),
    affordable: affordableGoods(goodsIn(view, goods), balance),
    sittings: offered(ahead, bookedIn(view, orders, resident.id)),
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
