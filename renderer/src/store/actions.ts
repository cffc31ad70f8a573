import {
  balanceOf, businessInstant, cardSerialFor, decideRedemption, decideRegistration, decideResolution, EXCEPTION_KINDS, formatShanghai, IdNumberAnswer, LinliEvent, makeCardCode,
  maskName, receiptNumber, redemptionTotal, refuse, stockOf, TABLE_NAMES, uuidv7,
  type Decision, type EventBody, type KeptIdNumber, type Message, type RedemptionReceipt, type RegistrationForm, type Resident, type Resolution, type RowState,
} from '../../../core/index.js';
import type { ActionBasis, CardsMeta, DeviceMeta, LinliDb, SeqMeta } from './db.js';
import { noteWritten, pendingResolutions, viewOf, type Wanted } from './view.js';

/** The kiosk's clock and randomness, injected so tests and benchmarks can pin them. */
import {
  decideBooking, decideCall, decideCancellation, decideCapacity, decideDelivery, decideEligibility, decideFinish, decideSale, decideSitting, decideStandingBooking,
  decideTopUp, makeTicketCode, mealAccountId, MEAL_NAMES, sittingIdFor, TABLE_NAMES as CANTEEN_TABLES, usualMeal,
  type CallCommand, type DecidedSale, type Lang, type MealTicketModel, type Payment, type PriceNote, type SittingForm, type TicketOutcome,
} from '../../../core/index.js';
import { businessNow, categoriesOf, mealBalanceOf, ordersOfResident, ordersOfSitting, shownRows, sittingsOn, type ShownSitting } from './view.js';

export type Clock = { now(): number; random(bytes: number): Uint8Array };
export const systemClock: Clock = {
  now: () => Date.now(),
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
};

/**
 * Writes one event and its outbox row in one transaction, with the next seq. The event id is
 * made here, once; a retry of the push sends the same event. The event is checked against the
 * union first (and its text cleaned): the kiosk never holds an event the server could not store.
 */
export async function writeEvent(db: LinliDb, device: DeviceMeta, clock: Clock, body: EventBody, staffId: string | null, basis?: ActionBasis): Promise<Decision<LinliEvent>> {
  const { nextSeq, cursor, clockOffset } = basis ?? await db.basis();
  const now = clock.now();
  const checked = LinliEvent.safeParse({
    id: uuidv7(now, clock.random(16)),
    deviceId: device.deviceId,
    seq: nextSeq,
    staffId,
    at: new Date(now).toISOString(),
    clockOffset,
    basis: cursor.seq,
    ...body,
  });
  if (!checked.success) return refuse('invalidEntry', { detail: checked.error.issues[0]?.path.join('.') ?? '' });
  const event = checked.data as LinliEvent;
  // Both in this transaction: one fails, neither is written.
  await Promise.all([
    db.outbox.add({ seq: event.seq, id: event.id, event, status: 'pending', serverSeq: null }),
    db.meta.put({ key: 'seq', next: nextSeq + 1 } satisfies SeqMeta),
  ]);
  noteWritten(db, event);
  return { ok: true, value: event };
}

export async function enrolledDevice(db: LinliDb): Promise<DeviceMeta> {
  const device = await db.device();
  if (!device) throw new Error('this kiosk is not enrolled');
  return device;
}

/** What a clerk asks for: this resident takes these goods, this many of each. */
export type RedeemCommand = { residentId: string; picks: readonly { goodsId: string; quantity: number }[] };

/**
 * Redeems goods for a resident: in one read-write transaction it reads what the screen shows
 * (replica + pending), runs `core/`'s `decideRedemption`, and on success writes the event. The
 * answer carries the receipt; it resolves only after the commit.
 */
export async function redeem(db: LinliDb, clock: Clock, command: RedeemCommand, staffId: string | null): Promise<Decision<{ event: LinliEvent; receipt: RedemptionReceipt }>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const goodsIds = command.picks.map((p) => p.goodsId);
    const stored = await db.residents.get(command.residentId);
    const view = await viewOf(db, { residents: [command.residentId], accounts: stored ? [stored.accountId] : [], goods: goodsIds });
    const resident = view.row('residents', command.residentId);
    if (!resident) return refuse('unknownResident', { code: command.residentId });
    const picks = [];
    for (const p of command.picks) {
      const g = view.row('goods', p.goodsId);
      if (!g) return refuse('unknownGoods', { code: p.goodsId });
      picks.push({ goods: { ...g, stock: stockOf(view, g.id) }, quantity: p.quantity });
    }
    const balance = balanceOf(view, resident.accountId);
    const decided = decideRedemption(balance, picks);
    if (!decided.ok) return decided;
    const written = await writeEvent(db, device, clock, { kind: 'goodsRedeemed', version: 1, payload: { accountId: resident.accountId, residentId: resident.id, lines: decided.value } }, staffId);
    if (!written.ok) return written;
    const event = written.value;
    const total = redemptionTotal(decided.value);
    const receipt: RedemptionReceipt = {
      kind: 'redemption',
      centreName: device.centreName,
      receiptNo: receiptNumber(device.deviceCode, event.seq),
      at: businessInstant(event.at, event.clockOffset),
      residentName: maskName(resident.name),
      lines: decided.value.map((l) => ({ name: view.row('goods', l.goodsId)?.name ?? l.goodsId, quantity: l.quantity, pointPrice: l.pointPrice, points: l.quantity * l.pointPrice })),
      totalPoints: total,
      balanceAfter: balance - total,
    };
    return { ok: true, value: { event, receipt } } as const;
  });
}

/** What staff chose for an exception: how to resolve it, a note, and for `adjust` the checked level. */
export type ResolveCommand = { exceptionId: string; resolution: Resolution; note: string; adjustTo?: number };

/**
 * Resolves an exception with a compensating event, decided by `core/` against what the screen
 * shows now (replica + pending). An exception that a pending event of this kiosk resolves already
 * is refused as resolved.
 */
export async function resolveException(db: LinliDb, clock: Clock, command: ResolveCommand, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const x = await db.exceptions.get(command.exceptionId);
    if (!x) return refuse('exceptionAlreadyResolved', {});
    if ((await pendingResolutions(db)).has(x.id)) return refuse('exceptionAlreadyResolved', {});
    const subject = EXCEPTION_KINDS[x.kind].subject;
    const view = await viewOf(db, subject === 'accounts' || subject === 'goods' ? { [subject]: [x.subjectId] } : {});
    const level = subject === 'accounts' ? balanceOf(view, x.subjectId) : subject === 'goods' ? stockOf(view, x.subjectId) : 0;
    const decided = decideResolution(x, level, command.resolution, command.note, command.adjustTo);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, decided.value, staffId);
  });
}

/** Asks the server to mask and key an ID number (online only; throws when it cannot). */
export type KeyIdNumber = (idNumber: string) => Promise<unknown>;

/**
 * What is wrong with a registration form, as `registerResident` will find it, before anything is
 * asked of the server (the ID number's keeping, who has the phone); null when nothing is.
 */
export async function checkRegistration(db: LinliDb, clock: Clock, form: RegistrationForm): Promise<Message | null> {
  const today = formatShanghai(clock.now() - (await db.clockOffset())).slice(0, 10);
  const checked = decideRegistration(form, { residentId: 'check', accountId: 'check', cardCode: makeCardCode(1, 1) }, today);
  return checked.ok || checked.error.key === 'idNumberNeedsServer' ? null : checked.error;
}

/**
 * Registers a walk-in resident with a points account and a new card, offline if need be. The
 * card's serial comes from this kiosk's own block; the ids are made here. Answers the resident as
 * the screen will show them.
 */
export async function registerResident(
  db: LinliDb, clock: Clock, form: RegistrationForm, staffId: string, keyIdNumber?: KeyIdNumber,
): Promise<Decision<{ event: LinliEvent; resident: Resident }>> {
  // An ID number is kept only as the server masks and keys it: ask, online, before the
  // transaction (a wait on the network inside it would end it). The form is checked first, so a
  // wrong number or field never leaves the kiosk.
  let kept: KeptIdNumber | null = null;
  const idNumber = (form.idNumber ?? '').replace(/\s/g, '');
  if (idNumber !== '') {
    const wrong = await checkRegistration(db, clock, form);
    if (wrong) return { ok: false, error: wrong };
    let answer: IdNumberAnswer;
    try {
      if (!keyIdNumber) throw new Error('no server to ask');
      answer = IdNumberAnswer.parse(await keyIdNumber(idNumber));
    } catch {
      return refuse('idNumberNeedsServer', {});
    }
    if (answer.takenBy) return refuse('idNumberTaken', { name: answer.takenBy.name });
    kept = answer.kept;
  }
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const fresh = await freshCard(db, device.deviceCode);
    if (!fresh) return refuse('registrationInvalid', { detail: 'cards' });
    const { cardCode } = fresh;
    const today = formatShanghai(clock.now() - (await db.clockOffset())).slice(0, 10);
    const ids = { residentId: uuidv7(clock.now(), clock.random(16)), accountId: uuidv7(clock.now(), clock.random(16)), cardCode };
    const decided = decideRegistration(form, ids, today, kept);
    if (!decided.ok) return decided;
    const written = await writeEvent(db, device, clock, { kind: 'residentRegistered', version: 2, payload: decided.value }, staffId);
    if (!written.ok) return written;
    await db.meta.put({ key: 'cards', next: fresh.n + 1 });
    const view = await viewOf(db);
    const resident = view.row('residents', ids.residentId)!;
    return { ok: true, value: { event: written.value, resident } } as const;
  });
}

/**
 * The next card of this kiosk's own block (`cardSerialFor`) whose serial is no one's, generation 1, and its
 * number in the block (to be noted in the `cards` meta row once used); null when the block is used
 * up. Read inside the action's transaction.
 */
export async function freshCard(db: LinliDb, deviceCode: string): Promise<{ cardCode: string; n: number } | null> {
  const cards = ((await db.meta.get('cards')) as CardsMeta | undefined) ?? { key: 'cards', next: 1 };
  // A card of this block may already be out (a database restored from an export): skip it.
  for (let n = cards.next; ; n++) {
    const serial = cardSerialFor(deviceCode, n);
    if (serial === null) return null;
    const cardCode = makeCardCode(serial, 1);
    // No card of the serial, in any generation (a later one would mean the first was replaced).
    if (!(await db.residents.where('cardCode').startsWith(cardCode.slice(0, 10)).first())) return { cardCode, n };
  }
}

/**
 * Every table an action's transaction may read: the replica (laying pending events over it reads
 * whatever rows they name, packed ones too), the outbox and the meta rows.
 */
export const kioskTables = (db: LinliDb) => [...TABLE_NAMES.map((t) => db.replica(t)), db.outbox, db.meta, db.packs];

/**
 * What a kiosk action decides with: the device, the business day, fresh ids, and the view of the
 * rows it names (`viewOf` on what the transaction read first).
 */
export type ActionContext = { device: DeviceMeta; today: string; newId(): string; viewOf(wanted: Wanted): Promise<RowState> };

/**
 * The shape of every kiosk action: in one read-write transaction, decide against what the screen
 * shows (`viewOf`: replica + pending), then write the event and its outbox row. Nothing is written
 * when the decision refuses. Resolves after the commit.
 */
export async function decideAndWrite<T>(
  db: LinliDb, clock: Clock, staffId: string | null,
  decide: (ctx: ActionContext) => Promise<Decision<{ body: EventBody; result: T }>>,
): Promise<Decision<{ event: LinliEvent; result: T }>> {
  return db.transaction('rw', kioskTables(db), async () => {
    // Nothing the decision does writes the outbox, the seq or the cursor: one read serves it and the write.
    const basis = await db.basis();
    if (!basis.device) throw new Error('this kiosk is not enrolled');
    const device = basis.device;
    const today = formatShanghai(clock.now() - basis.clockOffset).slice(0, 10);
    const decided = await decide({ device, today, newId: () => uuidv7(clock.now(), clock.random(16)), viewOf: (wanted) => viewOf(db, wanted, basis) });
    if (!decided.ok) return decided;
    const written = await writeEvent(db, device, clock, decided.value.body, staffId, basis);
    return written.ok ? { ok: true, value: { event: written.value, result: decided.value.result } } as const : written;
  });
}

// ---- the canteen ------------------------------------------------------------------------------

/** Every table a canteen action may read or write: the replica, the outbox and the device's meta. */
const canteenScope = (db: LinliDb) => [...CANTEEN_TABLES.map((t) => db.replica(t)), db.outbox, db.meta, db.packs];

/** One sitting as the till shows it, or a refusal naming it. */
async function shownSitting(db: LinliDb, sittingId: string, day: string) {
  return (await sittingsOn(db, day)).find((s) => s.sitting.id === sittingId);
}

/** What the till asks to sell: a meal of a sitting, to a resident (or a walk-in), paid one way. */
export type SellCommand = {
  sittingId: string; mealId: string; residentId: string | null; chosenCategory: string | null; payment: Exclude<Payment, 'none'>; override: boolean;
};

/** A sale written: the event, what the screen says of the price, and the ticket to print. */
export type SoldMeal = { event: LinliEvent; note: PriceNote; ticket: MealTicketModel; fromBooking: boolean };

/**
 * Sells a meal at the till: in one transaction it reads what the screen shows (sitting, places,
 * the resident's categories and day, the sitting's numbers), decides with `core/`'s `decideSale`,
 * and writes the event. The till's series comes from the sitting row as last pulled (the server's
 * word on the main till), never from a pending claim. Answers the ticket once committed.
 */
export async function sellMeal(db: LinliDb, clock: Clock, command: SellCommand, staffId: string, lang: Lang = 'zh'): Promise<Decision<SoldMeal>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const here = await decideSaleHere(db, clock, command);
    if (!here.ok) return here;
    const { device, shown, decided } = here.value;
    const written = await writeEvent(db, device, clock, { kind: 'mealSold', version: 1, payload: decided.sale }, staffId);
    if (!written.ok) return written;
    const sale = decided.sale;
    const meal = shown.meals.find((m) => m.id === sale.mealId)!;
    return {
      ok: true,
      value: {
        event: written.value, note: decided.note, fromBooking: sale.fromBooking,
        ticket: {
          centreName: device.centreName, sittingName: MEAL_NAMES[shown.sitting.meal][lang], day: sale.day, number: sale.number, at: businessInstant(written.value.at, written.value.clockOffset),
          code: makeTicketCode({ centreId: device.centreId, day: sale.day, sittingId: sale.sittingId, number: sale.number }), priceFen: sale.paidFen, mealName: meal.name,
          subsidyFen: sale.subsidyFen,
        },
      },
    } as const;
  });
}

/** What a sale would come to now, without writing anything: the till's confirmation shows it. */
export async function quoteSale(db: LinliDb, clock: Clock, command: SellCommand): Promise<Decision<DecidedSale>> {
  return db.transaction('r', canteenScope(db), async () => {
    const here = await decideSaleHere(db, clock, command);
    return here.ok ? { ok: true, value: here.value.decided } as const : here;
  });
}

/** Decides a sale against what the till shows now (inside the caller's transaction). */
async function decideSaleHere(db: LinliDb, clock: Clock, command: SellCommand): Promise<Decision<{ device: DeviceMeta; shown: ShownSitting; decided: DecidedSale }>> {
  const device = await enrolledDevice(db);
  const now = await businessNow(db, clock.now());
  // Reads that do not depend on each other go out together: the sale's latency is the till's.
  const [sittings, synced, residentView, sittingOrders] = await Promise.all([
    sittingsOn(db, now.day), db.sittings.get(command.sittingId), command.residentId ? viewOf(db, { residents: [command.residentId] }) : null, ordersOfSitting(db, command.sittingId),
  ]);
  const shown = sittings.find((s) => s.sitting.id === command.sittingId);
  if (!shown) return refuse('sittingUnknown', { sitting: command.sittingId });
  const resident = command.residentId ? residentView?.row('residents', command.residentId) : null;
  if (command.residentId && !resident) return refuse('unknownResident', { code: command.residentId });
  const [categories, residentOrders, mealBalance] = resident
    ? await Promise.all([categoriesOf(db, resident, now.day), ordersOfResident(db, resident.id, now.day), mealBalanceOf(db, resident.id)])
    : [null, [], null];
  const decided = decideSale({
    sitting: shown.sitting, syncedMainTill: synced?.mainTill ?? null, deviceCode: device.deviceCode, meal: shown.meals.find((m) => m.id === command.mealId),
    places: shown.places, today: now.day, resident: resident ? { id: resident.id } : null, held: categories?.held ?? [], residentOrders,
    numbers: sittingOrders.flatMap((o) => (o.number ? [o.number] : [])), mealBalance, chosenCategory: command.chosenCategory, payment: command.payment, override: command.override,
  }, uuidv7(clock.now(), clock.random(16)));
  return decided.ok ? { ok: true, value: { device, shown, decided: decided.value } } : decided;
}

/**
 * Claims the sitting's plain numbers for this till when no till has them yet (as last pulled) and
 * this till has not asked already. The claim counts only once the server's row names this till.
 */
export async function claimMainTill(db: LinliDb, clock: Clock, sittingId: string, staffId: string): Promise<boolean> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const synced = await db.sittings.get(sittingId);
    if (!synced || synced.mainTill !== null || device.profile !== 'canteen') return false;
    const asked = (await db.outbox.toArray()).some((r) => r.event.kind === 'mainTillClaimed' && r.event.payload.sittingId === sittingId);
    if (asked) return false;
    return (await writeEvent(db, device, clock, { kind: 'mainTillClaimed', version: 1, payload: { sittingId, deviceCode: device.deviceCode } }, staffId)).ok;
  });
}

/** Books a meal for a resident, today or later, before the sitting's cut-off (`staffId` null: the resident alone at the touchscreen). */
export async function bookMeal(db: LinliDb, clock: Clock, command: { sittingId: string; day: string; mealId: string; residentId: string; override: boolean }, staffId: string | null): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const shown = await shownSitting(db, command.sittingId, command.day);
    if (!shown) return refuse('sittingUnknown', { sitting: command.sittingId });
    const decided = decideBooking({
      sitting: shown.sitting, meal: shown.meals.find((m) => m.id === command.mealId), places: shown.places, today: now.day, time: now.time, override: command.override,
      residentOrders: (await ordersOfSitting(db, command.sittingId)).filter((o) => o.residentId === command.residentId),
    }, { orderId: uuidv7(clock.now(), clock.random(16)), residentId: command.residentId });
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'mealBooked', version: 1, payload: decided.value }, staffId);
  });
}

/** Cancels a booking before its sitting's cut-off: its place comes back. */
export async function cancelBooking(db: LinliDb, clock: Clock, orderId: string, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const order = (await viewOf(db, { mealOrders: [orderId] })).row('mealOrders', orderId);
    const sitting = order ? (await shownSitting(db, order.sittingId, order.day))?.sitting : undefined;
    const decided = decideCancellation(order, sitting, now.day, now.time);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'mealBookingCancelled', version: 1, payload: decided.value }, staffId);
  });
}

/**
 * Calls a ticket of a sitting: the next waiting, a typed number, or the same one again. Decided on
 * what the screen shows, then written in a transaction of the outbox alone: a call only patches
 * a ticket's state, so it need not wait for a merge of the whole replica (a call is the one action
 * the dining room waits for).
 */
export async function callTicket(db: LinliDb, clock: Clock, sittingId: string, command: CallCommand, staffId: string): Promise<Decision<{ event: LinliEvent; number: string }>> {
  const decided = decideCall(await ordersOfSitting(db, sittingId), command);
  if (!decided.ok) return decided;
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const written = await writeEvent(db, await enrolledDevice(db), clock, { kind: 'ticketCalled', version: 1, payload: { orderId: decided.value.orderId, calls: decided.value.calls } }, staffId);
    return written.ok ? { ok: true, value: { event: written.value, number: decided.value.number } } as const : written;
  });
}

/** Marks a ticket served, or a no-show (decided on what the screen shows, written like a call). */
export async function finishTicket(db: LinliDb, clock: Clock, orderId: string, outcome: TicketOutcome, staffId: string): Promise<Decision<LinliEvent>> {
  const decided = decideFinish((await viewOf(db, { mealOrders: [orderId] })).row('mealOrders', orderId), outcome);
  if (!decided.ok) return decided;
  return db.transaction('rw', [db.outbox, db.meta], async () => writeEvent(db, await enrolledDevice(db), clock, { kind: 'ticketFinished', version: 1, payload: decided.value }, staffId));
}

/** Sets a sitting's places (more people came than the kitchen planned for). */
export async function setSittingPlaces(db: LinliDb, clock: Clock, sittingId: string, capacity: number, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const r = (await viewOf(db, { resources: [sittingId] })).row('resources', sittingId);
    if (!r) return refuse('sittingUnknown', { sitting: sittingId });
    const decided = decideCapacity(capacity, r.used);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'sittingCapacitySet', version: 1, payload: { sittingId, capacity: decided.value } }, staffId);
  });
}

/** Publishes one sitting with its menu, ahead of the day. */
export async function publishSitting(db: LinliDb, clock: Clock, form: SittingForm, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const exists = (await sittingsOn(db, form.day)).some((s) => s.sitting.id === sittingIdFor(form.day, form.meal));
    const decided = decideSitting(form, form.meals.map(() => uuidv7(clock.now(), clock.random(16))), now.day, exists);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'sittingPublished', version: 1, payload: decided.value }, staffId);
  });
}

/** Approves a status category for a resident (低保, 特困, 失能), from a day, until a day or open. */
export async function approveEligibility(db: LinliDb, clock: Clock, form: { residentId: string; category: string; validFrom: string; validUntil: string; note: string }, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const now = await businessNow(db, clock.now());
    const rules = await shownRows(db, 'subsidyRules', await db.subsidyRules.toArray(), () => true);
    const decided = decideEligibility({ ...form, category: rules.find((r) => r.id === form.category) }, uuidv7(clock.now(), clock.random(16)), now.day);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'eligibilityApproved', version: 1, payload: decided.value }, staffId);
  });
}

/** Sets (or stops) a resident's standing booking for home delivery of a meal. */
export async function setStandingBooking(
  db: LinliDb, clock: Clock, form: { residentId: string; meal: 'breakfast' | 'lunch' | 'dinner'; weekdays: number[]; volunteerId: string | null; active: boolean }, staffId: string,
): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const resident = (await viewOf(db, { residents: [form.residentId] })).row('residents', form.residentId);
    if (!resident) return refuse('unknownResident', { code: form.residentId });
    const existing = (await shownRows(db, 'standingBookings', await db.standingBookings.where('residentId').equals(resident.id).toArray(), (b) => b.residentId === resident.id))
      .find((b) => b.meal === form.meal);
    const decided = decideStandingBooking(resident, form, existing, uuidv7(clock.now(), clock.random(16)));
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'standingBookingSet', version: 1, payload: decided.value }, staffId);
  });
}

/** Confirms a delivery of today's list (by a scan of the card or a tick), priced now. */
export async function confirmDelivery(db: LinliDb, clock: Clock, command: { standingId: string; sittingId: string; confirmedBy: 'scan' | 'tick' }, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const decided = await decideDeliveryHere(db, clock, command);
    if (!decided.ok) return decided;
    return writeEvent(db, device, clock, { kind: 'mealDelivered', version: 1, payload: decided.value.delivery }, staffId);
  });
}

/** What a delivery would come to now (the route list's bill), without writing anything. */
export async function quoteDelivery(db: LinliDb, clock: Clock, command: { standingId: string; sittingId: string }): Promise<Decision<{ paidFen: number }>> {
  return db.transaction('r', canteenScope(db), async () => {
    const decided = await decideDeliveryHere(db, clock, { ...command, confirmedBy: 'tick' });
    return decided.ok ? { ok: true, value: { paidFen: decided.value.delivery.paidFen } } as const : decided;
  });
}

async function decideDeliveryHere(db: LinliDb, clock: Clock, command: { standingId: string; sittingId: string; confirmedBy: 'scan' | 'tick' }) {
  const now = await businessNow(db, clock.now());
  const standing = (await viewOf(db, { standingBookings: [command.standingId] })).row('standingBookings', command.standingId);
  const shown = await shownSitting(db, command.sittingId, now.day);
  if (!standing || !shown) return refuse('orderUnknown', {});
  const resident = (await viewOf(db, { residents: [standing.residentId] })).row('residents', standing.residentId);
  if (!resident) return refuse('unknownResident', { code: standing.residentId });
  return decideDelivery({
    standing, sitting: shown.sitting, meal: usualMeal(shown.meals), held: (await categoriesOf(db, resident, now.day)).held,
    residentOrders: await ordersOfResident(db, resident.id, now.day), mealBalance: await mealBalanceOf(db, resident.id), confirmedBy: command.confirmedBy,
  });
}

/** Tops up a resident's prepaid meal balance, opening it first when they have none. */
export async function topUpMealBalance(db: LinliDb, clock: Clock, command: { residentId: string; amountFen: number; payment: 'cash' | 'qr' }, staffId: string): Promise<Decision<LinliEvent>> {
  return db.transaction('rw', canteenScope(db), async () => {
    const device = await enrolledDevice(db);
    const decided = decideTopUp(command.amountFen);
    if (!decided.ok) return decided;
    const accountId = mealAccountId(command.residentId);
    if ((await mealBalanceOf(db, command.residentId)) === null) {
      const opened = await writeEvent(db, device, clock, { kind: 'mealAccountOpened', version: 1, payload: { accountId, residentId: command.residentId } }, staffId);
      if (!opened.ok) return opened;
    }
    return writeEvent(db, device, clock, { kind: 'mealBalanceToppedUp', version: 1, payload: { accountId, residentId: command.residentId, amountFen: decided.value, payment: command.payment } }, staffId);
  });
}
