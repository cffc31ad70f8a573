import type { Db } from '../db/db.js';
import { push } from '../sync/push.js';
import { createCentre, takeChangeSeqs } from './centre.js';
import { generateDemoCentre, type DemoOptions } from './generate.js';

const CHUNK = 1_000;

/**
 * Writes a demo centre: its staff, accounts, residents and goods as registrations (one change
 * sequence per chunk of rows, like an import), then its history pushed through the same path as
 * any device's events, by the centre's import device. `onProgress` hears how far it got.
 */
export async function seedDemoCentre(db: Db, options: Omit<DemoOptions, 'importDeviceId'>, onProgress: (done: number, total: number) => void = () => {}): Promise<{ events: number }> {
  const importDeviceId = `${options.centreId}-import`;
  const demo = generateDemoCentre({ ...options, importDeviceId });
  await db.transaction(async (tx) => {
    await createCentre(tx, options.centreId, options.centreName);
    await tx.query(`INSERT INTO device (id, centre_id, code, profile) VALUES ($1, $2, 'IMPORT', 'server')`, [importDeviceId, options.centreId]);
    await tx.query(
      `INSERT INTO staff (id, centre_id, name, role) SELECT id, $1, name, role FROM jsonb_to_recordset($2::jsonb) AS x(id text, name text, role text)`,
      [options.centreId, JSON.stringify(demo.staff)],
    );
    for (let i = 0; i < demo.residents.length; i += CHUNK) {
      const seq = await takeChangeSeqs(tx, options.centreId, 1);
      const accounts = demo.accounts.slice(i, i + CHUNK);
      const residents = demo.residents.slice(i, i + CHUNK);
      await tx.query(
        `INSERT INTO account (id, centre_id, holder_kind, holder_id, balance, change_seq)
         SELECT id, "centreId", "holderKind", "holderId", 0, $2 FROM jsonb_to_recordset($1::jsonb) AS x(id text, "centreId" text, "holderKind" text, "holderId" text)`,
        [JSON.stringify(accounts), seq],
      );
      await tx.query(
        `INSERT INTO resident (id, centre_id, name, card_code, account_id, is_volunteer, change_seq)
         SELECT id, "centreId", name, "cardCode", "accountId", "isVolunteer", $2 FROM jsonb_to_recordset($1::jsonb) AS x(id text, "centreId" text, name text, "cardCode" text, "accountId" text, "isVolunteer" boolean)`,
        [JSON.stringify(residents), seq],
      );
    }
    const seq = await takeChangeSeqs(tx, options.centreId, 1);
    await tx.query(
      `INSERT INTO goods (id, centre_id, name, barcode, point_price, stock, change_seq)
       SELECT id, "centreId", name, barcode, "pointPrice", 0, $2 FROM jsonb_to_recordset($1::jsonb) AS x(id text, "centreId" text, name text, barcode text, "pointPrice" int)`,
      [JSON.stringify(demo.goods), seq],
    );
  });
  const device = { id: importDeviceId, centreId: options.centreId, code: 'IMPORT', profile: 'server' as const };
  for (let i = 0; i < demo.events.length; i += 500) {
    await push(db, device, demo.events.slice(i, i + 500));
    onProgress(Math.min(i + 500, demo.events.length), demo.events.length);
  }
  return { events: demo.events.length };
}
