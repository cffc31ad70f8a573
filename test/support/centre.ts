import { uuidv7, type EventBody, type LinliEvent } from '../../core/index.js';
import type { Db } from '../../server/db/db.js';
import { seededScratchDb, type ScratchDb } from './db.js';
import { migrate } from '../../server/db/migrate.js';
import { createPairingCode, enrol } from '../../server/devices/enrol.js';
import { generateDemoCentre, WUZHOU_GUANLAN } from '../../server/demo/generate.js';
import { seedDemoCentre } from '../../server/demo/seed.js';
import { push } from '../../server/sync/push.js';
import type { DeviceProfile } from '../../core/index.js';
import type { AuthedDevice } from '../../server/sync/push.js';

export const NOW = new Date('2026-11-25T02:00:00Z');

/** A small demo centre: 40 residents, 8 volunteers, 20 days of history. */
export const SMALL = { ...WUZHOU_GUANLAN, residents: 40, volunteers: 8, days: 20, until: NOW };

/** Migrates `db` and seeds one small centre (or another id/name). */
export async function seedSmallCentre(db: Db, centreId = 'wzgl', centreName = '五洲观澜社区党群服务中心'): Promise<void> {
  await migrate(db);
  await seedDemoCentre(db, { ...SMALL, centreId, centreName });
}

/** The demo rows of a centre seeded by `seedSmallCentre` (the generator is deterministic). */
export function smallCentreRows(centreId = 'wzgl') {
  return generateDemoCentre({ ...SMALL, centreId, centreName: '', importDeviceId: `${centreId}-import` });
}

/** Enrols a device and answers both its token and its identity. */
export async function enrolDevice(db: Db, centreId = 'wzgl', profile: DeviceProfile = 'counter') {
  const code = await createPairingCode(db, centreId, profile, NOW);
  const e = await enrol(db, code, NOW);
  const device: AuthedDevice = { id: e.deviceId, centreId, code: e.deviceCode, profile };
  return { ...e, device };
}

/**
 * Pushes events as the centre's import device (profile `server`), by the same path as any
 * device: the tests' and benchmarks' way to award points or stock goods mid-run.
 */
export async function pushAsImport(db: Db, bodies: readonly EventBody[], staffId: string | null = 'wzgl-s1', centreId = 'wzgl'): Promise<void> {
  const deviceId = `${centreId}-import`;
  const [importer] = await db.query<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = $1', [deviceId]);
  let seq = importer!.last_seq;
  const events = bodies.map((body): LinliEvent => ({
    id: uuidv7(Date.now(), crypto.getRandomValues(new Uint8Array(16))), deviceId, seq: ++seq, staffId,
    at: new Date().toISOString(), clockOffset: 0, basis: 0, ...body,
  }));
  await push(db, { id: deviceId, centreId, code: 'IMPORT', profile: 'server' }, events);
}

let counter = 0;
/** Makes the events of one device: `next(body)` stamps the envelope with the next seq. */
export function eventMaker(deviceId: string, staffId: string | null = 'wzgl-s2') {
  let seq = 0;
  return (body: Pick<LinliEvent, 'kind' | 'version' | 'payload'>, overrides: Partial<LinliEvent> = {}): LinliEvent => {
    seq += 1;
    counter += 1;
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(12, counter);
    bytes[8] = seq % 256;
    return { id: uuidv7(NOW.getTime() + counter, bytes), deviceId, seq, staffId, at: NOW.toISOString(), clockOffset: 0, basis: 0, ...body, ...overrides } as LinliEvent;
  };
}

/** Redeems `quantity` of goods at a price for a resident. */
export function redemption(residentId: string, accountId: string, goodsId: string, quantity: number, pointPrice: number) {
  return { kind: 'goodsRedeemed' as const, version: 1 as const, payload: { accountId, residentId, lines: [{ goodsId, quantity, pointPrice }] } };
}

/**
 * Checks the ledger invariants of a centre on the server: every balance equals the sum of its
 * ledger, every stock the sum of its movements, no event wrote its ledger twice, and no row of the
 * append-only tables (which carry no foreign keys) names an account, goods, event or device that
 * is not there. Answers the offending rows (empty when all hold).
 */
export async function ledgerBreaches(db: Db, centreId: string): Promise<unknown[]> {
  return db.query(
    `SELECT 'balance' AS what, a.id FROM account a LEFT JOIN (SELECT account_id, sum(delta) AS s FROM ledger_entry WHERE centre_id = $1 GROUP BY account_id) l ON l.account_id = a.id
       WHERE a.centre_id = $1 AND a.balance <> coalesce(l.s, 0)
     UNION ALL
     SELECT 'stock', g.id FROM goods g LEFT JOIN (SELECT goods_id, sum(delta) AS s FROM stock_movement WHERE centre_id = $1 GROUP BY goods_id) m ON m.goods_id = g.id
       WHERE g.centre_id = $1 AND g.stock <> coalesce(m.s, 0)
     UNION ALL
     SELECT 'ledgerTwice', event_id::text FROM ledger_entry WHERE centre_id = $1 GROUP BY event_id, account_id HAVING count(*) > 1
     UNION ALL
     SELECT 'ledgerOrphan', l.id FROM ledger_entry l LEFT JOIN account a ON a.id = l.account_id AND a.centre_id = l.centre_id
       LEFT JOIN event e ON e.id = l.event_id AND e.centre_id = l.centre_id AND e.outcome = 'applied' WHERE l.centre_id = $1 AND (a.id IS NULL OR e.id IS NULL)
     UNION ALL
     SELECT 'movementOrphan', m.id FROM stock_movement m LEFT JOIN goods g ON g.id = m.goods_id AND g.centre_id = m.centre_id
       LEFT JOIN event e ON e.id = m.event_id AND e.centre_id = m.centre_id AND e.outcome = 'applied' WHERE m.centre_id = $1 AND (g.id IS NULL OR e.id IS NULL)
     UNION ALL
     SELECT 'exceptionOrphan', x.id FROM rule_exception x LEFT JOIN event e ON e.id = x.event_id AND e.centre_id = x.centre_id AND e.outcome = 'applied' WHERE x.centre_id = $1 AND e.id IS NULL
     UNION ALL
     SELECT 'eventOrphan', e.id::text FROM event e LEFT JOIN device d ON d.id = e.device_id AND d.centre_id = e.centre_id WHERE e.centre_id = $1 AND d.id IS NULL`,
    [centreId],
  );
}

/** A new database of the given kind holding the small demo centre (from the test cache on PGlite). */
export function smallCentreDb(kind: Db['kind']): Promise<ScratchDb> {
  return seededScratchDb(kind, (db) => seedSmallCentre(db), 'small');
}

/** The same with the demo canteen: its sittings, menus, subsidy rules and bookings. */
export function canteenCentreDb(kind: Db['kind']): Promise<ScratchDb> {
  return seededScratchDb(kind, async (db) => {
    await migrate(db);
    await seedDemoCentre(db, { ...SMALL, canteen: true });
  }, 'canteen');
}
