import { randomBytes } from 'node:crypto';
import { makeStaffCardCode, parseStaffCardCode, PinHash, type DeviceProfile, type StaffRole } from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { takeChangeSeqs } from '../demo/centre.js';
import { sha256, takeTry } from '../devices/enrol.js';
import { hashPin, pinMatches } from '../staff/pin.js';
import { SyncRefusal } from '../sync/refusal.js';

/**
 * What an admin does from the CLI or the admin API: staff, devices, sessions, and what the
 * server refused. The centre always comes from the signed-in admin (or the CLI's `--centre`).
 */

/** How long an admin session lasts. */
export const SESSION_TTL_MS = 8 * 60 * 60_000;

/** A signed-in admin: who, of which centre, and the hash of the session's token. */
export type AdminSession = { staffId: string; centreId: string; tokenHash: string };

/**
 * Signs an admin in with staff card and PIN (the hash kiosks check). Answers a session token
 * (the server keeps its hash). A wrong try counts against the address it came from and against
 * the card it named, from whatever address: `MAX_TRIES` of either and that address, or that card,
 * waits (see `takeTry`).
 */
export async function signInAdmin(db: Queryable, centreId: string, cardCode: string, pin: string, source: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const tried = await takeTry(db, [`admin:${source}`, `card:${centreId}:${cardCode.trim().toUpperCase()}`], now);
  const card = parseStaffCardCode(cardCode);
  const [staff] = card.ok ? await db.query<{ id: string; role: StaffRole; active: boolean; pin_salt: string | null; pin_hash: string | null; pin_iterations: number | null }>(
    'SELECT id, role, active, pin_salt, pin_hash, pin_iterations FROM staff WHERE centre_id = $1 AND card_code = $2', [centreId, card.value]) : [];
  const stored = staff ? PinHash.safeParse({ salt: staff.pin_salt, hash: staff.pin_hash, iterations: staff.pin_iterations }) : null;
  const ok = staff && staff.active && staff.role === 'admin' && stored?.success === true && (await pinMatches(pin, stored.data));
  if (!ok || !staff) throw new SyncRefusal('unauthorised', 401, 'wrong card or PIN, or not an admin');
  await tried.succeeded();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query('INSERT INTO admin_session (token_hash, staff_id, centre_id, expires_at) VALUES ($1, $2, $3, $4)', [sha256(token), staff.id, centreId, expiresAt]);
  return { token, expiresAt };
}

/** The admin a session token belongs to, or null. */
export async function adminSession(db: Queryable, token: string, now: Date): Promise<AdminSession | null> {
  const tokenHash = sha256(token);
  const [s] = await db.query<{ staff_id: string; centre_id: string }>(
    `SELECT s.staff_id, s.centre_id FROM admin_session s JOIN staff t ON t.id = s.staff_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND t.active AND t.role = 'admin'`, [tokenHash, now]);
  return s ? { staffId: s.staff_id, centreId: s.centre_id, tokenHash } : null;
}

/** Ends an admin session (sign-out). */
export async function signOutAdmin(db: Queryable, session: AdminSession): Promise<void> {
  await db.query('DELETE FROM admin_session WHERE token_hash = $1', [session.tokenHash]);
}

/** Ends every admin session of a staff member but the one `by` is using. */
export async function endOtherSessions(db: Queryable, staffId: string, by: AdminSession): Promise<void> {
  await db.query('DELETE FROM admin_session WHERE staff_id = $1 AND token_hash <> $2', [staffId, by.tokenHash]);
}

/**
 * Adds a staff member with a PIN: the next staff card code of the centre, the PIN hashed. The row
 * takes the centre's next change sequence, so staffed kiosks receive it on their next pull.
 */
export async function addStaff(db: Db, centreId: string, name: string, role: StaffRole, pin: string): Promise<{ id: string; cardCode: string }> {
  if (!/^\d{6,12}$/.test(pin)) throw new SyncRefusal('malformed', 400, 'a PIN is 6 to 12 digits');
  const hash = await hashPin(pin);
  return db.transaction(async (tx) => {
    await tx.query('SELECT id FROM centre WHERE id = $1 FOR UPDATE', [centreId]);
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM staff WHERE centre_id = $1', [centreId]);
    const cardCode = makeStaffCardCode(n + 1);
    const id = `${centreId}-s${randomBytes(4).toString('hex')}`;
    const seq = await takeChangeSeqs(tx, centreId, 1);
    await tx.query(
      `INSERT INTO staff (id, centre_id, name, role, card_code, pin_salt, pin_hash, pin_iterations, change_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, centreId, name.slice(0, 50), role, cardCode, hash.salt, hash.hash, hash.iterations, seq],
    );
    return { id, cardCode };
  });
}

/**
 * Sets a staff member's PIN, or disables (and re-enables) the card. Answers the staff member's id,
 * or null when the centre has no such card. Only a change takes a change sequence: an unknown card
 * or a card already in the asked state leaves the centre's clock where it was.
 */
export async function updateStaff(db: Db, centreId: string, cardCode: string, change: { pin?: string | undefined; active?: boolean | undefined }): Promise<{ id: string; changed: boolean } | null> {
  if (change.pin === undefined && change.active === undefined) throw new SyncRefusal('malformed', 400, 'nothing to change: give a new PIN, or disable or enable the card');
  const hash = change.pin === undefined ? null : await hashPin(change.pin);
  return db.transaction(async (tx) => {
    const [staff] = await tx.query<{ id: string; active: boolean }>('SELECT id, active FROM staff WHERE centre_id = $1 AND card_code = $2 FOR UPDATE', [centreId, cardCode]);
    if (!staff) return null;
    if (hash === null && change.active === staff.active) return { id: staff.id, changed: false };
    const seq = await takeChangeSeqs(tx, centreId, 1);
    await tx.query(
      `UPDATE staff SET pin_salt = coalesce($2, pin_salt), pin_hash = coalesce($3, pin_hash), pin_iterations = coalesce($4, pin_iterations),
         active = coalesce($5, active), change_seq = $6 WHERE id = $1`,
      [staff.id, hash?.salt ?? null, hash?.hash ?? null, hash?.iterations ?? null, change.active ?? null, seq],
    );
    return { id: staff.id, changed: true };
  });
}

export type DeviceRow = { code: string; profile: DeviceProfile | 'server'; lastSeq: number; createdAt: string; revokedAt: string | null; revokedReason: string | null };

export async function listDevices(db: Queryable, centreId: string): Promise<DeviceRow[]> {
  return db.query<DeviceRow>(
    `SELECT code, profile, last_seq AS "lastSeq", created_at::text AS "createdAt", revoked_at::text AS "revokedAt", revoked_reason AS "revokedReason"
     FROM device WHERE centre_id = $1 ORDER BY code`, [centreId]);
}

export type RefusalRow = { deviceCode: string | null; code: string; reason: string; at: string };

/**
 * What the server refused for a centre, newest first: whole requests, single events, and seqs a
 * device pushed again with another payload (both payloads are in `seq_conflict`).
 */
export async function listRefusals(db: Queryable, centreId: string, limit = 100): Promise<RefusalRow[]> {
  return db.query<RefusalRow>(
    `SELECT * FROM (
       SELECT d.code AS "deviceCode", r.code, r.reason, r.at::text AS at FROM refusal r LEFT JOIN device d ON d.id = r.device_id WHERE r.centre_id = $1
       UNION ALL
       SELECT d.code, 'eventRejected', e.reason, e.received_at::text FROM event e JOIN device d ON d.id = e.device_id WHERE e.centre_id = $1 AND e.outcome = 'rejected'
       UNION ALL
       SELECT d.code, 'seqConflict',
              format('seq %s: the server holds event %s (%s); the device pushed event %s (%s)', c.seq, c.held_id, c.held_payload->>'kind', c.pushed_id, c.pushed_payload->>'kind'),
              c.at::text
       FROM seq_conflict c JOIN device d ON d.id = c.device_id WHERE c.centre_id = $1
     ) x ORDER BY at DESC LIMIT $2`, [centreId, limit]);
}

/** Keeps a request refused as a whole, with its reason. */
export async function recordRefusal(db: Queryable, centreId: string | null, deviceId: string | null, code: string, reason: string): Promise<void> {
  await db.query('INSERT INTO refusal (centre_id, device_id, code, reason) VALUES ($1, $2, $3, $4)', [centreId, deviceId, code, reason.slice(0, 1000)]);
}

/** Keeps an admin change in the audit trail. `detail` never holds a PIN, a code or a token. */
export async function audit(db: Queryable, session: AdminSession, action: string, detail: Record<string, unknown>): Promise<void> {
  await db.query('INSERT INTO admin_audit (centre_id, staff_id, action, detail) VALUES ($1, $2, $3, $4)', [session.centreId, session.staffId, action, JSON.stringify(detail)]);
}

export type AuditRow = { staffId: string; action: string; detail: unknown; at: string };

export async function listAudit(db: Queryable, centreId: string, limit = 200): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT staff_id AS "staffId", action, detail, at::text AS at FROM admin_audit WHERE centre_id = $1 ORDER BY id DESC LIMIT $2`, [centreId, limit]);
}
