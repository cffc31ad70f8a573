import type { PhoneAnswer } from '../../core/index.js';
import type { Db } from '../db/db.js';
import { keyedHash } from '../imports/idKey.js';

/**
 * Whether a mobile number a counter is about to register is a resident's of the centre already.
 * The devices keep only a phone's last four digits; the server knows the full number of residents
 * imported from a sheet (keyed hash) and of residents registered at a counter (their registration
 * event). The number is neither stored nor logged here.
 */
export async function phoneHolders(db: Db, idKey: Buffer, centreId: string, phone: string): Promise<PhoneAnswer> {
  const wanted = keyedHash(idKey, 'phone', phone);
  // A resident registered at a counter has the full number in the registration event only (migration 061 indexes it).
  const rows = await db.query<{ id: string; name: string; card_code: string; phone_hash: string | null; registered: string | null }>(
    `SELECT r.id, r.name, r.card_code, r.phone_hash,
       CASE WHEN r.phone_hash IS NULL THEN (SELECT e.payload->>'phone' FROM event e WHERE e.centre_id = r.centre_id AND e.kind = 'residentRegistered'
          AND e.outcome = 'applied' AND e.payload->>'residentId' = r.id LIMIT 1) END AS registered
     FROM resident r WHERE r.centre_id = $1 AND r.phone_tail = $2 AND NOT coalesce(r.removed, false) ORDER BY r.name, r.id LIMIT 100`,
    [centreId, phone.slice(-4)]);
  return {
    holders: rows.map((r) => {
      const full = r.phone_hash ?? (r.registered ? keyedHash(idKey, 'phone', r.registered) : null);
      const known = full === null ? 'unknown' : full === wanted ? 'same' : 'other';
      // Whose number is another's is said by id alone: the clerk is not asked about them.
      return { residentId: r.id, name: known === 'other' ? '' : r.name, cardCode: known === 'other' ? '' : r.card_code, phone: known };
    }),
  };
}

/**
 * How often one device may ask who has a number: a clerk registers a few residents an hour, and
 * the answer must not let a stolen device token try the numbers behind the phone tails it holds.
 */
export const PHONE_ASKS_PER_MINUTE = 20;

/** Counts a device's asks in the current minute; false once it has asked `PHONE_ASKS_PER_MINUTE` times. */
export function phoneAskAllowed(asks: Map<string, { minute: number; count: number }>, deviceId: string, now: number): boolean {
  const minute = Math.floor(now / 60_000);
  const seen = asks.get(deviceId);
  const count = seen && seen.minute === minute ? seen.count + 1 : 1;
  asks.set(deviceId, { minute, count });
  if (asks.size > 10_000) for (const [id, a] of asks) if (a.minute !== minute) asks.delete(id);
  return count <= PHONE_ASKS_PER_MINUTE;
}
