import { createHmac } from 'node:crypto';
import { CARD_HASH_BYTES, CARD_KEY_LABEL, REPLICATED, type SelfServiceKeys, type TableName } from '../../core/index.js';
import type { Queryable } from '../db/db.js';

/**
 * A self-service device's card key, derived from what the server keeps of its token
 * (SHA-256, hex): `HMAC-SHA256(SHA-256(token), CARD_KEY_LABEL)`. The device derives the same key
 * from its token (Electron main, or the browser page); the key itself is never stored or sent.
 */
export function cardKeyOf(tokenHashHex: string): Buffer {
  return createHmac('sha256', Buffer.from(tokenHashHex, 'hex')).update(CARD_KEY_LABEL).digest();
}

/** The keyed hash of a card's serial text under a device's card key (see `core/selfService/cardLookup.ts`). */
export function cardHashWith(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest().subarray(0, CARD_HASH_BYTES).toString('base64url');
}

/** What the pull needs to send a self-service device its rows: its card hash. */
export async function selfServiceKeys(db: Queryable, deviceId: string): Promise<SelfServiceKeys> {
  const [d] = await db.query<{ token_hash: string }>('SELECT token_hash FROM device WHERE id = $1', [deviceId]);
  if (!d) throw new Error(`device ${deviceId} has no token`);
  const key = cardKeyOf(d.token_hash);
  return { cardHash: (text) => cardHashWith(key, text) };
}

/** The extra SQL condition a self-service device's rows of `table` meet (` AND (…)`), or nothing. */
export function selfServiceCondition(table: TableName): string {
  const where = (REPLICATED[table] as { selfServiceWhere?: string }).selfServiceWhere;
  return where ? ` AND (${where})` : '';
}
