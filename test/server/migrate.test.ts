import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../server/db/migrate.js';
import { openPostgres, type Db } from '../../server/db/db.js';
import { makeStaffCardCode } from '../../core/index.js';
import { DEMO_CLERK_PIN } from '../../server/demo/generate.js';
import { upgradeDemoStaff } from '../../server/demo/seed.js';
import { pinMatches } from '../../server/staff/pin.js';
import { DB_KINDS, scratchDb, type ScratchDb } from '../support/db.js';
import { SMALL } from '../support/centre.js';

/** Runs `fn` on a scratch database of each kind, dropped afterwards. */
const onScratch = (kind: ScratchDb['kind'], fn: (db: ScratchDb) => Promise<void>) => async () => {
  const db = await scratchDb(kind);
  try {
    await fn(db);
  } finally {
    await db.drop();
  }
};

/** Rows every schema since 001 can hold: a centre, its clock, a device, two staff, an exception. */
async function seed001(db: ScratchDb): Promise<void> {
  await db.query(`INSERT INTO centre (id, name, epoch) VALUES ('wzgl', '五洲观澜', 'e1')`);
  await db.query(`INSERT INTO centre_clock (centre_id, seq) VALUES ('wzgl', 7)`);
  await db.query(`INSERT INTO device (id, centre_id, code, profile, token_hash, last_seq) VALUES ('d1', 'wzgl', 'K01', 'counter', 'h1', 3)`);
  await db.query(`INSERT INTO staff (id, centre_id, name, role) VALUES ('wzgl-s1', 'wzgl', '王秀英', 'admin'), ('wzgl-s2', 'wzgl', '李建国', 'clerk'), ('wzgl-s3', 'wzgl', '陈丽', 'clerk')`);
  await db.query(`INSERT INTO rule_exception (id, centre_id, event_id, kind, subject_id, amount, change_seq)
    VALUES ('x1', 'wzgl', '0190d6a0-0000-7000-8000-000000000001', 'overdraft', 'wzgl-a1', -30, 5)`);
}

describe.each(DB_KINDS)('migrations on %s', (kind) => {
  it('are numbered in order, run once, and stop where asked', onScratch(kind, async (db) => {
    const all = await loadMigrations();
    const versions = all.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(await migrate(db, 0)).toBe(0);
    expect(await migrate(db)).toBe(versions.at(-1));
    expect(await migrate(db)).toBe(versions.at(-1));
    const applied = await db.query<{ version: number }>('SELECT version FROM schema_migration ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(versions);
    const tables = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('event', 'ledger_entry', 'centre_clock') AND table_schema = current_schema()`);
    expect(tables[0]!.n).toBe(3);
  }));

  it('001 → 002 keeps the rows and gives staff, devices and exceptions their new columns', onScratch(kind, async (db) => {
    await migrate(db, 1);
    await seed001(db);
    await migrate(db, 2);
    expect(await db.query('SELECT id, code, last_seq, public_key, revoked_reason FROM device')).toEqual([{ id: 'd1', code: 'K01', last_seq: 3, public_key: null, revoked_reason: null }]);
    expect(await db.query(`SELECT id, name, active, card_code, change_seq FROM staff WHERE id = 'wzgl-s1'`)).toEqual([{ id: 'wzgl-s1', name: '王秀英', active: true, card_code: null, change_seq: 0 }]);
    expect(await db.query('SELECT id, kind, amount, at, resolution FROM rule_exception')).toEqual([{ id: 'x1', kind: 'overdraft', amount: -30, at: '', resolution: null }]);
    // The widened check takes a clock flag; the refusal log and sign-in limits are there.
    await db.query(`INSERT INTO rule_exception (id, centre_id, event_id, kind, subject_id, amount, change_seq) VALUES ('x2', 'wzgl', '0190d6a0-0000-7000-8000-000000000002', 'clockSkew', 'd1', 60, 8)`);
    await db.query(`INSERT INTO refusal (centre_id, device_id, code, reason) VALUES ('wzgl', 'd1', 'seqGap', 'test')`);
    await db.query(`INSERT INTO enrol_failure (source, at) VALUES ('enrol:1.2.3.4', now())`);
  }));

  it('002 → 003 keeps the rows and starts an empty audit trail', onScratch(kind, async (db) => {
    await migrate(db, 2);
    await seed001(db);
    await db.query(`INSERT INTO refusal (centre_id, device_id, code, reason) VALUES ('wzgl', 'd1', 'seqGap', 'kept')`);
    await migrate(db, 3);
    expect(await db.query('SELECT code, reason FROM refusal')).toEqual([{ code: 'seqGap', reason: 'kept' }]);
    expect(await db.query('SELECT * FROM admin_audit')).toEqual([]);
    await db.query(`INSERT INTO admin_audit (centre_id, staff_id, action, detail) VALUES ('wzgl', 'wzgl-s1', 'pairingCodeCreated', '{"profile":"counter"}')`);
    expect(await db.query('SELECT action, detail FROM admin_audit')).toEqual([{ action: 'pairingCodeCreated', detail: { profile: 'counter' } }]);
  }));

  it('003 → 004 keeps the exceptions and takes a staffRevoked flag', onScratch(kind, async (db) => {
    await migrate(db, 3);
    await seed001(db);
    await db.query(`INSERT INTO rule_exception (id, centre_id, event_id, kind, subject_id, amount, change_seq, at) VALUES ('x2', 'wzgl', '0190d6a0-0000-7000-8000-000000000002', 'clockSkew', 'd1', 60, 8, 't')`);
    await expect(db.query(`INSERT INTO rule_exception (id, centre_id, event_id, kind, subject_id, amount, change_seq) VALUES ('x3', 'wzgl', '0190d6a0-0000-7000-8000-000000000003', 'staffRevoked', 'wzgl-s3', 0, 9)`)).rejects.toThrow();
    await migrate(db, 4);
    await db.query(`INSERT INTO rule_exception (id, centre_id, event_id, kind, subject_id, amount, change_seq) VALUES ('x3', 'wzgl', '0190d6a0-0000-7000-8000-000000000003', 'staffRevoked', 'wzgl-s3', 0, 9)`);
    expect(await db.query('SELECT id, kind FROM rule_exception ORDER BY id')).toEqual([{ id: 'x1', kind: 'overdraft' }, { id: 'x2', kind: 'clockSkew' }, { id: 'x3', kind: 'staffRevoked' }]);
  }));

  it('004 → 005 keys every table by centre, keeps the rows, turns reasons into message keys, and lets a rejected event repeat an id', onScratch(kind, async (db) => {
    await migrate(db, 4);
    await seed001(db);
    await db.query(`INSERT INTO account (id, centre_id, holder_kind, holder_id, balance, change_seq) VALUES ('wzgl-a1', 'wzgl', 'resident', 'wzgl-r1', 40, 2)`);
    await db.query(`INSERT INTO resident (id, centre_id, name, card_code, account_id, change_seq) VALUES ('wzgl-r1', 'wzgl', '张三明', 'LL0000000117', 'wzgl-a1', 2)`);
    await db.query(`INSERT INTO ledger_entry (id, centre_id, account_id, event_id, delta, kind, at, change_seq) VALUES ('e1:0', 'wzgl', 'wzgl-a1', '0190d6a0-0000-7000-8000-00000000000a', 40, 'pointsAwarded', '', 2)`);
    const event = (seq: number, outcome: string, reason: string | null) => db.query(
      `INSERT INTO event (id, centre_id, device_id, seq, kind, version, payload, at, clock_offset, basis, payload_hash, outcome, reason)
       VALUES ('0190d6a0-0000-7000-8000-00000000000a', 'wzgl', 'd1', $1, 'pointsAwarded', 1, '{}', '', 0, 0, 'h', $2, $3)`, [seq, outcome, reason]);
    await event(1, 'applied', null);
    await migrate(db, 5);
    expect(await db.query('SELECT name, card_code, flags FROM resident')).toEqual([{ name: '张三明', card_code: 'LL0000000117', flags: [] }]);
    expect(await db.query('SELECT memo FROM ledger_entry')).toEqual([{ memo: '' }]);
    // The same id, rejected under a later seq, is kept (it used to fail on the id for ever).
    await event(2, 'rejected', 'refusedDuplicateId');
    await expect(event(3, 'applied', null)).rejects.toThrow();
    // Another centre may hold the same ids: tables are keyed by centre.
    await db.query(`INSERT INTO centre (id, name, epoch) VALUES ('other', '别的社区', 'e2')`);
    await db.query(`INSERT INTO account (id, centre_id, holder_kind, holder_id, balance, change_seq) VALUES ('wzgl-a1', 'other', 'resident', 'x', 0, 1)`);
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM account')).toEqual([{ n: 2 }]);
  }));

  it('004 → 005 turns an English reason into a message key with the sentence kept', onScratch(kind, async (db) => {
    await migrate(db, 4);
    await seed001(db);
    await db.query(`INSERT INTO event (id, centre_id, device_id, seq, kind, version, payload, at, clock_offset, basis, payload_hash, outcome, reason)
      VALUES ('0190d6a0-0000-7000-8000-00000000000b', 'wzgl', 'd1', 1, 'goodsRedeemed', 1, '{}', '', 0, 0, 'h', 'rejected', 'unknownGoods: g9')`);
    await migrate(db, 5);
    expect(await db.query('SELECT reason, reason_params FROM event')).toEqual([{ reason: 'refusedLegacy', reason_params: { detail: 'unknownGoods: g9' } }]);
  }));

  it('010 → 020 gives goods a category and a low-stock mark, ledger entries their category, and adds the points store\'s tables', onScratch(kind, async (db) => {
    await migrate(db, 10);
    await seed001(db);
    await db.query(`INSERT INTO goods (id, centre_id, name, barcode, point_price, stock, change_seq) VALUES ('g1', 'wzgl', '抽纸', '69012345', 30, 4, 2)`);
    await db.query(`INSERT INTO ledger_entry (id, centre_id, account_id, event_id, delta, kind, at, change_seq) VALUES
      ('e1:0', 'wzgl', 'a1', '0190d6a0-0000-7000-8000-00000000000c', -30, 'goodsRedeemed', '', 2), ('e2:0', 'wzgl', 'a1', '0190d6a0-0000-7000-8000-00000000000d', 10, 'pointsAwarded', '', 3)`);
    await migrate(db, 20);
    expect(await db.query('SELECT name, stock, category, low_stock FROM goods')).toEqual([{ name: '抽纸', stock: 4, category: '', low_stock: 5 }]);
    expect(await db.query('SELECT id, category, reversed_by FROM ledger_entry ORDER BY id')).toEqual([{ id: 'e1:0', category: 'redemption', reversed_by: null }, { id: 'e2:0', category: null, reversed_by: null }]);
    for (const t of ['earning_rule', 'service_hours', 'donation', 'partner_shop', 'redemption']) {
      expect(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 0 }]);
    }
  }));

  it('020 → 021 keeps the residents and gives them an ID number, masked and keyed, none yet', onScratch(kind, async (db) => {
    await migrate(db, 20);
    await seed001(db);
    await db.query(`INSERT INTO resident (id, centre_id, name, card_code, account_id, change_seq) VALUES ('r1', 'wzgl', '张三明', 'LL0000000117', 'a1', 2)`);
    await migrate(db, 21);
    expect(await db.query('SELECT name, card_code, id_masked, id_hash FROM resident')).toEqual([{ name: '张三明', card_code: 'LL0000000117', id_masked: null, id_hash: null }]);
  }));

  it('020 → 030 folds a staff PIN into one column, lets admins keep working where they could, and adds the admin tables', onScratch(kind, async (db) => {
    await migrate(db, 20);
    await seed001(db);
    await db.query(`UPDATE staff SET pin_salt = 'c2FsdA', pin_hash = 'aGFzaA', pin_iterations = 600000, role = CASE WHEN id = 'wzgl-s1' THEN 'admin' ELSE role END`);
    const before = await db.query<{ id: string }>('SELECT id FROM resident ORDER BY id');
    await migrate(db, 30);
    const staff = await db.query<{ id: string; role: string; pin: unknown; works_at: unknown }>('SELECT id, role, pin, works_at FROM staff ORDER BY id');
    expect(staff.length).toBeGreaterThan(0);
    for (const s of staff) {
      expect(s.pin).toEqual({ salt: 'c2FsdA', hash: 'aGFzaA', iterations: 600000 });
      expect(s.works_at).toEqual(s.role === 'admin' ? ['counter', 'canteen'] : null);
    }
    expect(await db.query('SELECT id FROM resident ORDER BY id')).toEqual(before);
    expect(await db.query(`SELECT count(*)::int AS n FROM resident WHERE id_hash IS NOT NULL OR removed IS NOT NULL`)).toEqual([{ n: 0 }]);
    for (const t of ['admin_password', 'city_admin', 'city_session', 'resident_import', 'scheduled_service']) {
      expect(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).toEqual([{ n: 0 }]);
    }
  }));

  it('030 → 040 → 052 keeps the rows and tells every process when a centre\'s clock or epoch or a device changes, not when a push moves last_seq', onScratch(kind, async (db) => {
    await migrate(db, 20);
    await seed001(db);
    await migrate(db, 30);
    await migrate(db, 40);
    expect(await db.query('SELECT centre_id, seq FROM centre_clock')).toEqual([{ centre_id: 'wzgl', seq: 7 }]);
    await migrate(db, 52);
    const { heard, all: three, stop } = await hear(db, ['linli_head', 'linli_device'], 3);
    await db.query(`UPDATE device SET last_seq = 4 WHERE id = 'd1'`);
    await db.query(`UPDATE centre_clock SET seq = 8 WHERE centre_id = 'wzgl'`);
    await db.query(`UPDATE centre SET epoch = 'e2' WHERE id = 'wzgl'`);
    await db.query(`UPDATE device SET revoked_at = now() WHERE id = 'd1'`);
    await three;
    await stop();
    expect(heard).toEqual(['linli_head wzgl', 'linli_head wzgl', 'linli_device d1']);
  }));

  it('053 → 054 names the rule of each award by rule in its ledger entry, from its event', onScratch(kind, async (db) => {
    await migrate(db, 53);
    await seed001(db);
    const id = (n: number) => `0190d6a0-0000-7000-8000-00000000005${n}`;
    const event = (n: number, seq: number, version: number, payload: object, outcome: string) => db.query(
      `INSERT INTO event (id, centre_id, device_id, seq, kind, version, payload, at, clock_offset, basis, payload_hash, outcome)
       VALUES ($1, 'wzgl', 'd1', $2, 'pointsAwarded', $3, $4, '', 0, 0, 'h', $5)`, [id(n), seq, version, JSON.stringify(payload), outcome]);
    // The same id pushed again under a later seq with another rule, rejected (its row written first
    // here, so a backfill that took any event of the id would meet it first): the rule is the applied one's.
    await event(1, 3, 2, { accountId: 'a1', ruleId: 'wzgl-rule2', points: 10 }, 'rejected');
    await event(1, 1, 2, { accountId: 'a1', ruleId: 'wzgl-rule1', points: 10 }, 'applied');
    await event(2, 2, 1, { accountId: 'a1', points: 5 }, 'applied');
    await db.query(`INSERT INTO ledger_entry (id, centre_id, account_id, event_id, delta, kind, at, change_seq) VALUES
      ($1 || ':0', 'wzgl', 'a1', $1::uuid, 10, 'pointsAwarded', '', 2), ($2 || ':0', 'wzgl', 'a1', $2::uuid, 5, 'pointsAwarded', '', 3)`, [id(1), id(2)]);
    await migrate(db, 54);
    expect(await db.query('SELECT id, rule_id FROM ledger_entry ORDER BY id')).toEqual([{ id: `${id(1)}:0`, rule_id: 'wzgl-rule1' }, { id: `${id(2)}:0`, rule_id: null }]);
  }));

  it('054 → 055 keeps on each certified entry the rate it was priced at, where its rule still gives its points', onScratch(kind, async (db) => {
    await migrate(db, 54);
    await seed001(db);
    await db.query(`INSERT INTO earning_rule (id, centre_id, name, category, unit, points, active, change_seq) VALUES ('rule9', 'wzgl', '志愿服务', 'volunteering', 'hour', 10, true, 2)`);
    const entry = (id: string, minutes: number, points: number) => db.query(
      `INSERT INTO service_hours (id, centre_id, activity_id, activity, team, day, resident_id, account_id, rule_id, minutes, points, change_seq)
       VALUES ($1, 'wzgl', 'act', '敬老院探访', '', '2026-11-25', $1, 'a1', 'rule9', $2, $3, 3)`, [id, minutes, points]);
    await entry('s1', 90, 15); // 10 分/小时 gives 15
    await entry('s2', 90, 30); // priced at 20 分/小时, before the rule changed
    await migrate(db, 55);
    expect(await db.query('SELECT id, points_per_hour FROM service_hours ORDER BY id')).toEqual([{ id: 's1', points_per_hour: 10 }, { id: 's2', points_per_hour: null }]);
  }));

  it('056 → 057 lets a push move a barcode from one goods to another within its transaction, and still refuses two goods one code', onScratch(kind, async (db) => {
    await migrate(db, 56);
    await seed001(db);
    const goods = (id: string, barcode: string) => `INSERT INTO goods (id, centre_id, name, barcode, point_price, stock, change_seq) VALUES ('${id}', 'wzgl', '${id}', '${barcode}', 30, 1, 2)`;
    await db.query(goods('g1', '6901000000000'));
    await migrate(db, 57);
    // As a push batch writes them: the new goods first, then the corrected one.
    await db.transaction(async (tx) => {
      await tx.query(goods('g2', '6901000000000'));
      await tx.query(`UPDATE goods SET barcode = '6901000077777' WHERE id = 'g1'`);
    });
    expect(await db.query('SELECT id, barcode FROM goods ORDER BY id')).toEqual([{ id: 'g1', barcode: '6901000077777' }, { id: 'g2', barcode: '6901000000000' }]);
    await expect(db.transaction((tx) => tx.query(goods('g3', '6901000000000')))).rejects.toThrow();
    expect(await db.query('SELECT count(*)::int AS n FROM goods')).toEqual([{ n: 2 }]);
  }));

  it('005 → 006 keeps the failed tries and numbers them', onScratch(kind, async (db) => {
    await migrate(db, 5);
    await seed001(db);
    await db.query(`INSERT INTO enrol_failure (source, at) VALUES ('enrol:1.2.3.4', '2026-11-25T02:00:00Z'), ('admin:1.2.3.4', '2026-11-25T02:01:00Z')`);
    await migrate(db, 6);
    const rows = await db.query<{ id: number; source: string }>('SELECT id, source FROM enrol_failure ORDER BY id');
    expect(rows.map((r) => r.source).sort()).toEqual(['admin:1.2.3.4', 'enrol:1.2.3.4']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
    const [next] = await db.query<{ id: number }>(`INSERT INTO enrol_failure (source, at) VALUES ('enrol:x', now()) RETURNING id`);
    expect(next!.id).toBeGreaterThan(Math.max(...rows.map((r) => r.id)));
  }));
});

/** Listens on `channels`: what is heard (as `channel payload`), and a promise kept once `n` notices are. */
async function hear(db: Db, channels: string[], n: number) {
  const heard: string[] = [];
  let enough = () => {};
  const all = new Promise<void>((r) => (enough = r));
  const stop = await db.listen(channels, (channel, payload) => {
    heard.push(`${channel} ${payload}`);
    if (heard.length === n) enough();
  });
  return { heard, all, stop };
}

describe('two Linli databases as schemas of one PostgreSQL database', () => {
  it('hear only their own centres\' changes (052), though notices go to every connection of the database', async () => {
    const [a, b] = [await scratchDb('postgres'), await scratchDb('postgres')];
    try {
      for (const db of [a, b]) {
        await migrate(db);
        await seed001(db);
      }
      const { heard, all: two, stop } = await hear(a, ['linli_head', 'linli_poke'], 2);
      // The other database's centre of the same id changes first, and is pushed to: not heard here.
      await b.query(`UPDATE centre_clock SET seq = 100 WHERE centre_id = 'wzgl'`);
      await b.query(`SELECT pg_notify('linli_poke', current_schema() || ' wzgl d9')`);
      await a.query(`UPDATE centre_clock SET seq = 8 WHERE centre_id = 'wzgl'`);
      await a.query(`SELECT pg_notify('linli_poke', current_schema() || ' wzgl d1')`);
      // The database's notice queue is in commit order, read in order by one connection: b's, committed
      // first, would have been heard before a's two.
      await two;
      await stop();
      expect(heard).toEqual(['linli_head wzgl', 'linli_poke wzgl d1']);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});

describe('a demo centre seeded before staff had cards (schema 001)', () => {
  it('gets the demo cards and PINs on the next start, once', onScratch('pglite', async (db) => {
    await migrate(db, 1);
    await seed001(db);
    await migrate(db);
    expect(await upgradeDemoStaff(db, { ...SMALL, centreId: 'wzgl', centreName: '' })).toBe(3);
    expect(await upgradeDemoStaff(db, { ...SMALL, centreId: 'wzgl', centreName: '' })).toBe(0);
    const [clerk] = await db.query<{ card_code: string; pin: { salt: string; hash: string; iterations: number }; change_seq: number }>(`SELECT card_code, pin, change_seq FROM staff WHERE id = 'wzgl-s2'`);
    expect(clerk!.card_code).toBe(makeStaffCardCode(2));
    expect(await pinMatches(DEMO_CLERK_PIN, clerk!.pin)).toBe(true);
    // The kiosks receive the cards: the rows took the centre's next change sequence.
    expect(clerk!.change_seq).toBe(8);
  }));
});

describe('two server processes starting at once on one PostgreSQL', () => {
  it('migrate once between them, and both start', onScratch('postgres', async (db) => {
    const other = await openPostgres(db.url!);
    try {
      const [a, b] = await Promise.all([migrate(db), migrate(other)]);
      const last = (await loadMigrations()).at(-1)!.version;
      expect([a, b]).toEqual([last, last]);
      const applied = await db.query<{ version: number; n: number }>('SELECT version, count(*)::int AS n FROM schema_migration GROUP BY version ORDER BY version');
      expect(applied.every((r) => r.n === 1)).toBe(true);
      expect(applied.length).toBe((await loadMigrations()).length);
    } finally {
      await other.close();
    }
  }));
});
