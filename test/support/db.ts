import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../server/db/db.js';

/**
 * Databases for tests: PGlite in memory, and a scratch schema on the real PostgreSQL named by
 * `LINLI_TEST_DATABASE_URL` (.ci/run creates the role and the database). Both always run.
 *
 * A new PGlite runs initdb, which takes seconds; so do migrating and seeding. Tests start from a
 * data directory made once and kept in the temp folder (keyed by a hash of the code that makes it,
 * so a change of a migration or of the demo makes a new one): an empty cluster, or one seeded with
 * the small demo centre (`seededScratchDb`).
 */
export const TEST_PG_URL = process.env.LINLI_TEST_DATABASE_URL ?? 'postgres://linli:linli@127.0.0.1:5432/linli_test';

export type ScratchDb = Db & { url?: string; drop(): Promise<void> };

const root = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = path.join(tmpdir(), 'linli-test-pglite');

/** A hash of every file under the given folders: what a cached data directory was made by. */
function sourceHash(...folders: string[]): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (/\.(ts|sql|json)$/.test(name)) hash.update(file).update(readFileSync(file));
    }
  };
  for (const f of folders) walk(path.join(root, f));
  return hash.digest('hex').slice(0, 16);
}

/** A PGlite data directory from the cache, made by `make` the first time (written atomically). */
async function cachedDataDir(name: string, make: () => Promise<Db>): Promise<Blob> {
  const file = path.join(cacheDir, `${name}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const db = await make();
  const blob = await db.dumpDataDir!();
  await db.close();
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  renameSync(tmp, file);
  return blob;
}

/** The PGlite in node_modules: an empty cluster is the same as long as it is. */
function pgliteVersion(): string {
  return (JSON.parse(readFileSync(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
}

/** A new, empty database of the given kind. */
export async function scratchDb(kind: Db['kind']): Promise<ScratchDb> {
  if (kind === 'pglite') {
    const empty = await cachedDataDir(`empty-${pgliteVersion()}`, () => openPglite());
    const db = await openPglite(undefined, empty);
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

/**
 * A new database holding the small demo centre (`seed`), seeded once per change of the code and
 * loaded from the cache after that on PGlite; seeded afresh on PostgreSQL (a scratch schema).
 */
export async function seededScratchDb(kind: Db['kind'], seed: (db: Db) => Promise<void>, seedName = 'small'): Promise<ScratchDb> {
  if (kind === 'postgres') {
    const db = await scratchDb('postgres');
    await seed(db);
    return db;
  }
  const key = `${seedName}-${sourceHash('core', 'server', 'test/support')}`;
  const data = await cachedDataDir(key, async () => {
    const db = await scratchDb('pglite');
    await seed(db);
    return db;
  });
  const db = await openPglite(undefined, data);
  return { ...db, drop: () => db.close() };
}

export const DB_KINDS: readonly Db['kind'][] = ['pglite', 'postgres'];
