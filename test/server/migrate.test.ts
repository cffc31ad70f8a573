import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { makeStaffCardCode } from '../../core/index.js';
import { DEMO_CLERK_PIN } from '../../server/demo/generate.js';
import { upgradeDemoStaff } from '../../server/demo/seed.js';
import { pinMatches } from '../../server/staff/pin.js';
import { DB_KINDS, scratchDb } from '../support/db.js';
import { seedSmallCentre, SMALL } from '../support/centre.js';

describe.each(DB_KINDS)('migrations on %s', (kind) => {
  it('are numbered without holes, run once, and stop where asked', async () => {
    const db = await scratchDb(kind);
    try {
      const all = await loadMigrations();
      expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
      expect(await migrate(db, 0)).toBe(0);
      expect(await migrate(db)).toBe(all.length);
      expect(await migrate(db)).toBe(all.length);
      const tables = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('event', 'ledger_entry', 'centre_clock') AND table_schema = current_schema()`);
      expect(tables[0]!.n).toBe(3);
    } finally {
      await db.drop();
    }
  });
});

describe('a demo centre seeded before staff had cards (schema 001)', () => {
  it('gets the demo cards and PINs on the next start, once', async () => {
    const db = await scratchDb('pglite');
    try {
      await seedSmallCentre(db);
      await db.query(`UPDATE staff SET card_code = NULL, pin_salt = NULL, pin_hash = NULL, pin_iterations = NULL WHERE centre_id = 'wzgl'`);
      expect(await upgradeDemoStaff(db, { ...SMALL, centreId: 'wzgl', centreName: '' })).toBe(3);
      expect(await upgradeDemoStaff(db, { ...SMALL, centreId: 'wzgl', centreName: '' })).toBe(0);
      const [clerk] = await db.query<{ card_code: string; pin_salt: string; pin_hash: string; pin_iterations: number }>(`SELECT card_code, pin_salt, pin_hash, pin_iterations FROM staff WHERE id = 'wzgl-s2'`);
      expect(clerk!.card_code).toBe(makeStaffCardCode(2));
      expect(await pinMatches(DEMO_CLERK_PIN, { salt: clerk!.pin_salt, hash: clerk!.pin_hash, iterations: clerk!.pin_iterations })).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
