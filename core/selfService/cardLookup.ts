import type { CardCode } from '../residents/resident.js';

/**
 * How a self-service device finds a resident by card without holding any card code in clear.
 *
 * An unattended touchscreen may be carried off or its disk copied. So the server sends a
 * self-service device, in place of each resident's card code, a keyed hash of the card's serial
 * and the card's generation in clear: `#` + base64url(HMAC-SHA256(deviceKey, "LL" + serial))
 * cut to 16 bytes + the generation digit (24 characters). The device hashes a scanned code the
 * same way and looks it up. Without the device key a copied database gives no code that could be
 * typed at a counter; the generation digit says nothing of the code but lets an old card be told
 * from an unknown one (此卡已挂失或更换).
 *
 * The device key is per device and never travels: both sides derive it from the device token,
 * `HMAC-SHA256(SHA-256(token), CARD_KEY_LABEL)`. The server keeps only SHA-256(token) and derives
 * from that; an Electron kiosk derives it in main (which keeps the token sealed), a browser kiosk
 * in the page from the token in its database (so a copied browser profile carries the token, and
 * with it the key: the weaker of the two, as for staff PINs).
 *
 * Worked example: card `LL0000012310` (serial 123, generation 1) is held as `#` + 22 characters
 * of HMAC over `LL00000123` + `1`. After a replacement the row holds `…2` (card `LL0000012329`):
 * a scan of the old card hashes to the same 22 characters, finds generation 2 there, and is told
 * 此卡已挂失或更换; a scan of a card no row has is unknown.
 */

/** The label the device key is derived with (versioned: a new scheme takes a new label). */
export const CARD_KEY_LABEL = 'linli self-service card lookup v1';

/** Bytes of the HMAC kept: 128 bits, far past any collision in one centre. */
export const CARD_HASH_BYTES = 16;

/** What a self-service device holds in place of a card code: `#`, 22 characters, the generation. */
export const SELF_SERVICE_CARD = /^#[A-Za-z0-9_-]{22}\d$/;

/** The text that is hashed for a card: `LL` and its serial, the part a replacement keeps. */
export function cardLookupText(card: Pick<CardCode, 'code'>): string {
  return card.code.slice(0, 10);
}

/** The card code a self-service device holds for a card: the keyed hash of its serial and its generation. */
export function selfServiceCardCode(serialHash: string, generation: number): string {
  return `#${serialHash}${generation}`;
}

/** The stored prefix every generation of one card shares (what an index lookup starts with). */
export function selfServiceCardPrefix(serialHash: string): string {
  return `#${serialHash}`;
}

/** Whether a card code is a self-service device's keyed form (never a code that could be typed). */
export function isSelfServiceCardCode(code: string): boolean {
  return SELF_SERVICE_CARD.test(code);
}

/** What a scan found on a self-service device. */
export type CardMatch<R> = { kind: 'found'; resident: R } | { kind: 'replaced' } | { kind: 'unknown' };

/**
 * What the rows found under a card's serial hash say of a scanned card: the row of its generation
 * is the resident; a row of a newer generation means this card was replaced (挂失/换卡); a row of an
 * older generation only means the replacement has not reached this device yet, and is unknown.
 */
export function matchCard<R extends { cardCode: string }>(scanned: CardCode, rows: readonly R[]): CardMatch<R> {
  const same = rows.find((r) => Number(r.cardCode.slice(-1)) === scanned.generation);
  if (same) return { kind: 'found', resident: same };
  if (rows.some((r) => Number(r.cardCode.slice(-1)) > scanned.generation)) return { kind: 'replaced' };
  return { kind: 'unknown' };
}
