import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Db } from '../server/db/db.js';
import { CLERK, openPairedKiosk } from '../test/support/kiosk.js';
import { scanKeys } from '../test/support/scanner.js';

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
 * `cold_start_to_scan_ready`: a kiosk is paired and takes the whole centre into its Dexie; then its
 * browser is closed and, `runs` times, started again on the same profile (IndexedDB read from disk)
 * and the kiosk's page opened. Each sample is the milliseconds from the navigation's start to the
 * frame that shows the sign-in taking scans; a staff card is then scanned, and must fill the field.
 */
export async function coldStartToScanReady(serverUrl: string, db: Db, say: (s: string) => void, runs = 5): Promise<number[]> {
  const profile = mkdtempSync(path.join(tmpdir(), 'linli-cold-'));
  const launch = () => chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, viewport: { width: 1400, height: 900 } });
  try {
    say('cold start: pairing a kiosk and pulling the whole centre into it…');
    const first = await launch();
    await openPairedKiosk(first, db, serverUrl, '', 300_000);
    await first.close();
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await launch();
      const page = await context.newPage();
      await page.addInitScript(WATCH_READY);
      await page.goto(`${serverUrl}/`);
      samples.push(await page.evaluate(() => (window as unknown as { __scanReady: Promise<number> }).__scanReady));
      await scanKeys(page, CLERK.cardCode);
      const card = await page.locator('input[name=staffCard]').inputValue();
      if (card !== CLERK.cardCode) throw new Error(`the kiosk did not take the staff card's scan (it shows "${card}")`);
      await context.close();
    }
    return samples;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

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
