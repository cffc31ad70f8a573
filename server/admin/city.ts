import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import { sha256, takeTry } from '../devices/enrol.js';
import { SyncRefusal } from '../sync/refusal.js';
import { SESSION_TTL_MS } from './admin.js';
import { hashPassword, passwordMatches, passwordShapeProblem } from './password.js';

/**
 * City and street-office admins (街道、市级管理员): they see the figures of the centres they
 * oversee side by side (every centre of the server when `centres` is null) and nothing else: no
 * resident, no staff, no device, no change. They are not a centre's staff; they sign in with a
 * login and a password (Argon2id), and their sessions are their own (`city_session`).
 */
export type CitySession = { cityAdminId: string; name: string; centres: string[] | null; tokenHash: string };

/** Makes (or replaces the password of) a city admin. */
export async function setCityAdmin(db: Queryable, o: { login: string; name: string; password: string; centres: string[] | null }): Promise<{ id: string; created: boolean }> {
  if (!/^[a-z0-9][a-z0-9._-]{1,31}$/.test(o.login)) throw new SyncRefusal('malformed', 400, 'login: 2 to 32 lowercase letters, digits, dots, dashes / 登录名为 2–32 位小写字母、数字');
  const problem = passwordShapeProblem(o.password);
  if (problem) throw new SyncRefusal('malformed', 400, problem);
  const hash = await hashPassword(o.password);
  const [row] = await db.query<{ id: string; created: boolean }>(
    `INSERT INTO city_admin (id, name, login, hash, centres) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (login) DO UPDATE SET name = excluded.name, hash = excluded.hash, centres = excluded.centres, active = true
     RETURNING id, (xmax = 0) AS created`, [`city-${randomBytes(6).toString('hex')}`, o.name.slice(0, 50), o.login, hash, o.centres === null ? null : JSON.stringify(o.centres)]);
  await db.query('DELETE FROM city_session WHERE city_admin_id = $1', [row!.id]);
  return row!;
}

/** Signs a city admin in; the same try limits as a centre admin's (by address and by login). */
export async function signInCity(db: Queryable, login: string, password: string, source: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const tried = await takeTry(db, [`admin:${source}`, `city:${login.trim().toLowerCase()}`], now);
  const [admin] = await db.query<{ id: string; hash: string; active: boolean }>('SELECT id, hash, active FROM city_admin WHERE login = $1', [login.trim().toLowerCase()]);
  const ok = await passwordMatches(password, admin?.hash ?? null);
  if (!admin || !ok || !admin.active) throw new SyncRefusal('unauthorised', 401, 'wrong login or password / 登录名或密码不对');
  await tried.succeeded();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.query('INSERT INTO city_session (token_hash, city_admin_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), admin.id, expiresAt]);
  return { token, expiresAt };
}

export async function citySession(db: Queryable, token: string, now: Date): Promise<CitySession | null> {
  const tokenHash = sha256(token);
  const [s] = await db.query<{ id: string; name: string; centres: string[] | null }>(
    `SELECT a.id, a.name, a.centres FROM city_session s JOIN city_admin a ON a.id = s.city_admin_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active`, [tokenHash, now]);
  return s ? { cityAdminId: s.id, name: s.name, centres: s.centres, tokenHash } : null;
}

export async function signOutCity(db: Queryable, s: CitySession): Promise<void> {
  await db.query('DELETE FROM city_session WHERE token_hash = $1', [s.tokenHash]);
}
