import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StaffRole } from '../core/index.js';
import { addStaff, setPassword } from './admin/admin.js';
import { setCityAdmin } from './admin/city.js';
import { passwordShapeProblem } from './admin/password.js';
import { prompter } from './admin/prompt.js';
import { openDb, type Db } from './db/db.js';
import { migrate } from './db/migrate.js';
import { createCentre } from './demo/centre.js';

/**
 * A real centre's first start: creates the centre (when it is new) and its first admin, who then
 * signs in to the admin app (/admin), the CLI or the API to pair kiosks and add staff. Refused
 * when the centre already has an active admin with a password (that admin adds the others). Opens
 * the database directly: with the embedded PGlite, run it while the server is stopped. The admin's
 * password is asked for (twice), or read from one line of stdin, never taken on the command line.
 * The admin is a `staffSet` event of the centre's server device, like any staff change; the counter
 * PIN and the kiosks the admin works at are set later in the admin app.
 *
 *   npm run bootstrap -- --centre hxjd --centre-name 和谐街道社区党群服务中心 --admin-name 张红
 */
export async function bootstrapCentre(db: Db, o: { centreId: string; centreName: string; adminName: string; password: string }): Promise<{ cardCode: string; createdCentre: boolean }> {
  if (!/^[a-z0-9-]{2,32}$/.test(o.centreId)) throw new Error('--centre: 2 to 32 lowercase letters, digits or dashes');
  const problem = passwordShapeProblem(o.password);
  if (problem) throw new Error(problem);
  const [centre] = await db.query<{ id: string }>('SELECT id FROM centre WHERE id = $1', [o.centreId]);
  if (!centre) {
    if (!o.centreName.trim()) throw new Error('--centre-name: the new centre needs its name');
    await db.transaction((tx) => createCentre(tx, o.centreId, o.centreName.trim()));
  }
  const [admin] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM staff s JOIN admin_password p ON p.centre_id = s.centre_id AND p.staff_id = s.id
     WHERE s.centre_id = $1 AND s.role = 'admin' AND s.active`, [o.centreId]);
  if ((admin?.n ?? 0) > 0) throw new Error(`centre ${o.centreId} already has an admin: sign in to the admin app (/admin) or \`npm run admin\` to add staff`);
  const added = await addStaff(db, o.centreId, o.adminName, StaffRole.enum.admin, null, new Date(), []);
  await setPassword(db, o.centreId, added.id, o.password, null);
  return { cardCode: added.cardCode, createdCentre: !centre };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: v } = parseArgs({
    options: {
      centre: { type: 'string' }, 'centre-name': { type: 'string', default: '' }, 'admin-name': { type: 'string' }, pin: { type: 'string' }, password: { type: 'string' },
      // A street office's or a city's admin instead: `--city-login jd-admin --city-name 和谐街道 [--centres hxjd,wzgl]`.
      'city-login': { type: 'string' }, 'city-name': { type: 'string', default: '' }, centres: { type: 'string' },
    },
  });
  const ask = prompter();
  try {
    if (v.pin !== undefined || v.password !== undefined) throw new Error('Passwords are not taken on the command line (others see it in `ps` and the shell history): leave --password out and type it when asked, or pipe it on stdin / 密码不在命令行输入：请在提示时输入');
    const password = await ask.ask(v['city-login'] ? '街道/市级管理员的密码（至少 10 个字符）/ the city admin\'s password (10 characters or more): '
      : '首位管理员的管理后台密码（至少 10 个字符）/ the first admin\'s password for the admin app (10 characters or more): ', { secret: true });
    if (ask.interactive && password !== (await ask.ask('再输一次 / once more: ', { secret: true }))) throw new Error('两次输入的密码不同 / the two passwords differ');
    const dataDir = process.env.LINLI_DATA_DIR ?? fileURLToPath(new URL('../.data/db', import.meta.url));
    if (!process.env.DATABASE_URL) mkdirSync(dataDir, { recursive: true });
    const db = await openDb({ DATABASE_URL: process.env.DATABASE_URL }, dataDir);
    try {
      await migrate(db);
      if (v['city-login']) {
        const centres = v.centres ? v.centres.split(',').map((c) => c.trim()).filter(Boolean) : null;
        const made = await setCityAdmin(db, { login: v['city-login'], name: v['city-name'] || v['city-login'], password, centres });
        process.stdout.write(`${JSON.stringify({ cityAdmin: v['city-login'], created: made.created, centres })}\n`);
        process.stderr.write(`${made.created ? '已创建' : '已更新'}街道/市级管理员 ${v['city-login']}：在管理后台（/admin）选「街道/市级」登录 / city admin ${made.created ? 'created' : 'updated'}: sign in at /admin as a city admin\n`);
      } else {
        const r = await bootstrapCentre(db, { centreId: v.centre ?? '', centreName: v['centre-name'] ?? '', adminName: v['admin-name'] ?? '', password });
        process.stdout.write(`${JSON.stringify(r)}\n`);
        process.stderr.write(`${r.createdCentre ? '已创建服务中心 / centre created. ' : ''}管理员工作证号 / admin staff card: ${r.cardCode}\n`);
      }
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
