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
  const rows = await db.query<{ name: string; card_code: string; phone_hash: string | null; registered: string | null }>(
    `SELECT r.name, r.card_code, r.phone_hash,
       (SELECT e.payload->>'phone' FROM event e WHERE e.centre_id = r.centre_id AND e.kind = 'residentRegistered' AND e.outcome = 'applied'
          AND e.payload->>'residentId' = r.id LIMIT 1) AS registered
     FROM resident r WHERE r.centre_id = $1 AND r.phone_tail = $2 AND NOT coalesce(r.removed, false) ORDER BY r.name, r.id LIMIT 100`,
    [centreId, phone.slice(-4)]);
  return {
    holders: rows.map((r) => {
      const full = r.phone_hash ?? (r.registered ? keyedHash(idKey, 'phone', r.registered) : null);
      return { name: r.name, cardCode: r.card_code, phone: full === null ? 'unknown' : full === wanted ? 'same' : 'other' };
    }),
  };
}
