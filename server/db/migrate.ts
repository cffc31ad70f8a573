import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

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
 */
export async function migrate(db: Db, upTo?: number): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migration')).map((r) => r.version));
  let at = Math.max(0, ...done);
  for (const m of await loadMigrations()) {
    if (done.has(m.version) || (upTo !== undefined && m.version > upTo)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migration (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    at = m.version;
  }
  return at;
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
