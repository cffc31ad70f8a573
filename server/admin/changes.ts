import { randomBytes } from 'node:crypto';
import { formatLooseMessage, uuidv7, type EventBody, type LinliEvent, type RefusalReason } from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { push, type AuthedDevice } from '../sync/push.js';
import { SyncRefusal } from '../sync/refusal.js';

/**
 * Admin changes as events. Every change an admin makes to a replicated table (staff, residents,
 * goods and prices, earning rules, partner shops, the week's services) is an event of the centre's
 * server device (`<centre>-import`, profile `server`), pushed with the admin's staff id through
 * the same `push` as any kiosk's: it takes the centre's next change sequence, kiosks pull it, and
 * the event log is its audit trail (who, when, what), by construction.
 *
 * The events of one change go in one transaction: all applied, or none (a refused one rolls the
 * others back and the admin sees why). `inTx` runs in the same transaction after them (an import
 * marks its staging row committed), so nothing is half done.
 */

/** The id of a centre's server device. */
export const serverDeviceId = (centreId: string) => `${centreId}-import`;

/** Who makes a change: an admin of the centre, or nobody (a centre's first start). */
export type Changer = { centreId: string; staffId: string | null };

/** What a change did: the events, in order, with their change sequences. */
export type Changed = { eventIds: string[]; serverSeqs: number[] };

/** The server device of a centre, made the first time it is needed (a bootstrapped centre has none yet). */
export async function ensureServerDevice(db: Queryable, centreId: string): Promise<AuthedDevice> {
  const id = serverDeviceId(centreId);
  await db.query(`INSERT INTO device (id, centre_id, code, profile) VALUES ($1, $2, 'IMPORT', 'server') ON CONFLICT DO NOTHING`, [id, centreId]);
  return { id, centreId, code: 'IMPORT', profile: 'server' };
}

/** A change the server refused: the event's reason, in Chinese and English. */
export function refusalOf(reason: RefusalReason, status = 409): SyncRefusal {
  return new SyncRefusal('malformed', status, `${formatLooseMessage(reason, 'zh')} / ${formatLooseMessage(reason, 'en')}`);
}

/**
 * Pushes `bodies` as the centre's server device, in one transaction, in batches of `batch`
 * (`onBatch` hears how far it got, for a progress bar). Throws the first refusal. `bodies` may be
 * made inside the transaction, once the server device is locked (a new staff card's number is the
 * next one then, and no other change can take it meanwhile).
 */
export async function pushAdminEvents(db: Db, who: Changer, make: readonly EventBody[] | ((tx: Queryable) => Promise<readonly EventBody[]>), now: Date, o: { inTx?: (tx: Queryable, changed: Changed) => Promise<void>; batch?: number; onBatch?: (done: number, total: number) => void } = {}): Promise<Changed> {
  const device = await ensureServerDevice(db, who.centreId);
  return db.transaction(async (tx) => {
    // The device row first, then (in push) the centre clock: the order every push takes.
    const [row] = await tx.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1 FOR UPDATE', [device.id]);
    const [clock] = await tx.query<{ seq: number }>('SELECT seq FROM centre_clock WHERE centre_id = $1', [who.centreId]);
    let seq = row!.last_seq;
    const bodies = typeof make === 'function' ? await make(tx) : make;
    const at = now.toISOString();
    const events = bodies.map((body): LinliEvent => ({
      id: uuidv7(now.getTime(), randomBytes(16)), deviceId: device.id, seq: ++seq, staffId: who.staffId, at, clockOffset: 0, basis: clock?.seq ?? 0, ...body,
    } as LinliEvent));
    // push opens a transaction; here it joins this one.
    const inner: Db = { ...db, transaction: (fn) => fn(tx) };
    const changed: Changed = { eventIds: [], serverSeqs: [] };
    const size = o.batch ?? 500;
    for (let i = 0; i < events.length; i += size) {
      const { outcomes } = await push(inner, device, events.slice(i, i + size), now);
      for (const out of outcomes) {
        if (out.status === 'rejected') throw refusalOf(out.reason);
        if (out.status !== 'applied') throw new SyncRefusal('malformed', 409, `event ${out.id}: ${out.status}`);
        changed.eventIds.push(out.id);
        changed.serverSeqs.push(out.serverSeq);
      }
      o.onBatch?.(Math.min(i + size, events.length), events.length);
    }
    await o.inTx?.(tx, changed);
    return changed;
  });
}
