import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../server/db/db.js';

/**
 * Databases for tests: PGlite in memory, and a scratch schema on the real PostgreSQL named by
 * `LINLI_TEST_DATABASE_URL` (.ci/run creates the role and the database). Both always run.
 */
export const TEST_PG_URL = process.env.LINLI_TEST_DATABASE_URL ?? 'postgres://linli:linli@127.0.0.1:5432/linli_test';

export type ScratchDb = Db & { url?: string; drop(): Promise<void> };

/** A new, empty database of the given kind. */
export async function scratchDb(kind: Db['kind']): Promise<ScratchDb> {
  if (kind === 'pglite') {
    const db = await openPglite();
    return { ...db, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const db = await openPostgres(url);
  return {
    ...db,
    url,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const DB_KINDS: readonly Db['kind'][] = ['pglite', 'postgres'];
