import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';
import { formatShanghai, type ImportResult } from '../core/index.js';
import { prompter } from './admin/prompt.js';
import { EXPORT_CONTENT_TYPE } from './app.js';
import { BACKUP_CONTENT_TYPE } from './backup/backup.js';

/**
 * The admin CLI: a thin client of the admin API, so it works the same against an embedded PGlite
 * server (whose data folder only the server may open) and a PostgreSQL one.
 *
 *   npm run admin -- pairing-code counter|selfService|canteen
 *   npm run admin -- devices
 *   npm run admin -- revoke K02 --reason "丢失"
 *   npm run admin -- staff-add --name 张三 --role clerk          (the new PIN is asked for)
 *   npm run admin -- staff-set LS00042 --new-pin | --new-password | --disable | --enable
 *   npm run admin -- import /media/usb/linli-K01-2026-11-25.json
 *   npm run admin -- backup [FILE]
 *   npm run admin -- restore FILE --confirm CENTRE
 *   npm run admin -- refusals
 *   npm run admin -- audit
 *
 * Signs in with `--card` (an admin's staff card) and the admin's password asked for (or one line of
 * stdin, or `LINLI_ADMIN_PASSWORD` for scripts): the admin app's password, not the counter PIN.
 * Signs out when done. PINs and passwords are never taken on the command line. `--server` (default `LINLI_SERVER`, else http://127.0.0.1:`LINLI_PORT`, else 8080) and
 * `--centre` (default `LINLI_CENTRE`, else wzgl) say where.
 */
const listenHost = process.env.LINLI_HOST && !['0.0.0.0', '::'].includes(process.env.LINLI_HOST) ? process.env.LINLI_HOST : '127.0.0.1';
const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', default: process.env.LINLI_SERVER ?? `http://${listenHost}:${process.env.LINLI_PORT ?? '8080'}` },
    centre: { type: 'string', default: process.env.LINLI_CENTRE ?? 'wzgl' },
    card: { type: 'string', default: process.env.LINLI_ADMIN_CARD },
    name: { type: 'string' },
    role: { type: 'string' },
    'new-pin': { type: 'boolean' },
    'new-password': { type: 'boolean' },
    password: { type: 'string' },
    pin: { type: 'string' },
    reason: { type: 'string', default: '' },
    disable: { type: 'boolean' },
    enable: { type: 'boolean' },
    confirm: { type: 'string' },
  },
});

const [command, arg] = positionals;
const usage = 'usage: npm run admin -- pairing-code PROFILE | devices | revoke CODE --reason R | staff-add --name N --role R | staff-set CARD [--new-pin] [--new-password] [--disable|--enable] | import FILE | backup [FILE] | restore FILE --confirm CENTRE | refusals | audit  (--card LS… --server URL --centre ID)';
const ask = prompter();

/** A fetch that says which server it tried, and how to name another, when it cannot reach it. */
async function reach(path: string, init: RequestInit & { duplex?: 'half' } = {}): Promise<Response> {
  try {
    return await fetch(`${o.server}${path}`, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    throw new Error(`无法连接服务器 ${o.server}（${why}）：服务器在运行吗？用 --server URL 或环境变量 LINLI_SERVER、LINLI_PORT 指定。\n`
      + `could not reach the server at ${o.server} (${why}): is it running? Name another with --server URL, or LINLI_SERVER or LINLI_PORT.`, { cause: err });
  }
}

/** The message of a refusal (a SyncError body), else the body as it came. */
async function refusal(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: string; message?: string };
    return `HTTP ${res.status} ${body.error ?? ''}: ${body.message ?? text}`;
  } catch {
    return `HTTP ${res.status}: ${text.slice(0, 500)}`;
  }
}

async function newPin(): Promise<string> {
  const pin = await ask.ask('新密码（6–12 位数字）/ new PIN (6–12 digits): ', { secret: true });
  if (ask.interactive && pin !== (await ask.ask('再输一次 / once more: ', { secret: true }))) throw new Error('两次输入的密码不同 / the two PINs differ');
  return pin;
}

async function newPassword(): Promise<string> {
  const password = await ask.ask('新的管理后台密码（至少 10 个字符）/ new admin password (10 characters or more): ', { secret: true });
  if (ask.interactive && password !== (await ask.ask('再输一次 / once more: ', { secret: true }))) throw new Error('两次输入的密码不同 / the two passwords differ');
  return password;
}

async function main(): Promise<void> {
  if (!command) throw new Error(usage);
  if (o.pin !== undefined || o.password !== undefined) throw new Error('PINs and passwords are not taken on the command line (others see it in `ps` and the shell history): leave --pin/--password out and type it when asked, or pipe it on stdin / 密码不在命令行输入：请在提示时输入');
  if (!o.card) throw new Error('--card: the staff card of an admin (or LINLI_ADMIN_CARD) / 请用 --card 指定管理员工作证号');
  if (command === 'restore' && arg && o.confirm === undefined) {
    if (!ask.interactive) throw new Error(`a restore replaces every row of centre ${o.centre} with the backup's: add --confirm ${o.centre} / 恢复会用备份替换 ${o.centre} 的全部数据：请加上 --confirm ${o.centre}`);
    o.confirm = await ask.ask(`恢复会用备份替换服务中心 ${o.centre} 的全部数据。输入 ${o.centre} 确认 / a restore replaces every row of centre ${o.centre}; type ${o.centre} to confirm: `);
  }
  const password = process.env.LINLI_ADMIN_PASSWORD ?? (await ask.ask('管理后台密码 / admin password: ', { secret: true }));
  const session = await reach('/api/admin/session', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ centreId: o.centre, cardCode: o.card, password }),
  });
  if (!session.ok) throw new Error(`sign-in refused / 登录被拒绝: ${await refusal(session)}`);
  const cookie = /linli_admin=[^;]+/.exec(session.headers.get('set-cookie') ?? '')?.[0] ?? '';
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> => {
    const res = await reach(path, {
      method, headers: { cookie, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${await refusal(res)}`);
    return res.json() as Promise<unknown>;
  };
  try {
    await run(call, cookie);
  } finally {
    // A session left behind would stay good for hours. (A restore already ended it.)
    await fetch(`${o.server}/api/admin/session`, { method: 'DELETE', headers: { cookie } }).catch(() => undefined);
  }
}

async function run(call: (method: string, path: string, body?: unknown, contentType?: string) => Promise<unknown>, cookie: string): Promise<void> {
  switch (command) {
    case 'pairing-code': {
      const profile = arg ?? 'counter';
      const r = (await call('POST', '/api/admin/pairing-codes', { profile })) as { code: string; expiresAt: string };
      const until = formatShanghai(Date.parse(r.expiresAt));
      process.stdout.write(`${r.code}\n`);
      process.stderr.write(`配对码 ${r.code}（${profile}），只能用一次，北京时间 ${until} 前在柜台的「配对」画面输入。\n`
        + `pairing code ${r.code} (${profile}), one use: type it on the kiosk's 配对 (Pair) screen before ${until} Beijing time (UTC+8).\n`);
      return;
    }
    case 'devices':
      return print(await call('GET', '/api/admin/devices'));
    case 'revoke':
      return print(await call('POST', `/api/admin/devices/${encodeURIComponent(arg ?? '')}/revoke`, { reason: o.reason }));
    case 'staff-add':
      return print(await call('POST', '/api/admin/staff', { name: o.name, role: o.role, pin: await newPin() }));
    case 'staff-set':
      return print(await call('POST', `/api/admin/staff/${encodeURIComponent(arg ?? '')}`, {
        ...(o['new-pin'] ? { pin: await newPin() } : {}), ...(o['new-password'] ? { password: await newPassword() } : {}),
        ...(o.disable ? { active: false } : o.enable ? { active: true } : {}),
      }));
    case 'import': {
      if (!arg) throw new Error('import FILE');
      const r = (await call('POST', '/api/admin/imports', await readFile(arg, 'utf8'), EXPORT_CONTENT_TYPE)) as ImportResult;
      print(r);
      process.stderr.write(`${r.deviceCode}：新记入 ${r.applied}，已有 ${r.duplicate}，拒绝 ${r.rejected}，序号冲突 ${r.conflicts}，违反规则（透支、超卖等，见柜台「异常」）${r.exceptions}\n`
        + `${r.deviceCode}: ${r.applied} applied, ${r.duplicate} already there, ${r.rejected} rejected, ${r.conflicts} seq conflicts, ${r.exceptions} broke a rule (overdraft, oversold…: see the kiosk's 异常 tab)\n`);
      return;
    }
    case 'backup':
      return backup(cookie, arg ?? `linli-backup-${o.centre}-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.jsonl`);
    case 'restore': {
      if (!arg) throw new Error('restore FILE --confirm CENTRE');
      const res = await reach(`/api/admin/restore?confirm=${encodeURIComponent(o.confirm ?? '')}`, {
        method: 'POST', headers: { cookie, 'content-type': BACKUP_CONTENT_TYPE },
        body: Readable.toWeb(createReadStream(arg)) as ReadableStream<Uint8Array>, duplex: 'half',
      });
      if (!res.ok) throw new Error(`restore refused / 恢复被拒绝（未做任何改动 / nothing was changed）: ${await refusal(res)}`);
      print(await res.json());
      process.stderr.write('已恢复。柜台会重新下载数据，并补传备份之后的记录；管理员请重新登录、重新生成配对码。\n'
        + 'Restored. Kiosks take a fresh copy and push again what came after the backup; admins sign in again, and make new pairing codes.\n');
      return;
    }
    case 'refusals':
      return print(await call('GET', '/api/admin/refusals'));
    case 'audit':
      return print(await call('GET', '/api/admin/audit'));
    default:
      throw new Error(usage);
  }
}

/** Streams the backup into FILE (through a temporary name, so a cut download never looks whole). */
async function backup(cookie: string, file: string): Promise<void> {
  const res = await reach('/api/admin/backup', { headers: { cookie } });
  if (!res.ok || !res.body) throw new Error(`backup refused / 备份被拒绝: ${await refusal(res)}`);
  const partial = `${file}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
    const text = await readFile(partial, 'utf8');
    const last = text.trimEnd().split('\n').at(-1) ?? '';
    if (!last.startsWith('{"end":true')) throw new Error('the backup is not whole: the connection was cut / 备份不完整：连接中断');
    await rename(partial, file);
    const { rows } = JSON.parse(last) as { rows: number };
    process.stderr.write(`备份已写入 / backup written: ${file} (${rows} rows). 文件含居民个人信息，请妥善保管 / it holds residents' personal data: keep it safe.\n`);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

main().then(() => ask.close(), (err: unknown) => {
  ask.close();
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
