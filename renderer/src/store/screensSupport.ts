import {
  balanceOf, businessInstant, counterDay, decideRedemption, figuresByCategory, reversibilityOf, formatShanghai, shopNameForPrint, receiptNumber, redemptionTotal, refuse, stockOf,
  type CategoryFigures, type Decision, type FigureCategory, type LedgerEntry, type LinliEvent, type PartnerShop, type Redemption, type RedemptionReceipt, type Resident, type ServiceHours, type TableName, type TableRow,
} from '../../../core/index.js';
import { decideAndWrite, type Clock } from './actions.js';
import type { LinliDb } from './db.js';
import { residentByCard, shownLedgerOf, viewOf, type ShownResident } from './view.js';
import { allRows, ledgerBetween } from './packs.js';

/*
 * What the points store's screens need beside the store's actions: a partner shop's redemption at
 * the store, the residents a search looks through, and the figures of a day and of the months.
 * Every figure is read from what the screen shows (the replica with this kiosk's pending events
 * laid over it), so an entry made offline counts at once and never twice.
 */

/** What a clerk asks for a partner shop: the shop takes these goods, this many of each, for its points. */
export type ShopRedeemCommand = { shopId: string; picks: readonly { goodsId: string; quantity: number }[] };

/**
 * A partner shop redeems goods at the store with its own points (爱心商铺 earn points and redeem at
 * the store themselves): `core/`'s `decideRedemption` against the shop's account, written as
 * `goodsRedeemed` v2 with the shop as holder. Answers the receipt, after the commit.
 */
export async function redeemForShop(db: LinliDb, clock: Clock, staffId: string, cmd: ShopRedeemCommand, staffName?: string): Promise<Decision<{ event: LinliEvent; receipt: RedemptionReceipt }>> {
  type Made = Omit<RedemptionReceipt, 'receiptNo' | 'at' | 'centreName'>;
  const done = await decideAndWrite<Made>(db, clock, staffId, async () => {
    const shop = (await viewOf(db, { partnerShops: [cmd.shopId] })).row('partnerShops', cmd.shopId);
    if (!shop || !shop.active) return refuse('refusedUnknownRow', { table: 'partnerShops', id: cmd.shopId });
    const view = await viewOf(db, { accounts: [shop.accountId], goods: cmd.picks.map((p) => p.goodsId) });
    const picks = [];
    for (const p of cmd.picks) {
      const g = view.row('goods', p.goodsId);
      if (!g) return refuse('unknownGoods', { code: p.goodsId });
      picks.push({ goods: { ...g, stock: stockOf(view, g.id) }, quantity: p.quantity });
    }
    const balance = balanceOf(view, shop.accountId);
    const decided = decideRedemption(balance, picks);
    if (!decided.ok) return decided;
    const total = redemptionTotal(decided.value);
    return {
      ok: true,
      value: {
        body: { kind: 'goodsRedeemed', version: 2, payload: { accountId: shop.accountId, holder: { kind: 'partnerShop', id: shop.id }, lines: decided.value } },
        result: {
          kind: 'redemption', residentName: shopNameForPrint(shop), totalPoints: total, balanceAfter: balance - total, ...(staffName ? { staffName } : {}),
          lines: decided.value.map((l) => ({ name: view.row('goods', l.goodsId)?.name ?? l.goodsId, quantity: l.quantity, pointPrice: l.pointPrice, points: l.quantity * l.pointPrice })),
        },
      },
    };
  });
  if (!done.ok) return done;
  const device = (await db.device())!;
  const { event, result } = done.value;
  return { ok: true, value: { event, receipt: { ...result, centreName: device.centreName, receiptNo: receiptNumber(device.deviceCode, event.seq), at: businessInstant(event.at, event.clockOffset) } } };
}

/**
 * The residents this kiosk's pending events registered or changed (a card replaced offline), as the
 * screen shows them: what a search adds to the replica's residents until they are synced.
 */
export async function pendingResidents(db: LinliDb): Promise<Resident[]> {
  return (await viewOf(db)).touched('residents').map((t) => t.row);
}

/** A ledger entry as the history shows it: pending or not, and the balance right after it. */
export type HistoryLine = LedgerEntry & { pending: boolean; balanceAfter: number; reversible: 'yes' | 'reversed' | 'no'; redemption: Redemption | null };

/**
 * A resident's ledger, newest first, the pending entries on top, each with the balance after it
 * (counted back from the balance shown now) and whether a reversal (冲正) may be made of it: a
 * redemption (through its record, goods and all) or an award by points; never a reversal itself.
 */
export async function historyWithBalance(db: LinliDb, accountId: string, limit: number): Promise<{ lines: HistoryLine[]; more: boolean }> {
  const { view, entries } = await shownLedgerOf(db, accountId);
  const all = entries.map((e) => ({ e, pending: e.pending }));
  const shown = all.slice(0, limit);
  const redemptionIds = shown.filter(({ e }) => e.category === 'redemption').map(({ e }) => e.eventId);
  const redemptions = await viewOf(db, { redemptions: redemptionIds });
  let balance = balanceOf(view, accountId);
  const lines = shown.map(({ e, pending: p }): HistoryLine => {
    const after = balance;
    balance -= e.delta;
    const redemption = e.category === 'redemption' ? redemptions.row('redemptions', e.eventId) ?? null : null;
    return { ...e, pending: p, balanceAfter: after, reversible: reversibilityOf(e, redemption), redemption };
  });
  return { lines, more: all.length > limit };
}

/** The business day (YYYY-MM-DD, Asia/Shanghai) of an instant. */
export const shanghaiDay = (instant: number): string => formatShanghai(instant).slice(0, 10);

/** The instants a business day runs between: from its midnight in Shanghai, 24 hours. */
export function dayBounds(day: string): { from: string; to: string } {
  const start = Date.parse(`${day}T00:00:00+08:00`);
  return { from: new Date(start).toISOString(), to: new Date(start + 86_400_000).toISOString() };
}

/**
 * The ledger entries as the screen shows them, all or those of a time range (ISO instants, `to`
 * excluded): the replica's (a range read by time, however long the ledger) and the packed ones,
 * with the entries of pending events and their patches laid over.
 */
async function shownLedger(db: LinliDb, range?: { from: string; to: string }): Promise<LedgerEntry[]> {
  const view = await viewOf(db);
  const rows = range ? await ledgerBetween(db, range.from, range.to) : await allRows(db, 'ledger');
  const touched = view.touched('ledger').filter(({ row }) => !range || (row.at >= range.from && row.at < range.to));
  if (touched.length === 0) return rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const { row } of touched) byId.set(row.id, row);
  return [...byId.values()];
}

/**
 * The figures of a day at the counter, as the day summary (日结单) prints them: this counter's own
 * (see `daySummary`), and the centre's points per category from the ledger (`centre`).
 */
export type DayFigures = {
  redemptions: number; pointsSpent: number; pointsAwarded: number; stockReceived: number; unsynced: number;
  goodsOut: { name: string; quantity: number }[];
  centre: CategoryFigures[];
};

/**
 * The day summary (日结单) of this counter for a business day, as the clerk closes it: what this
 * kiosk did that day, from its own events (the outbox keeps them 30 days, synced or not; those the
 * server refused are left out): redemptions not reversed, their points and the goods that left the
 * shelf; points given (awards, certified hours, donations) not reversed; items taken into stock
 * (stock-ins and donations); and how many of its entries still wait to be synced. Only the day's
 * events are read, newest first, however much ledger the kiosk holds.
 */
export async function daySummary(db: LinliDb, day: string): Promise<DayFigures> {
  const { from, to } = dayBounds(day);
  const start = Date.parse(from);
  const end = Date.parse(to);
  // Newest first, until well before the day (a clock set back a little does not hide an event).
  const events: LinliEvent[] = [];
  await db.outbox.reverse().until((o) => businessInstant(o.event.at, o.event.clockOffset) < start - 12 * 3_600_000).each((o) => {
    const at = businessInstant(o.event.at, o.event.clockOffset);
    if (o.status !== 'rejected' && at >= start && at < end) events.push(o.event);
  });
  const figures = counterDay(events);
  // Goods by name: the replica's, or goods this kiosk added that day and has not synced yet.
  const goods = await db.goods.bulkGet([...figures.goodsOut.keys()]);
  return {
    redemptions: figures.redemptions, pointsSpent: figures.pointsSpent, pointsAwarded: figures.pointsAwarded, stockReceived: figures.stockReceived,
    unsynced: await db.outbox.where('status').equals('pending').count(),
    centre: figuresByCategory(await shownLedger(db, dayBounds(day))),
    goodsOut: [...figures.goodsOut].map(([id, quantity], i) => ({ name: goods[i]?.name ?? figures.addedGoods.get(id) ?? id, quantity }))
      .sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name, 'zh')),
  };
}

/** Points given and taken in a month, per category, with how many entries. */
export type MonthFigures = { month: string; rows: CategoryFigures[] };

/**
 * Points issued and redeemed per category, per month (YYYY-MM in Shanghai), newest month first,
 * over the whole ledger this kiosk holds (`figuresByCategory`).
 */
export async function monthFigures(db: LinliDb): Promise<MonthFigures[]> {
  const months = new Map<string, LedgerEntry[]>();
  for (const e of await shownLedger(db)) {
    const month = formatShanghai(Date.parse(e.at)).slice(0, 7);
    const entries = months.get(month);
    if (entries) entries.push(e);
    else months.set(month, [e]);
  }
  return [...months].sort(([a], [b]) => (a < b ? 1 : -1)).map(([month, entries]) => ({ month, rows: figuresByCategory(entries) }));
}

/** What a month's report says of it, whichever file it goes to: the header, a row per category, the total. */
type MonthWords = { header: readonly [string, string, string, string, string]; category(c: FigureCategory): string };

function monthTable(m: MonthFigures, words: MonthWords): (string | number)[][] {
  const total = m.rows.reduce((t, r) => ({ issued: t.issued + r.issued, redeemed: t.redeemed + r.redeemed, entries: t.entries + r.entries }), { issued: 0, redeemed: 0, entries: 0 });
  return [
    [...words.header],
    ...m.rows.map((r) => [m.month, words.category(r.category), r.issued, r.redeemed, r.entries]),
    [m.month, '合计 / Total', total.issued, total.redeemed, total.entries],
  ];
}

/** A month's figures as CSV (UTF-8 with a byte-order mark, so Excel opens the Chinese right). */
export function monthCsv(m: MonthFigures, words: MonthWords): string {
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return `\uFEFF${monthTable(m, words).map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * A month's figures as an Excel workbook (exceljs), the same table as the CSV with numbers as
 * numbers. exceljs is large: it is loaded the first time a clerk asks for a workbook.
 */
export async function monthWorkbook(m: MonthFigures, words: MonthWords): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(m.month);
  for (const line of monthTable(m, words)) sheet.addRow(line);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c, i) => { c.width = i === 1 ? 16 : 12; });
  return book.xlsx.writeBuffer();
}

/**
 * Every row of a small replicated table (rules, partner shops, service entries) as the screen shows
 * it: the replica's rows with this kiosk's pending events laid over them, and the rows they made.
 */
export async function shownTable<T extends Exclude<TableName, 'staff'>>(db: LinliDb, table: T): Promise<TableRow<T>[]> {
  const rows = (await db.replica(table).toArray()) as TableRow<T>[];
  const view = await viewOf(db, { [table]: rows.map((r) => r.id) });
  const byId = new Map(rows.map((r) => [r.id, view.row(table, r.id) ?? r]));
  for (const { row } of view.touched(table)) byId.set(row.id, row);
  return [...byId.values()];
}

/** Service entries (服务认证) certified on or after a day (YYYY-MM-DD), as the screen shows them, newest day first. */
export async function recentServiceHours(db: LinliDb, since: string): Promise<ServiceHours[]> {
  const rows = await db.serviceHours.where('day').aboveOrEqual(since).toArray();
  const view = await viewOf(db, { serviceHours: rows.map((r) => r.id) });
  const byId = new Map(rows.map((r) => [r.id, view.row('serviceHours', r.id) ?? r]));
  for (const { row } of view.touched('serviceHours')) if (row.day >= since) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : a.activity.localeCompare(b.activity, 'zh')));
}

/** A partner shop with the balance of its own points account, as the screen shows it. */
export type ShopWithBalance = PartnerShop & { balance: number };

/** Every partner shop (active first, by name), each with its account's balance. */
export async function shopsWithBalance(db: LinliDb): Promise<ShopWithBalance[]> {
  const shops = await shownTable(db, 'partnerShops');
  const view = await viewOf(db, { accounts: shops.map((s) => s.accountId) });
  return shops.map((s) => ({ ...s, balance: balanceOf(view, s.accountId) }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh'));
}

/**
 * A resident by card code with the balance the screen shows, as `residentByCard` answers, but also
 * right for a card replaced on this kiosk and not synced yet: `residentByCard` then finds the
 * resident through the pending replacement, which names no account, and reads a balance of 0.
 */
export async function residentByCardShown(db: LinliDb, cardCode: string): Promise<ShownResident | undefined> {
  const found = await residentByCard(db, cardCode);
  if (!found || (await db.residents.where('cardCode').equals(cardCode).count()) > 0) return found;
  const view = await viewOf(db, { accounts: [found.resident.accountId] });
  return { resident: found.resident, balance: balanceOf(view, found.resident.accountId) };
}
