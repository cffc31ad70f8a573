import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  addDays, ageOn, formatShanghai, heldCategories, priceFieldsOf, priceMeal, sittingIdFor, uuidv7, type EventBody, type LinliEvent, type SubsidyRule,
} from '../core/index.js';
import { ServerProcess } from '../build/serverProcess.js';
import type { Db } from '../server/db/db.js';
import { migrate } from '../server/db/migrate.js';
import { DEMO_CANTEEN_CARD, DEMO_CANTEEN_PIN, DEMO_RULES } from '../server/demo/canteen.js';
import { generateDemoCentre, WUZHOU_GUANLAN } from '../server/demo/generate.js';
import { seedDemoCentre } from '../server/demo/seed.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { claimCsv } from '../server/reports/claim.js';
import { settleMonth } from '../server/reports/settlement.js';
import { push } from '../server/sync/push.js';
import { pushAsImport } from '../test/support/centre.js';
import { scratchDb } from '../test/support/db.js';
import { FakePrinter } from '../test/support/fakePrinter.js';
import { signInStaff } from '../test/support/kiosk.js';
import { installPrintBridge } from '../test/support/printBridge.js';
import { scanKeys } from '../test/support/scanner.js';
import { percentile, round } from './stats.js';

/**
 * The canteen's figures: `ticket_sale_p95` (the confirm tap on a till to the ticket's ESC/POS bytes
 * made and queued by the bridge), `call_to_screen_p95` (the call tap on a till to the number on
 * another canteen device's calling screen: push, the poke, the screen's pull and paint) and
 * `settlement_month_ms` (a month of a canteen selling 300 meals a day settled, with its claim as
 * CSV). `npx tsx bench/canteen.ts` runs them alone on the small demo centre (after `npm run build`).
 */
type Figure = (name: string, value: number, unit: string) => void;
type Say = (text: string) => void;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * In the till's page: the time of the tap on the confirmation's 确认, when the ticket is handed to
 * the bridge, and the bridge's answer (it has made the ESC/POS bytes and queued the job). Plain script text,
 * installed after the print bridge so it wraps the bridge the kiosk picks up at start.
 */
const MEASURE_SALE = `window.__sale = { tap: 0, samples: [] };
addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('[role=dialog] button.primary')) window.__sale.tap = performance.now(); }, true);
const print = window.linli.print;
window.__sale.decided = []; window.linli.print = async (req) => { window.__sale.decided.push(performance.now() - window.__sale.tap); const r = await print(req); window.__sale.samples.push(performance.now() - window.__sale.tap); return r; };`;

/** A canteen device of its own context, paired: a till (the cook signed in, lunch picked) or a calling screen. */
async function canteenPage(context: BrowserContext, db: Db, url: string, as: 'till' | 'display'): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/#pair=${await createPairingCode(db, 'wzgl', 'canteen', new Date())}${as === 'display' ? '&display' : ''}`);
  await page.getByRole('button', { name: '配对' }).click();
  if (as === 'display') {
    await page.getByTestId('calling-screen').waitFor({ timeout: 300_000 });
    return page;
  }
  await signInStaff(page, { cardCode: DEMO_CANTEEN_CARD, pin: DEMO_CANTEEN_PIN }, 300_000);
  await page.getByRole('radio', { name: /午餐/ }).click();
  return page;
}

/** Prints ticket_sale_p95 and call_to_screen_p95 against a running server with a demo canteen. */
export async function canteenBrowserFigures(browser: Browser, db: Db, url: string, figure: Figure, say: Say): Promise<void> {
  const today = formatShanghai(Date.now()).slice(0, 10);
  const lunch = sittingIdFor(today, 'lunch');
  // Room for every sale below: the bench measures the till, not a full sitting.
  await pushAsImport(db, [{ kind: 'sittingCapacitySet', version: 1, payload: { sittingId: lunch, capacity: 1_000 } }]);
  const cards = (await db.query<{ card_code: string }>(
    `SELECT card_code FROM resident WHERE centre_id = 'wzgl' AND birth_date <= $1 ORDER BY md5(id) LIMIT 25`, [addDays(today, -65 * 366)])).map((r) => r.card_code);
  const printer = new FakePrinter();
  await printer.start();
  const tillContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const bridge = await installPrintBridge(tillContext, printer);
  await tillContext.addInitScript(MEASURE_SALE);
  const displayContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    say('canteen: tickets sold at a till, from the confirm tap to the ticket\'s bytes…');
    const till = await canteenPage(tillContext, db, url, 'till');
    const sell = async (card: string | null) => {
      if (card) {
        await scanKeys(till, card, { gapMs: 2 });
        await till.getByTestId('buyer').waitFor();
      } else {
        await till.getByRole('button', { name: /散客（无卡/ }).click();
      }
      await till.getByRole('button', { name: '出票' }).click();
      await till.getByRole('dialog').getByRole('button', { name: '确认' }).click();
      await till.getByTestId('sold-number').waitFor();
      await till.getByRole('button', { name: '完成' }).click();
    };
    for (let i = 0; i < 50; i++) await sell(i % 2 === 0 ? null : cards[(i >> 1) % cards.length]!);
    const samples = (await till.evaluate('window.__sale.samples')) as number[];
    if (samples.length !== 50) throw new Error(`${samples.length} tickets printed of 50`);
    figure('ticket_sale_p95', percentile(samples.slice(5), 95), 'ms');
    // The part that is the till's: decided, committed and laid out, until handed to the bridge.
    figure('ticket_sale_decided_p95', percentile(((await till.evaluate('window.__sale.decided')) as number[]).slice(5), 95), 'ms');

    say('canteen: a call on the till until another device\'s calling screen shows it, through the poke…');
    const display = await canteenPage(displayContext, db, url, 'display');
    const calls: number[] = [];
    for (let i = 0; i < 21; i++) {
      await display.evaluate(`window.shown = new Promise((resolve) => {
        const el = () => document.querySelector('[data-testid=called-number]');
        const before = el() && el().textContent;
        const observer = new MutationObserver(() => { if (el() && el().textContent !== before) { observer.disconnect(); resolve(Date.now()); } });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }); undefined`);
      await till.evaluate(`window.tapped = new Promise((resolve) => addEventListener('click', (e) => {
        if (e.target instanceof Element && e.target.closest('[data-testid=call-next]')) resolve(Date.now());
      }, { capture: true, once: true })); undefined`);
      await till.getByTestId('call-next').click();
      const tappedAt = (await till.evaluate('window.tapped')) as number;
      const shownAt = (await display.evaluate('Promise.race([window.shown, new Promise((_, no) => setTimeout(() => no(new Error("the screen never showed the call")), 10000))])')) as number;
      if (i > 0) calls.push(shownAt - tappedAt); // the first call wakes both pages
    }
    figure('call_to_screen_p95', percentile(calls, 95), 'ms');
  } finally {
    bridge.close();
    await tillContext.close();
    await displayContext.close();
    await printer.stop();
  }
}

/** Meals a day in the settlement figure's canteen (most of them lunches, as in a canteen with deliveries). */
const MEALS_A_DAY = 300;

/**
 * Prints settlement_month_ms: a centre whose canteen sold 300 meals a day for a month (priced by
 * the rules, pushed as sales through the server's push), settled on PGlite with the claim as CSV.
 */
export async function settlementFigure(figure: Figure, say: Say): Promise<void> {
  say(`canteen: a month of ${MEALS_A_DAY} meals a day, pushed, then settled…`);
  const db = await scratchDb('pglite');
  try {
    await migrate(db);
    const month = '2026-10';
    const options = { ...WUZHOU_GUANLAN, residents: 3_000, volunteers: 100, days: 1, until: new Date('2026-11-01T02:00:00Z') };
    await seedDemoCentre(db, options);
    const residents = generateDemoCentre({ ...options, importDeviceId: 'x' }).residents.filter((r) => r.birthDate && ageOn(r.birthDate, `${month}-15`) >= 60);
    const rules: SubsidyRule[] = DEMO_RULES.map((r) => ({ ...r, centreId: 'wzgl', changeSeq: 0 }));
    const bodies: EventBody[] = DEMO_RULES.map((rule) => ({ kind: 'subsidyRuleSet', version: 1, payload: { isNew: true, rule } }));
    for (let d = 0; d < 31; d++) {
      const day = addDays(`${month}-01`, d);
      const sittings = (['breakfast', 'lunch', 'dinner'] as const).map((meal) => ({ meal, id: sittingIdFor(day, meal), priceFen: meal === 'breakfast' ? 200 : meal === 'lunch' ? 500 : 400 }));
      for (const s of sittings) {
        bodies.push({
          kind: 'sittingPublished', version: 1,
          payload: { sittingId: s.id, day, meal: s.meal, opensAt: '07:00', closesAt: '20:00', bookingCutoff: '06:00', deliveryFeeFen: 300, capacity: MEALS_A_DAY, meals: [{ id: `${s.id}-m1`, name: '套餐', dishes: '', setMeal: true, priceFen: s.priceFen, costFen: 2 * s.priceFen - 100 }] },
        });
      }
      const had = new Map<string, { sittingId: string; subsidyFen: number }[]>();
      for (let n = 1; n <= MEALS_A_DAY; n++) {
        const s = sittings[n % 10 < 2 ? 0 : n % 10 < 8 ? 1 : 2]!;
        const r = n % 5 === 0 ? null : residents[(n * 7 + d * 13) % residents.length]!;
        const today = r ? had.get(r.id) ?? [] : [];
        const priced = priceMeal({ listPriceFen: s.priceFen, deliveryFeeFen: 0, sittingId: s.id, person: r ? { held: heldCategories(r, rules, [], day), today } : null, chosen: null });
        if (!priced.ok) continue;
        if (r) had.set(r.id, [...today, { sittingId: s.id, subsidyFen: priced.value.subsidyFen }]);
        bodies.push({
          kind: 'mealSold', version: 1,
          payload: { ...priceFieldsOf(priced.value), orderId: `${s.id}-o${n}`, fromBooking: false, sittingId: s.id, day, mealId: `${s.id}-m1`, residentId: r?.id ?? null, payment: 'cash', number: String(n), deviceCode: 'C01', override: false },
        });
      }
    }
    const device = { id: 'wzgl-import', centreId: 'wzgl', code: 'IMPORT', profile: 'server' as const };
    const [{ last_seq: last } = { last_seq: 0 }] = await db.query<{ last_seq: number }>(`SELECT last_seq FROM device WHERE id = 'wzgl-import'`);
    const at = new Date('2026-10-31T12:00:00Z');
    const events = bodies.map((b, i): LinliEvent => ({ ...b, id: uuidv7(at.getTime() + i, crypto.getRandomValues(new Uint8Array(16))), deviceId: device.id, seq: last + 1 + i, staffId: 'wzgl-s1', at: at.toISOString(), clockOffset: 0, basis: 0 } as LinliEvent));
    for (let i = 0; i < events.length; i += 1_000) await push(db, device, events.slice(i, i + 1_000), at);
    const samples: number[] = [];
    let meals = 0;
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const s = await settleMonth(db, 'wzgl', month, '2026-11-01');
      claimCsv(s);
      if (i > 0) samples.push(performance.now() - t); // the first warms the caches
      meals = s.totals.meals;
    }
    if (meals !== 31 * MEALS_A_DAY) throw new Error(`settled ${meals} meals, not ${31 * MEALS_A_DAY}`);
    figure('settlement_month_ms', percentile(samples, 50), 'ms');
  } finally {
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figure: Figure = (name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`);
  const say: Say = (text) => process.stderr.write(`bench: ${text}\n`);
  await settlementFigure(figure, say);
  const db = await scratchDb('postgres');
  const server = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'small' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await server.start();
    await canteenBrowserFigures(browser, db, server.url, figure, say);
  } finally {
    await browser.close();
    await server.stop();
    await db.drop();
  }
}
