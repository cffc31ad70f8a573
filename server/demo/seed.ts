import { createHash } from 'node:crypto';
import type { PinHash } from '../../core/index.js';
import type { Db, Queryable } from '../db/db.js';
import { insertRows, type Columns } from '../db/insert.js';
import { hashPin } from '../staff/pin.js';
import { hashPassword } from '../admin/password.js';
import { push } from '../sync/push.js';
import { analyzeTables, insertTableRows } from '../sync/rows.js';
import { createCentre, takeChangeSeqs } from './centre.js';
import { DEMO_ADMIN_PASSWORD, generateDemoCentre, type DemoOptions } from './generate.js';
import { seedDemoCanteen, type CanteenDemo } from './canteen.js';
import { ensureDemoServices } from './services.js';

const CHUNK = 1_000;

const STAFF: Columns = [['id', 'text'], ['centre_id', 'text'], ['name', 'text'], ['role', 'text'], ['card_code', 'text'],
  ['pin', 'jsonb'], ['works_at', 'jsonb'], ['change_seq', 'bigint']];

/** The demo admin's password hash, made once per process (a fixed salt: the demo's password is in the README). */
let demoPassword: Promise<string> | null = null;
const demoPasswordHash = () => (demoPassword ??= hashPassword(DEMO_ADMIN_PASSWORD, createHash('sha256').update('linli-demo-password-salt').digest().subarray(0, 16)));

/**
 * The demo admin's password for the admin app (`DEMO_ADMIN_PASSWORD`), set when the demo centre
 * has none (a demo seeded before schema 030). Answers whether it set it.
 */
export async function ensureDemoAdminPassword(db: Queryable, centreId: string): Promise<boolean> {
  const hash = await demoPasswordHash();
  const rows = await db.query(
    `INSERT INTO admin_password (centre_id, staff_id, hash) SELECT centre_id, id, $2 FROM staff WHERE centre_id = $1 AND id = $3 ON CONFLICT DO NOTHING RETURNING staff_id`,
    [centreId, hash, `${centreId}-s1`]);
  return rows.length > 0;
}

/**
 * Demo PIN hashes, made once per process: the demo salt is derived from the staff id (a real
 * staff member gets a random one), so seeding many scratch centres in tests pays the slow hash
 * once per staff id and PIN.
 */
const demoHashes = new Map<string, Promise<PinHash>>();
function demoPinHash(staffId: string, pin: string): Promise<PinHash> {
  const key = `${staffId}\u0000${pin}`;
  let hash = demoHashes.get(key);
  if (!hash) {
    hash = hashPin(pin, createHash('sha256').update(`linli-demo-salt:${staffId}`).digest().subarray(0, 16));
    demoHashes.set(key, hash);
  }
  return hash;
}

/**
 * Writes a demo centre: its staff, accounts, residents and goods as registrations (one change
 * sequence per chunk of rows, like an import, written by the same table list as push's writes), then its history pushed through the same path as
 * any device's events, by the centre's import device. `onProgress` hears how far it got.
 */
export async function seedDemoCentre(db: Db, options: Omit<DemoOptions, 'importDeviceId'> & CanteenDemo, onProgress: (done: number, total: number) => void = () => {}): Promise<{ events: number }> {
  const importDeviceId = `${options.centreId}-import`;
  const demo = generateDemoCentre({ ...options, importDeviceId });
  const pins = await Promise.all(demo.staff.map((x) => demoPinHash(x.id, x.pin)));
  await db.transaction(async (tx) => {
    await createCentre(tx, options.centreId, options.centreName);
    await tx.query(`INSERT INTO device (id, centre_id, code, profile) VALUES ($1, $2, 'IMPORT', 'server')`, [importDeviceId, options.centreId]);
    const staffSeq = await takeChangeSeqs(tx, options.centreId, 1);
    await insertRows(tx, 'staff', STAFF, demo.staff.map((x, i) => ({
      id: x.id, centre_id: options.centreId, name: x.name, role: x.role, card_code: x.cardCode,
      // The demo admin works at every counter and canteen till (the demo pairs new kiosks all the time).
      pin: pins[i], works_at: x.role === 'admin' ? ['counter', 'canteen'] : null, change_seq: staffSeq,
    })));
    await ensureDemoAdminPassword(tx, options.centreId);
    for (let i = 0; i < demo.residents.length; i += CHUNK) {
      const changeSeq = await takeChangeSeqs(tx, options.centreId, 1);
      await insertTableRows(tx, 'accounts', demo.accounts.slice(i, i + CHUNK).map((a) => ({ ...a, balance: 0, changeSeq })));
      await insertTableRows(tx, 'residents', demo.residents.slice(i, i + CHUNK).map((r) => ({ ...r, changeSeq })));
    }
    const changeSeq = await takeChangeSeqs(tx, options.centreId, 1);
    await insertTableRows(tx, 'goods', demo.goods.map((g) => ({ ...g, stock: 0, changeSeq })));
  });
  const device = { id: importDeviceId, centreId: options.centreId, code: 'IMPORT', profile: 'server' as const };
  for (let i = 0; i < demo.events.length; i += 500) {
    await push(db, device, demo.events.slice(i, i + 500));
    onProgress(Math.min(i + 500, demo.events.length), demo.events.length);
  }
  if (options.canteen) await seedDemoCanteen(db, options, demo.residents);
  await ensureDemoServices(db, options.centreId, options.until);
  await analyzeTables(db);
  return { events: demo.events.length };
}

/**
 * A demo centre seeded before staff had cards and PINs (schema 001) gets the demo staff's cards
 * and PINs, so its kiosks can sign in. Touches only demo staff rows without a card.
 */
export async function upgradeDemoStaff(db: Db, options: Omit<DemoOptions, 'importDeviceId'>): Promise<number> {
  const demo = generateDemoCentre({ ...options, importDeviceId: `${options.centreId}-import` });
  const missing = new Set((await db.query<{ id: string }>('SELECT id FROM staff WHERE centre_id = $1 AND card_code IS NULL', [options.centreId])).map((r) => r.id));
  const staff = demo.staff.filter((x) => missing.has(x.id));
  if (staff.length === 0) return 0;
  const pins = await Promise.all(staff.map((x) => demoPinHash(x.id, x.pin)));
  await db.transaction(async (tx) => {
    const seq = await takeChangeSeqs(tx, options.centreId, 1);
    for (const [i, x] of staff.entries()) {
      await tx.query('UPDATE staff SET card_code = $2, pin = $3, change_seq = $4 WHERE id = $1', [x.id, x.cardCode, JSON.stringify(pins[i]), seq]);
    }
  });
  return staff.length;
}
