import {
  balanceOf, businessInstant, cardSerialFor, decideRedemption, decideRegistration, decideResolution, EXCEPTION_KINDS, formatShanghai, LinliEvent, makeCardCode,
  maskName, receiptNumber, redemptionTotal, refuse, stockOf, TABLE_NAMES, uuidv7,
  type Decision, type EventBody, type RedemptionReceipt, type RegistrationForm, type Resident, type Resolution,
} from '../../../core/index.js';
import type { CardsMeta, DeviceMeta, LinliDb, SeqMeta } from './db.js';
import { pendingResolutions, viewOf } from './view.js';

/** The kiosk's clock and randomness, injected so tests and benchmarks can pin them. */
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
export async function writeEvent(db: LinliDb, device: DeviceMeta, clock: Clock, body: EventBody, staffId: string | null): Promise<Decision<LinliEvent>> {
  const seqRow = ((await db.meta.get('seq')) as SeqMeta | undefined) ?? { key: 'seq', next: 1 };
  const cursor = await db.cursor();
  const now = clock.now();
  const checked = LinliEvent.safeParse({
    id: uuidv7(now, clock.random(16)),
    deviceId: device.deviceId,
    seq: seqRow.next,
    staffId,
    at: new Date(now).toISOString(),
    clockOffset: await db.clockOffset(),
    basis: cursor.seq,
    ...body,
  });
  if (!checked.success) return refuse('invalidEntry', { detail: checked.error.issues[0]?.path.join('.') ?? '' });
  const event = checked.data as LinliEvent;
  await db.outbox.add({ seq: event.seq, id: event.id, event, status: 'pending', serverSeq: null });
  await db.meta.put({ key: 'seq', next: seqRow.next + 1 });
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

/**
 * Registers a walk-in resident with a points account and a new card, offline if need be. The
 * card's serial comes from this kiosk's own block; the ids are made here. Answers the resident as
 * the screen will show them.
 */
export async function registerResident(db: LinliDb, clock: Clock, form: RegistrationForm, staffId: string): Promise<Decision<{ event: LinliEvent; resident: Resident }>> {
  return db.transaction('rw', kioskTables(db), async () => {
    const device = await enrolledDevice(db);
    const cards = ((await db.meta.get('cards')) as CardsMeta | undefined) ?? { key: 'cards', next: 1 };
    let n = cards.next;
    let cardCode: string;
    // A card of this block may already be out (a database restored from an export): skip it.
    for (; ; n++) {
      const serial = cardSerialFor(device.deviceCode, n);
      if (serial === null) return refuse('registrationInvalid', { detail: 'cards' });
      cardCode = makeCardCode(serial, 1);
      if (!(await db.residents.where('cardCode').equals(cardCode).first())) break;
    }
    const today = formatShanghai(clock.now() - (await db.clockOffset())).slice(0, 10);
    const ids = { residentId: uuidv7(clock.now(), clock.random(16)), accountId: uuidv7(clock.now(), clock.random(16)), cardCode };
    const decided = decideRegistration(form, ids, today);
    if (!decided.ok) return decided;
    const written = await writeEvent(db, device, clock, { kind: 'residentRegistered', version: 1, payload: decided.value }, staffId);
    if (!written.ok) return written;
    await db.meta.put({ key: 'cards', next: n + 1 });
    const view = await viewOf(db);
    const resident = view.row('residents', ids.residentId)!;
    return { ok: true, value: { event: written.value, resident } } as const;
  });
}

/**
 * Every table an action's transaction may read: the replica (laying pending events over it reads
 * whatever rows they name), the outbox and the meta rows.
 */
export const kioskTables = (db: LinliDb) => [...TABLE_NAMES.map((t) => db.replica(t)), db.outbox, db.meta];

/** What a kiosk action decides with: the device, the business day, fresh ids. */
export type ActionContext = { device: DeviceMeta; today: string; newId(): string };

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
    const device = await enrolledDevice(db);
    const today = formatShanghai(clock.now() - (await db.clockOffset())).slice(0, 10);
    const decided = await decide({ device, today, newId: () => uuidv7(clock.now(), clock.random(16)) });
    if (!decided.ok) return decided;
    const written = await writeEvent(db, device, clock, decided.value.body, staffId);
    return written.ok ? { ok: true, value: { event: written.value, result: decided.value.result } } as const : written;
  });
}
