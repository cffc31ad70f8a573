import { CARD_HASH_BYTES, CARD_KEY_LABEL } from '../../../core/index.js';

/**
 * The self-service device's card hash in the page (WebCrypto), the same as the server's
 * (server/sync/selfService.ts) and Electron main's: `HMAC-SHA256(SHA-256(token), CARD_KEY_LABEL)`
 * is the card key; a card's serial text hashes to the first `CARD_HASH_BYTES` of its HMAC under
 * that key, base64url. The key is made once, non-extractable, and kept in memory only.
 */
export type CardHasher = (text: string) => Promise<string>;

const utf8 = (text: string) => new TextEncoder().encode(text);

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A card hasher from the device token (a browser kiosk, whose token sits in its database). */
export function cardHasherFromToken(token: string): CardHasher {
  const key = (async () => {
    const tokenHash = await crypto.subtle.digest('SHA-256', utf8(token));
    const derive = await crypto.subtle.importKey('raw', tokenHash, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const raw = await crypto.subtle.sign('HMAC', derive, utf8(CARD_KEY_LABEL));
    return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  })();
  return async (text) => base64url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, utf8(text))).subarray(0, CARD_HASH_BYTES));
}
