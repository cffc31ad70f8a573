import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StaffRole } from '../core/index.js';
import { addStaff } from './admin/admin.js';
import { openDb, type Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { createCentre } from './demo/centre.js';

/**
 * A real centre's first start: creates the centre (when it is new) and its first admin, who then
 * signs in to the admin CLI or API to pair kiosks and add staff. Refused when the centre already
 * has an active admin with a PIN (that admin adds the others). Opens the database directly: with
 * the embedded PGlite, run it while the server is stopped.
 *
 *   npm run bootstrap -- --centre hxjd --centre-name 和谐街道社区党群服务中心 --admin-name 张红 --pin 864209
 */
export async function bootstrapCentre(db: Db, o: { centreId: string; centreName: string; adminName: string; pin: string }): Promise<{ cardCode: string; createdCentre: boolean }> {
  if (!/^[a-z0-9-]{2,32}$/.test(o.centreId)) throw new Error('--centre: 2 to 32 lowercase letters, digits or dashes');
  if (!/^\d{6,12}$/.test(o.pin)) throw new Error('--pin: 6 to 12 digits');
  const [centre] = await db.query<{ id: string }>('SELECT id FROM centre WHERE id = $1', [o.centreId]);
  if (!centre) {
    if (!o.centreName.trim()) throw new Error('--centre-name: the new centre needs its name');
    await db.transaction((tx) => createCentre(tx, o.centreId, o.centreName.trim()));
  }
  const [admin] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM staff WHERE centre_id = $1 AND role = 'admin' AND active AND pin_hash IS NOT NULL`, [o.centreId]);
  if ((admin?.n ?? 0) > 0) throw new Error(`centre ${o.centreId} already has an admin: sign in with \`npm run admin\` to add staff`);
  const added = await addStaff(db, o.centreId, o.adminName, StaffRole.enum.admin, o.pin);
  return { cardCode: added.cardCode, createdCentre: !centre };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: v } = parseArgs({
    options: { centre: { type: 'string' }, 'centre-name': { type: 'string', default: '' }, 'admin-name': { type: 'string' }, pin: { type: 'string' } },
  });
  const dataDir = process.env.LINLI_DATA_DIR ?? fileURLToPath(new URL('../.data/db', import.meta.url));
  if (!process.env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
  const db = await openDb({ DATABASE_URL: process.env.DATABASE_URL }, dataDir);
  try {
    await migrate(db);
    const r = await bootstrapCentre(db, { centreId: v.centre ?? '', centreName: v['centre-name'] ?? '', adminName: v['admin-name'] ?? '', pin: v.pin ?? '' });
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.stderr.write(`${r.createdCentre ? '已创建服务中心 / centre created. ' : ''}管理员工作证号 / admin staff card: ${r.cardCode}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}
