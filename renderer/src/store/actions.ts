import {
  businessInstant, decideRedemption, decideResolution, maskName, receiptNumber, redemptionTotal, refuse, uuidv7,
  type Decision, type EventBody, type LinliEvent, type RedemptionReceipt, type Resolution,
} from '../../../core/index.js';
import type { DeviceMeta, LinliDb, SeqMeta } from './db.js';
import { pendingResolutions, viewOf } from './view.js';

/** The kiosk's clock and randomness, injected so tests and benchmarks can pin them. */
export type Clock = { now(): number; random(bytes: number): Uint8Array };
export const systemClock: Clock = {
  now: () => Date.now(),
  random: (n) => crypto.getRandomValues(new Uint8Array(n)),
};

/**
 * Writes one event and its outbox row in one transaction, with the next seq. The event id is
 * made here, once; a retry of the push sends the same event.
 */
async function writeEvent(db: LinliDb, device: DeviceMeta, clock: Clock, body: EventBody, staffId: string | null): Promise<LinliEvent> {
  const seqRow = ((await db.meta.get('seq')) as SeqMeta | undefined) ?? { key: 'seq', next: 1 };
  const cursor = await db.cursor();
  const now = clock.now();
  const event = {
    id: uuidv7(now, clock.random(16)),
    deviceId: device.deviceId,
    seq: seqRow.next,
    staffId,
    at: new Date(now).toISOString(),
    clockOffset: await db.clockOffset(),
    basis: cursor.seq,
    ...body,
  } as LinliEvent;
  await db.outbox.add({ seq: event.seq, id: event.id, event, status: 'pending', serverSeq: null });
  await db.meta.put({ key: 'seq', next: seqRow.next + 1 });
  return event;
}

/** What a clerk asks for: this resident takes these goods, this many of each. */
export type RedeemCommand = { residentId: string; picks: readonly { goodsId: string; quantity: number }[] };

/**
 * Redeems goods for a resident: in one read-write transaction it reads what the screen shows
 * (replica + pending), runs `core/`'s `decideRedemption`, and on success writes the event. The
 * answer carries the receipt; it resolves only after the commit.
 */
export async function redeem(db: LinliDb, clock: Clock, command: RedeemCommand, staffId: string | null): Promise<Decision<{ event: LinliEvent; receipt: RedemptionReceipt }>> {
  return db.transaction('rw', [db.residents, db.accounts, db.goods, db.outbox, db.meta], async () => {
    const device = await db.device();
    if (!device) throw new Error('this kiosk is not enrolled');
    const resident = await db.residents.get(command.residentId);
    if (!resident) return { ok: false, error: { key: 'unknownResident', params: { code: command.residentId } } } as const;
    const goodsIds = command.picks.map((p) => p.goodsId);
    const goodsRows = await db.goods.bulkGet(goodsIds);
    const view = await viewOf(db, [resident.accountId], goodsIds);
    const picks = [];
    for (const [i, p] of command.picks.entries()) {
      const g = goodsRows[i];
      if (!g) return { ok: false, error: { key: 'unknownGoods', params: { code: p.goodsId } } } as const;
      picks.push({ goods: { ...g, stock: view.stock(g.id) }, quantity: p.quantity });
    }
    const balance = view.balance(resident.accountId);
    const decided = decideRedemption(balance, picks);
    if (!decided.ok) return decided;
    const event = await writeEvent(db, device, clock, { kind: 'goodsRedeemed', version: 1, payload: { accountId: resident.accountId, residentId: resident.id, lines: decided.value } }, staffId);
    const names = new Map(goodsRows.flatMap((g) => (g ? [[g.id, g.name] as const] : [])));
    const total = redemptionTotal(decided.value);
    const receipt: RedemptionReceipt = {
      kind: 'redemption',
      centreName: device.centreName,
      receiptNo: receiptNumber(device.deviceCode, event.seq),
      at: businessInstant(event.at, event.clockOffset),
      residentName: maskName(resident.name),
      lines: decided.value.map((l) => ({ name: names.get(l.goodsId) ?? l.goodsId, quantity: l.quantity, pointPrice: l.pointPrice, points: l.quantity * l.pointPrice })),
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
  return db.transaction('rw', [db.exceptions, db.accounts, db.goods, db.outbox, db.meta], async () => {
    const device = await db.device();
    if (!device) throw new Error('this kiosk is not enrolled');
    const x = await db.exceptions.get(command.exceptionId);
    if (!x) return refuse('exceptionAlreadyResolved', {});
    if ((await pendingResolutions(db)).has(x.id)) return refuse('exceptionAlreadyResolved', {});
    const view = await viewOf(db, x.kind === 'overdraft' ? [x.subjectId] : [], x.kind === 'oversold' ? [x.subjectId] : []);
    const level = x.kind === 'overdraft' ? view.balance(x.subjectId) : x.kind === 'oversold' ? view.stock(x.subjectId) : 0;
    const decided = decideResolution(x, level, command.resolution, command.note, command.adjustTo);
    if (!decided.ok) return decided;
    return { ok: true, value: await writeEvent(db, device, clock, decided.value, staffId) } as const;
  });
}