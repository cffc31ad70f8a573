import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/db.js';

/** Creates a centre with its clock row and a fresh epoch. */
export async function createCentre(db: Queryable, id: string, name: string): Promise<void> {
  await db.query('INSERT INTO centre (id, name, epoch) VALUES ($1, $2, $3)', [id, name, randomBytes(8).toString('hex')]);
  await db.query('INSERT INTO centre_clock (centre_id, seq) VALUES ($1, 0)', [id]);
}

/** Takes `count` values of a centre's clock at once; answers the first. */
export async function takeChangeSeqs(db: Queryable, centreId: string, count: number): Promise<number> {
  const [row] = await db.query<{ seq: number }>('UPDATE centre_clock SET seq = seq + $2 WHERE centre_id = $1 RETURNING seq', [centreId, count]);
  if (!row) throw new Error(`no clock for centre ${centreId}`);
  return row.seq - count + 1;
}
