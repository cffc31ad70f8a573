import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ServerProcess } from '../build/serverProcess.js';
import type { Db } from '../server/db/db.js';
import { scratchDb } from '../test/support/db.js';
import { CLERK, openPairedKiosk } from '../test/support/kiosk.js';
import { scanKeys } from '../test/support/scanner.js';
import { percentile } from './stats.js';

/**
 * The Electron kiosk's figures: how soon a kiosk holding a whole centre takes a scan after its page
 * is opened, and how many of Electron's 20 security checklist items the configuration tests show met.
 */
const root = fileURLToPath(new URL('../', import.meta.url));
const ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Set before the page's own scripts: the time (from the navigation's start) of the first frame
 * painted with the sign-in's staff-card field on screen, the screen a kiosk opens to, which takes
 * the staff card's scan.
 */
const WATCH_READY = `window.__scanReady = new Promise((resolve) => {
  const check = () => {
    if (!document.querySelector('input[name=staffCard]')) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now()));
  };
  const observer = new MutationObserver(check);
  addEventListener('DOMContentLoaded', () => { observer.observe(document.body, { childList: true, subtree: true }); check(); });
});`;

/**
 * Where a cold start's time went, from the navigation's start (ms): the main script fetched, the
 * document parsed, the first thing React put on screen, the kiosk's database open, the sign-in.
 */
export type ColdStart = { ready: number; script: number; domContentLoaded: number; firstRender: number; dbOpen: number };

/** Set before the page's own scripts: when React first rendered into #root, and when IndexedDB first opened. */
const WATCH_PARTS = `window.__parts = {};
addEventListener('DOMContentLoaded', () => {
  const root = document.getElementById('root');
  new MutationObserver((_m, o) => { window.__parts.firstRender ??= performance.now(); o.disconnect(); }).observe(root, { childList: true });
});
const open = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (...args) {
  const req = open.apply(this, args);
  req.addEventListener('success', () => { window.__parts.dbOpen ??= performance.now(); });
  return req;
};`;

/**
 * `cold_start_to_scan_ready`: a kiosk is paired and takes the whole centre into its Dexie; then its
 * browser is closed and, `runs` times, started again on the same profile (IndexedDB read from disk)
 * and the kiosk's page opened. Each sample is the milliseconds from the navigation's start to the
 * frame that shows the sign-in taking scans; a staff card is then scanned, and must fill the field.
 */
export async function coldStartToScanReady(serverUrl: string, db: Db, say: (s: string) => void, runs = 5): Promise<number[]> {
  const kiosk = await pairedKiosk(serverUrl, db, say);
  try {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push((await coldStart(kiosk.profile, serverUrl)).ready);
    return samples;
  } finally {
    kiosk.remove();
  }
}

const launch = (profile: string) => chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, viewport: { width: 1400, height: 900 } });

/** A browser profile holding a kiosk paired with the server, the whole centre pulled into its Dexie. */
async function pairedKiosk(serverUrl: string, db: Db, say: (s: string) => void): Promise<{ profile: string; remove(): void }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'linli-cold-'));
  say('cold start: pairing a kiosk and pulling the whole centre into it…');
  const first = await launch(profile);
  try {
    await openPairedKiosk(first, db, serverUrl, '', 300_000);
  } finally {
    await first.close();
  }
  return { profile, remove: () => rmSync(profile, { recursive: true, force: true }) };
}

/** One cold start: the browser started on the kiosk's profile, the page opened, until it takes a staff card's scan. */
async function coldStart(profile: string, serverUrl: string): Promise<ColdStart> {
  const context = await launch(profile);
  try {
    const page = await context.newPage();
    await page.addInitScript(WATCH_READY);
    await page.addInitScript(WATCH_PARTS);
    await page.goto(`${serverUrl}/`);
    const ready = await page.evaluate(() => (window as unknown as { __scanReady: Promise<number> }).__scanReady);
    const parts = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const script = performance.getEntriesByType('resource').find((e) => /\/assets\/main-[^/]*\.js$/.test(e.name)) as PerformanceResourceTiming | undefined;
      const w = (window as unknown as { __parts: { firstRender?: number; dbOpen?: number } }).__parts;
      return { script: script?.responseEnd ?? -1, domContentLoaded: nav.domContentLoadedEventEnd, firstRender: w.firstRender ?? -1, dbOpen: w.dbOpen ?? -1 };
    });
    await scanKeys(page, CLERK.cardCode);
    const card = await page.locator('input[name=staffCard]').inputValue();
    if (card !== CLERK.cardCode) throw new Error(`the kiosk did not take the staff card's scan (it shows "${card}")`);
    return { ready, ...parts };
  } finally {
    await context.close();
  }
}

/**
 * `npx tsx bench/electron.ts [--runs N] [KIOSK_DIR…]`: the cold start alone, on the full demo centre
 * (PostgreSQL), with where its time goes. Given several built kiosks (e.g. one built before a change
 * and one after), it pairs once and takes their samples in turns, the server restarted on the same
 * port (so the same origin) with each kiosk's files, each kiosk in its own copy of the paired
 * browser profile (its own service worker): one run, same conditions.
 * Prints `cold_start_to_scan_ready` (the median) for each, and the medians of the parts on stderr.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
  const dirs = args.length > 0 ? args.map((d) => path.resolve(d)) : [`${root}renderer/dist`];
  const say = (text: string) => process.stderr.write(`bench: ${text}\n`);
  const db = await scratchDb('postgres');
  let server = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'full', LINLI_KIOSK_DIR: dirs[0]! });
  const serve = async (dir: string) => {
    const next = new ServerProcess({ DATABASE_URL: db.url!, LINLI_DEMO: 'none', LINLI_KIOSK_DIR: dir });
    next.port = server.port;
    await server.stop();
    await next.start();
    server = next;
  };
  try {
    say('seeding the demo centre on PostgreSQL…');
    await server.start();
    const kiosk = await pairedKiosk(server.url, db, say);
    // A copy of the paired profile for each kiosk: each keeps its own service worker and shell cache.
    const profiles = dirs.map((_d, k) => (k === 0 ? kiosk.profile : copyProfile(kiosk.profile)));
    const samples = dirs.map(() => [] as ColdStart[]);
    // Each kiosk opened once first, not counted: its own service worker takes over from the one
    // the profile was paired with, and it may remember what it wants to for its next start.
    if (dirs.length > 1) {
      for (const [k, dir] of dirs.entries()) {
        await serve(dir);
        await coldStart(profiles[k]!, server.url);
      }
    }
    for (let i = 0; i < runs; i++) {
      for (const [k, dir] of dirs.entries()) {
        if (dirs.length > 1) await serve(dir);
        const s = await coldStart(profiles[k]!, server.url);
        say(`${path.relative(process.cwd(), dir) || dir} #${i + 1}: ${JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
        samples[k]!.push(s);
      }
    }
    kiosk.remove();
    for (const p of profiles.slice(1)) rmSync(p, { recursive: true, force: true });
    for (const [k, dir] of dirs.entries()) {
      const median = (f: keyof ColdStart) => Math.round(percentile(samples[k]!.map((s) => s[f]), 50));
      say(`${dir}: median ready ${median('ready')} ms (script ${median('script')}, DOMContentLoaded ${median('domContentLoaded')}, first render ${median('firstRender')}, database open ${median('dbOpen')})`);
      process.stdout.write(`${JSON.stringify({ name: 'cold_start_to_scan_ready', value: median('ready'), unit: 'ms', ...(dirs.length > 1 ? { kiosk: dir } : {}) })}\n`);
    }
  } finally {
    await server.stop();
    await db.drop();
  }
}

function copyProfile(profile: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'linli-cold-'));
  cpSync(profile, copy, { recursive: true });
  return copy;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

/** `checklist_items_met`: the `checklist #N` tests of test/electron/checklist.test.ts that pass, each item once. */
export function checklistItemsMet(): number {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'linli-checklist-')), 'result.json');
  spawnSync(`${root}node_modules/.bin/vitest`, ['run', 'test/electron/checklist.test.ts', '--reporter=json', `--outputFile=${out}`], { cwd: root, stdio: 'ignore' });
  const result = JSON.parse(readFileSync(out, 'utf8')) as { testResults: { assertionResults: { title: string; status: string }[] }[] };
  rmSync(path.dirname(out), { recursive: true, force: true });
  const met = new Set<number>();
  for (const t of result.testResults.flatMap((r) => r.assertionResults)) {
    const item = /^checklist #(\d+):/.exec(t.title)?.[1];
    if (item && t.status === 'passed') met.add(Number(item));
  }
  return met.size;
}
