import type { BrowserContext, Page } from 'playwright-core';
import type { Db } from '../../server/db/db.js';
import { ServerProcess } from '../../build/serverProcess.js';
import { makeStaffCardCode } from '../../core/index.js';
import { DEMO_CLERK_PIN } from '../../server/demo/generate.js';
import { createPairingCode } from '../../server/devices/enrol.js';
import { scratchDb, type ScratchDb } from './db.js';

/** The demo clerk who signs in on the test kiosks. */
export const CLERK = { cardCode: makeStaffCardCode(2), pin: DEMO_CLERK_PIN, staffId: 'wzgl-s2' };

/** Signs the demo clerk in (typed card and PIN) and waits until the counter takes scans. */
export async function signInStaff(page: Page, who: { cardCode: string; pin: string } = CLERK): Promise<void> {
  await page.locator('input[name=staffCard]').waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('input[name=staffCard]').fill(who.cardCode);
  await page.locator('input[name=pin]').fill(who.pin);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('input[name=cardCode]').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * Opens the kiosk in a context of its own (its own IndexedDB), pairs it as a counter, signs the
 * clerk in and waits until it takes scans. `hash` adds to the address's fragment (e.g. `idle=3000`).
 */
export async function openPairedKiosk(context: BrowserContext, db: Db, serverUrl: string, hash = ''): Promise<Page> {
  const code = await createPairingCode(db, 'wzgl', 'counter', new Date());
  const page = await context.newPage();
  await page.goto(`${serverUrl}/#pair=${code}${hash ? `&${hash}` : ''}`);
  await page.getByRole('button', { name: '配对' }).click();
  await signInStaff(page);
  return page;
}

/** The real server on a scratch schema of the test PostgreSQL, seeded with the small demo centre. */
export async function startLiveCentre(): Promise<{ db: ScratchDb; server: ServerProcess; stop(): Promise<void> }> {
  const db = await scratchDb('postgres');
  const server = new ServerProcess({ DATABASE_URL: db.url! });
  await server.start();
  return { db, server, stop: async () => {
    await server.stop();
    await db.drop();
  } };
}
