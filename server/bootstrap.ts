import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StaffRole } from '../core/index.js';
import { addStaff } from './admin/admin.js';
import { prompter } from './admin/prompt.js';
import { openDb, type Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { createCentre } from './demo/centre.js';

/**
 * A real centre's first start: creates the centre (when it is new) and its first admin, who then
 * signs in to the admin CLI or API to pair kiosks and add staff. Refused when the centre already
 * has an active admin with a PIN (that admin adds the others). Opens the database directly: with
 * the embedded PGlite, run it while the server is stopped. The PIN is asked for (twice), or read
 * from one line of stdin, never taken on the command line.
 *
 *   npm run bootstrap -- --centre hxjd --centre-name 和谐街道社区党群服务中心 --admin-name 张红
 */
export async function bootstrapCentre(db: Db, o: { centreId: string; centreName: string; adminName: string; pin: string }): Promise<{ cardCode: string; createdCentre: boolean }> {
  if (!/^[a-z0-9-]{2,32}$/.test(o.centreId)) throw new Error('--centre: 2 to 32 lowercase letters, digits or dashes');
  if (!/^\d{6,12}$/.test(o.pin)) throw new Error('the PIN is 6 to 12 digits / 密码为 6–12 位数字');
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
  const ask = prompter();
  try {
    if (v.pin !== undefined) throw new Error('PINs are not taken on the command line (others see it in `ps` and the shell history): leave --pin out and type it when asked, or pipe it on stdin / 密码不在命令行输入：请在提示时输入');
    const pin = await ask.ask('首位管理员的密码（6–12 位数字）/ the first admin\'s PIN (6–12 digits): ', { secret: true });
    if (ask.interactive && pin !== (await ask.ask('再输一次 / once more: ', { secret: true }))) throw new Error('两次输入的密码不同 / the two PINs differ');
    const dataDir = process.env.LINLI_DATA_DIR ?? fileURLToPath(new URL('../.data/db', import.meta.url));
    if (!process.env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
    const db = await openDb({ DATABASE_URL: process.env.DATABASE_URL }, dataDir);
    try {
      await migrate(db);
      const r = await bootstrapCentre(db, { centreId: v.centre ?? '', centreName: v['centre-name'] ?? '', adminName: v['admin-name'] ?? '', pin });
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.stderr.write(`${r.createdCentre ? '已创建服务中心 / centre created. ' : ''}管理员工作证号 / admin staff card: ${r.cardCode}\n`);
    } finally {
      await db.close();
    }
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    ask.close();
  }
}
