import { awardTallyIds, formatShanghai } from '../../core/index.js';
import { systemClock } from '../../renderer/src/store/actions.js';
import { LinliDb } from '../../renderer/src/store/db.js';
import { awardByRule } from '../../renderer/src/store/pointsStore.js';
import { daySummary } from '../../renderer/src/store/screensSupport.js';
import { SyncClient } from '../../renderer/src/sync/client.js';

/**
 * Runs in Chromium, served by the real server: the points store's kiosk functions on a kiosk that
 * holds the whole demo centre, beside a plain Dexie doing the same reads and writes in the same
 * page and run (see harness.ts), so the ratio means something.
 */
const db = new LinliDb('linli-bench-counter');
const raw = new LinliDb('linli-bench-counter-raw');

/** Pairs and pulls the whole centre, as a counter's first start does. Answers the ledger's size. */
async function pairAndPull(code: string): Promise<number> {
  await Promise.all([db.delete(), raw.delete()]);
  await Promise.all([db.open(), raw.open()]);
  await SyncClient.enrol(db, location.origin, code);
  await new SyncClient(db).sync();
  return db.ledger.count();
}

/**
 * Times `n` awards through the kiosk's own `awardByRule` (decide against the view, event + outbox
 * in one transaction), each to another resident under a rule with caps (so its tallies are read),
 * interleaved with `n` plain Dexie read-write transactions doing the same reads and writes.
 */
async function awards(n: number): Promise<{ award: number[]; raw: number[] }> {
  const rule = (await db.rules.toArray()).find((r) => r.active && r.capPerDay !== null && r.capPerMonth !== null)!;
  const residents = await db.residents.limit(n).toArray();
  const today = formatShanghai(Date.now()).slice(0, 10);
  const accounts = (await db.accounts.bulkGet(residents.map((r) => r.accountId))).flatMap((a) => (a ? [a] : []));
  await raw.transaction('rw', [raw.accounts, raw.rules, raw.meta], async () => {
    await raw.accounts.bulkPut(accounts);
    await raw.rules.put(rule);
    await raw.meta.put({ key: 'seq', next: 1 });
  });
  const out = { award: [] as number[], raw: [] as number[] };
  for (let i = 0; i < n; i++) {
    const r = residents[i % residents.length]!;
    let t = performance.now();
    const done = await awardByRule(db, systemClock, 'wzgl-s2', { accountId: r.accountId, ruleId: rule.id, quantity: 1, note: '' });
    out.award.push(performance.now() - t);
    if (!done.ok) throw new Error(`award refused: ${done.error.key}`);
    t = performance.now();
    await raw.transaction('rw', [raw.accounts, raw.rules, raw.resources, raw.outbox, raw.meta], async () => {
      await raw.accounts.get(r.accountId);
      await raw.rules.get(rule.id);
      await raw.resources.bulkGet(awardTallyIds(rule.id, r.accountId, today));
      const seq = ((await raw.meta.get('seq')) as { next: number }).next;
      await raw.outbox.add({ seq, id: `raw-${seq}`, event: {} as never, status: 'pending', serverSeq: null });
      await raw.meta.put({ key: 'seq', next: seq + 1 });
    });
    out.raw.push(performance.now() - t);
  }
  return out;
}

/** Milliseconds to compute today's day summary (a year of ledger, redemptions, the outbox), `runs` times. */
async function daySummaries(runs: number): Promise<number[]> {
  const day = formatShanghai(Date.now()).slice(0, 10);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await daySummary(db, day);
    out.push(performance.now() - t);
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

Object.assign(window, { counterBench: { pairAndPull: explained(pairAndPull), awards: explained(awards), daySummaries: explained(daySummaries) } });
document.body.dataset.ready = 'yes';
