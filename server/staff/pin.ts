import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { PIN_HASH, type PinHash } from '../../core/index.js';

const pbkdf2Async = promisify(pbkdf2);

/** Hashes a PIN the way kiosks check it (PBKDF2-HMAC-SHA256, see core/staff/staff.ts). */
export async function hashPin(pin: string, salt: Buffer = randomBytes(PIN_HASH.saltBytes), iterations: number = PIN_HASH.iterations): Promise<PinHash> {
  const hash = await pbkdf2Async(pin, salt, iterations, PIN_HASH.hashBytes, 'sha256');
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), iterations };
}

/** Whether `pin` matches a stored hash (constant time over the hash). */
export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  const candidate = await pbkdf2Async(pin, Buffer.from(stored.salt, 'base64'), stored.iterations, PIN_HASH.hashBytes, 'sha256');
  const expected = Buffer.from(stored.hash, 'base64');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
