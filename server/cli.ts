import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { EXPORT_CONTENT_TYPE } from './app.js';

/**
 * The admin CLI: a thin client of the admin API, so it works the same against an embedded PGlite
 * server (whose data folder only the server may open) and a PostgreSQL one.
 *
 *   npm run admin -- pairing-code counter|selfService|canteen
 *   npm run admin -- devices
 *   npm run admin -- revoke K02 --reason "丢失"
 *   npm run admin -- staff-add --name 张三 --role clerk --new-pin 123456
 *   npm run admin -- staff-set LS00042 --new-pin 654321 | --disable | --enable
 *   npm run admin -- import /media/usb/linli-K01-2026-11-25.json
 *   npm run admin -- refusals
 *   npm run admin -- audit
 *
 * Signs in with `--card` (an admin's staff card) and the PIN from `LINLI_ADMIN_PIN` or asked for;
 * `--server` (default http://127.0.0.1:8080) and `--centre` (default wzgl) say where.
 */
const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', default: process.env.LINLI_SERVER ?? 'http://127.0.0.1:8080' },
    centre: { type: 'string', default: process.env.LINLI_CENTRE ?? 'wzgl' },
    card: { type: 'string', default: process.env.LINLI_ADMIN_CARD },
    name: { type: 'string' },
    role: { type: 'string' },
    'new-pin': { type: 'string' },
    reason: { type: 'string', default: '' },
    disable: { type: 'boolean' },
    enable: { type: 'boolean' },
  },
});

const [command, arg] = positionals;
const usage = 'usage: npm run admin -- pairing-code PROFILE | devices | revoke CODE --reason R | staff-add --name N --role R --new-pin P | staff-set CARD [--new-pin P] [--disable|--enable] | import FILE | refusals | audit  (--card LS… --server URL --centre ID)';

async function main(): Promise<void> {
  if (!command) throw new Error(usage);
  if (!o.card) throw new Error('--card: the staff card of an admin (or LINLI_ADMIN_CARD)');
  const pin = process.env.LINLI_ADMIN_PIN ?? (await ask('管理员密码 / admin PIN: '));
  const session = await fetch(`${o.server}/api/admin/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ centreId: o.centre, cardCode: o.card, pin }),
  });
  if (!session.ok) throw new Error(`sign-in refused: ${await session.text()}`);
  const cookie = /linli_admin=[^;]+/.exec(session.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${o.server}${path}`, {
      method, headers: { cookie, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as unknown;
  };
  switch (command) {
    case 'pairing-code': {
      const r = (await call('POST', '/api/admin/pairing-codes', { profile: arg ?? 'counter' })) as { code: string; expiresAt: string };
      process.stdout.write(`${r.code}\n`);
      process.stderr.write(`配对码 ${r.code}（${arg ?? 'counter'}），${r.expiresAt} 前有效，只能用一次 / one use, valid until ${r.expiresAt}\n`);
      return;
    }
    case 'devices':
      return print(await call('GET', '/api/admin/devices'));
    case 'revoke':
      return print(await call('POST', `/api/admin/devices/${encodeURIComponent(arg ?? '')}/revoke`, { reason: o.reason }));
    case 'staff-add':
      return print(await call('POST', '/api/admin/staff', { name: o.name, role: o.role, pin: o['new-pin'] }));
    case 'staff-set':
      return print(await call('POST', `/api/admin/staff/${encodeURIComponent(arg ?? '')}`, {
        ...(o['new-pin'] ? { pin: o['new-pin'] } : {}), ...(o.disable ? { active: false } : o.enable ? { active: true } : {}),
      }));
    case 'import':
      if (!arg) throw new Error('import FILE');
      return print(await call('POST', '/api/admin/imports', await readFile(arg, 'utf8'), EXPORT_CONTENT_TYPE));
    case 'refusals':
      return print(await call('GET', '/api/admin/refusals'));
    case 'audit':
      return print(await call('GET', '/api/admin/audit'));
    default:
      throw new Error(usage);
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
