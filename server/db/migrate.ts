import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** A numbered SQL migration file: `001_points_store.sql`. */
export type Migration = { version: number; name: string; sql: string };

/** The migrations shipped, in order. */
export async function loadMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(files.map(async (name) => ({
    version: Number(name.slice(0, 3)),
    name,
    sql: await readFile(MIGRATIONS_DIR + name, 'utf8'),
  })));
}

/**
 * Brings the schema up to `upTo` (the newest when absent), one migration per transaction.
 * Answers the version it ends at. Tests stop at N-1, seed rows and go on to N.
 *
 * Several server processes may start at once on one PostgreSQL: each transaction first takes a
 * transaction-level advisory lock (one per schema, so scratch schemas of parallel tests do not
 * wait for each other) and then reads what is done, so a migration another process applied
 * meanwhile is skipped rather than run twice.
 */
export async function migrate(db: Db, upTo?: number): Promise<number> {
  const locked = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('linli_migrate:' || current_schema()))`);
    return fn(tx);
  });
  const done = async (tx: Queryable) => new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migration')).map((r) => r.version));
  let at = await locked(async (tx) => {
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    return Math.max(0, ...(await done(tx)));
  });
  for (const m of await loadMigrations()) {
    if (upTo !== undefined && m.version > upTo) continue;
    await locked(async (tx) => {
      if ((await done(tx)).has(m.version)) return;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    at = Math.max(at, m.version);
  }
  return at;
}

/** The newest schema version applied to `db` (0 for an empty database). */
export async function schemaVersion(db: Queryable): Promise<number> {
  const [row] = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migration');
  return row?.v ?? 0;
}

/** Splits a migration into statements at the semicolons that end a line (no `$$` bodies here). */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
