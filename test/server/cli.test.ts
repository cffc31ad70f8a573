import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { formatShanghai, makeStaffCardCode } from '../../core/index.js';
import { buildApp } from '../../server/app.js';
import { PAIRING_CODE_TTL_MS } from '../../server/devices/enrol.js';
import { DEMO_ADMIN_PASSWORD } from '../../server/demo/generate.js';
import { pinMatches } from '../../server/staff/pin.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, NOW } from '../support/centre.js';
import { freePort } from '../support/ports.js';

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a script of ours as a person would: arguments, an environment, and what they type on stdin. */
function run(script: string, args: string[], env: Record<string, string | undefined>, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const ours = new Set(['LINLI_SERVER', 'LINLI_PORT', 'LINLI_ADMIN_PASSWORD', 'LINLI_ADMIN_CARD', 'LINLI_CENTRE', 'DATABASE_URL', 'LINLI_DATA_DIR']);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !ours.has(k)));
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...clean, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe.each(DB_KINDS)('the admin CLI and bootstrap, as a new user runs them, on %s', (kind) => {
  let db: ScratchDb;
  let app: FastifyInstance;
  let port = 0;

  beforeEach(async () => {
    db = await smallCentreDb(kind);
    app = await buildApp({ db, now: () => NOW });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const admin = (args: string[], stdin: string, env: Record<string, string> = {}) => run('server/cli.ts', [...args, '--card', makeStaffCardCode(1)], { LINLI_PORT: String(port), ...env }, stdin);

  it('finds the server on LINLI_PORT, takes the password on stdin, signs out when done, and prints the expiry in Beijing time', async () => {
    const made = await admin(['pairing-code', 'canteen'], `${DEMO_ADMIN_PASSWORD}\n`);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    const until = formatShanghai(NOW.getTime() + PAIRING_CODE_TTL_MS);
    expect(until).toBe('2026-11-25 10:15');
    expect(made.stderr).toContain(`北京时间 ${until} 前在柜台的「配对」画面输入`);
    expect(made.stderr).not.toContain(new Date(NOW.getTime() + PAIRING_CODE_TTL_MS).toISOString());
    expect(await db.query('SELECT * FROM admin_session')).toEqual([]);
  });

  it('says which server it could not reach and how to name another', async () => {
    const closed = await freePort();
    const res = await admin(['devices'], `${DEMO_ADMIN_PASSWORD}\n`, { LINLI_PORT: String(closed) });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`http://127.0.0.1:${closed}`);
    expect(res.stderr).toMatch(/--server URL/);
    expect(res.stderr).toMatch(/ECONNREFUSED/);
  });

  it('never takes a PIN on the command line; a new PIN comes on stdin too', async () => {
    const refused = await admin(['devices', '--pin', '135790'], '');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not taken on the command line/);
    const added = await admin(['staff-add', '--name', '周师傅', '--role', 'canteen'], `${DEMO_ADMIN_PASSWORD}\n112233\n`);
    expect(added.code, added.stderr).toBe(0);
    const { cardCode } = JSON.parse(added.stdout) as { cardCode: string };
    const [row] = await db.query<{ pin: { salt: string; hash: string; iterations: number } }>('SELECT pin FROM staff WHERE card_code = $1', [cardCode]);
    expect(await pinMatches('112233', row!.pin)).toBe(true);
  });

  it('bootstraps a centre with the admin password from stdin, and refuses one on the command line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'linli-bootstrap-'));
    try {
      const env = kind === 'postgres' ? { DATABASE_URL: db.url } : { LINLI_DATA_DIR: dir };
      const args = ['--centre', 'hxjd', '--centre-name', '和谐社区党群服务中心', '--admin-name', '张红'];
      const refused = await run('server/bootstrap.ts', [...args, '--password', 'hxjd-first-admin'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not taken on the command line/);
      const made = await run('server/bootstrap.ts', args, env, 'hxjd-first-admin\n');
      expect(made.code, made.stderr).toBe(0);
      expect(JSON.parse(made.stdout)).toEqual({ cardCode: makeStaffCardCode(1), createdCentre: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Two processes under tsx, a new PGlite cluster made and migrated, an Argon2id hash: 10–40 s on two busy cores.
  }, 120_000);
});
