import Dexie from 'dexie';
import { PullResponse } from '../../core/index.js';
import { redeem, systemClock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { unpack } from '../../renderer/src/store/packs.js';
import { mergePulled, SyncClient, type KioskRows } from '../../renderer/src/sync/client.js';

/**
 * Runs in Chromium, served by the real server: measures the kiosk's own store functions beside a
 * plain Dexie doing the same work, in the same page and run, so the ratios mean something.
 */
const db = new LinliDb('linli-bench');
const raw = new LinliDb('linli-bench-raw');
let pages: KioskRows[] = [];

async function pairAndFetch(pairingCode: string): Promise<{ rows: number; fetchMs: number }> {
  await Promise.all([db.delete(), raw.delete()]);
  await Promise.all([db.open(), raw.open()]);
  await SyncClient.enrol(db, location.origin, pairingCode);
  const device = (await db.device())!;
  const started = performance.now();
  pages = [];
  let since = 0;
  for (;;) {
    const page = PullResponse.parse(await (await fetch(`/api/sync/pull?since=${since}`, { headers: { authorization: `Bearer ${device.token}` } })).json());
    pages.push({ ...page.rows, staff: [] }); // the snapshot figure is about the ledger tables
    since = page.upTo;
    if (page.upTo >= page.head) break;
  }
  const rows = pages.reduce((n, p) => n + p.accounts.length + p.residents.length + p.goods.length + p.ledger.length, 0);
  (window as unknown as { cursor: number }).cursor = since;
  return { rows, fetchMs: performance.now() - started };
}

/**
 * The kiosk's merge of the staged pull pages (rows, cursor and outbox in one transaction; the big
 * tables land packed) and then the unpacking of those packs into their tables, timed apart.
 */
async function storeSnapshot(): Promise<{ mergeMs: number; unpackMs: number; unpacked: number }> {
  const started = performance.now();
  await mergePulled(db, pages, { epoch: 'bench', seq: (window as unknown as { cursor: number }).cursor });
  const merged = performance.now();
  const unpacked = await unpack(db);
  return { mergeMs: merged - started, unpackMs: performance.now() - merged, unpacked };
}

/** A plain Dexie bulkPut of the same rows, in one transaction, into an empty database. */
async function rawBulkPut(): Promise<number> {
  const started = performance.now();
  await raw.transaction('rw', [raw.accounts, raw.residents, raw.goods, raw.ledger], () => Promise.all([
    raw.accounts.bulkPut(pages.flatMap((p) => p.accounts)),
    raw.residents.bulkPut(pages.flatMap((p) => p.residents)),
    raw.goods.bulkPut(pages.flatMap((p) => p.goods)),
    raw.ledger.bulkPut(pages.flatMap((p) => p.ledger)),
  ]));
  return performance.now() - started;
}

/**
 * Times `n` redemptions through the kiosk's own `redeem` (decide + event + outbox in one
 * transaction), interleaved with `n` plain Dexie read-write transactions over the same tables
 * doing the same reads and writes, so both see the same disk and the same noise.
 */
async function commits(n: number): Promise<{ redeem: number[]; raw: number[] }> {
  const residents = await db.residents.limit(n).toArray();
  const goods = await db.goods.toArray();
  const cheapest = goods.reduce((a, b) => (a.pointPrice <= b.pointPrice ? a : b));
  const accounts = (await db.accounts.bulkGet(residents.map((r) => r.accountId))).flatMap((x) => (x ? [x] : []));
  await raw.transaction('rw', [raw.residents, raw.accounts, raw.goods, raw.meta], async () => {
    await raw.residents.bulkPut(residents);
    await raw.accounts.bulkPut(accounts);
    await raw.goods.bulkPut(goods);
    await raw.meta.put({ key: 'seq', next: 1 });
  });
  const out = { redeem: [] as number[], raw: [] as number[] };
  for (let i = 0; i < n; i++) {
    const r = residents[i % residents.length]!;
    let t = performance.now();
    await redeem(db, systemClock, { residentId: r.id, picks: [{ goodsId: cheapest.id, quantity: 1 }] }, 'wzgl-s2');
    out.redeem.push(performance.now() - t);
    t = performance.now();
    await raw.transaction('rw', [raw.residents, raw.accounts, raw.goods, raw.outbox, raw.meta], async () => {
      const resident = await raw.residents.get(r.id);
      await raw.accounts.get(resident!.accountId);
      await raw.goods.get(cheapest.id);
      const seq = ((await raw.meta.get('seq')) as { next: number }).next;
      await raw.outbox.add({ seq, id: `raw-${seq}`, event: {} as never, status: 'pending', serverSeq: null });
      await raw.meta.put({ key: 'seq', next: seq + 1 });
    });
    out.raw.push(performance.now() - t);
  }
  return out;
}

/** Dexie's errors cross page.evaluate as a bare name: carry their message over. */
const explained = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
  try {
    return await fn(...a);
  } catch (err) {
    throw new Error(err instanceof Error ? `${err.name}: ${err.message}` : String(err), { cause: err });
  }
};

Object.assign(window, { bench: {
  pairAndFetch: explained(pairAndFetch), storeSnapshot: explained(storeSnapshot), rawBulkPut: explained(rawBulkPut), commits: explained(commits), dexieVersion: Dexie.semVer,
} });
document.body.dataset.ready = 'yes';
