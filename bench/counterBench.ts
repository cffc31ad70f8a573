import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import type { Resident } from '../core/index.js';
import { pinyinInitials, searchResidents } from '../core/residents/search.js';
import { ServerProcess } from '../build/serverProcess.js';
import type { Db } from '../server/db/db.js';
import { createPairingCode } from '../server/devices/enrol.js';
import { scratchDb } from '../test/support/db.js';
import { openPairedKiosk } from '../test/support/kiosk.js';
import { percentile, round } from './stats.js';

/**
 * The points store's figures, on the full demo centre (8,507 residents, a year of ledger), in
 * Chromium against the real server:
 * - `resident_search_p95`: from a keystroke in the counter's search box to the frame that paints the
 *   resident it should find first, by full name (the last character committed as an input method
 *   does), pinyin initials and phone tail (the last key pressed, so the wedge scanner's hold of a
 *   typed key, 40 ms by default, is counted: a clerk waits for it too).
 * - `award_commit_p95`: one `awardByRule` (decide against the view with its caps' tallies, event
 *   and outbox in one transaction), beside `award_raw_txn_p95`, a plain Dexie read-write
 *   transaction with the same reads and writes, interleaved in the same page and run.
 * - `day_summary_ms`: today's day summary of the counter on a kiosk holding the centre's year of
 *   ledger, after the 200 awards above (the day's entries are read, not the year; median of five,
 *   after one to warm up).
 *
 * `npx tsx bench/counterBench.ts` runs these alone (seeding the full centre on the test
 * PostgreSQL first); `bench/run.ts` calls `harnessFigures` right after `raw_txn_p95`, and
 * `searchFigures` later in its browser part.
 */
const root = fileURLToPath(new URL('../', import.meta.url));

type Figure = (name: string, value: number, unit: string) => void;

/** Builds the points store's harness page into the bench harness's folder, beside harness.html. */
export async function buildCounterHarness(): Promise<void> {
  await build({
    configFile: false, root: `${root}bench/browser`, base: './', logLevel: 'warn',
    build: { outDir: '../out/harness', emptyOutDir: false, target: 'chrome120', minify: false, rollupOptions: { input: 'counter.html' } },
  });
}

type Options = { browser: Browser; db: Db; kioskUrl: string; harnessUrl: string; figure: Figure; say(text: string): void };

/** Measures the points store's figures. `harnessUrl` serves bench/out/harness; `kioskUrl` the kiosk. */
export async function counterFigures(o: Options): Promise<void> {
  await harnessFigures(o);
  await searchFigures(o);
}

/** `award_commit_p95`, `award_raw_txn_p95` and `day_summary_ms`, in the harness page. */
export async function harnessFigures(o: Options): Promise<void> {
  type Bench = { pairAndPull(code: string): Promise<number>; awards(n: number): Promise<{ award: number[]; raw: number[] }>; daySummaries(runs: number): Promise<number[]> };
  o.say('points store: awards and the day summary in the harness…');
  const h = await o.browser.newPage();
  await h.goto(`${o.harnessUrl}/counter.html`);
  await h.waitForSelector('body[data-ready=yes]');
  const ledger = await h.evaluate(async (code) => (window as unknown as { counterBench: Bench }).counterBench.pairAndPull(code), await createPairingCode(o.db, 'wzgl', 'counter', new Date()));
  o.say(`  the kiosk holds ${ledger} ledger entries`);
  const c = await h.evaluate(() => (window as unknown as { counterBench: Bench }).counterBench.awards(200));
  // After the awards: the day then holds 200 of this counter's entries, as a busy day does.
  const summaries = await h.evaluate(() => (window as unknown as { counterBench: Bench }).counterBench.daySummaries(6));
  await h.close();
  o.figure('award_commit_p95', percentile(c.award, 95), 'ms');
  o.figure('award_raw_txn_p95', percentile(c.raw, 95), 'ms');
  o.figure('day_summary_ms', percentile(summaries.slice(1), 50), 'ms');
}

/** `resident_search_p95`: the counter's resident search on a kiosk holding the whole centre. */
export async function searchFigures(o: Omit<Options, 'harnessUrl'>): Promise<void> {
  o.say('points store: resident search in the counter, with the whole centre on it…');
  const context = await o.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await openPairedKiosk(context, o.db, o.kioskUrl, '', 300_000);
  const residents = await o.db.query<{ id: string; name: string; phone_tail: string | null; building: string | null; room: string | null }>(
    "SELECT id, name, phone_tail, building, room FROM resident WHERE centre_id = 'wzgl' ORDER BY id");
  const all = residents.map((r) => ({ id: r.id, name: r.name, phoneTail: r.phone_tail, building: r.building, room: r.room })) as Pick<Resident, 'id' | 'name' | 'phoneTail' | 'building' | 'room'>[];
  const sample = (await o.db.query<{ id: string }>("SELECT id FROM resident WHERE centre_id = 'wzgl' ORDER BY md5(id) LIMIT 40")).map((r) => all.find((x) => x.id === r.id)!);
  const queries = sample.flatMap((r) => [
    { text: r.name, ime: true }, { text: pinyinInitials(r.name), ime: false }, ...(r.phoneTail ? [{ text: r.phoneTail, ime: false }] : []),
  ]);
  const samples = await searchTimes(page, queries.map((q) => ({ ...q, expect: searchResidents(q.text, all, 8)[0]!.id })));
  await context.close();
  const kinds = ['name', 'initials', 'phone tail'];
  for (const [k, kind] of kinds.entries()) o.say(`  ${kind}: p95 ${percentile(samples.filter((_, i) => i % 3 === k), 95).toFixed(1)} ms`);
  o.figure('resident_search_p95', percentile(samples.slice(10), 95), 'ms');
}

/**
 * Installed as plain script text (functions passed through page.evaluate would carry the TS
 * loader's helpers): from the first keydown or input after arming to the animation frame after the
 * expected resident is among the results.
 */
const MEASURE_SEARCH = `window.armSearch = (residentId) => { window.searchTime = new Promise((resolve) => {
  let start = 0;
  const onEvent = () => { if (!start) start = performance.now(); };
  addEventListener('keydown', onEvent, { capture: true });
  addEventListener('input', onEvent, { capture: true });
  const done = () => {
    if (!start || !document.querySelector('[data-testid=search-results] [data-resident-id="' + residentId + '"]')) return;
    observer.disconnect();
    removeEventListener('keydown', onEvent, { capture: true });
    removeEventListener('input', onEvent, { capture: true });
    requestAnimationFrame(() => resolve(performance.now() - start));
  };
  const observer = new MutationObserver(done);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
}); };`;

async function searchTimes(page: Page, queries: readonly { text: string; ime: boolean; expect: string }[]): Promise<number[]> {
  await page.evaluate(MEASURE_SEARCH);
  const box = page.locator('input[name=residentSearch]');
  const out: number[] = [];
  for (const q of queries) {
    const chars = Array.from(q.text);
    await box.fill(chars.slice(0, -1).join(''));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await box.focus();
    await page.evaluate((id) => (window as unknown as { armSearch(id: string): void }).armSearch(id), q.expect);
    if (q.ime) await page.keyboard.insertText(chars[chars.length - 1]!);
    else await page.keyboard.press(chars[chars.length - 1]!);
    out.push(await page.evaluate('Promise.race([window.searchTime, new Promise((_, no) => setTimeout(() => no(new Error("the resident never showed")), 10000))])') as number);
  }
  await box.fill('');
  return out;
}

// Alone: `npx tsx bench/counterBench.ts` (one JSON line per figure on stdout, progress on stderr).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const say = (text: string) => process.stderr.write(`bench: ${text}\n`);
  const figure: Figure = (name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value: round(value), unit })}\n`);
  const db = await scratchDb('postgres');
  const kiosk = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'full' });
  const harness = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'none', LINLI_KIOSK_DIR: `${root}bench/out/harness` });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    say('building the kiosk and the harness…');
    await build({ configFile: `${root}renderer/vite.config.ts`, logLevel: 'warn' });
    await buildCounterHarness();
    say('seeding the demo centre on PostgreSQL…');
    await kiosk.start();
    await harness.start();
    await counterFigures({ browser, db, kioskUrl: kiosk.url, harnessUrl: harness.url, figure, say });
  } finally {
    await browser.close();
    await harness.stop();
    await kiosk.stop();
    await db.drop();
  }
}
