import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { z } from 'zod';
import { openDb } from './db/db.js';
import { migrate } from './db/migrate.js';
import { analyzeTables } from './sync/rows.js';
import { buildApp } from './app.js';
import { createPairingCode } from './devices/enrol.js';
import { ensureDemoAdminPassword, seedDemoCentre, upgradeDemoStaff } from './demo/seed.js';
import { loadIdKey } from './imports/idKey.js';
import { WUZHOU_GUANLAN } from './demo/generate.js';
import { ensureDemoCanteen } from './demo/canteen.js';
import { ensureDemoServices } from './demo/services.js';
import { listenTls, readTls } from './tls.js';

/**
 * Starts the sync server. Embedded defaults: PGlite with its data in `LINLI_DATA_DIR` (./.data/db),
 * port 8080 on loopback, the demo centre seeded when the database is empty, and a pairing code
 * printed for the first kiosk. `DATABASE_URL` switches to a real PostgreSQL. `LINLI_TLS_CERT` and
 * `LINLI_TLS_KEY` make it speak https (tls.ts); `LINLI_UPDATES_DIR` serves the kiosk's installers
 * and their update files read-only at `/updates/` (electron/updates.ts).
 */
const Env = z.object({
  DATABASE_URL: z.string().optional(),
  LINLI_DATA_DIR: z.string().default(fileURLToPath(new URL('../.data/db', import.meta.url))),
  LINLI_HOST: z.string().default('127.0.0.1'),
  LINLI_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LINLI_DEMO: z.enum(['full', 'small', 'none']).default('full'),
  LINLI_KIOSK_DIR: z.string().default(fileURLToPath(new URL('../renderer/dist', import.meta.url))),
  LINLI_LOG: z.enum(['silent', 'warn', 'info', 'debug']).default('info'),
  /** How many counter pairing codes to print at start (benchmarks enrol several kiosks). */
  LINLI_PAIRING_CODES: z.coerce.number().int().min(0).max(20).default(1),
  /** The key of residents' keyed hashes (base64), or the file that holds it (see imports/idKey.ts). */
  LINLI_ID_KEY: z.string().optional(),
  LINLI_ID_KEY_FILE: z.string().optional(),
  /** `1` behind a reverse proxy that terminates TLS: its X-Forwarded-Proto makes admin cookies Secure. */
  LINLI_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** PEM files of the server's certificate and its key: the server speaks https. */
  LINLI_TLS_CERT: z.string().optional(),
  LINLI_TLS_KEY: z.string().optional(),
  /** A scraper's bearer token for /api/admin/metrics (Prometheus); without it only an admin's session reads them. */
  LINLI_METRICS_TOKEN: z.string().min(20).optional(),
  /** Most poke streams this process holds (past it kiosks poll). */
  LINLI_MAX_STREAMS: z.coerce.number().int().min(1).default(20_000),
  /** A folder of kiosk installers and their latest.yml / latest-linux.yml, served read-only at /updates/. */
  LINLI_UPDATES_DIR: z.string().optional(),
});

const env = Env.parse(process.env);
// Read before anything else, so a wrong certificate stops the start at once with what is wrong.
const tls = readTls(env.LINLI_TLS_CERT, env.LINLI_TLS_KEY);
if (!env.DATABASE_URL) mkdirSync(env.LINLI_DATA_DIR, { recursive: true });
const db = await openDb(env, env.LINLI_DATA_DIR);
await migrate(db);
// PGlite runs no autovacuum: the planner's statistics are refreshed at each start, so a centre's
// growing tables are planned on their sizes.
if (db.kind === 'pglite') await analyzeTables(db);

const [centre] = await db.query<{ id: string }>('SELECT id FROM centre ORDER BY created_at LIMIT 1');
let centreId = centre?.id;
if (!centreId && env.LINLI_DEMO !== 'none') {
  const size = env.LINLI_DEMO === 'full' ? WUZHOU_GUANLAN : { ...WUZHOU_GUANLAN, residents: 60, volunteers: 12, days: 30 };
  process.stderr.write(`生成演示数据 / seeding demo centre: ${size.residents} residents, ${size.days} days…\n`);
  let shown = 0;
  const { events } = await seedDemoCentre(db, { ...size, until: new Date(), canteen: true }, (done, total) => {
    const pct = Math.floor((done / total) * 10);
    if (pct > shown) process.stderr.write(`  ${pct * 10}%\n`);
    shown = pct;
  });
  process.stderr.write(`  ${events} events in the history\n`);
  centreId = size.centreId;
} else if (centreId === WUZHOU_GUANLAN.centreId && env.LINLI_DEMO !== 'none') {
  const upgraded = await upgradeDemoStaff(db, { ...WUZHOU_GUANLAN, until: new Date() });
  if (upgraded > 0) process.stderr.write(`演示工作人员已设置工作证和密码 / demo staff given cards and PINs: ${upgraded}\n`);
  if (await ensureDemoAdminPassword(db, centreId)) process.stderr.write('演示管理员已设置管理后台密码 / the demo admin has an admin app password now\n');
  if ((await ensureDemoCanteen(db, { ...WUZHOU_GUANLAN, until: new Date() })) > 0) process.stderr.write('演示食堂已生成 / demo canteen seeded\n');
  if ((await ensureDemoServices(db, WUZHOU_GUANLAN.centreId, new Date())) > 0) process.stderr.write('演示服务时间表已生成 / demo services seeded\n');
}

const app = await buildApp({
  db, kioskDir: env.LINLI_KIOSK_DIR, logger: env.LINLI_LOG === 'silent' ? false : { level: env.LINLI_LOG },
  idKey: loadIdKey(env, env.LINLI_DATA_DIR), trustProxy: env.LINLI_TRUST_PROXY === '1',
  metricsToken: env.LINLI_METRICS_TOKEN, maxStreams: env.LINLI_MAX_STREAMS,
});
// ---- Kiosk updates: the installers and their update files, read-only (GET and HEAD only, no listing). ----
if (env.LINLI_UPDATES_DIR && existsSync(env.LINLI_UPDATES_DIR)) {
  await app.register(fastifyStatic, {
    root: path.resolve(env.LINLI_UPDATES_DIR), prefix: '/updates/', decorateReply: false, index: false, list: false, dotfiles: 'deny', cacheControl: false,
    // latest.yml says which version is current: never served from a cache.
    setHeaders: (res, file) => {
      res.setHeader('Cache-Control', file.endsWith('.yml') ? 'no-cache' : 'public, max-age=86400');
    },
  });
}
// ----
const tlsServer = tls ? await listenTls(app, tls, env.LINLI_HOST, env.LINLI_PORT) : null;
const address = tlsServer ? tlsServer.address : await app.listen({ host: env.LINLI_HOST, port: env.LINLI_PORT });
const codes: string[] = [];
for (let i = 0; centreId && i < env.LINLI_PAIRING_CODES; i++) codes.push(await createPairingCode(db, centreId, 'counter', new Date()));
const pairing = codes[0] ?? null;
// A canteen till to try the canteen with (a second browser profile: one browser profile is one device).
const canteenCode = centreId ? await createPairingCode(db, centreId, 'canteen', new Date()) : null;
// A self-service touchscreen to try (issue 13): residents scan their card, no sign-in.
const selfServiceCode = centreId ? await createPairingCode(db, centreId, 'selfService', new Date()) : null;
// One machine-readable line on stdout for the launcher and the tests; the rest is for people.
process.stdout.write(`${JSON.stringify({ listening: address, pairingCode: pairing, pairingCodes: codes, canteenPairingCode: canteenCode, selfServicePairingCode: selfServiceCode })}\n`);
process.stderr.write(`\n邻里 Linli 服务已启动 / server listening: ${address}\n`);
if (tls) process.stderr.write(`证书指纹（填入柜台设置 serverCertificate）/ certificate fingerprint (a kiosk's serverCertificate): ${tls.fingerprint}\n  ${tls.subject}, 有效期至 / valid to ${tls.validTo}\n`);
if (pairing) process.stderr.write(`柜台配对码（15 分钟内有效）/ counter pairing code (15 min): ${pairing}\n`);
if (canteenCode) process.stderr.write(`食堂售票机（另开一个浏览器配置）/ canteen till (another browser profile): ${address}/#pair=${canteenCode}\n`);
if (selfServiceCode) process.stderr.write(`居民自助触摸屏（另开一个浏览器配置）/ self-service touchscreen (another browser profile): ${address}/#pair=${selfServiceCode}\n`);

const stop = async () => {
  await tlsServer?.close();
  await app.close();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
