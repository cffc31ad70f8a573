import { cardSerialPrefix, overlay, referencedIds, type CardCode, type EventBody, type Goods, type LedgerView, type Message, type Resident, type RuleExceptionRow } from '../../../core/index.js';
import type { LinliDb } from './db.js';

/*
 * What the screen shows: the replica with the outbox events it does not reflect yet applied
 * over it, through `core/`'s `apply`. An outbox row leaves in the same transaction that merges
 * the pull reflecting it, so a pending event is never counted twice and never dropped.
 */

/** The view of a few accounts and goods (and of all the pending events touch): replica values with the pending events laid over. */
export async function viewOf(db: LinliDb, accountIds: Iterable<string>, goodsIds: Iterable<string>): Promise<LedgerView> {
  const events: EventBody[] = (await db.outbox.orderBy('seq').toArray()).map((r) => r.event);
  const a = new Set(accountIds);
  const g = new Set(goodsIds);
  for (const e of events) {
    const refs = referencedIds(e);
    for (const id of refs.accountIds) a.add(id);
    for (const id of refs.goodsIds) g.add(id);
  }
  const [accounts, goods] = await Promise.all([db.accounts.bulkGet([...a]), db.goods.bulkGet([...g])]);
  const balances = new Map(accounts.flatMap((x) => (x ? [[x.id, x.balance] as const] : [])));
  const stocks = new Map(goods.flatMap((x) => (x ? [[x.id, x.stock] as const] : [])));
  return overlay({ balance: (id) => balances.get(id) ?? 0, stock: (id) => stocks.get(id) ?? 0 }, events).view;
}

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

/** Looks a resident up by card code (already parsed), with the balance the screen shows. */
export async function residentByCard(db: LinliDb, cardCode: string): Promise<ShownResident | undefined> {
  const resident = await db.residents.where('cardCode').equals(cardCode).first();
  if (!resident) return undefined;
  const view = await viewOf(db, [resident.accountId], []);
  return { resident, balance: view.balance(resident.accountId) };
}

/** Every goods of the store with the stock the screen shows, by name. */
export async function shownGoods(db: LinliDb): Promise<Goods[]> {
  const goods = await db.goods.toArray();
  const view = await viewOf(db, [], goods.map((g) => g.id));
  return goods.map((g) => ({ ...g, stock: view.stock(g.id) })).sort((a, b) => a.pointPrice - b.pointPrice || a.name.localeCompare(b.name, 'zh'));
}

/** The exceptions this kiosk's outbox resolves already, waiting to be pushed. */
export async function pendingResolutions(db: LinliDb): Promise<Set<string>> {
  return new Set((await db.outbox.toArray()).flatMap((r) => (r.event.kind === 'exceptionResolved' ? [r.event.payload.exceptionId] : [])));
}

/** The exceptions still open as this kiosk sees them: not resolved on the server, nor by a pending event. Oldest first. */
export async function openExceptions(db: LinliDb): Promise<RuleExceptionRow[]> {
  const pending = await pendingResolutions(db);
  const rows = (await db.exceptions.toArray()).filter((x) => x.resolvedBy === null && !pending.has(x.id));
  return rows.sort((a, b) => a.changeSeq - b.changeSeq);
}
