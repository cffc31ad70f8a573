import { createHash, randomBytes, randomInt } from 'node:crypto';
import { uuidv7, type DeviceProfile, type EcPublicJwk, type EnrolResponse } from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import type { AuthedDevice } from '../sync/push.js';
import { REVOKED_CHANNEL } from '../sync/poke.js';
import { SyncRefusal } from '../sync/refusal.js';

/** How long a pairing code is good for. */
export const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;
/**
 * Wrong pairing codes one address may try, and wrong admin PINs one address or one admin card may
 * try, within `TRY_WINDOW_MS`: a pairing code (10 characters of 31) cannot be guessed, and a PIN
 * not by one address nor by many addresses against one card.
 */
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

/** How long a failed try counts against its source: a source (or card) that had `MAX_TRIES` waits this long. */
export const TRY_WINDOW_MS = PAIRING_CODE_TTL_MS;

/** A try taken against the limits: kept as a failure unless it turns out right. */
export type Try = { succeeded(): Promise<void> };

/**
 * Takes one try against the limit of each source (an address, an admin card) before the try is
 * evaluated, and refuses it when a source already has `MAX_TRIES` within `TRY_WINDOW_MS`.
 *
 * The try is written first, in a statement of its own that commits, and the count that decides
 * is read after it: of tries sent at once, the k-th to be written counts at least k rows, so at
 * most `MAX_TRIES` of them are ever evaluated, whatever their number (on PGlite and on several
 * PostgreSQL connections alike). A refused try removes its row again, so hammering a locked source
 * does not lengthen the wait; a try that turns out right removes its row (`succeeded`); a wrong one
 * stays as the failure it is.
 */
export async function takeTry(db: Queryable, sources: readonly string[], now: Date): Promise<Try> {
  const ids: number[] = [];
  for (const source of sources) {
    const [row] = await db.query<{ id: number }>('INSERT INTO enrol_failure (source, at) VALUES ($1, $2) RETURNING id', [source, now]);
    ids.push(row!.id);
  }
  const release = () => db.query('DELETE FROM enrol_failure WHERE id = ANY($1::bigint[])', [ids]).then(() => undefined);
  const counts = await db.query<{ n: number; oldest: Date }>(
    'SELECT count(*)::int AS n, min(at) AS oldest FROM enrol_failure WHERE source = ANY($1::text[]) AND at > $2 GROUP BY source',
    [sources, new Date(now.getTime() - TRY_WINDOW_MS)],
  );
  const over = counts.filter((c) => c.n > MAX_TRIES);
  if (over.length > 0) {
    await release();
    const until = Math.max(...over.map((c) => new Date(c.oldest).getTime() + TRY_WINDOW_MS));
    const minutes = Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
    throw new SyncRefusal('tooManyTries', 429, `too many failed tries; wait ${minutes} minutes / 失败次数过多，请 ${minutes} 分钟后再试`);
  }
  return { succeeded: release };
}

export type EnrolOptions = { source?: string; publicKey?: EcPublicJwk | undefined };

/**
 * Enrols a device with a pairing code: the code is used up, the device gets the next code of its
 * centre (K01, K02…) and a random token, of which the server keeps only the hash, and the server
 * keeps the public key the device made (it checks the device's export files). An address that sent
 * `MAX_TRIES` unknown codes is refused for a while (`takeTry`).
 */
export async function enrol(db: Db, pairingCode: string, now: Date, options: EnrolOptions = {}): Promise<EnrolResponse> {
  const tried = await takeTry(db, [`enrol:${options.source ?? 'local'}`], now);
  const codeHash = sha256(pairingCode.trim().toUpperCase());
  const enrolled = await db.transaction(async (tx) => {
    const [pc] = await tx.query<{ centre_id: string; profile: DeviceProfile }>(
      `UPDATE pairing_code SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING centre_id, profile`,
      [codeHash, now],
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
  if (enrolled) {
    await tried.succeeded();
    return enrolled;
  }
  // A code the server made, used or expired (an old slip of paper), is a mistake, not a guess:
  // it does not count towards the address's limit.
  const [known] = await db.query<{ used: boolean }>('SELECT used_at IS NOT NULL AS used FROM pairing_code WHERE code_hash = $1', [codeHash]);
  if (known) {
    await tried.succeeded();
    throw new SyncRefusal('pairingCodeInvalid', 403, known.used ? 'the pairing code was used already' : 'the pairing code has expired');
  }
  throw new SyncRefusal('pairingCodeInvalid', 403, 'the pairing code is unknown, used or expired');
}

/**
 * Revokes a device of a centre by its code: its token is refused from now on, and every server
 * process ends the poke streams it holds for it when the revocation commits.
 */
export async function revokeDevice(db: Queryable, centreId: string, deviceCode: string, reason: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `WITH r AS (UPDATE device SET revoked_at = $3, revoked_reason = $4 WHERE centre_id = $1 AND code = $2 AND revoked_at IS NULL RETURNING id, centre_id)
     SELECT pg_notify($5, current_schema() || ' ' || r.centre_id || ' ' || r.id) FROM r`,
    [centreId, deviceCode, now, reason.slice(0, 200), REVOKED_CHANNEL],
  );
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
