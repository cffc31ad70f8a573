import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { audit, type AdminSession } from '../admin/admin.js';
import type { Db, Queryable } from '../db/db.js';
import { schemaVersion } from '../db/migrate.js';
import { REVOKED_CHANNEL } from '../sync/poke.js';
import { POKE_CHANNEL } from '../sync/push.js';
import { SyncRefusal } from '../sync/refusal.js';
import { takeChangeSeqs } from '../demo/centre.js';

/**
 * Backups: an app-level dump that restores on PGlite and PostgreSQL alike, without pg_dump, through
 * the admin API (a PGlite data folder can be opened by the running server only).
 *
 * A backup file is JSON lines:
 *
 *   {"format":"linli-backup/1","schema":6,"scope":"centre","centreId":"wzgl","createdAt":"…","tables":[{"name":"centre","columns":[…]},…]}
 *   {"t":"centre","r":{"id":"wzgl","name":"…","epoch":"…","created_at":"…"}}
 *   … every row of every table, parents before children …
 *   {"end":true,"rows":123456,"sha256":"<hash of every line above, each with its newline>"}
 *
 * What a backup holds (the scope): the whole server when it holds one centre only (a centre's own
 * PC, the usual case); otherwise the rows of the admin's centre alone. A centre's admin never
 * takes other centres' residents home on a stick.
 *
 * Left out on purpose: the schema version table (the header names the version), the tries of
 * addresses against the limits, admin sessions and pairing codes (a restore ends every session and
 * voids every unused code: sign in again, make new codes).
 *
 * A restore replaces the scope's rows with the backup's in one transaction (whole or nothing),
 * only when the request confirms it and the backup's schema is the server's. It gives each
 * restored centre a new epoch, so kiosks take a fresh snapshot and push again the events the
 * restored server lacks (their `lastSeq` is the backed-up one). The logs (the audit trail and the
 * refusals) are never lost: their rows written since the backup was made are kept after the
 * backup's. Revocations made since the backup are kept too (a revoked device stays revoked, a
 * disabled card stays disabled): a restore never lets back in what an admin shut out.
 */

export const BACKUP_FORMAT = 'linli-backup/1';
/** The content type a backup file is sent and posted with. */
export const BACKUP_CONTENT_TYPE = 'application/vnd.linli.backup+jsonl';

/** Tables a backup never holds (see above). */
const LEFT_OUT = new Set(['schema_migration', 'enrol_failure', 'admin_session', 'pairing_code', 'city_admin', 'city_session']);
/**
 * Tables a restore leaves as they are: the schema's own, the tries, and the city admins (a street
 * office's or a city's, above every centre: a centre's backup does not hold them, nor end them).
 */
const UNTOUCHED = new Set(['schema_migration', 'enrol_failure', 'city_admin', 'city_session']);
/** Logs: kept across a restore, their rows since the backup added after the backup's. */
const LOGS = new Set(['admin_audit', 'refusal']);

const BackupHeader = z.object({
  format: z.literal(BACKUP_FORMAT),
  schema: z.number().int(),
  scope: z.enum(['server', 'centre']),
  centreId: z.string().max(64),
  createdAt: z.string().max(40),
  tables: z.array(z.object({ name: z.string().max(63), columns: z.array(z.string().max(63)).max(200) }).strict()).max(200),
}).strict();
export type BackupHeader = z.infer<typeof BackupHeader>;
const RowLine = z.object({ t: z.string().max(63), r: z.record(z.string(), z.unknown()) }).strict();
const EndLine = z.object({ end: z.literal(true), rows: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

/** What a restore did. */
export type RestoreResult = { scope: BackupHeader['scope']; centreId: string; backupCreatedAt: string; rows: number; epoch: string };

type Table = { name: string; columns: string[]; serial: Set<string>; orderBy: string[]; scoped: 'id' | 'centre_id' | null };

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The tables of the schema, parents before children (by their foreign keys), then by name. */
async function catalog(tx: Queryable): Promise<Table[]> {
  const cols = await tx.query<{ table_name: string; column_name: string; column_default: string | null }>(
    `SELECT c.table_name, c.column_name, c.column_default FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`);
  const keys = await tx.query<{ table_name: string; column_name: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name FROM pg_index i
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indisprimary AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
     ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)`);
  const fks = await tx.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f' AND k.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`);
  const tables = new Map<string, Table>();
  for (const c of cols) {
    let t = tables.get(c.table_name);
    if (!t) tables.set(c.table_name, (t = { name: c.table_name, columns: [], serial: new Set(), orderBy: [], scoped: null }));
    t.columns.push(c.column_name);
    if (c.column_default?.startsWith('nextval(')) t.serial.add(c.column_name);
  }
  for (const k of keys) tables.get(k.table_name)?.orderBy.push(k.column_name);
  for (const t of tables.values()) {
    t.scoped = t.name === 'centre' ? 'id' : t.columns.includes('centre_id') ? 'centre_id' : null;
    if (t.orderBy.length === 0) t.orderBy = [...t.columns];
  }
  // Depth-first: a table comes after every table it references.
  const ordered: Table[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const f of fks.filter((x) => x.child === name && x.parent !== name).map((x) => x.parent).sort()) visit(f);
    const t = tables.get(name);
    if (t) ordered.push(t);
  };
  for (const name of [...tables.keys()].sort()) visit(name);
  return ordered;
}

/** The scope a backup of the admin's centre takes on this server (see the header comment). */
export function backupScope(db: Queryable, centreId: string): Promise<BackupHeader['scope']> {
  return scopeOf(db, centreId);
}

async function scopeOf(tx: Queryable, centreId: string): Promise<BackupHeader['scope']> {
  const others = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM centre WHERE id <> $1', [centreId]);
  return (others[0]?.n ?? 0) === 0 ? 'server' : 'centre';
}

/** The rows of `t` a backup of this scope holds, as a WHERE clause (the centre id is a literal: DECLARE takes no parameters). */
function scopeWhere(t: Table, scope: BackupHeader['scope'], centreId: string): string {
  if (scope === 'server') return '';
  if (t.scoped === null) throw new Error(`table ${t.name} has no centre_id: a backup of one centre cannot scope it`);
  return `WHERE ${ident(t.scoped)} = ${literal(centreId)}`;
}

/**
 * Writes a backup of the admin's centre (or of the whole single-centre server) to `write`, line
 * by line, from one consistent snapshot. `write` resolves when the line may be followed by the
 * next (back-pressure) and throws when the reader went away, which ends the snapshot.
 */
export async function writeBackup(db: Db, centreId: string, write: (chunk: string) => Promise<void>): Promise<{ scope: BackupHeader['scope']; rows: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const [{ at } = { at: new Date() }] = await tx.query<{ at: Date }>('SELECT now() AS at');
    const scope = await scopeOf(tx, centreId);
    const tables = (await catalog(tx)).filter((t) => !LEFT_OUT.has(t.name));
    const header: BackupHeader = {
      format: BACKUP_FORMAT, schema: await schemaVersion(tx), scope, centreId, createdAt: new Date(at).toISOString(),
      tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
    };
    const hash = createHash('sha256');
    const out = async (line: string) => {
      hash.update(`${line}\n`);
      await write(`${line}\n`);
    };
    await out(JSON.stringify(header));
    let rows = 0;
    for (const [i, t] of tables.entries()) {
      const cursor = `linli_backup_${i}`;
      await tx.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS j FROM ${ident(t.name)} t ${scopeWhere(t, scope, centreId)} ORDER BY ${t.orderBy.map(ident).join(', ')}`);
      for (;;) {
        const batch = await tx.query<{ j: string }>(`FETCH 1000 FROM ${cursor}`);
        if (batch.length === 0) break;
        // The row's JSON is written as PostgreSQL made it: no number or date passes through JS.
        await out(batch.map((b) => `{"t":${JSON.stringify(t.name)},"r":${b.j}}`).join('\n'));
        rows += batch.length;
      }
      await tx.query(`CLOSE ${cursor}`);
    }
    await write(`${JSON.stringify({ end: true, rows, sha256: hash.digest('hex') })}\n`);
    return { scope, rows };
  });
}

/** A refusal of the backup file itself: nothing was changed. */
const invalid = (why: string) => new SyncRefusal('malformed', 400, `the backup cannot be restored: ${why}`);

/**
 * Restores a backup file (its lines, as they arrive) over the admin's centre, or over the whole
 * single-centre server, in one transaction: whole or nothing. See the header comment.
 */
export async function restoreBackup(db: Db, admin: AdminSession, lines: AsyncIterable<string>): Promise<RestoreResult> {
  try {
    return await db.transaction((tx) => restoreIn(tx, admin, lines));
  } catch (err) {
    // A file whose rows do not fit the schema (a wrong type, a missing parent) is the file's fault.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23]/.test(code)) throw invalid(`a row does not fit the schema (${code})`);
    throw err;
  }
}

async function restoreIn(tx: Queryable, admin: AdminSession, lines: AsyncIterable<string>): Promise<RestoreResult> {
  const it = lines[Symbol.asyncIterator]();
  const hash = createHash('sha256');
  const read = async (): Promise<string | undefined> => {
    const r = await it.next();
    return r.done ? undefined : r.value;
  };
  const json = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw invalid('a line is not JSON (the file was cut or changed)');
    }
  };
  const first = (await read()) ?? '';
  hash.update(`${first}\n`);
  const h = BackupHeader.safeParse(first ? json(first) : undefined);
  if (!h.success) throw invalid('it is not a Linli backup file');
  const header = h.data;
  if (header.centreId !== admin.centreId) throw new SyncRefusal('forbidden', 403, `the backup is of centre ${header.centreId}, not of yours`);
  const schema = await schemaVersion(tx);
  if (header.schema !== schema) throw invalid(`it was made at schema ${header.schema}, the server is at ${schema}: restore it with the Linli version that made it, then upgrade`);
  if (header.scope === 'server' && (await scopeOf(tx, admin.centreId)) !== 'server') throw new SyncRefusal('forbidden', 403, 'a backup of a whole server is restored only on a server of that one centre');

  const all = await catalog(tx);
  const tables = all.filter((t) => !LEFT_OUT.has(t.name));
  const byName = new Map(tables.map((t) => [t.name, t]));
  if (header.tables.length !== tables.length || header.tables.some((t) => !byName.has(t.name))) throw invalid('its tables are not this server\'s');
  for (const t of header.tables) {
    const unknown = t.columns.filter((c) => !byName.get(t.name)!.columns.includes(c));
    if (unknown.length > 0) throw invalid(`table ${t.name} has columns this server does not know: ${unknown.join(', ')}`);
  }

  // Pushes wait for the restore: the device table first, then the clock, as push.ts locks them.
  const lockOrder = ['device', 'centre_clock', ...all.map((t) => t.name).filter((n) => n !== 'device' && n !== 'centre_clock' && !UNTOUCHED.has(n))];
  await tx.query(`LOCK TABLE ${lockOrder.filter((n) => all.some((t) => t.name === n)).map(ident).join(', ')} IN ACCESS EXCLUSIVE MODE`);

  const centreId = admin.centreId;
  const inScope = (t: Table, alias = '') => (header.scope === 'server' ? 'TRUE' : `${alias}${ident(t.scoped ?? 'centre_id')} = ${literal(centreId)}`);
  for (const t of all) {
    if (header.scope === 'centre' && t.scoped === null && !LEFT_OUT.has(t.name)) throw new Error(`table ${t.name} has no centre_id: a backup of one centre cannot scope it`);
  }
  // What must outlive the restore: the revocations and the logs written since the backup.
  const revoked = await tx.query<{ id: string; revoked_at: Date; revoked_reason: string | null }>(
    `SELECT id, revoked_at, revoked_reason FROM device WHERE revoked_at IS NOT NULL AND ${inScope(byName.get('device')!)}`);
  const disabled = await tx.query<{ id: string }>(`SELECT id FROM staff WHERE NOT active AND ${inScope(byName.get('staff')!)}`);
  const devicesBefore = await tx.query<{ id: string; centre_id: string }>(`SELECT id, centre_id FROM device WHERE ${inScope(byName.get('device')!)}`);
  const since = new Map<string, string[]>();
  for (const name of LOGS) {
    const t = byName.get(name);
    if (!t) continue;
    const rows = await tx.query<{ j: string }>(`SELECT to_jsonb(t)::text AS j FROM ${ident(name)} t WHERE at > $1 AND ${inScope(t, 't.')} ORDER BY ${t.orderBy.map(ident).join(', ')}`, [header.createdAt]);
    since.set(name, rows.map((r) => r.j));
  }

  // Children before parents; sessions and codes of the scope go too.
  for (const t of [...all].reverse()) {
    if (UNTOUCHED.has(t.name)) continue;
    await tx.query(`DELETE FROM ${ident(t.name)} WHERE ${inScope(t)}`);
  }

  const insert = async (t: Table, columns: readonly string[], rows: readonly unknown[]) => {
    if (rows.length === 0) return;
    // Serial ids (the logs') are numbered anew: ids of another server's rows could collide.
    const cols = columns.filter((c) => !t.serial.has(c)).map(ident).join(', ');
    await tx.query(`INSERT INTO ${ident(t.name)} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${ident(t.name)}, $1::jsonb)`, [JSON.stringify(rows)]);
  };
  const columnsOf = new Map(header.tables.map((t) => [t.name, t.columns]));
  let rows = 0;
  let whole = false;
  let batchTable: Table | null = null;
  let batchRows: unknown[] = [];
  const inFile = new Set<string>();
  const flush = async () => {
    if (batchTable) await insert(batchTable, columnsOf.get(batchTable.name)!, batchRows);
    batchRows = [];
  };
  for (let raw = await read(); raw !== undefined; raw = await read()) {
    const value = json(raw);
    const end = EndLine.safeParse(value);
    if (end.success) {
      if (end.data.sha256 !== hash.digest('hex') || end.data.rows !== rows) throw invalid('its content does not match its last line (the file was changed)');
      if ((await read()) !== undefined) throw invalid('there are lines after its last line');
      whole = true;
      break;
    }
    hash.update(`${raw}\n`);
    const line = RowLine.safeParse(value);
    if (!line.success) throw invalid('a line is not a row of a table');
    const table = byName.get(line.data.t);
    if (!table) throw invalid(`table ${line.data.t} is not in its header`);
    if (header.scope === 'centre' && table.scoped !== null && line.data.r[table.scoped] !== centreId) throw invalid(`a row of ${table.name} is of another centre`);
    if (batchTable !== table || batchRows.length >= 500) {
      await flush();
      batchTable = table;
    }
    batchRows.push(line.data.r);
    if (LOGS.has(table.name)) inFile.add(`${table.name} ${JSON.stringify(line.data.r)}`);
    rows += 1;
  }
  if (!whole) throw invalid('it is not whole (its last line is missing: the file was cut)');
  await flush();

  // A log row the file holds already is not kept twice: the backup's own 「backupMade」 is written
  // before its snapshot, in the same millisecond as `createdAt` at times (a timestamp has microseconds).
  for (const [name, kept] of since) {
    await insert(byName.get(name)!, byName.get(name)!.columns, kept.map((j) => JSON.parse(j) as unknown).filter((r) => !inFile.has(`${name} ${JSON.stringify(r)}`)));
  }
  if (revoked.length > 0) {
    await tx.query(
      `UPDATE device d SET revoked_at = r.at, revoked_reason = r.reason FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS r(id, at, reason)
       WHERE d.id = r.id AND d.revoked_at IS NULL`,
      [revoked.map((r) => r.id), revoked.map((r) => r.revoked_at), revoked.map((r) => r.revoked_reason)]);
  }
  const centres = (await tx.query<{ id: string }>(`SELECT id FROM centre WHERE ${inScope(byName.get('centre')!)}`)).map((c) => c.id);
  if (disabled.length > 0) {
    for (const c of centres) {
      const stillActive = await tx.query<{ id: string }>('SELECT id FROM staff WHERE centre_id = $1 AND active AND id = ANY($2::text[])', [c, disabled.map((d) => d.id)]);
      if (stillActive.length === 0) continue;
      const seq = await takeChangeSeqs(tx, c, 1);
      await tx.query('UPDATE staff SET active = false, change_seq = $2 WHERE id = ANY($1::text[])', [stillActive.map((s) => s.id), seq]);
    }
  }
  const epoch = randomBytes(8).toString('hex');
  await tx.query('UPDATE centre SET epoch = $2 WHERE id = ANY($1::text[])', [centres, epoch]);
  // Devices revoked or gone hear it on their open streams; the others are told to pull now.
  const live = new Set((await tx.query<{ id: string }>('SELECT id FROM device WHERE revoked_at IS NULL AND id = ANY($1::text[])', [devicesBefore.map((d) => d.id)])).map((d) => d.id));
  for (const d of devicesBefore.filter((x) => !live.has(x.id))) await tx.query(`SELECT pg_notify($1, current_schema() || ' ' || $2)`, [REVOKED_CHANNEL, `${d.centre_id} ${d.id}`]);
  for (const c of centres) await tx.query(`SELECT pg_notify($1, current_schema() || ' ' || $2)`, [POKE_CHANNEL, `${c} restore`]);
  await audit(tx, admin, 'backupRestored', { scope: header.scope, backupCreatedAt: header.createdAt, rows, keptRevocations: revoked.length + disabled.length });
  return { scope: header.scope, centreId, backupCreatedAt: header.createdAt, rows, epoch };
}
