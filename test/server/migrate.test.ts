import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { DB_KINDS, scratchDb } from '../support/db.js';

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
