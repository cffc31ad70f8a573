import { createHash, randomBytes, randomInt } from 'node:crypto';
import { uuidv7, type DeviceProfile, type EcPublicJwk, type EnrolResponse } from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import type { AuthedDevice } from '../sync/push.js';
import { SyncRefusal } from '../sync/refusal.js';

/** How long a pairing code is good for. */
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;
/** Wrong pairing codes (or admin sign-ins) one source may try within a code's lifetime. */
export const MAX_TRIES = 5;
/** No 0/O, 1/I/L: a code read aloud or typed from paper comes out right. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** How the server keeps secrets it only compares (pairing codes, device and session tokens): their SHA-256. */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Makes a one-time pairing code (10 characters, 15 minutes) for a device of `profile` at a centre. */
export async function createPairingCode(db: Queryable, centreId: string, profile: DeviceProfile, now: Date): Promise<string> {
  const code = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  await db.query('INSERT INTO pairing_code (code_hash, centre_id, profile, expires_at) VALUES ($1, $2, $3, $4)', [
    sha256(code), centreId, profile, new Date(now.getTime() + PAIRING_CODE_TTL_MS),
  ]);
  return code;
}

/**
 * Counts a failed try from `source` and refuses when it has had `MAX_TRIES` within a code's
 * lifetime: a pairing code (10 characters of 31) cannot be guessed, and a PIN not by one address.
 */
export async function guardTries(db: Queryable, source: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - PAIRING_CODE_TTL_MS);
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM enrol_failure WHERE source = $1 AND at > $2', [source, since]);
  if ((row?.n ?? 0) >= MAX_TRIES) throw new SyncRefusal('tooManyTries', 429, `too many failed tries; wait ${PAIRING_CODE_TTL_MS / 60_000} minutes`);
}

export async function recordFailedTry(db: Queryable, source: string, now: Date): Promise<void> {
  await db.query('INSERT INTO enrol_failure (source, at) VALUES ($1, $2)', [source, now]);
}

export type EnrolOptions = { source?: string; publicKey?: EcPublicJwk | undefined };

/**
 * Enrols a device with a pairing code: the code is used up, the device gets the next code of its
 * centre (K01, K02…) and a random token, of which the server keeps only the hash, and the server
 * keeps the public key the device made (it checks the device's export files). A source that sent
 * `MAX_TRIES` wrong codes is refused for a while.
 */
export async function enrol(db: Db, pairingCode: string, now: Date, options: EnrolOptions = {}): Promise<EnrolResponse> {
  const source = `enrol:${options.source ?? 'local'}`;
  await guardTries(db, source, now);
  const enrolled = await db.transaction(async (tx) => {
    const [pc] = await tx.query<{ centre_id: string; profile: DeviceProfile }>(
      `UPDATE pairing_code SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING centre_id, profile`,
      [sha256(pairingCode.trim().toUpperCase()), now],
    );
    if (!pc) return null;
    // Kiosks enrolling at the same moment take their codes one after another.
    await tx.query('SELECT id FROM centre WHERE id = $1 FOR UPDATE', [pc.centre_id]);
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM device WHERE centre_id = $1 AND profile <> 'server'`, [pc.centre_id]);
    const prefix = pc.profile === 'counter' ? 'K' : pc.profile === 'canteen' ? 'C' : 'S';
    const deviceCode = `${prefix}${String(n + 1).padStart(2, '0')}`;
    const deviceId = uuidv7(now.getTime(), randomBytes(16));
    const token = randomBytes(32).toString('base64url');
    await tx.query('INSERT INTO device (id, centre_id, code, profile, token_hash, public_key) VALUES ($1, $2, $3, $4, $5, $6)', [
      deviceId, pc.centre_id, deviceCode, pc.profile, sha256(token), options.publicKey ? JSON.stringify(options.publicKey) : null,
    ]);
    return { deviceId, deviceCode, token, centreId: pc.centre_id, profile: pc.profile };
  });
  if (enrolled) return enrolled;
  await recordFailedTry(db, source, now);
  throw new SyncRefusal('pairingCodeInvalid', 403, 'the pairing code is unknown, used or expired');
}

/** Revokes a device of a centre by its code: its token is refused from now on. */
export async function revokeDevice(db: Queryable, centreId: string, deviceCode: string, reason: string, now: Date): Promise<boolean> {
  const rows = await db.query('UPDATE device SET revoked_at = $3, revoked_reason = $4 WHERE centre_id = $1 AND code = $2 AND revoked_at IS NULL RETURNING id', [
    centreId, deviceCode, now, reason.slice(0, 200),
  ]);
  return rows.length > 0;
}

/** The device a bearer token belongs to, or null for an unknown or revoked token. */
export async function authenticate(db: Queryable, token: string): Promise<AuthedDevice | null> {
  const [d] = await db.query<{ id: string; centre_id: string; code: string; profile: AuthedDevice['profile'] }>(
    'SELECT id, centre_id, code, profile FROM device WHERE token_hash = $1 AND revoked_at IS NULL',
    [sha256(token)],
  );
  return d ? { id: d.id, centreId: d.centre_id, code: d.code, profile: d.profile } : null;
}
