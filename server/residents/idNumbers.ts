import { createHmac, randomBytes } from 'node:crypto';
import { KeptIdNumber, maskName, parseIdNumber, type IdNumberAnswer } from '../../core/index.js';
import type { Db } from '../db/db.js';
import { SyncRefusal } from '../sync/refusal.js';

/**
 * Resident ID numbers (身份证号) as the centre keeps them (PIPL, DESIGN.md): a counter that
 * registers a resident with one asks here for the masked form and the keyed hash, and whether a
 * resident of the centre already has it. The key is the centre's own (32 random bytes, made on
 * first use, kept in the database and in its backups) and never leaves the server; the number is
 * neither stored nor logged.
 */
export async function keyIdNumber(db: Db, centreId: string, raw: string, today: string): Promise<IdNumberAnswer> {
  const id = parseIdNumber(raw, today);
  // Said only as a code: the number is not repeated into the log.
  if (!id.ok) throw new SyncRefusal('malformed', 400, 'not a valid ID number (GB 11643)');
  const key = createHmac('sha256', await centreKey(db, centreId)).update(id.value.number).digest('base64url');
  const [holder] = await db.query<{ name: string }>('SELECT name FROM resident WHERE centre_id = $1 AND id_key = $2 LIMIT 1', [centreId, key]);
  return { kept: KeptIdNumber.parse({ masked: id.value.masked, key }), takenBy: holder ? { name: holder.name, masked: maskName(holder.name) } : null };
}

/** The centre's key for ID numbers, made once (two servers making it at once keep the first). */
async function centreKey(db: Db, centreId: string): Promise<Buffer> {
  await db.query('UPDATE centre SET id_number_key = $2 WHERE id = $1 AND id_number_key IS NULL', [centreId, randomBytes(32).toString('base64')]);
  const [row] = await db.query<{ id_number_key: string | null }>('SELECT id_number_key FROM centre WHERE id = $1', [centreId]);
  if (!row?.id_number_key) throw new SyncRefusal('unauthorised', 401, 'centre not found');
  return Buffer.from(row.id_number_key, 'base64');
}
