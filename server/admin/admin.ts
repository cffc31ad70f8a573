import { randomBytes } from 'node:crypto';
import {
  decideStaff, parseStaffCardCode, StaffMember, type DeviceProfile, type PinHash, type EventBody, type StaffForm, type StaffRole, type WorkPlace,
} from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { sha256, takeTry } from '../devices/enrol.js';
import { hashPin } from '../staff/pin.js';
import { SyncRefusal } from '../sync/refusal.js';
import { loadRows } from '../sync/rows.js';
import { pushAdminEvents, refusalOf, type Changer } from './changes.js';
import { hashPassword, passwordMatches, passwordShapeProblem } from './password.js';

/**
 * What an admin does from the admin app, the CLI or the admin API: staff, devices, sessions, and
 * what the server refused. The centre always comes from the signed-in admin (or the CLI's
 * `--centre`). Changes to staff are `staffSet` events of the centre's server device (see
 * changes.ts); passwords and sessions are the server's own rows.
 */

/** How long an admin session lasts. */
export const SESSION_TTL_MS = 8 * 60 * 60_000;

/** A signed-in admin: who, of which centre, and the hash of the session's token. */
export type AdminSession = { staffId: string; centreId: string; tokenHash: string };

/**
 * Signs an admin in with staff card and password (Argon2id, not the counter PIN). Answers a
 * session token (the server keeps its hash). A wrong try counts against the address it came from
 * and against the card it named, from whatever address: `MAX_TRIES` of either and that address,
 * or that card, waits (see `takeTry`).
 */
export async function signInAdmin(db: Queryable, centreId: string, cardCode: string, password: string, source: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const tried = await takeTry(db, [`admin:${source}`, `card:${centreId}:${cardCode.trim().toUpperCase()}`], now);
  const card = parseStaffCardCode(cardCode);
  const [staff] = card.ok ? await db.query<{ id: string; role: StaffRole; active: boolean; hash: string | null }>(
    `SELECT s.id, s.role, s.active, p.hash FROM staff s LEFT JOIN admin_password p ON p.centre_id = s.centre_id AND p.staff_id = s.id
     WHERE s.centre_id = $1 AND s.card_code = $2`, [centreId, card.value]) : [];
  const matches = await passwordMatches(password, staff?.hash ?? null);
  if (!staff || !matches || !staff.active || staff.role !== 'admin') throw new SyncRefusal('unauthorised', 401, 'wrong card or password, or not an admin / 工作证号或密码不对，或不是管理员');
  await tried.succeeded();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query('INSERT INTO admin_session (token_hash, staff_id, centre_id, expires_at) VALUES ($1, $2, $3, $4)', [sha256(token), staff.id, centreId, expiresAt]);
  return { token, expiresAt };
}

/** The admin a session token belongs to, or null: a disabled member, or one no longer an admin, has none. */
export async function adminSession(db: Queryable, token: string, now: Date): Promise<AdminSession | null> {
  const tokenHash = sha256(token);
  const [s] = await db.query<{ staff_id: string; centre_id: string }>(
    `SELECT s.staff_id, s.centre_id FROM admin_session s JOIN staff t ON t.id = s.staff_id AND t.centre_id = s.centre_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND t.active AND t.role = 'admin'`, [tokenHash, now]);
  return s ? { staffId: s.staff_id, centreId: s.centre_id, tokenHash } : null;
}

/** Ends an admin session (sign-out). */
export async function signOutAdmin(db: Queryable, session: AdminSession): Promise<void> {
  await db.query('DELETE FROM admin_session WHERE token_hash = $1', [session.tokenHash]);
}

/** Ends every admin session of a staff member but the one `by` is using (when it is theirs). */
export async function endOtherSessions(db: Queryable, staffId: string, by: AdminSession | null): Promise<void> {
  await db.query('DELETE FROM admin_session WHERE staff_id = $1 AND token_hash <> $2', [staffId, by?.tokenHash ?? '']);
}

/**
 * Sets a staff member's admin password (Argon2id). The member's other sessions end (a session
 * signed in with the old password is not trusted); `by`'s own stays.
 */
export async function setPassword(db: Queryable, centreId: string, staffId: string, password: string, by: AdminSession | null): Promise<void> {
  const problem = passwordShapeProblem(password);
  if (problem) throw new SyncRefusal('malformed', 400, problem);
  const hash = await hashPassword(password);
  await db.query(
    `INSERT INTO admin_password (centre_id, staff_id, hash, changed_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (centre_id, staff_id) DO UPDATE SET hash = excluded.hash, changed_at = excluded.changed_at`, [centreId, staffId, hash]);
  await endOtherSessions(db, staffId, by);
}

/** A staff member as the server holds them (the row as it travels). */
async function staffRow(db: Queryable, centreId: string, field: 'id' | 'cardCode', value: string): Promise<StaffMember | undefined> {
  const [row] = await loadRows(db, centreId, 'staff', field, [value]);
  return row ? StaffMember.parse(row) : undefined;
}

/** The next staff card serial of a centre: one past the highest given out. */
async function nextCardSerial(db: Queryable, centreId: string): Promise<number> {
  const [row] = await db.query<{ n: number | null }>(`SELECT max(substring(card_code from 3 for 4)::int) AS n FROM staff WHERE centre_id = $1 AND card_code ~ '^LS[0-9]{5}$'`, [centreId]);
  return (row?.n ?? 0) + 1;
}

/** What an admin asks of a new member or a change: the PIN in clear (hashed here), never stored. */
export type StaffChange = { name?: string | undefined; role?: StaffRole | undefined; active?: boolean | undefined; worksAt?: WorkPlace[] | null | undefined; pin?: string | null | undefined };

async function pinHashOf(pin: string | null | undefined): Promise<PinHash | null | undefined> {
  if (pin === undefined || pin === null) return pin;
  if (!/^\d{6,12}$/.test(pin)) throw new SyncRefusal('malformed', 400, 'a PIN is 6 to 12 digits / 柜台密码为 6–12 位数字');
  return hashPin(pin);
}

/**
 * Adds a staff member: the next staff card of the centre, the PIN (when given) hashed here, as a
 * `staffSet` event of the server device, so staffed kiosks receive the member on their next pull.
 * A new admin works nowhere on a kiosk until told (`worksAt` []), a clerk everywhere.
 */
export async function addStaff(db: Db, centre: string | Changer, name: string, role: StaffRole, pin: string | null, now: Date = new Date(), worksAt?: WorkPlace[] | null): Promise<{ id: string; cardCode: string }> {
  const who: Changer = typeof centre === 'string' ? { centreId: centre, staffId: null } : centre;
  const pinHash = await pinHashOf(pin);
  let made: { id: string; cardCode: string } | null = null;
  await pushAdminEvents(db, who, async (tx) => {
    const d = decideStaff(undefined, { staffId: `${who.centreId}-s${randomBytes(4).toString('hex')}`, cardSerial: await nextCardSerial(tx, who.centreId) }, {
      name, role, active: true, worksAt: worksAt !== undefined ? worksAt : role === 'admin' ? [] : null, pin: pinHash ?? null,
    });
    if (!d.ok) throw refusalOf(d.error);
    made = { id: d.value.staffId, cardCode: d.value.cardCode };
    return [{ kind: 'staffSet', version: 1, payload: d.value } satisfies EventBody];
  }, now);
  return made!;
}

/**
 * Changes a staff member: name, role, PIN, whether the card works, where they work. Answers the
 * member's id and whether anything changed, or null when the centre has no such card. Only a
 * change is an event: an unknown card or a card already in the asked state leaves the centre's
 * clock where it was.
 */
export async function updateStaff(db: Db, who: Changer, cardCode: string, change: StaffChange, now: Date = new Date()): Promise<{ id: string; changed: boolean } | null> {
  if (Object.values(change).every((v) => v === undefined)) throw new SyncRefusal('malformed', 400, 'nothing to change: give a new PIN, or disable or enable the card / 没有要改的内容');
  const pinHash = await pinHashOf(change.pin);
  const existing = await staffRow(db, who.centreId, 'cardCode', cardCode);
  if (!existing) return null;
  const form: StaffForm = {
    name: change.name ?? existing.name, role: change.role ?? existing.role, active: change.active ?? existing.active,
    worksAt: change.worksAt !== undefined ? change.worksAt : change.role === 'admin' && existing.role !== 'admin' && !existing.worksAt ? [] : (existing.worksAt ?? null),
    ...(pinHash !== undefined ? { pin: pinHash } : {}),
  };
  const d = decideStaff(existing, { staffId: existing.id, cardSerial: 0 }, form);
  if (!d.ok) throw refusalOf(d.error);
  const same = d.value.name === existing.name && d.value.role === existing.role && d.value.active === existing.active && pinHash === undefined
    && JSON.stringify(d.value.worksAt) === JSON.stringify(existing.worksAt ?? null);
  if (same) return { id: existing.id, changed: false };
  await pushAdminEvents(db, who, [{ kind: 'staffSet', version: 1, payload: d.value }], now);
  return { id: existing.id, changed: true };
}

/** A staff member as the admin app lists them: never a PIN hash, only whether there is one. */
export type StaffListRow = { id: string; name: string; role: StaffRole; cardCode: string; active: boolean; hasPin: boolean; hasPassword: boolean; worksAt: WorkPlace[] | null };

export async function listStaff(db: Queryable, centreId: string): Promise<StaffListRow[]> {
  return db.query<StaffListRow>(
    `SELECT s.id, s.name, s.role, s.card_code AS "cardCode", s.active, jsonb_typeof(s.pin) = 'object' AS "hasPin", p.hash IS NOT NULL AS "hasPassword", s.works_at AS "worksAt"
     FROM staff s LEFT JOIN admin_password p ON p.centre_id = s.centre_id AND p.staff_id = s.id WHERE s.centre_id = $1 ORDER BY s.card_code`, [centreId]);
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
