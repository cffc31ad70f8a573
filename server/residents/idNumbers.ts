import { KeptIdNumber, maskName, parseIdNumber, type IdNumberAnswer } from '../../core/index.js';
import type { Db } from '../db/db.js';
import { SyncRefusal } from '../sync/refusal.js';
import { keyedHash } from '../imports/idKey.js';

/**
 * Resident ID numbers (身份证号) as the centre keeps them (PIPL, DESIGN.md): a counter that
 * registers a resident with one asks here for the masked form and the keyed hash, and whether a
 * resident of the centre already has it. The key is the server's (`idKey`, see imports/idKey.ts:
 * the one an import's duplicates are found with), never in the database or a backup; the number
 * is neither stored nor logged.
 */
export async function keyIdNumber(db: Db, idKey: Buffer, centreId: string, raw: string, today: string): Promise<IdNumberAnswer> {
  const id = parseIdNumber(raw, today);
  // Said only as a code: the number is not repeated into the log.
  if (!id.ok) throw new SyncRefusal('malformed', 400, 'not a valid ID number (GB 11643)');
  const key = keyedHash(idKey, 'id', id.value.number);
  const [holder] = await db.query<{ name: string }>('SELECT name FROM resident WHERE centre_id = $1 AND id_hash = $2 LIMIT 1', [centreId, key]);
  return { kept: KeptIdNumber.parse({ masked: id.value.masked, key }), takenBy: holder ? { name: holder.name, masked: maskName(holder.name) } : null };
}
