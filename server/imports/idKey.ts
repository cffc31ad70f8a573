import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The key of the keyed hashes (HMAC-SHA256) that stand for residents' ID numbers and phones on
 * the server: an import finds duplicates and an admin finds a resident by ID number through them,
 * and no one who copies the database (or a backup) can turn a hash back into a number by trying
 * the few billion ID numbers there are, because the key is not in the database.
 *
 * Where it lives: `LINLI_ID_KEY` (base64 of at least 32 bytes) when set, for several server
 * processes on one PostgreSQL, which must share it; otherwise a file, `LINLI_ID_KEY_FILE`, by
 * default `id-hash.key` beside the data folder (`.data/id-hash.key`), made with 32 random bytes
 * the first time and readable by its owner only. It is never in a backup: keep a copy of it apart
 * from the backups (a server restored without it finds no duplicates among the residents it had).
 */
export const ID_KEY_BYTES = 32;

/** Loads the key from the environment, or from its file (made the first time). */
export function loadIdKey(env: { LINLI_ID_KEY?: string | undefined; LINLI_ID_KEY_FILE?: string | undefined }, dataDir: string): Buffer {
  if (env.LINLI_ID_KEY) {
    const key = Buffer.from(env.LINLI_ID_KEY, 'base64');
    if (key.length < ID_KEY_BYTES) throw new Error(`LINLI_ID_KEY must be base64 of at least ${ID_KEY_BYTES} bytes`);
    return key;
  }
  const file = env.LINLI_ID_KEY_FILE ?? path.join(path.dirname(path.resolve(dataDir)), 'id-hash.key');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(ID_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < ID_KEY_BYTES) throw new Error(`${file} does not hold a key of ${ID_KEY_BYTES} bytes`);
  return key;
}

/** The keyed hash of an ID number (upper-case, 18 characters) or a mobile number (11 digits), in hex. */
export function keyedHash(key: Buffer, what: 'id' | 'phone', value: string): string {
  return createHmac('sha256', key).update(`linli-${what}:${value}`).digest('hex');
}
