import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { push } from '../../server/sync/push.js';
import { pull } from '../../server/sync/pull.js';
import { DB_KINDS, type ScratchDb } from '../support/db.js';
import { smallCentreDb, enrolDevice, eventMaker, ledgerBreaches, redemption, smallCentreRows } from '../support/centre.js';

const rows = smallCentreRows();

describe.each(DB_KINDS)('pushes and pulls at the same time on %s', (kind) => {
  let db: ScratchDb;
  beforeAll(async () => {
    db = await smallCentreDb(kind);
    await (await buildApp({ db })).close();
  });
  afterAll(() => db.drop());

  it('a puller that keeps pulling while three kiosks push never skips a row', async () => {
    const kiosks = await Promise.all([1, 2, 3].map(() => enrolDevice(db)));
    const seen = new Map<string, number>();
    let since = 0;
    let pushing = true;
    const puller = (async () => {
      for (;;) {
        // Only a page asked for after the last push finished may end the pull.
        const last = !pushing;
        const page = await pull(db, 'wzgl', 'e', since, 50);
        for (const l of page.rows.ledger) seen.set(l.id, l.delta);
        since = page.upTo;
        if (last && page.upTo >= page.head) return;
      }
    })();
    await Promise.all(kiosks.map(async (k, i) => {
      const next = eventMaker(k.deviceId);
      for (let b = 0; b < 10; b++) {
        const batch = Array.from({ length: 20 }, (_, j) => {
          const r = rows.residents[(i * 7 + b * 3 + j) % rows.residents.length]!;
          return next(redemption(r.id, r.accountId, rows.goods[j % rows.goods.length]!.id, 1, 1));
        });
        await push(db, k.device, batch);
      }
    }));
    pushing = false;
    await puller;
    const all = await db.query<{ id: string }>(`SELECT id FROM ledger_entry WHERE centre_id = 'wzgl'`);
    expect(seen.size).toBe(all.length);
    expect(all.every((l) => seen.has(l.id))).toBe(true);
    expect(await ledgerBreaches(db, 'wzgl')).toEqual([]);
  });
});
