import {
  activityIdFor, awardTallyIds, DONATION_CATEGORIES, donationValueOf, balanceOf, businessInstant, capTallies, maskName, receiptNumber, serviceEntryId, decideCardReplacement, needsNewSerial, decideCertification, decideCorrection, decideDonation, decideDonationValue, decideGoods, decideGoodsChange, decideReversal,
  decideGoodsPhoto, decideRule, decideRuleAward, decideShelfCount, decideShopRedemption, decideStockCount, ownCodeSerial, refuse, stockOf,
  type Decision, type DonationCategory, type GoodsForm, type LinliEvent, type RedemptionReceipt, type RosterLine, type RuleForm,
} from '../../../core/index.js';
import { decideAndWrite, freshCard, type Clock } from './actions.js';
import type { LinliDb } from './db.js';

/*
 * The points store's actions at the counter: each decides with `core/` against what the screen shows
 * (replica + pending events) and writes one event, in one transaction (`decideAndWrite`).
 */

type Done<T = null> = Promise<Decision<{ event: LinliEvent; result: T }>>;

/** Points for a resident by an earning rule: so many acts or hours, within the rule's caps. */
export function awardByRule(db: LinliDb, clock: Clock, staffId: string, cmd: { accountId: string; ruleId: string; quantity: number; note: string }): Done<{ points: number }> {
  return decideAndWrite(db, clock, staffId, async ({ today, viewOf }) => {
    const view = await viewOf({ accounts: [cmd.accountId], rules: [cmd.ruleId], resources: awardTallyIds(cmd.ruleId, cmd.accountId, today) });
    const rule = view.row('rules', cmd.ruleId);
    if (!rule) return refuse('ruleInactive', { name: cmd.ruleId });
    const d = decideRuleAward(view, rule, cmd.accountId, cmd.quantity, today, cmd.note);
    return d.ok ? { ok: true, value: { body: { kind: 'pointsAwarded', version: 2, payload: d.value }, result: { points: d.value.points } } } : d;
  });
}

/** Volunteer hours certified for an activity (服务认证) of `day` (today unless said): one volunteer or a roster. */
export function certifyService(db: LinliDb, clock: Clock, staffId: string, cmd: { ruleId: string; activity: string; team: string; roster: readonly RosterLine[]; day?: string }): Done<{ points: number }> {
  return decideAndWrite(db, clock, staffId, async ({ today, viewOf }) => {
    const day = cmd.day ?? today;
    // The entries an earlier certification of the same activity made, so nobody is certified twice.
    const activityId = activityIdFor(day, cmd.activity.trim());
    // And the volunteers, with the rule's tallies of their day and month (its caps).
    const view = await viewOf({
      rules: [cmd.ruleId], serviceHours: cmd.roster.map((l) => serviceEntryId(activityId, l.residentId)),
      residents: cmd.roster.map((l) => l.residentId), resources: cmd.roster.flatMap((l) => awardTallyIds(cmd.ruleId, l.accountId, day)),
    });
    const rule = view.row('rules', cmd.ruleId);
    if (!rule) return refuse('ruleInactive', { name: cmd.ruleId });
    const d = decideCertification(view, rule, { name: cmd.activity, team: cmd.team, day }, cmd.roster, today);
    return d.ok ? { ok: true, value: { body: { kind: 'serviceCertified', version: 1, payload: d.value }, result: { points: d.value.entries.reduce((s, e) => s + e.points, 0) } } } : d;
  });
}

/** A certified entry's minutes corrected; its points follow. */
export function correctService(db: LinliDb, clock: Clock, staffId: string, cmd: { entryId: string; minutes: number; reason: string }): Done {
  return decideAndWrite(db, clock, staffId, async ({ viewOf }) => {
    const first = await viewOf({ serviceHours: [cmd.entryId] });
    const entry = first.row('serviceHours', cmd.entryId);
    if (!entry) return refuse('cannotReverse', { why: 'unknown' });
    // The rule, the volunteer, the account and the rule's tallies for the activity's day and month.
    const view = await viewOf({ rules: [entry.ruleId], residents: [entry.residentId], accounts: [entry.accountId], resources: capTallies(entry.ruleId, entry.accountId, entry.day, { capPerDay: 0, capPerMonth: 0 }).map((t) => t.id) });
    const rule = view.row('rules', entry.ruleId);
    if (!rule) return refuse('cannotReverse', { why: 'unknown' });
    const d = decideCorrection(view, entry, rule, cmd.minutes, cmd.reason);
    return d.ok ? { ok: true, value: { body: { kind: 'serviceCorrected', version: 1, payload: d.value }, result: null } } : d;
  });
}

/** One kind of donated item as the clerk enters it: existing goods, or new goods for the shelf. */
export type DonatedItem = { category: DonationCategory; condition: 'good' | 'fair'; quantity: number } & ({ goodsId: string } | { newGoods: Omit<GoodsForm, 'barcode'> });

/** A donation taken in: the donor's points, the goods on the shelf (new goods get the store's own code). */
export function receiveDonation(db: LinliDb, clock: Clock, staffId: string, cmd: { residentId: string; items: readonly DonatedItem[]; points: number; reason: string }): Done<{ newGoodsIds: string[] }> {
  return decideAndWrite(db, clock, staffId, async ({ device, newId, viewOf }) => {
    // The donor, and the centre's valuation: each item goes at the value it has now.
    const view = await viewOf({ residents: [cmd.residentId], donationValues: DONATION_CATEGORIES });
    const resident = view.row('residents', cmd.residentId);
    if (!resident) return refuse('unknownResident', { code: cmd.residentId });
    const items = [];
    const newGoodsIds: string[] = [];
    for (const item of cmd.items) {
      const valued = { category: item.category, condition: item.condition, quantity: item.quantity, pointsEach: donationValueOf(view, item.category, item.condition) };
      if ('goodsId' in item) {
        items.push({ ...valued, goodsId: item.goodsId, newGoods: null });
        continue;
      }
      const goodsId = newId();
      const g = decideGoods({ ...item.newGoods, barcode: '' }, { goodsId, ownCodeSerial: await nextOwnCode(db, device.deviceCode) }, () => false);
      if (!g.ok) return g;
      newGoodsIds.push(goodsId);
      items.push({ ...valued, goodsId, newGoods: g.value });
    }
    const d = decideDonation({ donationId: newId() }, { residentId: resident.id, accountId: resident.accountId }, items, cmd.points, cmd.reason);
    return d.ok ? { ok: true, value: { body: { kind: 'donationReceived', version: 2, payload: d.value }, result: { newGoodsIds } } } : d;
  });
}

/** The admin's valuation of a category of donated items: points for each item in good and in fair condition. */
export function setDonationValue(db: LinliDb, clock: Clock, staffId: string, cmd: { category: DonationCategory; good: number; fair: number }): Done {
  return decideAndWrite(db, clock, staffId, async () => {
    const d = decideDonationValue(cmd.category, cmd.good, cmd.fair);
    return d.ok ? { ok: true, value: { body: { kind: 'donationValueSet', version: 1, payload: d.value }, result: null } } : d;
  });
}

/** A photo for goods (a data address the kiosk drew), or the goods' photo taken away (null). */
export function setGoodsPhoto(db: LinliDb, clock: Clock, staffId: string, goodsId: string, photo: string | null): Done {
  return decideAndWrite(db, clock, staffId, async ({ viewOf }) => {
    const view = await viewOf({ goods: [goodsId], goodsPhotos: [goodsId] });
    if (!view.row('goods', goodsId)) return refuse('unknownGoods', { code: goodsId });
    const d = decideGoodsPhoto(goodsId, view.row('goodsPhotos', goodsId)?.photo ?? null, photo);
    return d.ok ? { ok: true, value: { body: { kind: 'goodsPhotoSet', version: 1, payload: d.value }, result: null } } : d;
  });
}

/** The next of this kiosk's own goods codes (kept in `meta`, never another device's). */
async function nextOwnCode(db: LinliDb, deviceCode: string): Promise<number> {
  const row = (await db.meta.get('ownCodes')) as { key: 'ownCodes'; next: number } | undefined;
  let n = row?.next ?? 1;
  for (; ; n++) {
    const serial = ownCodeSerial(deviceCode, n);
    const taken = await db.goods.where('barcode').startsWith(`2${String(serial).padStart(11, '0')}`).first();
    if (!taken) break;
  }
  await db.meta.put({ key: 'ownCodes', next: n + 1 });
  return ownCodeSerial(deviceCode, n);
}

/** New goods in the catalogue. */
export function addGoods(db: LinliDb, clock: Clock, staffId: string, form: GoodsForm): Done<{ goodsId: string; barcode: string }> {
  return decideAndWrite(db, clock, staffId, async ({ device, newId }) => {
    const code = form.barcode.trim();
    const taken = code !== '' && (await db.goods.where('barcode').equals(code).first()) !== undefined;
    const d = decideGoods(form, { goodsId: newId(), ownCodeSerial: code === '' ? await nextOwnCode(db, device.deviceCode) : 0 }, () => taken);
    return d.ok ? { ok: true, value: { body: { kind: 'goodsAdded', version: 1, payload: d.value }, result: { goodsId: d.value.goodsId, barcode: d.value.barcode } } } : d;
  });
}

/** A price or details changed (a redemption decided at the old price keeps it), or a barcode typed wrong corrected. */
export function changeGoods(db: LinliDb, clock: Clock, staffId: string, goodsId: string, form: Omit<GoodsForm, 'barcode'> & { barcode?: string }): Done {
  return decideAndWrite(db, clock, staffId, async ({ viewOf }) => {
    const goods = (await viewOf({ goods: [goodsId] })).row('goods', goodsId);
    if (!goods) return refuse('unknownGoods', { code: goodsId });
    const code = form.barcode?.trim() ?? '';
    const holder = code === '' ? undefined : await db.goods.where('barcode').equals(code).first();
    const d = decideGoodsChange(goods, form, () => holder !== undefined && holder.id !== goodsId);
    return d.ok ? { ok: true, value: { body: { kind: 'goodsChanged', version: 1, payload: d.value }, result: null } } : d;
  });
}

/** Stock in (入库): bought, donated, or given by a partner shop. */
export function receiveStock(db: LinliDb, clock: Clock, staffId: string, cmd: { goodsId: string; quantity: number; source: 'purchase' | 'donation' | 'partnerShop'; shopId: string | null; note: string }): Done {
  return decideAndWrite(db, clock, staffId, async () => {
    if (!Number.isInteger(cmd.quantity) || cmd.quantity < 1 || cmd.quantity > 9_999) return refuse('invalidQuantity', { quantity: cmd.quantity });
    return { ok: true, value: { body: { kind: 'stockReceived', version: 2, payload: { ...cmd, shopId: cmd.source === 'partnerShop' ? cmd.shopId : null } }, result: null } };
  });
}

/** A stock count (盘点): the shelf as counted, with the reason for a difference. */
export function countStock(db: LinliDb, clock: Clock, staffId: string, cmd: { goodsId: string; counted: number; reason: string }): Done<{ difference: number }> {
  return decideAndWrite(db, clock, staffId, async ({ viewOf }) => {
    const expected = stockOf(await viewOf({ goods: [cmd.goodsId] }), cmd.goodsId);
    const d = decideStockCount(cmd.goodsId, expected, cmd.counted, cmd.reason);
    return d.ok ? { ok: true, value: { body: { kind: 'stockCounted', version: 1, payload: d.value }, result: { difference: cmd.counted - expected } } } : d;
  });
}

/**
 * The shelf counted at once (盘点单): each goods counted set to its count, a reason for each that
 * differs from the records, all in one event. A line's `expected` is the stock on record the clerk
 * compared the count with (shown when it was typed; the kiosk's now when not given): where the
 * stock has moved since, the count is flagged when applied. Answers how many goods were counted
 * and how many differed.
 */
export function countShelf(db: LinliDb, clock: Clock, staffId: string, cmd: { lines: readonly { goodsId: string; counted: number; text?: string; expected?: number; reason: string }[] }): Done<{ counted: number; differences: number }> {
  return decideAndWrite(db, clock, staffId, async ({ viewOf }) => {
    const view = await viewOf({ goods: cmd.lines.map((l) => l.goodsId) });
    const d = decideShelfCount(cmd.lines.map((l) => ({ ...l, name: view.row('goods', l.goodsId)?.name ?? l.goodsId, expected: l.expected ?? stockOf(view, l.goodsId) })));
    if (!d.ok) return d;
    const differences = d.value.lines.filter((l) => l.counted !== l.expected).length;
    return { ok: true, value: { body: { kind: 'stockCounted', version: 2, payload: d.value }, result: { counted: d.value.lines.length, differences } } };
  });
}

/** An earning rule made or changed (admin). */
export function setRule(db: LinliDb, clock: Clock, staffId: string, ruleId: string | null, form: RuleForm): Done<{ ruleId: string }> {
  return decideAndWrite(db, clock, staffId, async ({ newId }) => {
    const d = decideRule(ruleId ?? newId(), form);
    return d.ok ? { ok: true, value: { body: { kind: 'earningRuleSet', version: 1, payload: d.value }, result: { ruleId: d.value.ruleId } } } : d;
  });
}

/** A partner shop joined (with a points account of its own) or changed (admin). */
export function setPartnerShop(db: LinliDb, clock: Clock, staffId: string, shopId: string | null, form: { name: string; offers: string[]; active: boolean }): Done<{ shopId: string }> {
  return decideAndWrite(db, clock, staffId, async ({ newId, viewOf }) => {
    const existing = shopId ? (await viewOf({ partnerShops: [shopId] })).row('partnerShops', shopId) : undefined;
    const name = form.name.trim();
    if (name.length === 0 || name.length > 50) return refuse('shopNameMissing', {});
    const offers = form.offers.map((o) => o.trim()).filter(Boolean).slice(0, 20);
    const id = existing?.id ?? newId();
    return { ok: true, value: { body: { kind: 'partnerShopSet', version: 1, payload: { shopId: id, accountId: existing?.accountId ?? newId(), name, offers, active: form.active } }, result: { shopId: id } } };
  });
}

/** A resident's redemption at a partner shop: points from the resident to the shop. */
export async function redeemAtShop(db: LinliDb, clock: Clock, staffId: string, cmd: { residentId: string; shopId: string; points: number; offer: string }, staffName?: string): Promise<Decision<{ event: LinliEvent; slip: RedemptionReceipt }>> {
  type Made = Omit<RedemptionReceipt, 'receiptNo' | 'at' | 'centreName'>;
  const done = await decideAndWrite<Made>(db, clock, staffId, async ({ viewOf }) => {
    const view = await viewOf({ residents: [cmd.residentId], partnerShops: [cmd.shopId] });
    const resident = view.row('residents', cmd.residentId);
    const shop = view.row('partnerShops', cmd.shopId);
    if (!resident || !shop) return refuse('unknownResident', { code: cmd.residentId });
    const balance = balanceOf(await viewOf({ accounts: [resident.accountId] }), resident.accountId);
    const d = decideShopRedemption(balance, cmd.points);
    if (!d.ok) return d;
    const offer = cmd.offer.trim().slice(0, 60);
    // The resident's slip (凭条): what the points were spent on, at which shop, and what is left.
    const slip: Made = {
      kind: 'redemption', residentName: maskName(resident.name), totalPoints: d.value, balanceAfter: balance - d.value, ...(staffName ? { staffName } : {}),
      lines: [{ name: `${shop.name} ${offer}`.trim(), quantity: 1, pointPrice: d.value, points: d.value }],
    };
    return { ok: true, value: { body: { kind: 'shopRedemption', version: 1, payload: { residentId: resident.id, accountId: resident.accountId, shopId: shop.id, shopAccountId: shop.accountId, points: d.value, offer } }, result: slip } };
  });
  if (!done.ok) return done;
  const device = (await db.device())!;
  const { event, result } = done.value;
  return { ok: true, value: { event, slip: { ...result, centreName: device.centreName, receiptNo: receiptNumber(device.deviceCode, event.seq), at: businessInstant(event.at, event.clockOffset) } } };
}

/** A mistaken redemption or award reversed (冲正), with the reason. */
export function reverseEntry(db: LinliDb, clock: Clock, staffId: string, target: { kind: 'redemption'; redemptionId: string } | { kind: 'ledgerEntry'; entryId: string }, reason: string): Done {
  return decideAndWrite(db, clock, staffId, async ({ viewOf }) => {
    const first = await viewOf(target.kind === 'redemption' ? { redemptions: [target.redemptionId] } : { ledger: [target.entryId] });
    // The account the entry moved, for the points still there to take back; for a resident's
    // redemption at a shop, the shop's entry of it and the shop's account too (reversed together).
    const entry = target.kind === 'ledgerEntry' ? first.row('ledger', target.entryId) : undefined;
    const sibling = entry?.kind === 'shopRedemption' ? `${entry.eventId}:${entry.id.endsWith(':0') ? 1 : 0}` : null;
    const pair = sibling ? (await viewOf({ ledger: [sibling] })).row('ledger', sibling) : undefined;
    const view = entry ? await viewOf({ ledger: [entry.id, ...(pair ? [pair.id] : [])], accounts: [entry.accountId, ...(pair ? [pair.accountId] : [])] }) : first;
    const d = decideReversal(view, target, reason);
    return d.ok ? { ok: true, value: { body: { kind: 'entryReversed', version: 1, payload: d.value }, result: null } } : d;
  });
}

/**
 * A lost card replaced: the next generation of the same serial (after the ninth, a new card number
 * of this kiosk's block); the old code stops working.
 */
export function replaceCard(db: LinliDb, clock: Clock, staffId: string, residentId: string): Done<{ cardCode: string }> {
  return decideAndWrite(db, clock, staffId, async ({ viewOf, device }) => {
    const resident = (await viewOf({ residents: [residentId] })).row('residents', residentId);
    if (!resident) return refuse('unknownResident', { code: residentId });
    const fresh = needsNewSerial(resident.cardCode) ? await freshCard(db, device.deviceCode) : null;
    // Noted as used now: a number skipped if the write then fails, never one given twice.
    if (fresh) await db.meta.put({ key: 'cards', next: fresh.n + 1 });
    const d = decideCardReplacement(resident, fresh?.cardCode ?? null);
    return d.ok ? { ok: true, value: { body: { kind: 'cardReplaced', version: 1, payload: d.value }, result: { cardCode: d.value.newCardCode } } } : d;
  });
}
