import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardLookupText, isSelfServiceCardCode, parseCardCode, selfServiceCardCode, SELF_SERVICE_ENTRIES, TABLE_NAMES, type PullResponse, type PullRows } from '../../core/index.js';
import { seedDemoCanteen } from '../../server/demo/canteen.js';
import { pull } from '../../server/sync/pull.js';
import type { AuthedDevice } from '../../server/sync/push.js';
import { cardHasherFromToken } from '../../renderer/src/selfService/cardKey.js';
import { secretsService } from '../../electron/secrets.js';
import { seededScratchDb, type ScratchDb } from '../support/db.js';
import { enrolDevice, NOW, seedSmallCentre, smallCentreRows } from '../support/centre.js';

/**
 * What a self-service touchscreen holds (issue 13, item 6): no card code in clear (a keyed hash the
 * device makes too), masked names, no staff, no other resident's history beyond what a scan shows.
 */
const rows = smallCentreRows();

async function pullAll(db: ScratchDb, device: AuthedDevice): Promise<PullRows> {
  const all = Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Record<string, unknown[]>;
  let since = 0;
  for (;;) {
    const page: PullResponse = await pull(db, device.centreId, 'e', since, 5_000, device.profile, device.code, device.id);
    for (const t of TABLE_NAMES) all[t]!.push(...page.rows[t]);
    since = page.upTo;
    if (page.upTo >= page.head) return all as unknown as PullRows;
  }
}

describe('a self-service device’s replica', () => {
  let db: ScratchDb;
  beforeAll(async () => {
    db = await seededScratchDb('pglite', async (d) => {
      await seedSmallCentre(d);
      await seedDemoCanteen(d, { centreId: 'wzgl', until: NOW }, rows.residents);
    }, 'small-canteen');
  });
  afterAll(() => db.drop());

  it('holds card codes only as its own keyed hash, which its page and Electron main make alike', async () => {
    const kiosk = await enrolDevice(db, 'wzgl', 'selfService');
    const other = await enrolDevice(db, 'wzgl', 'selfService');
    const got = await pullAll(db, kiosk.device);
    const theirs = await pullAll(db, other.device);
    expect(got.residents.length).toBe(rows.residents.length);
    for (const r of got.residents) {
      expect(isSelfServiceCardCode(r.cardCode)).toBe(true);
      expect(parseCardCode(r.cardCode).ok).toBe(false);
      expect(JSON.stringify(r)).not.toMatch(/LL\d{10}/);
    }
    const resident = rows.residents[0]!;
    const card = parseCardCode(resident.cardCode);
    if (!card.ok) throw new Error('demo card');
    const held = got.residents.find((r) => r.id === resident.id)!;
    // The browser page derives the same hash from its token; Electron main from the token it keeps.
    const inPage = await cardHasherFromToken(kiosk.token)(cardLookupText(card.value));
    expect(held.cardCode).toBe(selfServiceCardCode(inPage, card.value.generation));
    const inMain = secretsService({ token: () => kiosk.token, wrapPin: () => '', checkPin: () => false }).cardHash(cardLookupText(card.value));
    expect(inMain).toBe(inPage);
    // Another device's hash is another: one device's copied database says nothing of another's.
    expect(theirs.residents.find((r) => r.id === resident.id)!.cardCode).not.toBe(held.cardCode);
    expect(held.name).toContain('*');
    expect([held.phoneTail, held.birthDate, held.building, held.room, held.flags]).toEqual([null, null, null, null, []]);
  });

  it('gets no staff, PINs, exceptions, redemptions or statuses, and of each account only the last entries', async () => {
    const kiosk = await enrolDevice(db, 'wzgl', 'selfService');
    const got = await pullAll(db, kiosk.device);
    for (const t of ['staff', 'exceptions', 'redemptions', 'donations', 'serviceHours', 'eligibility', 'standingBookings'] as const) expect(got[t]).toEqual([]);
    const counter = await pullAll(db, (await enrolDevice(db, 'wzgl', 'counter')).device);
    const perAccount = (l: PullRows['ledger']) => l.reduce((m, e) => m.set(e.accountId, (m.get(e.accountId) ?? 0) + 1), new Map<string, number>());
    expect(Math.max(...perAccount(got.ledger).values())).toBe(SELF_SERVICE_ENTRIES);
    expect(Math.max(...perAccount(counter.ledger).values())).toBeGreaterThan(SELF_SERVICE_ENTRIES);
    // The entries kept are each account's newest.
    const account = [...perAccount(counter.ledger)].find(([, n]) => n > SELF_SERVICE_ENTRIES)![0];
    const newest = counter.ledger.filter((e) => e.accountId === account).sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1)).slice(0, SELF_SERVICE_ENTRIES);
    expect(got.ledger.filter((e) => e.accountId === account).map((e) => e.id).sort()).toEqual(newest.map((e) => e.id).sort());
  });

  it('gets meal orders of today and later only, without prices, numbers or who delivers', async () => {
    const kiosk = await enrolDevice(db, 'wzgl', 'selfService');
    const got = await pullAll(db, kiosk.device);
    const counter = await pullAll(db, (await enrolDevice(db, 'wzgl', 'canteen')).device);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(counter.mealOrders.some((o) => o.day < today)).toBe(true);
    expect(got.mealOrders.every((o) => o.day >= today)).toBe(true);
    for (const o of got.mealOrders) expect([o.paidFen, o.listPriceFen, o.category, o.number, o.volunteerId]).toEqual([0, 0, null, null, null]);
  });
});
